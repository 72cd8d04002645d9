from typing import Literal

AudioFormat = Literal["mp3", "opus", "pcm", "wav"]

AUDIO_FORMAT_VALUES: set[AudioFormat] = {
    "mp3",
    "opus",
    "pcm",
    "wav",
}


def check_audio_format(value: str) -> AudioFormat:
    if value in AUDIO_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AUDIO_FORMAT_VALUES!r}")
