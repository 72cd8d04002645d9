"""What the sync and async live sessions decide alike, without I/O: when a socket may carry the next
utterance, what one utterance's sender and reader tell each other, what each frame or lost connection
means for the reader, and what an utterance measured.
"""

from __future__ import annotations

import time
import weakref
from typing import Final, Generic, Protocol, TypeVar

import attrs
from fishaudio_api.facts import FORMAT_DEFAULT_SAMPLE_RATES
from fishaudio_api.models import LiveFinishEvent
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from .._logging import SessionLog
from .._wav import data_offset
from ..exceptions import WebSocketTimeoutError
from ..types import TTSConfig, WebSocketOptions
from .connection import Handshake, LiveRequest, closed_error
from .protocol import read_frame

# A socket is replaced before an utterance once it is this close to the API's connection limit, so that
# a long utterance still ends before the server closes the socket at the limit.
RECYCLE_MARGIN_FRACTION: Final = 0.1

FINISH_CANCELLED: Final = "cancelled"
"""``UtteranceMetrics.finish_reason`` of an utterance ended by ``cancel()`` or by closing its stream."""
FINISH_FAILED: Final = "failed"
"""``UtteranceMetrics.finish_reason`` of an utterance that ended with no ``finish`` event (an exception)."""

_BYTES_PER_SAMPLE: Final = 2  # pcm and wav are 16-bit mono


def recycle_age(options: WebSocketOptions) -> float:
    """The age (s) past which a socket is not given another utterance."""
    return options.max_connection_seconds * (1 - RECYCLE_MARGIN_FRACTION)


def handshake_key(request: LiveRequest) -> tuple[object, ...]:
    """What must be equal for two utterances to share a socket: the address, the handshake headers (the
    model is one) and the connection's options."""
    return (request.url, tuple(request.headers), request.options)


class _Connection(Protocol):
    @property
    def state(self) -> State: ...


_WS = TypeVar("_WS", bound=_Connection)


class KeptSocket(Generic[_WS]):
    """A session's open connection (sync or asyncio ``websockets``), with what decides whether it may carry
    another utterance; the twins add closing it."""

    def __init__(self, ws: _WS, request: LiveRequest, session_log: SessionLog) -> None:
        self.ws = ws
        self.log = session_log
        self._key = handshake_key(request)
        self._opened_at = time.monotonic()
        self._max_age = recycle_age(request.options)

    def reusable_for(self, request: LiveRequest) -> bool:
        """Whether it may carry ``request``'s utterance: still open, opened with the same handshake, and
        young enough to finish it before the connection limit."""
        return (
            self.ws.state is State.OPEN
            and self._key == handshake_key(request)
            and time.monotonic() - self._opened_at < self._max_age
        )


_Kept = TypeVar("_Kept")


class Standby(Generic[_Kept]):
    """Where a session keeps its open socket between utterances. Apart from the session, so that a session
    dropped without ``close()`` can still have it cut: by a finalizer, which must not refer to the session."""

    def __init__(self) -> None:
        self.socket: _Kept | None = None

    def take(self) -> _Kept | None:
        socket, self.socket = self.socket, None
        return socket


@attrs.define
class UtteranceMetrics:
    """What one utterance of a live session measured; final once its audio stream has ended.

    Attributes:
        time_to_first_audio_seconds: from the first read of the stream (before any connection is opened)
            to its first audio chunk; None until audio came.
        audio_bytes: audio received.
        audio_seconds: the audio's duration, for ``pcm`` and ``wav`` (None for compressed formats).
        characters_sent: characters of text sent to the server.
        finish_reason: ``"stop"`` (all text spoken), the server's other reason (``"error"``),
            ``"cancelled"`` (``cancel()`` or the stream closed early), ``"failed"`` (an exception ended it
            without a ``finish`` event); None while it runs.
        reused_connection: whether the utterance ran on a socket opened before it (no handshake).
    """

    time_to_first_audio_seconds: float | None = None
    audio_bytes: int = 0
    audio_seconds: float | None = None
    characters_sent: int = 0
    finish_reason: str | None = None
    reused_connection: bool = False


class AudioClock:
    """Turns the audio bytes of an utterance into its duration, where the format says how."""

    def __init__(self, config: TTSConfig) -> None:
        fmt = config.format
        self._rate = config.sample_rate or FORMAT_DEFAULT_SAMPLE_RATES[fmt]
        self._timed = fmt in ("pcm", "wav")
        self._header: int | None = None if fmt == "wav" else 0
        self._head = b""

    def seconds(self, chunk: bytes, total: int) -> float | None:
        """The duration of the ``total`` bytes received so far, the last being ``chunk``."""
        if not self._timed:
            return None
        if self._header is None:
            self._head += chunk
            self._header = data_offset(self._head)
            if self._header is None:
                return 0.0
            self._head = b""
        return max(0, total - self._header) / (_BYTES_PER_SAMPLE * self._rate)


