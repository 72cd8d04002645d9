"""The speech engines of the local server, by name: ``espeak`` (real speech) and ``fast`` (a synthesizer).

* ``espeak``: espeak-ng (:mod:`._espeak`), intelligible speech with a distinct sound per library voice,
  from the optional ``[speech]`` extra (GPL-3.0). About 1,000x real time here (before encoding).
* ``fast``: the deterministic synthesizer of :mod:`._speech`: speech-shaped tones, no words to hear,
  identical bytes on every machine, no dependency. About 40,000x real time; the default of
  ``LocalServer`` and of the pytest fixtures, so that test suites stay fast and reproducible.

Kept free of the server's dependencies: the ``fishaudio`` command lists the names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from ._speech import Speech

ENGINE_NAMES: Final = ("espeak", "fast")
DEFAULT_ENGINE: Final = "fast"
"""``LocalServer``'s engine; ``fishaudio serve`` and ``scripts/demo`` use ``espeak``."""


class Engine(Protocol):
    """Turns text (tags and all) into :class:`~._speech.Speech` with word timings."""

    @property
    def name(self) -> str:
        """``"espeak"`` or ``"fast"``."""
        ...

    def synthesize(
        self,
        text: str,
        *,
        sample_rate: int,
        speed: float = 1.0,
        volume_db: float = 0.0,
        voices: Sequence[str] = (),
        language: str = "en",
    ) -> Speech:
        """Speak ``text``; ``voices[N]`` is the ``reference_id`` of ``<|speaker:N|>``, if any."""
        ...


class FastEngine:
    """The deterministic synthesizer, which needs nothing installed (voices and language do not change it)."""

    name = "fast"

    def synthesize(
        self,
        text: str,
        *,
        sample_rate: int,
        speed: float = 1.0,
        volume_db: float = 0.0,
        voices: Sequence[str] = (),
        language: str = "en",
    ) -> Speech:
        from ._speech import synthesize

        return synthesize(text, sample_rate=sample_rate, speed=speed, volume_db=volume_db)


def engine(name: str) -> Engine:
    """The engine called ``name``. ValueError for an unknown name; for ``espeak`` without the ``[speech]``
    extra, :class:`~._espeak.EngineUnavailable` (a RuntimeError) saying how to install it."""
    if name == "fast":
        return FastEngine()
    if name == "espeak":
        from ._espeak import EspeakEngine

        return EspeakEngine()
    raise ValueError(f"unknown speech engine {name!r}: use one of {', '.join(ENGINE_NAMES)}")
