"""Fixtures of the loopback tests: the scripted Fish Audio API, the scripted ``/v1/tts/live`` server, a
WebSocket client of each kind aimed at it, and a fake ``ffplay`` on PATH."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from tests.support.live_calls import LiveTwin, live_twin
from tests.support.live_server import LiveServer
from tests.support.loopback_api import LoopbackAPI
from tests.support.player import install_fake_player


@pytest.fixture
def api() -> Iterator[LoopbackAPI]:
    """A fresh loopback API per test, on an ephemeral port of 127.0.0.1."""
    with LoopbackAPI() as server:
        yield server
    assert server.errors == [], "the loopback API failed while handling a request"


@pytest.fixture
def live_server() -> Iterator[LiveServer]:
    """A fresh scripted ``/v1/tts/live`` server per test, on an ephemeral port of 127.0.0.1."""
    with LiveServer().running() as running:
        yield running


@pytest.fixture
async def twin(live_server: LiveServer, is_async: bool) -> AsyncIterator[LiveTwin]:
    """The sync, then the async client aimed at :func:`live_server` (key ``test-key``, header ``X-App``)."""
    client = live_twin(
        is_async, api_key="test-key", base_url=live_server.base_url, default_headers={"X-App": "tests"}
    )
    yield client
    await client.close()


@pytest.fixture
def played(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], list[bytes]]:
    """Put a fake ``ffplay`` first on PATH, so ``play()`` streams into it instead of a speaker.

    Returns a function that lists what it received: one ``bytes`` per run, everything written to its stdin.
    """
    return install_fake_player(tmp_path_factory.mktemp("player"), monkeypatch)
