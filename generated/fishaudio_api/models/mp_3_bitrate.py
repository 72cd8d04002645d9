from typing import Literal

Mp3Bitrate = Literal[64, 128, 192]

MP_3_BITRATE_VALUES: set[Mp3Bitrate] = {
    64,
    128,
    192,
}


def check_mp_3_bitrate(value: int) -> Mp3Bitrate:
    if value in MP_3_BITRATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MP_3_BITRATE_VALUES!r}")
