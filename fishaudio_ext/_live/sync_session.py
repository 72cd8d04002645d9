"""The sync live session: one ``/v1/tts/live`` socket kept across utterances, each utterance's text fed in by
a sender thread while the caller reads its audio.

Threads per utterance: one of ours (the sender, named ``fishaudio-ext-live-sender``) plus the reader and
keepalive threads of ``websockets`` per socket. An utterance's sender is joined when its stream ends,
fails or is closed (after ``cancel()``, by the session's ``close()``); a socket's threads when it closes.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import weakref
from collections.abc import Generator, Iterable, Sequence
from socket import SHUT_RDWR
from types import TracebackType
from typing import TYPE_CHECKING, cast

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from .._logging import SessionLog, log_utterance
from .._response_info import ResponseInfo
from .._sentences import flush_at_sentences
from .._wav import complete_wav
from ..exceptions import ClientStateError, FishAudioError, LiveSessionBusyError, StreamConsumedError
from .connection import (
    DEFAULT_OPTIONS,
    SENDER_NAME,
    Handshake,
    HandshakeAttempts,
    LiveRequest,
    connect_kwargs,
    with_response,
)
from .protocol import STOP_FRAME, check_text_stream, item_frame, sent_characters
from .settings import LiveSettings, check_flush_sentences
from .state import (
    CANCELLED,
    FINISH_CANCELLED,
    FINISH_FAILED,
    KeptSocket,
    Measure,
    Standby,
    Utterance,
    UtteranceMetrics,
    UtteranceState,
    connection_lost,
    cuts_socket,
    finish_reason_of,
    frame_received,
    keeps_socket,
)

if TYPE_CHECKING:
    from fishaudio_api.tts_settings import TTSOverrides
    from typing_extensions import Unpack

    from .._http import SyncHTTP
    from ..types import AudioFormat, LatencyMode, ReferenceAudio, TTSConfig
    from ..types._model import ModelName
    from .protocol import TextItem

log = logging.getLogger("fishaudio_ext")


class _Socket(KeptSocket[ClientConnection]):
    """One open connection of the session."""

    def __init__(self, ws: ClientConnection, request: LiveRequest, session_log: SessionLog) -> None:
        super().__init__(ws, request, session_log)
        self.close_timeout = request.options.close_timeout_seconds
        self._closed = False

    def abort(self) -> None:
        """Cut the connection now, without the closing handshake: a reader whose queue is full of audio
        would not read the server's close frame before ``close_timeout_seconds``."""
        with contextlib.suppress(OSError):
            self.ws.socket.shutdown(SHUT_RDWR)

    def quiet(self) -> bool:
        """Whether the server has sent nothing since the last utterance's ``finish``: a frame waiting here
        (stray audio, a second ``finish``) belongs to no utterance and would be read as the next one's."""
        try:
            self.ws.recv(timeout=0)
        except TimeoutError:
            return True
        except ConnectionClosed:
            return False
        log.debug("The server sent a frame after finish on the kept WebSocket; not reusing it")
        return False

    def close(self) -> None:
        """Close the connection and wait for its keepalive thread; log its end once."""
        if self._closed:
            return
        self._closed = True
        self.ws.close()
        # websockets does not join its keepalive thread on close; it ends as soon as the connection has.
        if self.ws.keepalive_thread is not None:
            self.ws.keepalive_thread.join(self.close_timeout)
        self.log.closed(self.ws.close_code)


def _open(request: LiveRequest) -> _Socket:
    """Open a connection, retrying a failed handshake as HTTP requests are retried."""
    session_log = SessionLog(request.url)
    try:
        attempts: HandshakeAttempts[ClientConnection] = HandshakeAttempts(request, session_log)
        for delay in attempts:
            if delay:
                request.clock.sleep(delay)
            with attempts.attempt():
                connection = connect(
                    request.url, additional_headers=request.headers, **connect_kwargs(request.options)
                )
                # Entered, as websockets 17.1+ asks of a connection not used in a with block; the session
                # closes it (_Socket.close) when it is done with it.
                attempts.connection = connection.__enter__()
        ws = attempts.opened()
    except Exception as error:
        session_log.failed(error)
        session_log.closed(None)
        raise
    return _Socket(ws, request, session_log)


