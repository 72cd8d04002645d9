"""Connection-pool hygiene: every response body the transport hands out is closed, whatever happened to it.

``httpx.MockTransport`` hides pooled connections, so the scripted transport records ``close()`` on each body:
an unclosed body is a connection that never goes back to the pool.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from fishaudio_ext import (
    APIConnectionError,
    APIResponseValidationError,
    AsyncAudioStream,
    AsyncFishAudio,
    AudioStream,
    NotFoundError,
    ServerError,
)
from tests.support.samples import VOICE as SAMPLE_VOICE

VOICE = json.dumps(SAMPLE_VOICE).encode()


async def resolve(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def collect(stream: AudioStream | AsyncAudioStream) -> bytes:
    return await resolve(stream.collect())


async def let_the_loop_run() -> None:
    """Give the event loop a few turns (no time passes) so that finalizers of async generators can run."""
    for _ in range(5):
        await asyncio.sleep(0)


def assert_all_closed(transport: Any, handed_out: int) -> None:
    assert len(transport.streams) == handed_out
    assert [stream.closed for stream in transport.streams] == [True] * handed_out


async def test_a_retried_call_closes_every_attempt(is_async: bool, make_client: Any, transport: Any) -> None:
    transport.reply(503, b"busy").reply(500, b'{"message": "oops"}').reply(200, VOICE)
    client = make_client(is_async, transport=transport)

    voice = await resolve(client.voices.get("v1"))

    assert voice.id == "v1"
    assert_all_closed(transport, 3)


async def test_retries_that_run_out_close_every_attempt(
    is_async: bool, make_client: Any, transport: Any
) -> None:
    transport.reply(503, b"busy")
    client = make_client(is_async, transport=transport, max_retries=3)

    with pytest.raises(ServerError):
        await resolve(client.voices.get("v1"))

    assert_all_closed(transport, 4)


async def test_an_error_response_is_closed(is_async: bool, make_client: Any, transport: Any) -> None:
    transport.reply(404, b'{"detail": "Not Found"}')
    client = make_client(is_async, transport=transport)

    with pytest.raises(NotFoundError):
        await resolve(client.voices.get("v1"))

    assert_all_closed(transport, 1)


async def test_a_streamed_error_response_is_closed(is_async: bool, make_client: Any, transport: Any) -> None:
    transport.reply(500, b"boom", b"more boom")
    client = make_client(is_async, transport=transport, max_retries=1)

    with pytest.raises(ServerError):
        await resolve(client.tts.stream(text="Hi"))

    assert_all_closed(transport, 2)


async def test_an_invalid_success_body_is_closed(is_async: bool, make_client: Any, transport: Any) -> None:
    transport.reply(200, b"<html>login page</html>")
    client = make_client(is_async, transport=transport)

    with pytest.raises(APIResponseValidationError):
        await resolve(client.voices.get("v1"))

    assert_all_closed(transport, 1)


async def test_convert_closes_a_body_that_failed_mid_read_and_its_retry(
    is_async: bool, make_client: Any, transport: Any
) -> None:
    transport.reply(200, b"part", error=httpx.ReadError("reset")).reply(200, b"audio")
    client = make_client(is_async, transport=transport)

    assert await resolve(client.tts.convert(text="Hi")) == b"audio"

    assert_all_closed(transport, 2)


async def test_a_fully_read_stream_is_closed(is_async: bool, make_client: Any, transport: Any) -> None:
    transport.reply(503).reply(200, b"a", b"b")
    client = make_client(is_async, transport=transport)

    stream = await resolve(client.tts.stream(text="Hi"))

    assert await collect(stream) == b"ab"
    assert_all_closed(transport, 2)


async def test_a_closed_stream_is_closed(is_async: bool, make_client: Any, transport: Any) -> None:
    transport.reply(200, b"a", b"b")
    client = make_client(is_async, transport=transport)

    stream = await resolve(client.tts.stream(text="Hi"))
    await resolve(stream.close())

    assert_all_closed(transport, 1)


async def test_a_stream_that_fails_mid_body_is_closed(
    is_async: bool, make_client: Any, transport: Any
) -> None:
    transport.reply(200, b"a", error=httpx.RemoteProtocolError("peer closed connection"))
    client = make_client(is_async, transport=transport)
    stream = await resolve(client.tts.stream(text="Hi"))

    with pytest.raises(APIConnectionError):
        await collect(stream)

    assert_all_closed(transport, 1)


async def test_an_abandoned_stream_is_closed(is_async: bool, make_client: Any, transport: Any) -> None:
    transport.reply(200, b"a", b"b")
    client = make_client(is_async, transport=transport)

    stream = await resolve(client.tts.stream(text="Hi"))
    del stream
    gc.collect()
    await let_the_loop_run()

    assert_all_closed(transport, 1)


async def test_an_abandoned_sync_stream_after_a_partial_read_is_closed(
    make_client: Any, transport: Any
) -> None:
    transport.reply(200, b"a", b"b")
    client = make_client(False, transport=transport)

    stream = client.tts.stream(text="Hi")
    iterator = iter(stream)
    assert next(iterator) == b"a"
    del stream, iterator
    gc.collect()

    assert_all_closed(transport, 1)


async def test_an_abandoned_async_stream_after_a_partial_read_is_closed(
    make_client: Any, transport: Any
) -> None:
    transport.reply(200, b"a", b"b")
    client = make_client(True, transport=transport)

    stream = await client.tts.stream(text="Hi")
    iterator = stream.__aiter__()
    assert await iterator.__anext__() == b"a"
    del stream, iterator
    gc.collect()
    await let_the_loop_run()

    assert_all_closed(transport, 1)


async def test_many_mixed_calls_leave_nothing_open(is_async: bool, make_client: Any, transport: Any) -> None:
    transport.reply(200, VOICE)
    client = make_client(is_async, transport=transport)

    for _ in range(5):
        await resolve(client.voices.get("v1"))
        await resolve(client.tts.convert(text="Hi"))
        stream = await resolve(client.tts.stream(text="Hi"))
        await collect(stream)
        stream = await resolve(client.tts.stream(text="Hi"))
        await resolve(stream.close())

    assert_all_closed(transport, 20)


# --- an interrupted read ---------------------------------------------------------------------------------


async def test_an_interrupted_sync_convert_closes_its_response(make_client: Any, transport: Any) -> None:
    # Ctrl-C while the audio downloads: the half-read response must not keep its connection.
    transport.reply(200, b"part", error=KeyboardInterrupt())
    client = make_client(False, transport=transport)

    with pytest.raises(KeyboardInterrupt):
        client.tts.convert(text="Hi")

    assert_all_closed(transport, 1)


class StallingBody(httpx.AsyncByteStream):
    """Sends one chunk, then waits forever (until cancelled)."""

    def __init__(self) -> None:
        self.waiting = asyncio.Event()
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b"part"
        self.waiting.set()
        await asyncio.Event().wait()

    async def aclose(self) -> None:
        self.closed = True


class StallingTransport(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.body = StallingBody()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=self.body)


async def test_a_cancelled_async_convert_closes_its_response() -> None:
    # asyncio.wait_for / a TaskGroup cancelling a download must not leak the pooled connection.
    transport = StallingTransport()
    async with httpx.AsyncClient(transport=transport) as injected:
        client = AsyncFishAudio(api_key="sk-test", httpx_client=injected)
        task = asyncio.create_task(client.tts.convert(text="Hi"))
        await transport.body.waiting.wait()

        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

        assert transport.body.closed
