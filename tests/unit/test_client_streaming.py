"""``tts.stream``: chunks arrive as the transport yields them, a stream is read once, and it always closes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from fishaudio_ext import AsyncAudioStream, AudioStream, StreamConsumedError

CHUNKS = (b"chunk-1", b"chunk-2", b"chunk-3")


async def let_the_loop_run() -> None:
    """Give the event loop a few turns (no time passes) so that finalizers of async generators can run."""
    for _ in range(5):
        await asyncio.sleep(0)


# --- sync ----------------------------------------------------------------------------------------------


async def test_chunks_arrive_one_by_one_as_the_transport_yields_them(
    make_client: Any, transport: Any
) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(False, transport=transport)

    stream = client.tts.stream(text="A long text")

    body = transport.streams[0]
    assert isinstance(stream, AudioStream)
    assert body.pulled == 0, "stream() must return before the audio is read"
    received = []
    for index, chunk in enumerate(stream):
        received.append(chunk)
        assert body.pulled == index + 1, "a chunk was buffered before the caller asked for it"
    assert received == list(CHUNKS)


async def test_collect_returns_all_the_audio_and_closes(make_client: Any, transport: Any) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(False, transport=transport)
    stream = client.tts.stream(text="Hi")

    assert stream.collect() == b"".join(CHUNKS)
    assert transport.streams[0].closed


async def test_empty_chunks_are_skipped(make_client: Any, transport: Any) -> None:
    transport.reply(200, b"", b"audio", b"", b"more")
    client = make_client(False, transport=transport)

    assert list(client.tts.stream(text="Hi")) == [b"audio", b"more"]


async def test_a_stream_can_be_iterated_only_once(make_client: Any, transport: Any) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(False, transport=transport)
    stream = client.tts.stream(text="Hi")
    list(stream)

    with pytest.raises(StreamConsumedError):
        iter(stream)
    with pytest.raises(StreamConsumedError):
        stream.collect()


async def test_a_partly_read_stream_cannot_be_restarted(make_client: Any, transport: Any) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(False, transport=transport)
    stream = client.tts.stream(text="Hi")
    iterator = iter(stream)
    next(iterator)

    with pytest.raises(StreamConsumedError):
        stream.collect()
    assert list(iterator) == list(CHUNKS[1:])


async def test_exhaustion_closes_the_response(make_client: Any, transport: Any) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(False, transport=transport)
    stream = client.tts.stream(text="Hi")

    for _ in stream:
        assert not transport.streams[0].closed

    assert transport.streams[0].closed
    assert stream._response.is_closed


async def test_close_before_reading_closes_the_response(make_client: Any, transport: Any) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(False, transport=transport)
    stream = client.tts.stream(text="Hi")

    stream.close()

    assert transport.streams[0].closed
    assert transport.streams[0].pulled == 0
    with pytest.raises(StreamConsumedError):
        list(stream)


async def test_context_manager_closes_the_response_after_a_partial_read(
    make_client: Any, transport: Any
) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(False, transport=transport)

    with client.tts.stream(text="Hi") as stream:
        iterator = iter(stream)
        assert next(iterator) == b"chunk-1"
        assert not transport.streams[0].closed

    assert transport.streams[0].closed


async def test_context_manager_closes_the_response_when_the_body_raises(
    make_client: Any, transport: Any
) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(False, transport=transport)

    def play_with_a_bug() -> None:
        with client.tts.stream(text="Hi") as stream:
            for _chunk in stream:
                raise KeyError("the caller's own bug")

    with pytest.raises(KeyError):
        play_with_a_bug()

    assert transport.streams[0].closed


async def test_an_early_break_closes_the_response(make_client: Any, transport: Any) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(False, transport=transport)
    stream = client.tts.stream(text="Hi")

    for _chunk in stream:
        break

    assert transport.streams[0].closed
    assert transport.streams[0].pulled == 1


# --- async ---------------------------------------------------------------------------------------------


async def test_async_chunks_arrive_one_by_one(make_client: Any, transport: Any) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(True, transport=transport)

    stream = await client.tts.stream(text="A long text")

    body = transport.streams[0]
    assert isinstance(stream, AsyncAudioStream)
    assert body.pulled == 0, "stream() must return before the audio is read"
    received = []
    async for chunk in stream:
        received.append(chunk)
        assert body.pulled == len(received), "a chunk was buffered before the caller asked for it"
    assert received == list(CHUNKS)
    assert body.closed


async def test_async_collect(make_client: Any, transport: Any) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(True, transport=transport)
    stream = await client.tts.stream(text="Hi")

    assert await stream.collect() == b"".join(CHUNKS)
    assert transport.streams[0].closed
    with pytest.raises(StreamConsumedError):
        await stream.collect()


async def test_async_a_stream_can_be_iterated_only_once(make_client: Any, transport: Any) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(True, transport=transport)
    stream = await client.tts.stream(text="Hi")
    assert [chunk async for chunk in stream] == list(CHUNKS)

    with pytest.raises(StreamConsumedError):
        stream.__aiter__()


async def test_async_close_before_reading(make_client: Any, transport: Any) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(True, transport=transport)
    stream = await client.tts.stream(text="Hi")

    await stream.close()

    assert transport.streams[0].closed
    assert transport.streams[0].pulled == 0
    with pytest.raises(StreamConsumedError):
        await stream.collect()


async def test_async_context_manager_closes_after_a_partial_read(make_client: Any, transport: Any) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(True, transport=transport)

    async with await client.tts.stream(text="Hi") as stream:
        async for chunk in stream:
            assert chunk == b"chunk-1"
            break
        assert transport.streams[0].pulled == 1

    assert transport.streams[0].closed


async def test_async_exhaustion_closes(make_client: Any, transport: Any) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(True, transport=transport)
    stream = await client.tts.stream(text="Hi")

    async for _chunk in stream:
        assert not transport.streams[0].closed

    assert transport.streams[0].closed
    assert stream._response.is_closed


async def test_async_early_break_closes_the_response_once_the_loop_runs(
    make_client: Any, transport: Any
) -> None:
    transport.reply(200, *CHUNKS)
    client = make_client(True, transport=transport)
    stream = await client.tts.stream(text="Hi")

    async for _chunk in stream:
        break
    await let_the_loop_run()

    assert transport.streams[0].closed
    assert transport.streams[0].pulled == 1