def _abandon(standby: Standby[_Socket]) -> None:
    socket = standby.take()
    if socket is not None:
        socket.abort()  # no closing handshake: a finalizer must not wait for the server


class _Link:
    """Where an utterance's frames go out: its socket, replaced (under the lock) when a reused socket turns
    out to be dead before the server answered, with what was sent so far sent again."""

    def __init__(self, socket: _Socket, state: UtteranceState, measure: Measure) -> None:
        self.socket = socket
        self._state = state
        self._measure = measure
        self._lock = threading.Lock()

    def send(self, frame: bytes, characters: int = 0) -> bool:
        """Send unless the utterance is over; False when it is (the reader reports why)."""
        with self._lock:
            if self._state.closing:
                return False
            self._state.sending(frame)
            self._measure.sent_text(characters)
            try:
                self.socket.ws.send(frame)
            except ConnectionClosed:
                return self._state.replayable  # kept: the reader sends it again on the new socket
            return True

    def replace(self, socket: _Socket) -> _Socket:
        """Move to ``socket``, sending it what the old one was sent; returns the old one, to close."""
        with self._lock:
            for frame in self._state.take_replay():
                try:
                    socket.ws.send(frame)
                except ConnectionClosed:
                    break  # the reader finds out
            old, self.socket = self.socket, socket
        return old


class _Sender:
    """Sends ``start``, then one frame per text item as the iterator yields it, then ``stop``.

    Each item is sent before the next one is requested, so a server that reads slowly pauses the
    iterator (the socket's buffer is the only queue) instead of letting memory grow.
    """

    def __init__(
        self, link: _Link, start: bytes, text_stream: Iterable[object], state: UtteranceState
    ) -> None:
        self._link = link
        self._start = start
        self._text_stream = text_stream
        self._state = state
        self.thread = threading.Thread(target=self._run, name=SENDER_NAME, daemon=True)

    def _run(self) -> None:
        try:
            if not self._link.send(self._start):
                return
            for item in self._text_stream:
                if not self._link.send(item_frame(item), sent_characters(item)):
                    return
            if self._link.send(STOP_FRAME):
                self._state.stop_sent()
        except BaseException as error:  # the caller's iterator failed: the caller gets that very exception
            self._state.fail(error)
            self._link.socket.abort()  # wakes the reader

    def join(self, timeout: float) -> None:
        """Wait for the thread; it may be inside the caller's iterator, which cannot be interrupted: after
        ``timeout`` it is left to end on its own (a daemon thread) when the iterator returns."""
        if self.thread.ident is not None:
            self.thread.join(timeout)
        if self.thread.is_alive() and timeout > 0:
            log.warning(
                "live session: the text iterator did not return within %g s of closing the stream;"
                " its thread ends when it does",
                timeout,
            )


def _next_frame(ws: ClientConnection, state: UtteranceState) -> str | bytes:
    """The server's next frame; ConnectionClosed is left to the reader, which knows what it means."""
    state.start_wait()
    try:
        while True:
            try:
                # A deadline on a queue wait: cheap, unlike a timer around an asyncio receive.
                return ws.recv(timeout=state.wait_limit())
            except TimeoutError:
                if state.wait_limit() == 0.0:
                    raise state.silence_error() from None
    finally:
        state.end_wait()


_Utterance = Utterance[_Link, Iterable[object]]


