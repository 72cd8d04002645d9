from typing import Literal

KnownLiveFinishReason = Literal["error", "stop"]

KNOWN_LIVE_FINISH_REASON_VALUES: set[KnownLiveFinishReason] = {
    "error",
    "stop",
}


def check_known_live_finish_reason(value: str) -> KnownLiveFinishReason:
    if value in KNOWN_LIVE_FINISH_REASON_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {KNOWN_LIVE_FINISH_REASON_VALUES!r}")
