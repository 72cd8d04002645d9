"""The async ``/v1/tts/live`` session: a sender task feeds the caller's text in while the caller reads audio.

Tasks per session: one of ours (the sender, named ``fishaudio-ext-live-sender``, which once ``stop`` is
sent watches for the server's silence) plus the keepalive task of ``websockets``. Both are finished
(cancelled and awaited) when the stream ends, fails or is closed. The sender outlives ``asyncio.run()``'s
clean-up exactly when the task reading the stream does (a ``play(stream)`` not awaited, see
``_background``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, AsyncIterable, Generator
from types import TracebackType
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from ._background import helper_task
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
from .exceptions import FishAudioError, StreamConsumedError, WebSocketError

# The longest the sender keeps the event loop before letting other tasks run (see _send_all): a fraction
# of the 10 to 20 ms an audio player may wait for its next buffer.
_MAX_HOLD_SECONDS = 0.005


async def _send_all(
    ws: ClientConnection, start: bytes, text_stream: AsyncIterable[object], state: SessionState
) -> bool:
    """Send ``start``, one frame per text item as it comes, then ``stop``; return whether ``stop`` went out.

    Each item is sent (``send`` waits while the connection's write buffer is full) before the next one is
    requested, so a server that reads slowly pauses the iterator instead of letting memory grow.
    """

    async def send(frame: bytes) -> bool:
        try:
            await ws.send(frame)
        except ConnectionClosed:
            return False  # the receiver reports why
        return True

    try:
        if not await send(start):
            return False
        held_since = time.monotonic()
        async for item in text_stream:
            if not await send(item_frame(item)):
                return False
            # send() returns without suspending while the socket takes the data, so an iterator that never
            # suspends either (text already in memory) would keep the event loop from every other task
            # until the socket's buffers fill, which can take the whole text. Yielding after every item,
            # or every few, costs more: the server then waits while the reader takes its turn.
            if time.monotonic() - held_since >= _MAX_HOLD_SECONDS:
                await asyncio.sleep(0)
                held_since = time.monotonic()
        if not await send(STOP_FRAME):
            return False
    except asyncio.CancelledError:
        if not state.closing:  # cancelled by someone else: the reader must not wait for a finish forever
            state.fail(WebSocketError("Sending the text was cancelled"))
            await ws.close(1011, "text stream cancelled")
        raise
    except Exception as error:  # the caller's iterator failed: the caller gets that very exception
        state.fail(error)
        await ws.close(1011, "text stream failed")  # wakes the receiver
        return False
    state.stop_sent()
    return True


async def _watch_silence(ws: ClientConnection, state: SessionState) -> None:
    """Once ``stop`` is sent: end the session when a wait of the reader lasts the whole receive timeout.

    One sleeping task per session, where a timeout around every receive would cost more than the rest of
    a frame's handling (``asyncio.timeout`` arms and cancels a timer: some 6 us).
    """
    while (limit := state.wait_limit()) is not None:
        if limit == 0.0:
            state.fail(state.silence_error())
            await ws.close()  # wakes the reader, which raises the error
            return
        await asyncio.sleep(limit)


async def _send_and_watch(
    ws: ClientConnection, start: bytes, text_stream: AsyncIterable[object], state: SessionState
) -> None:
    if await _send_all(ws, start, text_stream, state):
        await _watch_silence(ws, state)


async def _next_frame(ws: ClientConnection, state: SessionState) -> str | bytes:
    state.start_wait()
    try:
        return await ws.recv()
    except ConnectionClosed as error:
        state.raise_failure()  # the text iterator's failure, or the silence, is what closed the connection
        raise closed_error(error) from error
    finally:
        state.end_wait()


async def _connect(request: LiveRequest, session_log: SessionLog) -> ClientConnection:
    """Open the connection, retrying a failed handshake as HTTP requests are retried."""
    retries_taken = 0
    while True:
        try:
            connection = await connect(
                request.url, additional_headers=request.headers, **connect_kwargs(request.options)
            )
            session_log.opened(retries_taken)
            return connection
        except Exception as error:
            delay = retry_delay_or_raise(error, request, retries_taken)
        await request.clock.async_sleep(delay)
        retries_taken += 1


async def _session(
    request: LiveRequest, text_stream: AsyncIterable[object], handshake: Handshake
) -> AsyncGenerator[bytes, None]:
    options = request.options
    session_log = SessionLog(request.url)
    opened: ClientConnection | None = None  # for the close code, once the connection is gone
    try:
        async with contextlib.AsyncExitStack() as stack:
            ws = await stack.enter_async_context(await _connect(request, session_log))
            opened = ws
            info = handshake.opened(ws.response)
            # Taken now: websockets forgets its keepalive task when the connection closes.
            keepalive = ws.keepalive_task
            state = SessionState(options.receive_timeout_seconds)
            sender = helper_task(_send_and_watch(ws, request.start, text_stream, state), SENDER_NAME)
            try:
                while True:
                    frame = await _next_frame(ws, state)
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
            finally:
                state.close()
                sender.cancel()
                await asyncio.wait([sender])
                await ws.close()
                if keepalive is not None:
                    await asyncio.wait([keepalive])
    except Exception as error:
        session_log.failed(error)
        raise
    finally:
        session_log.closed(None if opened is None else opened.close_code)


class AsyncWebSocketAudioStream:
    """Audio from ``/v1/tts/live`` as it is generated: an async iterator of bytes.

    It works both as ``async for chunk in client.tts.stream_websocket(...)`` and, awaited, as
    ``stream = await client.tts.stream_websocket(...)`` (awaiting returns the stream itself). Nothing is
    sent until the first chunk is requested. Use it once (``async for``, ``await stream.collect()``, ``save``,
    ``play``); ``async with`` closes the connection however the block ends. Chunks are passed on as they
    arrive, so a WAV stream's header carries the API's placeholder sizes (its length is not known yet);
    ``await collect()`` and ``save`` write the real sizes once the audio has ended. ``response`` is the
    handshake's answer (status 101 and its headers) once the connection is open, None before.

    Example::

        async with client.tts.stream_websocket(llm_tokens()) as audio:
            async for chunk in audio:
                await player.write(chunk)
    """

    def __init__(self, request: LiveRequest, text_stream: AsyncIterable[object]) -> None:
        self._handshake = Handshake()
        # An async generator, so that a stream dropped mid-way is closed by the event loop's finalizer.
        self._chunks = _session(request, text_stream, self._handshake)
        self._ended = False

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
        """Stop sending, close the connection and finish the sender task."""
        self._ended = True
        await self._chunks.aclose()

    async def __aenter__(self) -> AsyncWebSocketAudioStream:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
