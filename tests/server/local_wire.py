"""Test helpers for the local server: transports that record every exchange, so each response can be
checked against the spec, and small audio helpers."""

from __future__ import annotations

import array
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from fishaudio_ext.server import assert_conforms

KEY = "local-test-key"
"""The API key of the test server."""
ADRIAN = "bf322df2096a46f18c579d0baa36f41d"
SARAH = "933563129e564b19a115bedd57b7406a"


@dataclass
class Exchange:
    """One request and its response, with the body as the client received it."""

    method: str
    path: str
    response: httpx.Response
    body: bytearray = field(default_factory=bytearray)
    complete: bool = False
    checked: bool = False


class Recorder:
    """Every exchange made through the recording transports of one test."""

    def __init__(self) -> None:
        self.exchanges: list[Exchange] = []

    def check_all(self) -> None:
        """``assert_conforms`` on every exchange not checked yet (a broken body is checked as empty)."""
        for exchange in self.exchanges:
            if exchange.checked:
                continue
            exchange.checked = True
            content = bytes(exchange.body) if exchange.complete else b""
            assert_conforms(exchange.method, exchange.path, exchange.response, content=content)

    def undocumented(self, response: httpx.Response, reason: str) -> None:
        """Assert that the spec does not document ``response``; ``reason`` says why (a known gap, reported
        to the spec's owner). Fails once the spec covers it, so the test can then check it like the others."""
        request = response.request
        with pytest.raises(AssertionError):
            assert_conforms(request.method, request.url.path, response)
        for exchange in self.exchanges:
            if exchange.response is response:
                exchange.checked = True


class _SyncTee(httpx.SyncByteStream):
    def __init__(self, stream: httpx.SyncByteStream) -> None:
        self._stream = stream
        self.exchange: Exchange | None = None

    def __iter__(self) -> Iterator[bytes]:
        assert self.exchange is not None
        for chunk in self._stream:
            self.exchange.body += chunk
            yield chunk
        self.exchange.complete = True

    def close(self) -> None:
        self._stream.close()


class _AsyncTee(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream) -> None:
        self._stream = stream
        self.exchange: Exchange | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        assert self.exchange is not None
        async for chunk in self._stream:
            self.exchange.body += chunk
            yield chunk
        self.exchange.complete = True

    async def aclose(self) -> None:
        await self._stream.aclose()


class RecordingTransport(httpx.HTTPTransport):
    """A real HTTP transport that records each exchange in a :class:`Recorder`."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        assert isinstance(response.stream, httpx.SyncByteStream)
        tee = _SyncTee(response.stream)
        recorded = httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=tee,
            extensions=response.extensions,
            request=request,
        )
        tee.exchange = Exchange(request.method, request.url.path, recorded)
        self.recorder.exchanges.append(tee.exchange)
        return recorded


class AsyncRecordingTransport(httpx.AsyncHTTPTransport):
    """The async twin of :class:`RecordingTransport`."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        tee = _AsyncTee(response.stream)
        recorded = httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=tee,
            extensions=response.extensions,
            request=request,
        )
        tee.exchange = Exchange(request.method, request.url.path, recorded)
        self.recorder.exchanges.append(tee.exchange)
        return recorded


def peak(pcm: bytes) -> int:
    """The largest absolute sample of 16-bit little-endian mono audio."""
    samples = array.array("h", pcm)
    if sys.byteorder == "big":
        samples.byteswap()
    return max((abs(s) for s in samples), default=0)
