"""The values the API accepts for each request field, mirrored from ``spec/openapi.yaml`` in one place.

``tests/unit/test_types.py`` compares these constants with the spec, so a spec change that is not
mirrored here fails the tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal, TypeAlias

import attrs
from fishaudio_api.models import AudioFormat, KnownTTSModel, LatencyMode, Mp3Bitrate
from fishaudio_api.models import OpusBitrate as OpusBitrateBps

OpusBitrateKbps: TypeAlias = Literal[24, 32, 48, 64]
"""The kbps Opus bitrates of older SDKs and the seeds' examples; converted to bps before sending."""

OpusBitrate: TypeAlias = OpusBitrateBps | OpusBitrateKbps
"""An Opus bitrate as ``TTSConfig`` accepts it: bps as the API defines it (-1000 = automatic), or kbps."""


@attrs.frozen
class Bounds:
    """Inclusive limits of a numeric field; None leaves that side open.

    Example: ``150 in Bounds(100, 300)`` is True and ``str(Bounds(1))`` is ``"1 or more"``.
    """

    minimum: float | None = None
    maximum: float | None = None

    def __contains__(self, value: float) -> bool:
        """Return whether ``value`` lies within the limits."""
        return (self.minimum is None or value >= self.minimum) and (
            self.maximum is None or value <= self.maximum
        )

    def __str__(self) -> str:
        """Describe the limits for an error message, like ``"100 to 300"``."""
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum} to {self.maximum}"
        if self.minimum is not None:
            return f"{self.minimum} or more"
        if self.maximum is not None:
            return f"at most {self.maximum}"
        return "any number"


SPEED: Final = Bounds(0.5, 2.0)
VOLUME: Final = Bounds(-20.0, 20.0)
PROSODY_BOUNDS: Final[Mapping[str, Bounds]] = {"speed": SPEED, "volume": VOLUME}
"""Limits of the ``ProsodyControl`` fields, by wire name."""

TEMPERATURE: Final = Bounds(0.0, 1.0)
TOP_P: Final = Bounds(0.0, 1.0)
CHUNK_LENGTH: Final = Bounds(100, 300)
MAX_NEW_TOKENS: Final = Bounds(1)
REPETITION_PENALTY: Final = Bounds(0.0)
MIN_CHUNK_LENGTH: Final = Bounds(0, 100)
EARLY_STOP_THRESHOLD: Final = Bounds(0.0, 1.0)
TTS_REQUEST_BOUNDS: Final[Mapping[str, Bounds]] = {
    "temperature": TEMPERATURE,
    "top_p": TOP_P,
    "chunk_length": CHUNK_LENGTH,
    "max_new_tokens": MAX_NEW_TOKENS,
    "repetition_penalty": REPETITION_PENALTY,
    "min_chunk_length": MIN_CHUNK_LENGTH,
    "early_stop_threshold": EARLY_STOP_THRESHOLD,
}
"""Limits of the numeric ``TTSRequest`` fields, by wire name."""

# The spec sets no limits on sample_rate; a rate below 1 Hz can only be a mistake.
SAMPLE_RATE: Final = Bounds(1)
PAGE_SIZE: Final = Bounds(1, 100)
PAGE_NUMBER: Final = Bounds(1)

AUDIO_FORMATS: Final[tuple[AudioFormat, ...]] = ("wav", "pcm", "mp3", "opus")
LATENCY_MODES: Final[tuple[LatencyMode, ...]] = ("low", "normal", "balanced")
MP3_BITRATES: Final[tuple[Mp3Bitrate, ...]] = (64, 128, 192)
OPUS_BITRATES_BPS: Final[tuple[OpusBitrateBps, ...]] = (-1000, 24000, 32000, 48000, 64000)
OPUS_KBPS_TO_BPS: Final[Mapping[int, OpusBitrateBps]] = {24: 24000, 32: 32000, 48: 48000, 64: 64000}

KNOWN_MODELS: Final[tuple[KnownTTSModel, ...]] = (
    "s1",
    "s2-pro",
    "s2.1-pro",
    "s2.1-pro-free",
    "speech-1.5",
    "speech-1.6",
)
DEPRECATED_MODELS: Final[Mapping[str, str]] = {"speech-1.5": "s1", "speech-1.6": "s1"}
"""Deprecated model names and the model to use instead."""
