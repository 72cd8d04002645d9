"""pytest fixtures for testing an application against the local server (registered as a ``pytest11`` plugin).

* ``fish_audio_server``: a :class:`LocalServer` shared by the whole session and reset before each test
  (library voices only, starting credit, no faults, pacing ``none``), so tests are isolated but the
  server starts once. Change it freely in a test: ``fish_audio_server.faults.fail(503)``.
* ``fish_audio_client``: a ``FishAudio`` client for it, closed after the test.
* ``async_fish_audio_client``: an ``AsyncFishAudio`` client for it (needs pytest-asyncio, or anyio's
  plugin with the test marked ``anyio``).

The server speaks with the ``fast`` engine (deterministic tones, thousands of times real time), so suites
stay fast and reproducible. For real speech (espeak-ng, ``pip install 'fishaudio-ext[speech]'``) set
``fish_audio_engine = espeak`` in the ``[pytest]`` ini section, or give a test its own
``LocalServer(engine="espeak")``.

Example::

    def test_greeting(fish_audio_client):
        audio = fish_audio_client.tts.convert(text="Hello!")
        assert audio
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from .._client import AsyncFishAudio, FishAudio
from ._engines import DEFAULT_ENGINE
from ._local import LocalServer

try:
    import pytest_asyncio

    _async_fixture: Callable[..., Any] = pytest_asyncio.fixture
except ImportError:  # anyio's pytest plugin handles plain async fixtures
    _async_fixture = pytest.fixture


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "fish_audio_engine",
        "speech engine of the fish_audio_server fixture: fast (the default) or espeak",
        default=DEFAULT_ENGINE,
    )


@pytest.fixture(scope="session")
def fish_audio_server_session(pytestconfig: pytest.Config) -> Iterator[LocalServer]:
    """The session's server; prefer ``fish_audio_server``, which resets it before each test."""
    with LocalServer(engine=str(pytestconfig.getini("fish_audio_engine"))) as server:
        yield server


@pytest.fixture
def fish_audio_server(fish_audio_server_session: LocalServer) -> LocalServer:
    """The local server, reset to its initial state for this test."""
    fish_audio_server_session.reset()
    return fish_audio_server_session


@pytest.fixture
def fish_audio_client(fish_audio_server: LocalServer) -> Iterator[FishAudio]:
    """A synchronous client of the local server."""
    with FishAudio(base_url=fish_audio_server.url, api_key=fish_audio_server.api_key) as client:
        yield client


@_async_fixture
async def async_fish_audio_client(fish_audio_server: LocalServer) -> AsyncIterator[AsyncFishAudio]:
    """An asynchronous client of the local server."""
    async with AsyncFishAudio(base_url=fish_audio_server.url, api_key=fish_audio_server.api_key) as client:
        yield client
