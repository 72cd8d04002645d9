"""``client.tts.stream`` over real HTTP on 127.0.0.1: audio reaches the caller as the server sends it.

The official SDK reads the whole body before its ``stream()`` yields anything. These tests pin down that
fishaudio_ext does not: the first chunk is delivered while the server still holds the rest back, memory
stays flat over 64 MB, the pooled connection is released however a stream ends, and ``save`` writes a
streamed file atomically.
"""

from __future__ import annotations

import gc
import hashlib
import threading
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest

from fishaudio_ext import (
    APIConnectionError,
    AsyncAudioStream,
    AsyncFishAudio,
    AudioStream,
    AuthenticationError,
    FishAudio,
)
from fishaudio_ext.utils import save
from tests.support.loopback_api import BAD_API_KEY, TEST_API_KEY, LoopbackAPI, StreamPlan, audio_for

TEXT = "A sentence long enough to be sent as a good number of HTTP chunks by the loopback server."
FIRST_CHUNK = 256
# A connection that is never given back makes the next request wait for the pool: fail fast.
POOL_TIMEOUT = 1.0


def sync_client(api: LoopbackAPI, httpx_client: httpx.Client | None = None) -> FishAudio:
    # No retries: a failure must surface at once, not be retried into a pass or a long wait.
    return FishAudio(api_key=TEST_API_KEY, base_url=api.url, max_retries=0, httpx_client=httpx_client)


def async_client(api: LoopbackAPI, httpx_client: httpx.AsyncClient | None = None) -> AsyncFishAudio:
    return AsyncFishAudio(api_key=TEST_API_KEY, base_url=api.url, max_retries=0, httpx_client=httpx_client)


# --- the first chunk arrives before the server sends the rest ------------------------------------------


def test_first_chunk_arrives_while_the_server_holds_the_rest_back(api: LoopbackAPI) -> None:
    release = threading.Event()
    plan = api.plan_tts(StreamPlan(chunk_size=FIRST_CHUNK, hold=release))
    expected = audio_for(TEXT)

    with sync_client(api) as client, client.tts.stream(text=TEXT) as audio:
        chunks = iter(audio)
        received = b""
        while len(received) < FIRST_CHUNK:
            received += next(chunks)
        # The server is blocked until this point: whatever arrived was sent before the rest existed.
        assert received == expected[:FIRST_CHUNK]
        release.set()
        received += b"".join(chunks)

    assert not plan.hold_timed_out
    assert received == expected


async def test_first_chunk_arrives_while_the_server_holds_the_rest_back_async(api: LoopbackAPI) -> None:
    release = threading.Event()
    plan = api.plan_tts(StreamPlan(chunk_size=FIRST_CHUNK, hold=release))
    expected = audio_for(TEXT)

    async with async_client(api) as client, await client.tts.stream(text=TEXT) as audio:
        chunks = aiter(audio)
        received = b""
        while len(received) < FIRST_CHUNK:
            received += await anext(chunks)
        assert received == expected[:FIRST_CHUNK]
        release.set()
        received += b"".join([chunk async for chunk in chunks])

    assert not plan.hold_timed_out
    assert received == expected


# --- memory stays flat ----------------------------------------------------------------------------------

STREAM_BYTES = 64 * 1024 * 1024
STREAM_CHUNK = 64 * 1024
MAX_PEAK_BYTES = 4 * 1024 * 1024


