"""Fixtures of the local server tests: one server per session (reset before each test) and clients whose
every exchange is recorded and checked against the spec with ``assert_conforms`` when the test ends."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from local_wire import KEY, AsyncRecordingTransport, Recorder, RecordingTransport

from fishaudio_ext import AsyncFishAudio, FishAudio
from fishaudio_ext.server import LocalServer


@pytest.fixture(scope="session")
def session_server() -> Iterator[LocalServer]:
    with LocalServer(api_key=KEY) as server:
        yield server


@pytest.fixture
def server(session_server: LocalServer) -> LocalServer:
    """The local server in its initial state: library voices, USD 10 of credit, no faults, no pacing."""
    session_server.reset()
    return session_server


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """Records the exchanges of the clients below; each must conform to the spec."""
    recorder = Recorder()
    yield recorder
    recorder.check_all()


@pytest.fixture
def http(server: LocalServer, recorder: Recorder) -> Iterator[httpx.Client]:
    """Raw HTTP to the server, authenticated."""
    headers = {"Authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=server.url, headers=headers, transport=RecordingTransport(recorder)) as client:
        yield client


@pytest.fixture
async def async_http(server: LocalServer, recorder: Recorder) -> AsyncIterator[httpx.AsyncClient]:
    """Raw async HTTP to the server, authenticated."""
    headers = {"Authorization": f"Bearer {KEY}"}
    transport = AsyncRecordingTransport(recorder)
    async with httpx.AsyncClient(base_url=server.url, headers=headers, transport=transport) as client:
        yield client


@pytest.fixture
def client(server: LocalServer, recorder: Recorder) -> Iterator[FishAudio]:
    """The fishaudio_ext client, without retries so each error surfaces."""
    transport = httpx.Client(transport=RecordingTransport(recorder))
    with (
        transport,
        FishAudio(base_url=server.url, api_key=KEY, httpx_client=transport, max_retries=0) as client,
    ):
        yield client


@pytest.fixture
async def async_client(server: LocalServer, recorder: Recorder) -> AsyncIterator[AsyncFishAudio]:
    """The async fishaudio_ext client, without retries."""
    transport = httpx.AsyncClient(transport=AsyncRecordingTransport(recorder))
    client = AsyncFishAudio(base_url=server.url, api_key=KEY, httpx_client=transport, max_retries=0)
    async with transport, client:
        yield client