class UtteranceState:
    """What the sender and the reader of one utterance tell each other: why it failed if the reader is not
    to blame (the text iterator's exception, or the server's silence), when ``stop`` went out, whether it is
    being closed or cancelled, and the frames to send again if its reused socket turns out dead.

    The receive timeout bounds each wait for the server's next message, but only once ``stop`` is sent:
    before that the server may rightly be silent, waiting for text the caller's iterator has not produced.
    Time the caller spends between chunks does not count.

    No lock, though the sync sender is another thread: each field is written by one side only (or under
    the sync session's link lock) and read with single attribute loads, which are atomic in CPython (with
    or without the GIL), and no reader needs two fields to agree. The failure is recorded before the
    connection is closed to wake the reader, so a reader woken that way always sees it.
    """

    def __init__(self, receive_timeout: float | None) -> None:
        self._timeout = receive_timeout
        self._stop_sent_at: float | None = None
        self._wait_started_at: float | None = None  # None while the reader is not waiting
        self._failure: BaseException | None = None
        self._closing = False
        self.cancelled = False
        # The frames sent so far, kept while a dead socket may still be replaced by a new one: only on a
        # socket reused from an earlier utterance, and only until the server answers.
        self._sent: list[bytes] | None = None

    def close(self) -> None:
        """The utterance is being closed by its reader: the sender must stop, and not report it."""
        self._closing = True

    def cancel(self) -> None:
        """Barge-in: the utterance ends now, quietly, and none of its audio is delivered any more."""
        self.cancelled = True
        self._closing = True

    @property
    def closing(self) -> bool:
        return self._closing

    def fail(self, error: BaseException) -> None:
        """Record the exception to raise to the caller: the text iterator's own, or a timeout."""
        self._failure = error

    def raise_failure(self) -> None:
        """Raise the exception recorded by :meth:`fail`, if any."""
        if self._failure is not None:
            raise self._failure

    def replay_until_answered(self) -> None:
        """The utterance runs on a reused socket: keep what is sent until the server answers."""
        self._sent = []

    def sending(self, frame: bytes) -> None:
        """``frame`` goes out: keep it while it may have to be sent again on a new socket."""
        if self._sent is not None:
            self._sent.append(frame)

    @property
    def replayable(self) -> bool:
        """Whether a lost socket is replaced (and what was sent, sent again) instead of failing."""
        return self._sent is not None and not self._closing

    def answered(self) -> None:
        """The server answered: from now on a lost socket fails the utterance."""
        self._sent = None

    def take_replay(self) -> list[bytes]:
        """The frames to send on the replacement socket; a replacement socket is not replaced again."""
        frames, self._sent = self._sent or [], None
        return frames

    def stop_sent(self) -> None:
        self._stop_sent_at = time.monotonic()

    @property
    def stopped(self) -> bool:
        """Whether ``stop`` went out: all of the utterance's text was sent."""
        return self._stop_sent_at is not None

    def start_wait(self) -> None:
        """A wait for the server's next message begins."""
        self._wait_started_at = time.monotonic()

    def end_wait(self) -> None:
        """The wait is over: a message came, or the wait failed."""
        self._wait_started_at = None

    def wait_limit(self) -> float | None:
        """How long the server may stay silent from now on before the current wait times out (None: forever).

        Before ``stop`` is sent, or while the reader is not waiting, this is the whole timeout: only a
        wait after ``stop`` ever uses it up.
        """
        stop_sent_at, wait_started_at = self._stop_sent_at, self._wait_started_at
        if self._timeout is None or stop_sent_at is None or wait_started_at is None:
            return self._timeout
        waited = time.monotonic() - max(wait_started_at, stop_sent_at)
        return max(0.0, self._timeout - waited)

    def silence_error(self) -> WebSocketTimeoutError:
        """The error for a wait that lasted the whole receive timeout (:meth:`wait_limit` is 0)."""
        return WebSocketTimeoutError(
            f"The server sent nothing for {self._timeout:g} s after all text was sent"
            " (WebSocketOptions.receive_timeout_seconds)"
        )


class _Abortable(Protocol):
    def abort(self) -> None: ...


class _Link(Protocol):
    @property
    def socket(self) -> _Abortable: ...


_L = TypeVar("_L", bound=_Link)
_Text = TypeVar("_Text")


