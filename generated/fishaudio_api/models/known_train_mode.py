from typing import Literal

KnownTrainMode = Literal["fast", "full"]

KNOWN_TRAIN_MODE_VALUES: set[KnownTrainMode] = {
    "fast",
    "full",
}


def check_known_train_mode(value: str) -> KnownTrainMode:
    if value in KNOWN_TRAIN_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {KNOWN_TRAIN_MODE_VALUES!r}")
