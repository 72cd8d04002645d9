from typing import Literal

LatencyMode = Literal["balanced", "low", "normal"]

LATENCY_MODE_VALUES: set[LatencyMode] = {
    "balanced",
    "low",
    "normal",
}


def check_latency_mode(value: str) -> LatencyMode:
    if value in LATENCY_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LATENCY_MODE_VALUES!r}")
