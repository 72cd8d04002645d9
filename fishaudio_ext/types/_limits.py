"""The bounds type of request checks, and the Opus bitrate as ``TTSConfig`` accepts it.

Every limit itself is a fact of ``spec/openapi.yaml``, emitted by ``scripts/generate`` into
``fishaudio_api.facts``: read it there rather than restating it.
"""

from __future__ import annotations

from typing import TypeAlias

from fishaudio_api.models import OpusBitrate as OpusBitrateBps
from fishaudio_api.settings_checks import Bounds
from fishaudio_api.tts_settings import OpusBitrateLegacyKbps

OpusBitrateKbps: TypeAlias = OpusBitrateLegacyKbps
"""The kbps Opus bitrates of older SDKs and the seeds' examples; converted to bps before sending."""

OpusBitrate: TypeAlias = OpusBitrateBps | OpusBitrateKbps
"""An Opus bitrate as ``TTSConfig`` accepts it: bps as the API defines it (-1000 = automatic), or kbps."""

__all__ = ["Bounds", "OpusBitrate", "OpusBitrateBps", "OpusBitrateKbps"]
