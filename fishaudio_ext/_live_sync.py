"""The sync ``/v1/tts/live`` session: a sender thread feeds the caller's text in while the caller reads audio.

Threads per session: one of ours (the sender, named ``fishaudio-ext-live-sender``) plus the reader and
keepalive threads of ``websockets``. All three are joined when the stream ends, fails or is closed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Generator, Iterable
from types import TracebackType

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from ._live import STOP_FRAME, item_frame, read_frame
from ._logging import SessionLog
from ._response_info import ResponseInfo
from ._wav import complete_wav
from ._websocket import (
    SENDER_NAME,
    Handshake,
    LiveRequest,
    SessionState,
    closed_error,
    connect_kwargs,
    retry_delay_or_raise,
    with_response,
)
from .exceptions import FishAudioError, StreamConsumedError

log = logging.getLogger("fishaudio_ext")


class _Sender:
    """Sends ``start``, then one frame per text item as the iterator yields it, then ``stop``.

    Each item is sent before the next one is requested, so a server that reads slowly pauses the
    iterator (the socket's buffer is the only queue) instead of letting memory grow.
    """

    def __init__(
        self, ws: ClientConnection, start: bytes, text_stream: Iterable[object], state: SessionState
    ) -> None:
        self._ws = ws
        self._start = start
        self._text_stream = text_stream
        self._state = state
        self._thread = threading.Thread(target=self._run, name=SENDER_NAME, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _send(self, frame: bytes) -> bool:
        """Send unless the session is over; False when it is (the receiver reports why)."""
        if self._state.closing:
            return False
        try:
            self._ws.send(frame)
        except ConnectionClosed:
            return False
        return True

    def _run(self) -> None:
        try:
            if not self._send(self._start):
                return
            for item in self._text_stream:
                if not self._send(item_frame(item)):
                    return
            if self._send(STOP_FRAME):
                self._state.stop_sent()
        except BaseException as error:  # the caller's iterator failed: the caller gets that very exception
            self._state.fail(error)
            self._ws.close(1011, "text stream failed")  # wakes the receiver

    def stop(self, timeout: float) -> None:
        """Stop sending, close the connection and wait for the thread.

        The thread may be inside the caller's iterator, which cannot be interrupted: after ``timeout`` it is
        left to end on its own (a daemon thread) when the iterator returns.
        """
        self._state.close()
        self._ws.close()  # ends a send in progress
        if self._thread.ident is not None:
            self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning(
                "stream_websocket: the text iterator did not return within %g s of closing the stream;"
                " its thread ends when it does",
                timeout,
            )


def _next_frame(ws: ClientConnection, state: SessionState) -> str | bytes:
    state.start_wait()
    try:
        while True:
            try:
                # A deadline on a queue wait: cheap, unlike a timer around an asyncio receive.
                return ws.recv(timeout=state.wait_limit())
            except TimeoutError:
                if state.wait_limit() == 0.0:
                    raise state.silence_error() from None
            except ConnectionClosed as error:
                state.raise_failure()  # the text iterator's failure is what closed the connection
                raise closed_error(error) from error
    finally:
        state.end_wait()


def _connect(request: LiveRequest, session_log: SessionLog) -> ClientConnection:
    """Open the connection, retrying a failed handshake as HTTP requests are retried."""
    retries_taken = 0
    while True:
        try:
            connection: ClientConnection = connect(
                request.url, additional_headers=request.headers, **connect_kwargs(request.options)
            )
            session_log.opened(retries_taken)
            return connection
        except Exception as error:
            delay = retry_delay_or_raise(error, request, retries_taken)
        request.clock.sleep(delay)
        retries_taken += 1


def _session(
    request: LiveRequest, text_stream: Iterable[object], handshake: Handshake
) -> Generator[bytes, None, None]:
    options = request.options
    session_log = SessionLog(request.url)
    opened: ClientConnection | None = None  # for the close code, once the connection is gone
    try:
        with contextlib.ExitStack() as stack:
            ws = stack.enter_context(_connect(request, session_log))
            opened = ws
            info = handshake.opened(ws.response)
            # Exit callbacks run last-in first-out: the sender is stopped (which closes the connection)
            # before the keepalive thread is waited for.
            stack.callback(_join_keepalive, ws, options.close_timeout_seconds)
            state = SessionState(options.receive_timeout_seconds)
            sender = _Sender(ws, request.start, text_stream, state)
            stack.callback(sender.stop, options.close_timeout_seconds)
            sender.start()
            try:
                while True:
                    frame = _next_frame(ws, state)
                    state.raise_failure()
                    event = read_frame(frame)
                    session_log.received(event)
                    if isinstance(event, bytes):
                        yield event
                    elif event is not None:
                        return  # finish
            except FishAudioError as error:
                with_response(error, info)
                raise
    except Exception as error:
        session_log.failed(error)
        raise
    finally:
        session_log.closed(None if opened is None else opened.close_code)


def _join_keepalive(ws: ClientConnection, timeout: float) -> None:
    # websockets does not join its keepalive thread on close; it ends as soon as the connection has.
    if ws.keepalive_thread is not None:
        ws.keepalive_thread.join(timeout)


class WebSocketAudioStream:
    """Audio from ``/v1/tts/live`` as it is generated: an iterator of bytes, and a context manager.

    Nothing is sent until the first chunk is requested. Use it once: ``for``, ``collect()``, ``save``,
    ``play``, or ``with ... as audio`` to close the connection however the block ends. Chunks are passed on
    as they arrive, so a WAV stream's header carries the API's placeholder sizes (its length is not known
    yet); ``collect()`` and ``save`` write the real sizes once the audio has ended. ``response`` is the
    handshake's answer (status 101 and its headers) once the connection is open, None before.

    Example::

        with client.tts.stream_websocket(llm_tokens()) as audio:
            for chunk in audio:
                player.write(chunk)
    """

    def __init__(self, request: LiveRequest, text_stream: Iterable[object]) -> None:
        self._handshake = Handshake()
        # A generator, so that a stream dropped mid-way is closed by garbage collection like any other.
        self._chunks = _session(request, text_stream, self._handshake)
        self._ended = False

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
            return next(self._chunks)
        except BaseException:
            self._ended = True
            raise

    def collect(self) -> bytes:
        """Read the rest of the audio into one ``bytes`` (WAV with the real sizes in its header)."""
        return complete_wav(b"".join(self))

    def close(self) -> None:
        """Stop sending, close the connection and end the sender thread (call it from the reading thread)."""
        self._ended = True
        self._chunks.close()

    def __enter__(self) -> WebSocketAudioStream:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
