"""The decisions of a long-form job, shared by the sync and async drivers: which piece to send next, what
a failure means, where finished pieces are kept, what the job costs. Plain objects, no network I/O.

A job sends at most ``limit`` pieces at once and holds at most ``2 * limit`` finished pieces that wait for
an earlier one, so its memory is bounded by the pieces in flight, not by the length of the text. A 429
lowers ``limit`` for the rest of the job and sends the piece again after the server's ``Retry-After``;
other failures are retried as the client retries a single call.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Final

import attrs
from fishaudio_api.facts import CONCURRENT_REQUESTS_PER_KEY, TTS_MODEL_USD_PER_MILLION_BYTES

from ._join import audio_seconds
from ._retry import is_retryable_status, retry_delay
from ._split import DEFAULT_MAX_CHARS, Piece, split_text
from .exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    FishAudioError,
    RateLimitError,
    ValidationError,
)
from .types._model import DEFAULT_MODEL

DEFAULT_MAX_CONCURRENCY: Final = CONCURRENT_REQUESTS_PER_KEY
"""Pieces sent at once by default: the concurrency limit of the API's lowest tier (``x-concurrent-requests``
of the spec's 429)."""
# How many 429s one piece may meet before the job gives up: each lowers the concurrency, so more than a
# few mean something else is using the key's slots.
_MAX_RATE_LIMITED: Final = 10


@attrs.frozen
class Estimate:
    """What a long text costs before it is sent.

    Attributes:
        utf8_bytes: the bytes billed: the UTF-8 bytes of every piece sent (speaker tags included).
        pieces: the number of requests.
        usd: the price in USD from the model's rate, or None if the rate of the model is not known.
    """

    utf8_bytes: int
    pieces: int
    usd: float | None


def estimate(text: str, *, model: str = DEFAULT_MODEL, max_chars: int = DEFAULT_MAX_CHARS) -> Estimate:
    """The bytes, requests and price of speaking ``text`` with ``model`` in pieces of ``max_chars``.

    Example: ``estimate("Hello. " * 1000, model="s1").usd`` is about 0.1 (7,000 bytes at USD 15 a million).
    """
    return estimate_pieces(split_text(text, max_chars=max_chars), model)


def estimate_pieces(pieces: Sequence[Piece], model: str) -> Estimate:
    utf8_bytes = sum(len(piece.text.encode()) for piece in pieces)
    rate = TTS_MODEL_USD_PER_MILLION_BYTES.get(model)
    usd = None if rate is None else utf8_bytes * rate / 1_000_000
    return Estimate(utf8_bytes=utf8_bytes, pieces=len(pieces), usd=usd)


class BudgetExceededError(ValidationError):
    """The job would cost more than ``max_cost`` (or its price is unknown): nothing was sent."""


def check_budget(cost: Estimate, max_cost: float | None, model: str) -> None:
    if max_cost is None:
        return
    if cost.usd is None:
        raise BudgetExceededError(
            f"max_cost={max_cost} cannot be checked: the price of model {model!r} is not known.",
            field="max_cost",
        )
    if cost.usd > max_cost:
        raise BudgetExceededError(
            f"The job costs USD {cost.usd:.4f} ({cost.utf8_bytes:,} bytes in {cost.pieces} pieces),"
            f" more than max_cost={max_cost}.",
            field="max_cost",
        )


class PieceFailedError(FishAudioError):
    """A piece of a long text could not be synthesized, so the job stopped.

    Attributes:
        index: the piece, from 0.
        start, end: its span of the original text.
        attempts: how many times it was sent.
    The error of its last attempt is ``__cause__``; pieces kept in a ``checkpoint`` directory stay there.
    """

    def __init__(self, piece: Piece, attempts: int, cause: BaseException) -> None:
        excerpt = piece.text if len(piece.text) <= 60 else piece.text[:57] + "..."
        super().__init__(
            f"Piece {piece.index} (characters {piece.start}-{piece.end}: {excerpt!r}) failed after"
            f" {attempts} attempt{'s' if attempts != 1 else ''}: {cause}"
        )
        self.index, self.start, self.end, self.attempts = piece.index, piece.start, piece.end, attempts


@attrs.frozen
class Progress:
    """How far a long-form job is: given to ``on_progress`` each time a piece is finished.

    Attributes:
        pieces_done, pieces_total: pieces finished (synthesized or found in the checkpoint) and in all.
        chars_done, chars_total: characters of the original text those pieces speak, and in all.
        audio_seconds: the seconds of audio finished so far (without pauses between paragraphs).
    """

    pieces_done: int
    pieces_total: int
    chars_done: int
    chars_total: int
    audio_seconds: float


class Checkpoint:
    """Finished pieces on disk, one file each, named by a digest of everything that makes the audio."""

    def __init__(self, directory: str | os.PathLike[str], extension: str) -> None:
        self.directory = Path(directory)
        self._extension = extension
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ValidationError(
                f"checkpoint directory {str(directory)!r} cannot be used: {error}"
            ) from None

    def path(self, request: bytes) -> Path:
        return self.directory / f"{hashlib.sha256(request).hexdigest()[:32]}.{self._extension}"

    def save(self, path: Path, audio: bytes) -> None:
        import tempfile  # here: the import costs every user of the package a few ms otherwise

        # A file appears whole or not at all: written beside its name, then renamed over it.
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".piece-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(audio)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


