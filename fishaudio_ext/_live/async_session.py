"""The async live session: one ``/v1/tts/live`` socket kept across utterances, each utterance's text fed in by
a sender task while the caller reads its audio; the twin of :mod:`.sync_session`, which explains the
decisions both take from :mod:`.state`.

Tasks per utterance: one of ours (the sender, named ``fishaudio-ext-live-sender``, which once ``stop`` is
sent watches for the server's silence) plus the keepalive task of ``websockets`` per socket. The sender is
finished (cancelled and awaited) when the stream ends, fails or is closed; a socket's keepalive task when
it closes. The sender outlives ``asyncio.run()``'s clean-up exactly when the task reading the stream does
(a ``play(stream)`` not awaited, see ``_background``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import AsyncGenerator, AsyncIterable, Generator, Iterable
from types import AsyncGeneratorType, TracebackType
from typing import TYPE_CHECKING, Any, cast

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from .._background import helper_task
from .._logging import SessionLog, log_utterance
from .._response_info import ResponseInfo
from .._sentences import aflush_at_sentences
from .._wav import complete_wav
from ..exceptions import (
    ClientStateError,
    FishAudioError,
    LiveSessionBusyError,
    StreamConsumedError,
    WebSocketError,
)
from .connection import (
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
    from collections.abc import Sequence

    from fishaudio_api.tts_settings import TTSOverrides
    from typing_extensions import Unpack

    from .._http import AsyncHTTP
    from ..types import AudioFormat, LatencyMode, ReferenceAudio, TTSConfig
    from ..types._model import ModelName
    from .protocol import TextItem

log = logging.getLogger("fishaudio_ext")

# The longest the sender keeps the event loop before letting other tasks run (see _send_all): a fraction
# of the 10 to 20 ms an audio player may wait for its next buffer.
_MAX_HOLD_SECONDS = 0.005


class _Socket(KeptSocket[ClientConnection]):
    """One open connection of the session."""

    def __init__(self, ws: ClientConnection, request: LiveRequest, session_log: SessionLog) -> None:
        super().__init__(ws, request, session_log)
        # Taken now: websockets forgets its keepalive task when the connection closes.
        self.keepalive = ws.keepalive_task
        self._loop = asyncio.get_running_loop()
        self._closed = False

    def abort(self) -> None:
        """Cut the connection now, without the closing handshake: a reader whose queue is full of audio
        would not read the server's close frame before ``close_timeout_seconds``."""
        self.ws.transport.abort()

    @property
    def in_this_loop(self) -> bool:
        """Whether it belongs to the running event loop: a socket of another one (an earlier
        ``asyncio.run()``) cannot be used or closed here."""
        return self._loop is asyncio.get_running_loop()

    def abandon(self) -> None:
        """Cut the connection from a finalizer or another event loop, in any thread: in its own event loop,
        unless that loop is closed (then there is nothing left to run it)."""
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            self._loop.call_soon_threadsafe(self.ws.transport.abort)

    async def quiet(self) -> bool:
        """Whether the server has sent nothing since the last utterance's ``finish``; see the sync twin."""
        receive = asyncio.ensure_future(self.ws.recv())
        try:
            # One turn of the loop: recv() returns in its first step when a frame is already queued, and
            # cancelling it while it waits loses nothing.
            await asyncio.sleep(0)
        finally:
            waiting = not receive.done()
            if waiting:
                receive.cancel()
                await asyncio.wait([receive])
        if waiting:
            return True
        if isinstance(receive.exception(), ConnectionClosed):
            return False
        log.debug("The server sent a frame after finish on the kept WebSocket; not reusing it")
        return False

    async def close(self) -> None:
        """Close the connection and wait for its keepalive task; log its end once."""
        if self._closed:
            return
        self._closed = True
        if not self.in_this_loop:
            self.abandon()
            return
        await self.ws.close()
        if self.keepalive is not None:
            await asyncio.wait([self.keepalive])
        self.log.closed(self.ws.close_code)


