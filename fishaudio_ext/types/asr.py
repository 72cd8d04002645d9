"""The official SDK's ``fishaudio.types.asr``: a transcription and its timed segments."""

from __future__ import annotations

from fishaudio_api.models import ASRResponse, ASRSegment

__all__ = ["ASRResponse", "ASRSegment"]
