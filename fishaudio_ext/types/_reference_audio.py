"""A voice sample and its transcript, for instant voice cloning: generated from the spec's schema."""

from __future__ import annotations

from fishaudio_api.tts_settings import ReferenceAudio

__all__ = ["ReferenceAudio"]