async def _open(request: LiveRequest) -> _Socket:
    """Open a connection, retrying a failed handshake as HTTP requests are retried."""
    session_log = SessionLog(request.url)
    try:
        attempts: HandshakeAttempts[ClientConnection] = HandshakeAttempts(request, session_log)
        for delay in attempts:
            if delay:
                await request.clock.async_sleep(delay)
            with attempts.attempt():
                attempts.connection = await connect(
                    request.url, additional_headers=request.headers, **connect_kwargs(request.options)
                )
        ws = attempts.opened()
    except Exception as error:
        session_log.failed(error)
        session_log.closed(None)
        raise
    return _Socket(ws, request, session_log)


def _abandon(standby: Standby[_Socket]) -> None:
    socket = standby.take()
    if socket is not None:
        socket.abandon()


class _Link:
    """Where an utterance's frames go out: its socket, replaced (under the lock) when a reused socket turns
    out to be dead before the server answered, with what was sent so far sent again."""

    def __init__(self, socket: _Socket, state: UtteranceState, measure: Measure) -> None:
        self.socket = socket
        self._state = state
        self._measure = measure
        self._lock = asyncio.Lock()

    async def send(self, frame: bytes, characters: int = 0) -> bool:
        """Send unless the utterance is over; False when it is (the reader reports why)."""
        async with self._lock:
            if self._state.closing:
                return False
            self._state.sending(frame)
            self._measure.sent_text(characters)
            try:
                await self.socket.ws.send(frame)
            except ConnectionClosed:
                return self._state.replayable  # kept: the reader sends it again on the new socket
            return True

    async def replace(self, socket: _Socket) -> _Socket:
        """Move to ``socket``, sending it what the old one was sent; returns the old one, to close."""
        async with self._lock:
            for frame in self._state.take_replay():
                try:
                    await socket.ws.send(frame)
                except ConnectionClosed:
                    break  # the reader finds out
            old, self.socket = self.socket, socket
        return old


async def _send_all(
    link: _Link, start: bytes, text_stream: AsyncIterable[object], state: UtteranceState
) -> bool:
    """Send ``start``, one frame per text item as it comes, then ``stop``; return whether ``stop`` went out.

    Each item is sent (``send`` waits while the connection's write buffer is full) before the next one is
    requested, so a server that reads slowly pauses the iterator instead of letting memory grow.
    """
    try:
        if not await link.send(start):
            return False
        held_since = time.monotonic()
        async for item in text_stream:
            if not await link.send(item_frame(item), sent_characters(item)):
                return False
            # send() returns without suspending while the socket takes the data, so an iterator that never
            # suspends either (text already in memory) would keep the event loop from every other task
            # until the socket's buffers fill, which can take the whole text. Yielding after every item,
            # or every few, costs more: the server then waits while the reader takes its turn.
            if time.monotonic() - held_since >= _MAX_HOLD_SECONDS:
                await asyncio.sleep(0)
                held_since = time.monotonic()
        if not await link.send(STOP_FRAME):
            return False
    except asyncio.CancelledError:
        if not state.closing:  # cancelled by someone else: the reader must not wait for a finish forever
            state.fail(WebSocketError("Sending the text was cancelled"))
            link.socket.abort()
        raise
    except Exception as error:  # the caller's iterator failed: the caller gets that very exception
        state.fail(error)
        link.socket.abort()  # wakes the reader
        return False
    state.stop_sent()
    return True


async def _watch_silence(link: _Link, state: UtteranceState) -> None:
    """Once ``stop`` is sent: end the utterance when a wait of the reader lasts the whole receive timeout.

    One sleeping task per utterance, where a timeout around every receive would cost more than the rest of
    a frame's handling (``asyncio.timeout`` arms and cancels a timer: some 6 us).
    """
    while (limit := state.wait_limit()) is not None:
        if limit == 0.0:
            state.fail(state.silence_error())
            link.socket.abort()  # wakes the reader, which raises the error
            return
        await asyncio.sleep(limit)


async def _send_and_watch(
    link: _Link, start: bytes, text_stream: AsyncIterable[object], state: UtteranceState
) -> None:
    if await _send_all(link, start, text_stream, state):
        await _watch_silence(link, state)


async def _next_frame(ws: ClientConnection, state: UtteranceState) -> str | bytes:
    """The server's next frame; ConnectionClosed is left to the reader, which knows what it means."""
    state.start_wait()
    try:
        return await ws.recv()
    finally:
        state.end_wait()


async def _items(items: Iterable[object]) -> AsyncGenerator[object, None]:
    for item in items:
        yield item