class Utterance(Generic[_L, _Text]):
    """One ``speak()``: its request and text, its metrics, and what ``cancel()`` needs to reach it while it
    runs (its link to the socket, set by the reader)."""

    def __init__(self, request: LiveRequest, text_stream: _Text) -> None:
        self.request = request
        self.text_stream = text_stream
        self.metrics = UtteranceMetrics()
        self.state = UtteranceState(request.options.receive_timeout_seconds)
        self.handshake = Handshake()  # the stream's, not the session's: see Handshake
        self.link: _L | None = None
        self.chunks: weakref.ref[object] | None = None  # its stream's generator, for the session to close
        self.stream: weakref.ref[object] | None = None  # its stream (sync: closed under the stream's lock)
        self.ended = False

    @property
    def running(self) -> bool:
        """Whether a new utterance must wait for this one: a cancelled one is over, even before its stream
        has been read to its quiet end, and so is one whose stream was closed or dropped unread."""
        return not self.ended and not self.state.cancelled and _may_still_run(self.chunks)

    def cancel(self) -> None:
        """Barge-in: end it now; the reader, woken by the cut connection, ends quietly."""
        self.state.cancel()
        if self.metrics.finish_reason is None:
            self.metrics.finish_reason = FINISH_CANCELLED
        if self.link is not None:
            self.link.socket.abort()


def _may_still_run(chunks: weakref.ref[object] | None) -> bool:
    """Whether an utterance's stream generator may still run (None: ``speak()`` is still setting it up)."""
    if chunks is None:
        return True
    generator = chunks()
    # A generator closed or collected before its first step never runs its clean-up, which is what marks
    # the utterance ended: it is over once it has no frame left to run.
    frame = getattr(generator, "gi_frame", None) or getattr(generator, "ag_frame", None)
    return frame is not None


def finish_reason_of(error: BaseException) -> str:
    """The finish reason of an utterance ended by ``error``: the server's, if its ``finish`` event was one."""
    event = getattr(error, "event", None)
    if isinstance(event, dict) and isinstance(event.get("reason"), str):
        return str(event["reason"])
    return FINISH_FAILED


class Measure:
    """Fills an utterance's :class:`UtteranceMetrics` as its frames go out and come in."""

    def __init__(self, metrics: UtteranceMetrics, config: TTSConfig) -> None:
        self.metrics = metrics
        self._clock = AudioClock(config)
        self._began = time.monotonic()

    def sent_text(self, characters: int) -> None:
        self.metrics.characters_sent += characters

    def audio(self, chunk: bytes) -> None:
        metrics = self.metrics
        if metrics.time_to_first_audio_seconds is None:
            metrics.time_to_first_audio_seconds = time.monotonic() - self._began
        metrics.audio_bytes += len(chunk)
        metrics.audio_seconds = self._clock.seconds(chunk, metrics.audio_bytes)

    def finished(self, reason: str) -> None:
        if self.metrics.finish_reason is None:
            self.metrics.finish_reason = reason


class Cancelled:
    """What :func:`frame_received` returns once the utterance is cancelled: end quietly, deliver nothing."""


CANCELLED: Final = Cancelled()


def frame_received(
    state: UtteranceState, frame: str | bytes, session_log: SessionLog, measure: Measure
) -> bytes | LiveFinishEvent | Cancelled | None:
    """What a frame from the server means for the reader: audio to deliver, the ``finish`` that ends the
    utterance, :data:`CANCELLED`, or None (nothing to deliver).

    Raises:
        The text iterator's exception or the silence error, if either ended the utterance; the errors of
        :func:`~.protocol.read_frame`.
    """
    state.answered()
    state.raise_failure()
    event = read_frame(frame)
    session_log.received(event)
    if state.cancelled:
        return CANCELLED
    if isinstance(event, bytes):
        measure.audio(event)
    elif event is not None:
        measure.finished(event.reason)
    return event


def connection_lost(state: UtteranceState, error: ConnectionClosed) -> bool:
    """What a lost connection means for the reader: True to move to a new socket (the old one was reused
    and the server had not answered yet), False to end quietly (cancelled).

    Raises:
        The text iterator's exception or the silence error, if either closed the connection; otherwise
        the :func:`~.connection.closed_error`.
    """
    if state.cancelled:
        return False
    state.raise_failure()
    if state.replayable:
        return True
    raise closed_error(error) from error


def cuts_socket(metrics: UtteranceMetrics, finished: bool) -> bool:
    """Whether an ended utterance's socket is cut instead of closed with the closing handshake: it failed,
    and not by the server's own ``finish`` event (after which the server closes the socket itself, with a
    code worth logging). A failed utterance's socket is not reused, and a server that is dead or never
    answers the closing handshake would hold the caller's exception for ``close_timeout_seconds``."""
    return not finished and metrics.finish_reason in (FINISH_FAILED, FINISH_CANCELLED)


def keeps_socket(state: UtteranceState, finished: bool) -> bool:
    """Whether an utterance's socket may carry the next one: it finished, all its text was sent."""
    return finished and state.stopped and not state.cancelled
