"""When each chunk of a streamed response may leave: the time to first audio, then the generation speed.

Tests want everything at once (:data:`Pacing.NONE`, the default of ``LocalServer``); a demo or a latency
benchmark wants the feel of the hosted API (:data:`Pacing.REALISTIC`); a benchmark may want an exact
shape, such as "the first chunk at once, the rest spread over 2 s"::

    Pacing(spread=2.0)
    Pacing(first_chunk={"normal": 0.5, "balanced": 0.3, "low": 0.15}, speed=3.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar, Final

import attrs

REALISTIC_FIRST_CHUNK: Final = {"normal": 0.5, "balanced": 0.3, "low": 0.15}
"""Seconds to the first audio per ``latency`` mode: plausible figures, not measurements of the hosted API."""
REALISTIC_SPEED: Final = 3.0
"""Seconds of audio generated per second once synthesis has started."""


def _first_chunk(value: float | Mapping[str, float]) -> float | Mapping[str, float]:
    return dict(value) if isinstance(value, Mapping) else float(value)


@attrs.frozen
class Pacing:
    """A schedule for the chunks of a streamed response.

    Attributes:
        first_chunk: seconds before the first chunk; a number, or a number per latency mode
            (``normal``/``balanced``/``low``; a mode left out waits 0).
        speed: seconds of audio produced per second after the first chunk, so later chunks follow in
            (scaled) real time; None sends them as fast as the connection takes them.
        spread: instead of ``speed``, spread the chunks after the first evenly over this many seconds.
    """

    first_chunk: float | Mapping[str, float] = attrs.field(default=0.0, converter=_first_chunk)
    speed: float | None = None
    spread: float | None = None

    NONE: ClassVar[Pacing]
    REALISTIC: ClassVar[Pacing]

    def __attrs_post_init__(self) -> None:
        if self.speed is not None and self.spread is not None:
            raise ValueError("give speed or spread, not both")
        if self.speed is not None and self.speed <= 0:
            raise ValueError(f"speed must be positive, got {self.speed}")
        if self.spread is not None and self.spread < 0:
            raise ValueError(f"spread must be 0 or more, got {self.spread}")
        delays = self.first_chunk.values() if isinstance(self.first_chunk, Mapping) else [self.first_chunk]
        if any(delay < 0 for delay in delays):
            raise ValueError("first_chunk delays must be 0 or more")

    @classmethod
    def named(cls, name: str) -> Pacing:
        """The preset called ``none`` or ``realistic`` (the CLI's ``--pacing``)."""
        presets = {"none": cls.NONE, "realistic": cls.REALISTIC}
        if name not in presets:
            raise ValueError(f"unknown pacing {name!r}: use none or realistic")
        return presets[name]

    def first_chunk_delay(self, latency: str) -> float:
        """Seconds to wait before the first chunk of a request in ``latency`` mode."""
        if isinstance(self.first_chunk, Mapping):
            return float(self.first_chunk.get(latency, 0.0))
        return float(self.first_chunk)

    def offsets(self, latency: str, audio_ends: Sequence[float]) -> list[float]:
        """When each chunk may be sent, in seconds from the start of the response.

        ``audio_ends`` holds where each chunk ends in the audio (seconds). Example:
        ``Pacing(spread=2.0).offsets("normal", [0.1, 0.2, 0.3])`` is ``[0.0, 1.0, 2.0]``.
        """
        if not audio_ends:
            return []
        first = self.first_chunk_delay(latency)
        later = len(audio_ends) - 1
        if self.spread is not None:
            return [first + (self.spread * i / later if later else 0.0) for i in range(len(audio_ends))]
        return [self.offset(latency, audio_ends[0], end) for end in audio_ends]

    def offset(self, latency: str, first_end: float, end: float) -> float:
        """When a chunk ending at ``end`` s of audio may be sent, in a stream whose first chunk ends at
        ``first_end``, without knowing the chunks to come (``spread`` needs them all: use :meth:`offsets`).
        """
        first = self.first_chunk_delay(latency)
        if self.spread is not None:
            raise ValueError("a spread schedule needs every chunk: use offsets()")
        return first + (end - first_end) / self.speed if self.speed is not None else first


Pacing.NONE = Pacing()
Pacing.REALISTIC = Pacing(first_chunk=REALISTIC_FIRST_CHUNK, speed=REALISTIC_SPEED)
