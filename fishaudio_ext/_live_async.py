"""The async ``/v1/tts/live`` session: a sender task feeds the caller's text in while the caller reads audio.

Tasks per session: one of ours (the sender, named ``fishaudio-ext-live-sender``) plus the keepalive task
of ``websockets``. Both are finished (cancelled and awaited) when the stream ends, fails or is closed.
The sender outlives ``asyncio.run()``'s clean-up exactly when the task reading the stream does (a
``play(stream)`` not awaited, see ``_background``).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncGenerator, AsyncIterable, Generator
from types import TracebackType
from typing import Any

from fishaudio_api.models import LiveFinishEvent
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from ._background import helper_task
from ._live import STOP_FRAME, audio_bytes, item_frame, read_frame
from ._websocket import (
    SENDER_NAME,
    LiveRequest,
    SessionState,
    closed_error,
    connect_error,
    connect_kwargs,
    handshake_retry_delay,
)
from .exceptions import StreamConsumedError, WebSocketError


async def _send_all(
    ws: ClientConnection, start: bytes, text_stream: AsyncIterable[object], state: SessionState
) -> None:
    """Send ``start``, one frame per text item as it comes, then ``stop``.

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
            return
        async for item in text_stream:
            if not await send(item_frame(item)):
                return
            # send() returns without suspending while the socket takes the data; an iterator that never
            # suspends either would then keep the event loop, and the audio, from everyone else.
            await asyncio.sleep(0)
        if await send(STOP_FRAME):
            state.stop_sent()
    except asyncio.CancelledError:
        if not state.closing:  # cancelled by someone else: the reader must not wait for a finish forever
            state.text_failed(WebSocketError("Sending the text was cancelled"))
            await ws.close(1011, "text stream cancelled")
        raise
    except Exception as error:  # the caller's iterator failed: the caller gets that very exception
        state.text_failed(error)
        await ws.close(1011, "text stream failed")  # wakes the receiver


async def _recv(ws: ClientConnection, limit: float | None) -> str | bytes:
    """``ws.recv()``, raising TimeoutError after ``limit`` seconds (cancelling recv() loses no message)."""
    if limit is None:
        return await ws.recv()
    if sys.version_info >= (3, 11):
        # Unlike wait_for before 3.12, no extra task: nothing for asyncio.run()'s clean-up to cancel.
        async with asyncio.timeout(limit):
            return await ws.recv()
    return await asyncio.wait_for(ws.recv(), limit)


async def _next_frame(ws: ClientConnection, state: SessionState) -> str | bytes:
    state.start_wait()
    while True:
        try:
            return await _recv(ws, state.wait_limit())
        except asyncio.TimeoutError:
            state.check_silence()
        except ConnectionClosed as error:
            state.raise_text_error()  # the text iterator's failure is what closed the connection
            raise closed_error(error) from error


async def _connect(request: LiveRequest) -> ClientConnection:
    """Open the connection, retrying a failed handshake as HTTP requests are retried."""
    retries_taken = 0
    while True:
        try:
            return await connect(
                request.url, additional_headers=request.headers, **connect_kwargs(request.options)
            )
        except Exception as error:
            delay = handshake_retry_delay(error, request, retries_taken)
            if delay is None:
                mapped = connect_error(error, request.url, request.options)
                if mapped is None:
                    raise
                raise mapped from error
        await request.clock.async_sleep(delay)
        retries_taken += 1


async def _session(request: LiveRequest, text_stream: AsyncIterable[object]) -> AsyncGenerator[bytes, None]:
    options = request.options
    async with contextlib.AsyncExitStack() as stack:
        ws = await stack.enter_async_context(await _connect(request))
        # Taken now: websockets forgets its keepalive task when the connection closes.
        keepalive = ws.keepalive_task
        state = SessionState(options.receive_timeout_seconds)
        sender = helper_task(_send_all(ws, request.start, text_stream, state), SENDER_NAME)
        try:
            while True:
                frame = await _next_frame(ws, state)
                state.raise_text_error()
                event = read_frame(frame)
                if isinstance(event, LiveFinishEvent):
                    return
                if event is not None:
                    yield audio_bytes(event)
        finally:
            state.close()
            sender.cancel()
            await asyncio.wait([sender])
            await ws.close()
            if keepalive is not None:
                await asyncio.wait([keepalive])


class AsyncWebSocketAudioStream:
    """Audio from ``/v1/tts/live`` as it is generated: an async iterator of bytes.

    It works both as ``async for chunk in client.tts.stream_websocket(...)`` and, awaited, as
    ``stream = await client.tts.stream_websocket(...)`` (awaiting returns the stream itself). Nothing is
    sent until the first chunk is requested. Use it once; ``async with`` closes the connection however
    the block ends.

    Example::

        async with client.tts.stream_websocket(llm_tokens()) as audio:
            async for chunk in audio:
                await player.write(chunk)
    """

    def __init__(self, request: LiveRequest, text_stream: AsyncIterable[object]) -> None:
        # An async generator, so that a stream dropped mid-way is closed by the event loop's finalizer.
        self._chunks = _session(request, text_stream)
        self._ended = False

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
