from typing import Literal

KnownASRModel = Literal["transcribe-1"]

KNOWN_ASR_MODEL_VALUES: set[KnownASRModel] = {
    "transcribe-1",
}


def check_known_asr_model(value: str) -> KnownASRModel:
    if value in KNOWN_ASR_MODEL_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {KNOWN_ASR_MODEL_VALUES!r}")
