"""Speed and loudness of the generated speech: ``Prosody``, generated from the spec's ``ProsodyControl``."""

from __future__ import annotations

from fishaudio_api.tts_settings import Prosody

__all__ = ["Prosody"]
