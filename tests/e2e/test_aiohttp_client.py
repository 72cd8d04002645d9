"""AsyncFishAudio over the optional aiohttp transport behaves as over httpx's own pool."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from fishaudio_ext import APIConnectionError, AsyncFishAudio, NotFoundError
from fishaudio_ext.aiohttp import DefaultAioHttpClient
from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._codecs import probe


@pytest.fixture
async def client(fish_audio_server: LocalServer) -> AsyncIterator[AsyncFishAudio]:
    server = fish_audio_server
    async with (
        DefaultAioHttpClient() as http,
        AsyncFishAudio(
            base_url=server.url, api_key=server.api_key, httpx_client=http, max_retries=1
        ) as client,
    ):
        yield client


async def test_concurrent_converts_all_succeed(
    client: AsyncFishAudio, fish_audio_server: LocalServer
) -> None:
    fish_audio_server.concurrency_limit = 100
    texts = [f"Sentence number {i}." for i in range(40)]
    results = await asyncio.gather(*(client.tts.convert(text=text, format="wav") for text in texts))
    for audio in results:
        info = probe(audio)
        assert info is not None
        assert info.duration > 0.5


async def test_streaming_and_errors_are_the_same(
    client: AsyncFishAudio, fish_audio_server: LocalServer
) -> None:
    stream = await client.tts.stream(text="Streamed through aiohttp.", format="mp3")
    assert probe(await stream.collect()) is not None
    with pytest.raises(NotFoundError):
        await client.voices.get("0" * 32)
    fish_audio_server.faults.fail(503, times=1)
    assert len(await client.tts.convert(text="Retried once.")) > 0


async def test_a_dropped_stream_is_an_api_connection_error(
    client: AsyncFishAudio, fish_audio_server: LocalServer
) -> None:
    fish_audio_server.faults.drop(after_chunks=1)
    stream = await client.tts.stream(text="A long enough text to need several chunks. " * 10, format="wav")
    with pytest.raises(APIConnectionError):
        await stream.collect()
