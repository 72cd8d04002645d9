"""A client's connection pool lives as long as something uses it, against ``LocalServer`` over loopback.

Its users are the client, its namespaces, its requests in flight and its open streams: the pool is released
when the last of them ends, or at ``close()`` once the streams still open have ended; never under a user.
``gc.collect()`` makes "the client variable went away" happen at a known point.
"""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import fishaudio_ext._http
import fishaudio_ext._streaming
from fishaudio_ext import AsyncFishAudio, ClientStateError, FishAudio, FlushEvent, RequestOptions
from fishaudio_ext.resources.voices import VoicesClient
from fishaudio_ext.server import LocalServer
from fishaudio_ext.utils import play, save
from tests.support.player import install_fake_player

TEXT = "The pool stays open while this sentence is read. " * 8


def served(server: LocalServer, audio: bytes) -> bool:
    """Whether the server produced exactly these bytes as one complete response."""
    return server.context.recall_audio(audio) is not None


def connection(server: LocalServer) -> dict[str, Any]:
    return {"api_key": server.api_key, "base_url": server.url}


@pytest.fixture
def no_resource_warnings() -> Iterator[None]:
    """Fail the test if a socket or transport was left for the garbage collector to close."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        yield
        gc.collect()
    assert [str(warning.message) for warning in caught if warning.category is ResourceWarning] == []


@pytest.fixture
def played(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[bytes]]:
    """A fake ``ffplay`` first on PATH; returns what each of its runs was given to play."""
    return install_fake_player(tmp_path, monkeypatch)


async def until(condition: Callable[[], bool]) -> None:
    """Give the event loop turns (no time passes) until ``condition`` holds; at most a bounded number."""
    for _ in range(100):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never held")


async def finalizers_done() -> None:
    """Wait for the tasks that finalizers start: closing an abandoned stream, or a pool nothing references."""
    await asyncio.gather(*fishaudio_ext._streaming._CLOSING, *fishaudio_ext._http._CLOSING)


def sentences() -> Iterator[str | FlushEvent]:
    yield "A first sentence spoken live."
    yield FlushEvent()


async def async_sentences() -> AsyncIterator[str | FlushEvent]:
    for item in sentences():
        yield item


# --- the client object is gone, what it made still works ----------------------------------------------


def test_a_client_used_in_one_expression(fish_audio_server: LocalServer) -> None:
    audio = FishAudio(**connection(fish_audio_server)).tts.convert(text=TEXT)

    assert served(fish_audio_server, audio)


async def test_an_async_client_used_in_one_expression(fish_audio_server: LocalServer) -> None:
    audio = await AsyncFishAudio(**connection(fish_audio_server)).tts.convert(text=TEXT)

    assert served(fish_audio_server, audio)


def test_a_namespace_kept_from_a_factory(fish_audio_server: LocalServer) -> None:
    def voices_namespace() -> VoicesClient:
        return FishAudio(**connection(fish_audio_server)).voices

    voices = voices_namespace()
    gc.collect()

    assert voices.list(page_size=2).total > 0


async def test_an_async_namespace_kept_from_a_factory(fish_audio_server: LocalServer) -> None:
    voices = AsyncFishAudio(**connection(fish_audio_server)).voices
    gc.collect()

    assert (await voices.list(page_size=2)).total > 0


def test_a_stream_outlives_its_client(fish_audio_server: LocalServer) -> None:
    client = FishAudio(**connection(fish_audio_server))
    stream = client.tts.stream(text=TEXT)
    chunks = iter(stream)
    first = next(chunks)

    del client
    gc.collect()

    assert served(fish_audio_server, first + b"".join(chunks))


async def test_an_async_stream_outlives_its_client(fish_audio_server: LocalServer) -> None:
    client = AsyncFishAudio(**connection(fish_audio_server))
    stream = await client.tts.stream(text=TEXT)
    chunks = stream.__aiter__()
    first = await chunks.__anext__()

    del client
    gc.collect()

    assert served(fish_audio_server, first + b"".join([chunk async for chunk in chunks]))


def test_a_websocket_stream_outlives_its_client(fish_audio_server: LocalServer) -> None:
    client = FishAudio(**connection(fish_audio_server))
    stream = client.tts.stream_websocket(sentences())

    del client
    gc.collect()

    assert served(fish_audio_server, b"".join(stream))


async def test_an_async_websocket_stream_outlives_its_client(fish_audio_server: LocalServer) -> None:
    client = AsyncFishAudio(**connection(fish_audio_server))
    stream = client.tts.stream_websocket(async_sentences())

    del client
    gc.collect()

    assert served(fish_audio_server, b"".join([chunk async for chunk in stream]))


# --- the pool is still released: when nothing references it, or at close() ---------------------------


@pytest.mark.usefixtures("no_resource_warnings")
def test_the_pool_is_released_when_nothing_uses_it(fish_audio_server: LocalServer) -> None:
    client = FishAudio(**connection(fish_audio_server))
    pool = client._http.client
    client.tts.convert(text=TEXT)  # leaves a kept-alive connection in the pool
    stream = client.tts.stream(text=TEXT)

    del client
    gc.collect()
    assert not pool.is_closed  # the stream still uses it
    stream.collect()

    assert pool.is_closed


@pytest.mark.usefixtures("no_resource_warnings")
async def test_the_async_pool_is_released_when_nothing_uses_it(fish_audio_server: LocalServer) -> None:
    client = AsyncFishAudio(**connection(fish_audio_server))
    pool = client._http.client
    await client.tts.convert(text=TEXT)
    stream = await client.tts.stream(text=TEXT)

    del client
    gc.collect()
    assert not pool.is_closed
    await stream.collect()
    del stream

    await until(lambda: pool.is_closed)
    await finalizers_done()


@pytest.mark.usefixtures("no_resource_warnings")
def test_close_lets_an_open_stream_finish_then_releases_the_pool(fish_audio_server: LocalServer) -> None:
    with FishAudio(**connection(fish_audio_server)) as client:
        pool = client._http.client
        stream = client.tts.stream(text=TEXT)

    assert not pool.is_closed
    assert served(fish_audio_server, stream.collect())
    assert pool.is_closed


@pytest.mark.usefixtures("no_resource_warnings")
async def test_async_close_lets_an_open_stream_finish_then_releases_the_pool(
    fish_audio_server: LocalServer,
) -> None:
    async with AsyncFishAudio(**connection(fish_audio_server)) as client:
        pool = client._http.client
        stream = await client.tts.stream(text=TEXT)

    assert not pool.is_closed
    assert served(fish_audio_server, await stream.collect())
    assert pool.is_closed


@pytest.mark.usefixtures("no_resource_warnings")
def test_an_unread_stream_dropped_after_close_releases_the_pool(fish_audio_server: LocalServer) -> None:
    with FishAudio(**connection(fish_audio_server)) as client:
        pool = client._http.client
        stream = client.tts.stream(text=TEXT)

    assert not pool.is_closed
    del stream
    gc.collect()

    assert pool.is_closed


@pytest.mark.usefixtures("no_resource_warnings")
async def test_an_unread_async_stream_dropped_after_close_releases_the_pool(
    fish_audio_server: LocalServer,
) -> None:
    async with AsyncFishAudio(**connection(fish_audio_server)) as client:
        pool = client._http.client
        stream = await client.tts.stream(text=TEXT)

    assert not pool.is_closed
    del stream
    gc.collect()

    await until(lambda: pool.is_closed)
    await finalizers_done()


async def test_async_close_lets_a_request_in_flight_finish(fish_audio_server: LocalServer) -> None:
    fish_audio_server.faults.delay(30, times=1)
    client = AsyncFishAudio(**connection(fish_audio_server))
    request = asyncio.create_task(client.tts.convert(text=TEXT))
    assert await asyncio.to_thread(fish_audio_server.wait_for_in_flight, 1)

    await client.close()
    fish_audio_server.faults.clear()  # the held request goes on

    assert served(fish_audio_server, await request)
    assert client._http.client.is_closed


async def test_a_closed_client_refuses_new_requests(is_async: bool, fish_audio_server: LocalServer) -> None:
    if is_async:
        async with AsyncFishAudio(**connection(fish_audio_server)) as async_client:
            pass
        with pytest.raises(ClientStateError, match="client is closed"):
            await async_client.tts.convert(text=TEXT)
        with pytest.raises(ClientStateError, match="client is closed"):
            async_client.tts.stream_websocket(async_sentences())
    else:
        with FishAudio(**connection(fish_audio_server)) as client:
            pass
        with pytest.raises(ClientStateError, match="client is closed"):
            client.tts.convert(text=TEXT)
        with pytest.raises(ClientStateError, match="client is closed"):
            client.tts.stream_websocket(sentences())


def test_a_websocket_stream_made_before_close_still_reads_to_its_end(fish_audio_server: LocalServer) -> None:
    with FishAudio(**connection(fish_audio_server)) as client:
        stream = client.tts.stream_websocket(sentences())

    assert served(fish_audio_server, b"".join(stream))


# --- nothing lost silently: save()/play() not awaited inside `async with` ---------------------------------


def test_an_unawaited_save_inside_async_with_writes_the_file(
    fish_audio_server: LocalServer, tmp_path: Path
) -> None:
    target = tmp_path / "out.mp3"

    async def main() -> None:
        async with AsyncFishAudio(**connection(fish_audio_server)) as client:
            save(await client.tts.stream(text=TEXT), target)

    asyncio.run(main())

    assert served(fish_audio_server, target.read_bytes())


def test_an_unawaited_play_inside_async_with_plays_everything(
    fish_audio_server: LocalServer, played: Callable[[], list[bytes]]
) -> None:
    async def main() -> None:
        async with AsyncFishAudio(**connection(fish_audio_server)) as client:
            play(await client.tts.stream(text=TEXT))

    asyncio.run(main())

    (audio,) = played()
    assert served(fish_audio_server, audio)


def test_unawaited_websocket_save_and_play_inside_async_with_finish(
    fish_audio_server: LocalServer, tmp_path: Path, played: Callable[[], list[bytes]]
) -> None:
    target = tmp_path / "live.mp3"

    async def main() -> None:
        async with AsyncFishAudio(**connection(fish_audio_server)) as client:
            save(client.tts.stream_websocket(async_sentences()), target)
            play(client.tts.stream_websocket(async_sentences()))

    asyncio.run(main())

    assert served(fish_audio_server, target.read_bytes())
    (audio,) = played()
    assert served(fish_audio_server, audio)


# --- one event loop per AsyncFishAudio ---------------------------------------------------------------------


def test_an_async_client_used_from_a_second_asyncio_run_says_what_to_do(
    fish_audio_server: LocalServer,
) -> None:
    client = AsyncFishAudio(**connection(fish_audio_server))
    # Connection: close leaves the pool empty, so that no socket of the first loop outlives the test.
    no_keepalive = RequestOptions(additional_headers={"Connection": "close"})

    async def convert() -> bytes:
        return await client.tts.convert(text=TEXT, request_options=no_keepalive)

    assert served(fish_audio_server, asyncio.run(convert()))

    with pytest.raises(ClientStateError, match=r"another event loop .* inside the coroutine"):
        asyncio.run(convert())
    with pytest.raises(ClientStateError, match="another event loop"):
        asyncio.run(client.close())


def test_an_async_client_made_in_each_asyncio_run_works(fish_audio_server: LocalServer) -> None:
    async def convert() -> bytes:
        async with AsyncFishAudio(**connection(fish_audio_server)) as client:
            return await client.tts.convert(text=TEXT)

    assert served(fish_audio_server, asyncio.run(convert()))
    assert served(fish_audio_server, asyncio.run(convert()))


def test_an_injected_pool_is_never_closed_by_the_client(fish_audio_server: LocalServer) -> None:
    with httpx.Client() as injected:
        tts = FishAudio(**connection(fish_audio_server), httpx_client=injected).tts
        gc.collect()
        tts.convert(text=TEXT)
        del tts
        gc.collect()

        assert not injected.is_closed