class LiveSession:
    """A ``/v1/tts/live`` connection kept across utterances: ``client.tts.live(...)``.

    One utterance at a time: :meth:`speak` returns the audio of one, and raises
    :class:`~fishaudio_ext.LiveSessionBusyError` while the previous one's stream has not ended (read to its
    end, failed, closed, or :meth:`cancel`-led). An utterance reuses the socket of the one before when that
    socket is open, was opened with the same handshake (a different ``model`` needs another) and is young
    enough to finish before the API's connection limit; otherwise a new one is opened, retried like any
    handshake. A kept socket the server closed (after ``finish``, or dropped) is replaced before the
    utterance's first answer, the text sent so far sent again: the caller does not notice. So is one on
    which the server sent anything after ``finish``: such frames belong to no utterance. A stream closed or
    dropped before its first read never starts. A session dropped without :meth:`close` has its socket cut
    by the garbage collector.

    Example::

        with client.tts.live(reference_id=voice_id) as session:
            session.prewarm()
            for reply in replies():
                play(session.speak(reply))
    """

    def __init__(
        self,
        http: SyncHTTP,
        settings: LiveSettings,
        *,
        flush_sentences: bool = False,
        single_use: bool = False,
    ) -> None:
        self._http = http
        self._settings = settings
        check_flush_sentences(flush_sentences)
        self._flush_sentences = flush_sentences
        self._single_use = single_use  # stream_websocket: the socket closes with its one utterance
        self._lock = threading.Lock()  # cancel() and close() may come from another thread
        self._standby: Standby[_Socket] = Standby()
        # Dropped without close(): cut the kept socket, whose websockets threads would keep it open.
        weakref.finalize(self, _abandon, self._standby)
        self._current: _Utterance | None = None
        self._senders: list[_Sender] = []  # cancelled utterances' senders, joined by close()
        self._closed = False

    def prewarm(self) -> None:
        """Open the socket now, so that the next utterance starts without a handshake. Called while an
        utterance plays, it opens a second socket, on standby for the one after it (and for a barge-in).

        Raises:
            The connection errors of :meth:`speak`.
        """
        self._check_open()
        request = self._settings.request()
        with self._lock:
            idle = self._standby.socket
        if idle is not None and idle.reusable_for(request):
            return
        self._keep(_open(request))

    def speak(
        self,
        text: str | Iterable[TextItem],
        *,
        config: TTSConfig | None = None,
        model: ModelName | None = None,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        flush_sentences: bool | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> WebSocketAudioStream:
        """Speak ``text`` (a str, or an iterable of str, TextEvent and FlushEvent read as it is produced).

        The settings given override the session's for this utterance only; ``flush_sentences`` (None:
        the session's) joins the text into sentences, each sent with a ``FlushEvent`` so that it is
        spoken as soon as it is complete. Nothing is sent until the stream is first read. Its
        ``metrics`` say what the utterance measured.

        Raises:
            ValidationError: an argument is invalid.
            LiveSessionBusyError: the previous utterance's stream has not ended.
            ClientStateError: the session or its client is closed.
        """
        self._check_open()
        check_flush_sentences(flush_sentences, optional=True)
        text_stream: Iterable[object] = [text] if isinstance(text, str) else text
        check_text_stream(text_stream, asynchronous=False)
        if self._flush_sentences if flush_sentences is None else flush_sentences:
            # The items are checked as they are sent, after the sentence buffer has passed them on.
            text_stream = flush_at_sentences(cast("Iterable[TextItem]", text_stream))
        request = self._settings.request(
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            **overrides,
        )
        utterance: _Utterance = Utterance(request, text_stream)
        with self._lock:
            if self._current is not None and self._current.running:
                raise LiveSessionBusyError()
            self._current = utterance
        chunks = self._run(utterance)
        utterance.chunks = weakref.ref(chunks)
        stream = WebSocketAudioStream(chunks, utterance.metrics, utterance.handshake)
        utterance.stream = weakref.ref(stream)
        return stream

    def cancel(self) -> None:
        """Barge-in: end the current utterance now (no more of its audio is delivered) and open a fresh
        socket, so that the next utterance starts without a handshake. Returns once that socket is open.

        The API has no message to stop an utterance: its socket is closed. Safe to call from another
        thread than the one reading the audio, and when nothing is being spoken. A socket opened by
        :meth:`prewarm` while the utterance played is on standby: then no handshake is waited for.

        Raises:
            The connection errors of :meth:`speak`, if the fresh socket cannot be opened.
        """
        with self._lock:
            current = self._current
        if current is not None and not current.ended:
            current.cancel()
        self.prewarm()

    def close(self) -> None:
        """End the current utterance, close the socket and wait for the threads; idempotent. From another
        thread, a stream paused between chunks ends quietly; one being read ends in its reading thread."""
        with self._lock:
            self._closed = True
            current, self._current = self._current, None
            idle = self._standby.take()
            senders, self._senders = self._senders, []
        if current is not None and not current.ended:
            current.cancel()
            stream = None if current.stream is None else current.stream()
            if isinstance(stream, WebSocketAudioStream):
                stream._close_unless_read()
        if idle is not None:
            idle.close()
        for sender in senders:
            sender.join(self._close_timeout())

    def __enter__(self) -> LiveSession:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _close_timeout(self) -> float:
        return (self._settings.options or DEFAULT_OPTIONS).close_timeout_seconds

    def _check_open(self) -> None:
        if self._closed:
            raise ClientStateError("This live session is closed; open another with client.tts.live().")
        self._http.check_open()

    def _take(self, request: LiveRequest) -> tuple[_Socket, bool]:
        """A socket for ``request``: the kept one if it may carry it (True), else a new one (False)."""
        with self._lock:
            idle = self._standby.take()
        if idle is not None:
            if idle.reusable_for(request) and idle.quiet():
                return idle, True
            idle.close()
        return _open(request), False

    def _keep(self, socket: _Socket) -> None:
        """Keep an open socket for the next utterance (the newest wins); close it if the session is done."""
        with self._lock:
            if self._closed or self._single_use:
                unwanted: _Socket | None = socket
            else:
                unwanted, self._standby.socket = self._standby.socket, socket
        if unwanted is not None:
            unwanted.close()

    def _run(self, utterance: _Utterance) -> Generator[bytes, None, None]:
        state, request = utterance.state, utterance.request
        measure = Measure(utterance.metrics, request.config)
        handshake = utterance.handshake
        socket: _Socket | None = None
        sender: _Sender | None = None
        finished = False
        try:
            if state.cancelled:
                return
            socket, reused = self._take(request)
            utterance.metrics.reused_connection = reused
            if reused:
                state.replay_until_answered()
            info = handshake.opened(socket.ws.response)
            link = _Link(socket, state, measure)
            utterance.link = link
            if state.cancelled:  # cancel() came while the socket was being opened
                return
            sender = _Sender(link, request.start, utterance.text_stream, state)
            sender.thread.start()
            try:
                while True:
                    try:
                        frame = _next_frame(link.socket.ws, state)
                    except ConnectionClosed as error:
                        if not connection_lost(state, error):
                            return
                        log.debug("The kept WebSocket was closed by the server; replacing it")
                        link.replace(_open(request)).close()
                        socket = link.socket
                        info = handshake.opened(socket.ws.response)
                        utterance.metrics.reused_connection = False
                        if state.cancelled:  # cancel() reached the old socket
                            return
                        continue
                    event = frame_received(state, frame, link.socket.log, measure)
                    if isinstance(event, bytes):
                        yield event
                    elif event is CANCELLED:
                        return
                    elif event is not None:
                        finished = True
                        return
            except FishAudioError as error:
                with_response(error, info)
                raise
        except GeneratorExit:
            measure.finished(FINISH_CANCELLED)  # the stream was closed early: as cancel() does
            if utterance.link is not None:
                utterance.link.socket.abort()
            raise
        except Exception as error:
            measure.finished(finish_reason_of(error))
            if socket is not None:
                socket.log.failed(error)
            raise
        finally:
            measure.finished(FINISH_CANCELLED if state.cancelled else FINISH_FAILED)
            self._end(utterance, sender, finished)
            log_utterance(request.url, utterance.metrics)

    def _end(self, utterance: _Utterance, sender: _Sender | None, finished: bool) -> None:
        """After an utterance: stop its sender, keep its socket if it finished cleanly, else close it."""
        state, link = utterance.state, utterance.link
        if link is not None and cuts_socket(utterance.metrics, finished):
            link.socket.abort()  # also ends a send in progress
        elif link is not None and not finished:
            link.socket.ws.close()  # ends a send in progress
        state.close()
        timeout = utterance.request.options.close_timeout_seconds
        if sender is not None:
            with self._lock:
                # Barge-in does not wait for an iterator still producing text: close() does.
                park = state.cancelled and sender.thread.is_alive() and not self._closed
                if park:
                    self._senders = [*(s for s in self._senders if s.thread.is_alive()), sender]
            if not park:
                sender.join(timeout)
        if link is not None:
            sending = sender is not None and sender.thread.is_alive()
            if keeps_socket(state, finished) and not sending:
                self._keep(link.socket)
            else:
                link.socket.close()
        utterance.ended = True


class WebSocketAudioStream:
    """Audio from ``/v1/tts/live`` as it is generated: an iterator of bytes, and a context manager.

    Nothing is sent until the first chunk is requested. Use it once: ``for``, ``collect()``, ``save``,
    ``play``, or ``with ... as audio`` to close the connection however the block ends. Chunks are passed on
    as they arrive, so a WAV stream's header carries the API's placeholder sizes (its length is not known
    yet); ``collect()`` and ``save`` write the real sizes once the audio has ended. ``response`` is the
    handshake's answer (status 101 and its headers) once the connection is open, None before.
    ``metrics`` (:class:`~fishaudio_ext.UtteranceMetrics`) is what the utterance measured, final once
    the stream has ended.

    Example::

        with client.tts.stream_websocket(llm_tokens()) as audio:
            for chunk in audio:
                player.write(chunk)
    """

    def __init__(
        self, chunks: Generator[bytes, None, None], metrics: UtteranceMetrics, handshake: Handshake
    ) -> None:
        # A generator, so that a stream dropped mid-way is closed by garbage collection like any other.
        self._chunks = chunks
        # Held while a chunk is read or the stream closed: the session's close() may come from another
        # thread, and a generator run by two threads at once raises ValueError.
        self._reading = threading.Lock()
        self._closed_by_session = False
        self._metrics = metrics
        self._handshake = handshake
        self._ended = False

    @property
    def metrics(self) -> UtteranceMetrics:
        """What the utterance measured so far: time to first audio, audio, characters, finish reason."""
        return self._metrics

    @property
    def response(self) -> ResponseInfo | None:
        """The handshake's answer (status 101 and its headers) once the connection is open, else None."""
        return self._handshake.info

    def __iter__(self) -> WebSocketAudioStream:
        if self._ended:
            raise StreamConsumedError()
        return self

    def __next__(self) -> bytes:
        try:
            if self._closed_by_session:  # ended quietly, as cancel() ends it; no wait for its clean-up
                raise StopIteration
            with self._reading:
                return next(self._chunks)
        except BaseException:
            self._ended = True
            raise

    def collect(self) -> bytes:
        """Read the rest of the audio into one ``bytes`` (WAV with the real sizes in its header)."""
        return complete_wav(b"".join(self))

    def close(self) -> None:
        """Stop the utterance and close its connection; from another thread, once the chunk being read
        (if any) has come."""
        self._ended = True
        with self._reading:
            self._chunks.close()
        if self._metrics.finish_reason is None:  # closed before its first read: nothing was sent
            self._metrics.finish_reason = FINISH_CANCELLED

    def _close_unless_read(self) -> None:
        """The session's ``close()``, maybe from another thread: close it unless a chunk is being read.
        The reading thread, woken by the cut connection, then ends it (``close()`` does not wait for a
        handshake in progress)."""
        self._closed_by_session = True
        if self._reading.acquire(blocking=False):
            try:
                self._chunks.close()
            finally:
                self._reading.release()

    def __enter__(self) -> WebSocketAudioStream:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