def _expected_digest(plan: StreamPlan) -> str:
    digest = hashlib.sha256()
    block = plan.pattern()
    for _ in range(STREAM_BYTES // STREAM_CHUNK):
        digest.update(block)
    return digest.hexdigest()


def test_streaming_64_mb_keeps_memory_flat(api: LoopbackAPI) -> None:
    plan = api.plan_tts(StreamPlan(chunk_size=STREAM_CHUNK, total_bytes=STREAM_BYTES))
    digest, size = hashlib.sha256(), 0

    with sync_client(api) as client:
        tracemalloc.start()
        try:
            for chunk in client.tts.stream(text=TEXT):
                digest.update(chunk)
                size += len(chunk)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert size == STREAM_BYTES
    assert digest.hexdigest() == _expected_digest(plan)
    assert peak < MAX_PEAK_BYTES, f"peak traced memory {peak / 2**20:.1f} MiB while streaming 64 MiB"


async def test_streaming_64_mb_keeps_memory_flat_async(api: LoopbackAPI) -> None:
    plan = api.plan_tts(StreamPlan(chunk_size=STREAM_CHUNK, total_bytes=STREAM_BYTES))
    digest, size = hashlib.sha256(), 0

    async with async_client(api) as client:
        tracemalloc.start()
        try:
            async for chunk in await client.tts.stream(text=TEXT):
                digest.update(chunk)
                size += len(chunk)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert size == STREAM_BYTES
    assert digest.hexdigest() == _expected_digest(plan)
    assert peak < MAX_PEAK_BYTES, f"peak traced memory {peak / 2**20:.1f} MiB while streaming 64 MiB"


# --- the pooled connection is released however a stream ends -------------------------------------------


def _read_all(stream: AudioStream) -> None:
    for _ in stream:
        pass


def _collect_in_context(stream: AudioStream) -> None:
    with stream as audio:
        audio.collect()


def _close_after_first_chunk(stream: AudioStream) -> None:
    next(iter(stream))
    stream.close()


def _leave_context_after_first_chunk(stream: AudioStream) -> None:
    with stream as audio:
        for _ in audio:
            break


def _abandon_unread(stream: AudioStream) -> None:
    del stream


def _abandon_after_first_chunk(stream: AudioStream) -> None:
    chunks = iter(stream)
    next(chunks)
    del chunks, stream


# Whether the next request can go over the same TCP connection: only a body read to its end leaves it
# reusable. A half-read one is closed, and its pool slot freed, which is what matters for those.
ENDINGS = [
    pytest.param(_read_all, True, id="exhausted"),
    pytest.param(_collect_in_context, True, id="collected in a with block"),
    pytest.param(_close_after_first_chunk, False, id="closed after the first chunk"),
    pytest.param(_leave_context_after_first_chunk, False, id="with block left after the first chunk"),
    pytest.param(_abandon_unread, False, id="abandoned unread"),
    pytest.param(_abandon_after_first_chunk, False, id="abandoned after the first chunk"),
]


def _plan_first_stream(api: LoopbackAPI, reuses_connection: bool) -> threading.Event:
    """Hold the first stream after one chunk when it is to be ended early, so it really ends mid-body."""
    release = threading.Event()
    if reuses_connection:
        release.set()
    api.plan_tts(StreamPlan(chunk_size=FIRST_CHUNK, hold=release))
    return release


def _tts_ports(api: LoopbackAPI) -> list[int]:
    return [request.client_port for request in api.requests_to("POST", "/v1/tts")]


@pytest.mark.parametrize(("end_stream", "reuses_connection"), ENDINGS)
def test_connection_returns_to_the_pool(
    api: LoopbackAPI, end_stream: Callable[[AudioStream], None], reuses_connection: bool
) -> None:
    release = _plan_first_stream(api, reuses_connection)
    limits = httpx.Limits(max_connections=1)
    with httpx.Client(limits=limits, timeout=httpx.Timeout(5.0, pool=POOL_TIMEOUT)) as http:
        client = sync_client(api, httpx_client=http)
        end_stream(client.tts.stream(text=TEXT))
        gc.collect()
        release.set()

        # With one connection in the pool, these wait forever (PoolTimeout) if the first one leaked.
        assert client.tts.convert(text="second") == audio_for("second")
        assert client.tts.stream(text="third").collect() == audio_for("third")

    first, second, third = _tts_ports(api)
    assert second == third, "an exhausted stream's connection should be reused"
    if reuses_connection:
        assert first == second, "an exhausted stream's connection should be reused"


async def _read_all_async(stream: AsyncAudioStream) -> None:
    async for _ in stream:
        pass


async def _collect_in_context_async(stream: AsyncAudioStream) -> None:
    async with stream as audio:
        await audio.collect()


async def _close_after_first_chunk_async(stream: AsyncAudioStream) -> None:
    await anext(aiter(stream))
    await stream.close()


async def _leave_context_after_first_chunk_async(stream: AsyncAudioStream) -> None:
    async with stream as audio:
        async for _ in audio:
            break


async def _abandon_unread_async(stream: AsyncAudioStream) -> None:
    del stream


async def _abandon_after_first_chunk_async(stream: AsyncAudioStream) -> None:
    chunks = aiter(stream)
    await anext(chunks)
    del chunks, stream


ASYNC_ENDINGS = [
    pytest.param(_read_all_async, True, id="exhausted"),
    pytest.param(_collect_in_context_async, True, id="collected in an async with block"),
    pytest.param(_close_after_first_chunk_async, False, id="closed after the first chunk"),
    pytest.param(_leave_context_after_first_chunk_async, False, id="async with left after the first chunk"),
    pytest.param(_abandon_unread_async, False, id="abandoned unread"),
    pytest.param(_abandon_after_first_chunk_async, False, id="abandoned after the first chunk"),
]


@pytest.mark.parametrize(("end_stream", "reuses_connection"), ASYNC_ENDINGS)
async def test_connection_returns_to_the_pool_async(
    api: LoopbackAPI,
    end_stream: Callable[[AsyncAudioStream], Awaitable[None]],
    reuses_connection: bool,
) -> None:
    release = _plan_first_stream(api, reuses_connection)
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(5.0, pool=POOL_TIMEOUT)) as http:
        client = async_client(api, httpx_client=http)
        await end_stream(await client.tts.stream(text=TEXT))
        gc.collect()
        release.set()

        assert await client.tts.convert(text="second") == audio_for("second")
        assert await (await client.tts.stream(text="third")).collect() == audio_for("third")

    first, second, third = _tts_ports(api)
    assert second == third, "an exhausted stream's connection should be reused"
    if reuses_connection:
        assert first == second, "an exhausted stream's connection should be reused"