_Utterance = Utterance[_Link, AsyncIterable[object]]


class AsyncLiveSession:
    """A ``/v1/tts/live`` connection kept across utterances: ``AsyncFishAudio.tts.live(...)``; the twin of
    :class:`~fishaudio_ext.LiveSession` (see it for the rules), with ``async with``, ``await prewarm()``,
    ``await cancel()`` and ``await close()``. Used in another event loop than before (a second
    ``asyncio.run()``), it opens a new socket there: the one kept from the other loop is cut in that loop.

    Example::

        async with client.tts.live(reference_id=voice_id) as session:
            await session.prewarm()
            async for reply in replies():
                await play(session.speak(reply))
    """

    def __init__(
        self,
        http: AsyncHTTP,
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
        self._standby: Standby[_Socket] = Standby()
        # Dropped without close(): cut the kept socket, which its event loop would keep open.
        weakref.finalize(self, _abandon, self._standby)
        self._current: _Utterance | None = None
        self._closed = False

    async def prewarm(self) -> None:
        """Open the socket now, so that the next utterance starts without a handshake.

        Raises:
            The connection errors of :meth:`speak`.
        """
        self._check_open()
        request = self._settings.request()
        idle = self._standby.socket
        if idle is not None and idle.in_this_loop and idle.reusable_for(request):
            return
        await self._keep(await _open(request))

    def speak(
        self,
        text: str | Iterable[TextItem] | AsyncIterable[TextItem],
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
    ) -> AsyncWebSocketAudioStream:
        """Speak ``text`` (a str, or a sync or async iterable of str, TextEvent and FlushEvent); see
        :meth:`LiveSession.speak <fishaudio_ext.LiveSession.speak>`."""
        self._check_open()
        check_flush_sentences(flush_sentences, optional=True)
        if isinstance(text, AsyncIterable):
            text_stream: AsyncIterable[object] = text
        else:
            items: Iterable[object] = [text] if isinstance(text, str) else text
            check_text_stream(items, asynchronous=False)
            text_stream = _items(items)
        check_text_stream(text_stream, asynchronous=True)
        if self._flush_sentences if flush_sentences is None else flush_sentences:
            # The items are checked as they are sent, after the sentence buffer has passed them on.
            text_stream = aflush_at_sentences(cast("AsyncIterable[TextItem]", text_stream))
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
        if self._current is not None and self._current.running:
            raise LiveSessionBusyError()
        utterance: _Utterance = Utterance(request, text_stream)
        self._current = utterance
        chunks = self._run(utterance)
        utterance.chunks = weakref.ref(chunks)
        return AsyncWebSocketAudioStream(chunks, utterance.metrics, utterance.handshake)

    async def cancel(self) -> None:
        """Barge-in: end the current utterance now and open a fresh socket; see
        :meth:`LiveSession.cancel <fishaudio_ext.LiveSession.cancel>`."""
        current = self._current
        if current is not None and not current.ended:
            current.cancel()
        await self.prewarm()

    async def close(self) -> None:
        """End the current utterance, close the socket; idempotent."""
        self._closed = True
        current, self._current = self._current, None
        idle = self._standby.take()
        if current is not None and not current.ended:
            current.cancel()
            chunks = None if current.chunks is None else current.chunks()
            # A stream being read is cleaned up by the task reading it; one paused at a chunk, here.
            if isinstance(chunks, AsyncGeneratorType) and not chunks.ag_running:
                await chunks.aclose()
        if idle is not None:
            await idle.close()

    async def __aenter__(self) -> AsyncLiveSession:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise ClientStateError("This live session is closed; open another with client.tts.live().")
        self._http.check_open()

    async def _take(self, request: LiveRequest) -> tuple[_Socket, bool]:
        """A socket for ``request``: the kept one if it may carry it (True), else a new one (False)."""
        idle = self._standby.take()
        if idle is not None:
            if idle.in_this_loop and idle.reusable_for(request) and await idle.quiet():
                return idle, True
            await idle.close()
        return await _open(request), False

    async def _keep(self, socket: _Socket) -> None:
        """Keep an open socket for the next utterance (the newest wins); close it if the session is done."""
        if self._closed or self._single_use:
            unwanted: _Socket | None = socket
        else:
            unwanted, self._standby.socket = self._standby.socket, socket
        if unwanted is not None:
            await unwanted.close()

    async def _run(self, utterance: _Utterance) -> AsyncGenerator[bytes, None]:
        state, request = utterance.state, utterance.request
        measure = Measure(utterance.metrics, request.config)
        handshake = utterance.handshake
        socket: _Socket | None = None
        sender: asyncio.Task[None] | None = None
        finished = False
        try:
            if state.cancelled:
                return
            socket, reused = await self._take(request)
            utterance.metrics.reused_connection = reused
            if reused:
                state.replay_until_answered()
            info = handshake.opened(socket.ws.response)
            link = _Link(socket, state, measure)
            utterance.link = link
            if state.cancelled:  # cancel() came while the socket was being opened
                return
            sender = helper_task(
                _send_and_watch(link, request.start, utterance.text_stream, state), SENDER_NAME
            )
            try:
                while True:
                    try:
                        frame = await _next_frame(link.socket.ws, state)
                    except ConnectionClosed as error:
                        if not connection_lost(state, error):
                            return
                        log.debug("The kept WebSocket was closed by the server; replacing it")
                        await (await link.replace(await _open(request))).close()
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
            await self._end(utterance, sender, finished)
            log_utterance(request.url, utterance.metrics)

    async def _end(self, utterance: _Utterance, sender: asyncio.Task[None] | None, finished: bool) -> None:
        """After an utterance: stop its sender, keep its socket if it finished cleanly, else close it."""
        state, link = utterance.state, utterance.link
        if link is not None and cuts_socket(utterance.metrics, finished):
            link.socket.abort()
        state.close()
        if sender is not None:
            sender.cancel()
            await asyncio.wait([sender])
        if link is not None:
            if keeps_socket(state, finished):
                await self._keep(link.socket)
            else:
                await link.socket.close()
        utterance.ended = True


class AsyncWebSocketAudioStream:
    """Audio from ``/v1/tts/live`` as it is generated: an async iterator of bytes.

    It works both as ``async for chunk in client.tts.stream_websocket(...)`` and, awaited, as
    ``stream = await client.tts.stream_websocket(...)`` (awaiting returns the stream itself). Nothing is
    sent until the first chunk is requested. Use it once (``async for``, ``await stream.collect()``, ``save``,
    ``play``); ``async with`` closes the connection however the block ends. Chunks are passed on as they
    arrive, so a WAV stream's header carries the API's placeholder sizes (its length is not known yet);
    ``await collect()`` and ``save`` write the real sizes once the audio has ended. ``response`` is the
    handshake's answer (status 101 and its headers) once the connection is open, None before.
    ``metrics`` (:class:`~fishaudio_ext.UtteranceMetrics`) is what the utterance measured, final once
    the stream has ended.

    Example::

        async with client.tts.stream_websocket(llm_tokens()) as audio:
            async for chunk in audio:
                await player.write(chunk)
    """

    def __init__(
        self, chunks: AsyncGenerator[bytes, None], metrics: UtteranceMetrics, handshake: Handshake
    ) -> None:
        # An async generator, so that a stream dropped mid-way is closed by the event loop's finalizer.
        self._chunks = chunks
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

    def __aiter__(self) -> AsyncWebSocketAudioStream:
        if self._ended:
            raise StreamConsumedError()
        return self

    async def __anext__(self) -> bytes:
        try:
            return await self._chunks.__anext__()
        except BaseException:
            self._ended = True
            raise

    def __await__(self) -> Generator[Any, None, AsyncWebSocketAudioStream]:
        return self._itself().__await__()

    async def _itself(self) -> AsyncWebSocketAudioStream:
        return self

    async def collect(self) -> bytes:
        """Read the rest of the audio into one ``bytes`` (WAV with the real sizes in its header)."""
        return complete_wav(b"".join([chunk async for chunk in self]))

    async def aclose(self) -> None:
        """Stop the utterance, close its connection and finish the sender task."""
        self._ended = True
        await self._chunks.aclose()
        if self._metrics.finish_reason is None:  # closed before its first read: nothing was sent
            self._metrics.finish_reason = FINISH_CANCELLED

    async def __aenter__(self) -> AsyncWebSocketAudioStream:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
