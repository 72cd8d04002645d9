"""Fixtures of the client tests: a fake clock, a scripted transport, a respx router and client factories."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

from fishaudio_ext import AsyncFishAudio, FishAudio
from tests.support.clock import FakeClock

BASE_URL = "https://api.fish.audio"


class RecordingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that records how many chunks were pulled and whether it was closed."""

    def __init__(self, chunks: tuple[bytes, ...], error: Exception | None) -> None:
        self.chunks = chunks
        self.error = error
        self.pulled = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.pulled += 1
            yield chunk
        if self.error is not None:
            raise self.error

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.pulled += 1
            yield chunk
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


class ScriptedTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers each request with the next scripted step (the last one repeats); keeps every body handed out.

    Example: ``ScriptedTransport().reply(503).reply(200, b"a", b"b", error=httpx.ReadError("cut"))``.
    """

    def __init__(self) -> None:
        self._steps: list[Exception | tuple[int, tuple[bytes, ...], dict[str, str], Exception | None]] = []
        self.requests: list[httpx.Request] = []
        self.streams: list[RecordingStream] = []

    def reply(
        self,
        status: int = 200,
        *chunks: bytes,
        headers: dict[str, str] | None = None,
        error: Exception | None = None,
    ) -> ScriptedTransport:
        self._steps.append((status, chunks, headers or {}, error))
        return self

    def fail(self, error: Exception) -> ScriptedTransport:
        self._steps.append(error)
        return self

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self._steps.pop(0) if len(self._steps) > 1 else self._steps[0]
        if isinstance(step, Exception):
            raise step
        status, chunks, headers, error = step
        stream = RecordingStream(chunks, error)
        self.streams.append(stream)
        return httpx.Response(status, headers=headers, stream=stream)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return self._answer(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._answer(request)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def transport() -> ScriptedTransport:
    return ScriptedTransport()


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    """respx mock of https://api.fish.audio for the default transports of FishAudio and AsyncFishAudio."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mock:
        yield mock


MakeClient = Callable[..., Any]


@pytest.fixture
async def make_client(clock: FakeClock) -> AsyncIterator[MakeClient]:
    """Build FishAudio (or AsyncFishAudio) with a test key and the fake clock; all are closed afterwards.

    ``transport=`` wraps a transport in an injected httpx client of the matching kind.
    """
    made: list[Any] = []

    def make(is_async: bool, *, transport: ScriptedTransport | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("api_key", "sk-test-key")
        kwargs.setdefault("clock", clock)
        if transport is not None:
            injected = (
                httpx.AsyncClient(transport=transport) if is_async else httpx.Client(transport=transport)
            )
            made.append(injected)
            kwargs["httpx_client"] = injected
        client = AsyncFishAudio(**kwargs) if is_async else FishAudio(**kwargs)
        made.append(client)
        return client

    yield make
    for item in reversed(made):
        closing = item.aclose() if isinstance(item, httpx.AsyncClient) else item.close()
        if inspect.isawaitable(closing):
            await closing
