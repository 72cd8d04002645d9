from typing import Literal

KnownPVCReleaseState = Literal["released", "retiring"]

KNOWN_PVC_RELEASE_STATE_VALUES: set[KnownPVCReleaseState] = {
    "released",
    "retiring",
}


def check_known_pvc_release_state(value: str) -> KnownPVCReleaseState:
    if value in KNOWN_PVC_RELEASE_STATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {KNOWN_PVC_RELEASE_STATE_VALUES!r}")