class Job:
    """The state of one long-form job: pieces to send, in flight, waiting to retry, finished."""

    def __init__(
        self,
        pieces: Sequence[Piece],
        *,
        limit: int,
        max_retries: int,
        format: str,
        sample_rate: int,
        on_progress: Callable[[Progress], None] | None,
        done: Iterable[int] = (),
    ) -> None:
        self.pieces = pieces
        self.limit = limit
        self._max_retries = max_retries
        self._format, self._rate = format, sample_rate
        self._on_progress = on_progress
        self._next_new = 0
        self._skip = set(done)
        self._retry_at: dict[int, float] = {}
        self._attempts = [0] * len(pieces)
        self._rate_limited = [0] * len(pieces)
        self.in_flight: set[int] = set()
        self.finished: dict[int, bytes | None] = {}  # None: kept in the checkpoint, read when its turn comes
        self.next_out = 0
        self._chars_total = sum(piece.end - piece.start for piece in pieces)
        self._pieces_done = self._chars_done = 0
        self._seconds = 0.0

    def done_from_checkpoint(self, index: int, audio: bytes) -> None:
        self._finish(index, None, audio)

    def to_send(self, now: float) -> list[int]:
        """The pieces to send now: retries that are due first, then new pieces while the window allows."""
        chosen: list[int] = []
        due = sorted((at, index) for index, at in self._retry_at.items() if at <= now)
        chosen += [index for _, index in due][: max(0, self.limit - len(self.in_flight))]
        while len(self.in_flight) + len(chosen) < self.limit and self._next_new < len(self.pieces):
            if self._next_new - self.next_out >= 2 * self.limit:
                break  # enough finished pieces wait for an earlier one: keep memory bounded
            if self._next_new not in self._skip:
                chosen.append(self._next_new)
            self._next_new += 1
        for index in chosen:
            self._retry_at.pop(index, None)
            self.in_flight.add(index)
            self._attempts[index] += 1
        return chosen

    def wake_in(self, now: float) -> float | None:
        """Seconds until the next retry is due, or None if none waits."""
        return max(0.0, min(self._retry_at.values()) - now) if self._retry_at else None

    def succeeded(self, index: int, audio: bytes) -> None:
        self.in_flight.discard(index)
        self._finish(index, audio, audio)

    def _finish(self, index: int, kept: bytes | None, audio: bytes) -> None:
        self.finished[index] = kept
        piece = self.pieces[index]
        self._pieces_done += 1
        self._chars_done += piece.end - piece.start
        self._seconds += audio_seconds(self._format, audio, self._rate)
        if self._on_progress is not None:
            progress = Progress(
                self._pieces_done, len(self.pieces), self._chars_done, self._chars_total, self._seconds
            )
            self._on_progress(progress)

    def failed(self, index: int, error: BaseException, now: float) -> None:
        """Schedule the piece again, or raise :class:`PieceFailedError` if it is not to be retried."""
        self.in_flight.discard(index)
        delay = self._retry_delay(index, error)
        if delay is None:
            raise PieceFailedError(self.pieces[index], self._attempts[index], error) from error
        self._retry_at[index] = now + delay

    def _retry_delay(self, index: int, error: BaseException) -> float | None:
        if isinstance(error, RateLimitError):
            self._rate_limited[index] += 1
            if self._rate_limited[index] > _MAX_RATE_LIMITED:
                return None
            # More than the key allows were in flight: send fewer for the rest of the job.
            self.limit = max(1, min(self.limit - 1, len(self.in_flight)))
            return retry_delay(self._rate_limited[index] - 1, retry_after=error.retry_after)
        retries_taken = self._attempts[index] - self._rate_limited[index] - 1
        if retries_taken >= self._max_retries:
            return None
        if isinstance(error, (APIConnectionError, APITimeoutError)) or (
            isinstance(error, APIError) and is_retryable_status(error.status)
        ):
            return retry_delay(retries_taken, retry_after=None)
        return None

    def is_done(self) -> bool:
        return self.next_out == len(self.pieces)

    def take_ready(self) -> list[tuple[int, bytes | None]]:
        """The finished pieces that come next in order (None: read it from the checkpoint)."""
        ready = []
        while self.next_out in self.finished:
            ready.append((self.next_out, self.finished.pop(self.next_out)))
            self.next_out += 1
        return ready


def check_long_arguments(
    max_concurrency: int, pause: float, regenerate: Iterable[int], count: int
) -> set[int]:
    """Raise ValidationError for a bad argument of ``convert_long``; return ``regenerate`` as a set."""
    if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int) or max_concurrency < 1:
        raise ValidationError(
            f"max_concurrency must be a whole number, 1 or more; got {max_concurrency!r}.",
            field="max_concurrency",
        )
    if (
        isinstance(pause, bool)
        or not isinstance(pause, (int, float))
        or not (math.isfinite(pause) and pause >= 0)
    ):
        raise ValidationError(
            f"paragraph_pause must be 0 or more seconds, got {pause!r}.", field="paragraph_pause"
        )
    chosen = set(regenerate)
    wrong = sorted(
        (i for i in chosen if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < count), key=repr
    )
    if wrong:
        raise ValidationError(
            f"regenerate names pieces that do not exist: {wrong} (there are {count}, from 0).",
            field="regenerate",
        )
    return chosen
