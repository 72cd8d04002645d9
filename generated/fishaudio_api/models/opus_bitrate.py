from typing import Literal

OpusBitrate = Literal[-1000, 24000, 32000, 48000, 64000]

OPUS_BITRATE_VALUES: set[OpusBitrate] = {
    -1000,
    24000,
    32000,
    48000,
    64000,
}


def check_opus_bitrate(value: int) -> OpusBitrate:
    if value in OPUS_BITRATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {OPUS_BITRATE_VALUES!r}")
