from typing import Literal

KnownTTSModel = Literal["s1", "s2-pro", "s2.1-pro", "s2.1-pro-free", "speech-1.5", "speech-1.6"]

KNOWN_TTS_MODEL_VALUES: set[KnownTTSModel] = {
    "s1",
    "s2-pro",
    "s2.1-pro",
    "s2.1-pro-free",
    "speech-1.5",
    "speech-1.6",
}


def check_known_tts_model(value: str) -> KnownTTSModel:
    if value in KNOWN_TTS_MODEL_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {KNOWN_TTS_MODEL_VALUES!r}")