# --- save() writes a streamed file, atomically -----------------------------------------------------------


def _assert_only_file(directory: Path, name: str, content: bytes) -> None:
    assert [path.name for path in directory.iterdir()] == [name]
    assert (directory / name).read_bytes() == content


def test_save_writes_the_streamed_audio(api: LoopbackAPI, tmp_path: Path) -> None:
    with sync_client(api) as client:
        save(client.tts.stream(text=TEXT), tmp_path / "hello.mp3")

    _assert_only_file(tmp_path, "hello.mp3", audio_for(TEXT))


async def test_save_writes_the_streamed_audio_async(api: LoopbackAPI, tmp_path: Path) -> None:
    async with async_client(api) as client:
        await save(await client.tts.stream(text=TEXT), tmp_path / "hello.mp3")

    _assert_only_file(tmp_path, "hello.mp3", audio_for(TEXT))


@pytest.fixture(params=[False, True], ids=["new file", "existing file"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """Where save() writes; with an earlier version already there, or not. Checks it is left as it was."""
    path = tmp_path / "speech.mp3"
    if request.param:
        path.write_bytes(b"earlier audio")
    yield path
    assert sorted(tmp_path.iterdir()) == ([path] if request.param else []), "a partial file was left"
    if request.param:
        assert path.read_bytes() == b"earlier audio"


def test_connection_dropped_mid_stream_leaves_no_file(api: LoopbackAPI, target: Path) -> None:
    api.plan_tts(StreamPlan(chunk_size=FIRST_CHUNK, drop_after_chunks=2))
    with sync_client(api) as client, pytest.raises(APIConnectionError):
        save(client.tts.stream(text=TEXT), target)


async def test_connection_dropped_mid_stream_leaves_no_file_async(api: LoopbackAPI, target: Path) -> None:
    api.plan_tts(StreamPlan(chunk_size=FIRST_CHUNK, drop_after_chunks=2))
    async with async_client(api) as client:
        with pytest.raises(APIConnectionError):
            await save(await client.tts.stream(text=TEXT), target)


# --- what goes over the wire -----------------------------------------------------------------------------


def test_stream_sends_an_authenticated_msgpack_request_and_gets_the_asked_format(api: LoopbackAPI) -> None:
    with sync_client(api) as client, client.tts.stream(text=TEXT, format="wav") as audio:
        assert audio.collect() == audio_for(TEXT, "wav")

    (request,) = api.requests_to("POST", "/v1/tts")
    assert request.headers["authorization"] == f"Bearer {TEST_API_KEY}"
    assert request.headers["content-type"] == "application/msgpack"
    assert request.payload()["text"] == TEXT
    assert request.payload()["format"] == "wav"
    assert request.status == 200


def test_stream_raises_authentication_error_before_any_audio(api: LoopbackAPI) -> None:
    with (
        FishAudio(api_key=BAD_API_KEY, base_url=api.url) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.tts.stream(text=TEXT)

    assert caught.value.status == 401
    assert caught.value.message == "Invalid API key"
    assert BAD_API_KEY not in str(caught.value)


async def test_stream_raises_authentication_error_before_any_audio_async(api: LoopbackAPI) -> None:
    async with AsyncFishAudio(api_key=BAD_API_KEY, base_url=api.url) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.tts.stream(text=TEXT)

    assert caught.value.status == 401
    assert caught.value.message == "Invalid API key"
