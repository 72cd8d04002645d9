"""A refused ``/v1/tts/live`` handshake is retried like an HTTP request: statuses, backoff, Retry-After."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from local_wire import KEY

from fishaudio_ext import AsyncFishAudio, AuthenticationError, FishAudio, ServerError
from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._codecs import probe
from tests.support.clock import FakeClock
from tests.support.server_log import quiet_server_log  # noqa: F401 (autouse: the server logs no error)

LIVE = "/v1/tts/live"


def test_a_503_handshake_is_retried_and_the_session_completes(server: LocalServer) -> None:
    clock = FakeClock()
    server.faults.fail(503, times=2, path=LIVE, retry_after=3)
    with FishAudio(base_url=server.url, api_key=KEY, clock=clock) as client:
        audio = b"".join(client.tts.stream_websocket(["Hello again."], format="wav"))
    assert clock.delays == [3, 3]  # the server's Retry-After, twice
    info = probe(audio)
    assert info is not None
    assert info.duration > 0.5


async def test_async_a_429_handshake_is_retried_with_backoff(server: LocalServer) -> None:
    clock = FakeClock()
    server.faults.fail(429, times=1, path=LIVE)
    async with AsyncFishAudio(base_url=server.url, api_key=KEY, clock=clock) as client:
        audio = b"".join([chunk async for chunk in client.tts.stream_websocket(_words(), format="mp3")])
    assert len(clock.delays) == 1
    assert 0.375 <= clock.delays[0] <= 0.5  # the first backoff step, with jitter
    assert probe(audio) is not None


def test_retries_give_up_after_max_retries(server: LocalServer) -> None:
    clock = FakeClock()
    server.faults.fail(503, times=3, path=LIVE)
    client = FishAudio(base_url=server.url, api_key=KEY, clock=clock, max_retries=2)
    with client, pytest.raises(ServerError) as failed:
        list(client.tts.stream_websocket(["Hi"]))
    assert failed.value.status == 503
    assert len(clock.delays) == 2


def test_a_refused_key_is_not_retried(server: LocalServer) -> None:
    clock = FakeClock()
    client = FishAudio(base_url=server.url, api_key="wrong-key", clock=clock)
    with client, pytest.raises(AuthenticationError):
        list(client.tts.stream_websocket(["Hi"]))
    assert clock.delays == []


async def _words() -> AsyncIterator[str]:
    for word in ("Retried ", "and ", "spoken."):
        yield word
