from typing import Literal

KnownModelState = Literal["created", "failed", "trained", "training"]

KNOWN_MODEL_STATE_VALUES: set[KnownModelState] = {
    "created",
    "failed",
    "trained",
    "training",
}


def check_known_model_state(value: str) -> KnownModelState:
    if value in KNOWN_MODEL_STATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {KNOWN_MODEL_STATE_VALUES!r}")
