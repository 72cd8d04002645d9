from typing import Literal

KnownModelType = Literal["svc", "tts"]

KNOWN_MODEL_TYPE_VALUES: set[KnownModelType] = {
    "svc",
    "tts",
}


def check_known_model_type(value: str) -> KnownModelType:
    if value in KNOWN_MODEL_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {KNOWN_MODEL_TYPE_VALUES!r}")
