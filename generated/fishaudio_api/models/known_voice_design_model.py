from typing import Literal

KnownVoiceDesignModel = Literal["voice-design-1"]

KNOWN_VOICE_DESIGN_MODEL_VALUES: set[KnownVoiceDesignModel] = {
    "voice-design-1",
}


def check_known_voice_design_model(value: str) -> KnownVoiceDesignModel:
    if value in KNOWN_VOICE_DESIGN_MODEL_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {KNOWN_VOICE_DESIGN_MODEL_VALUES!r}")
