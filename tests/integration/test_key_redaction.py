"""The API key never shows in a log record of any library the client drives, nor in an error's attributes.

Every record reaching the root logger at DEBUG is captured during real loopback traffic: HTTP and WebSocket,
sync and async, accepted, refused and retried. A hostile server echoes the key back in bodies, headers, a
WebSocket ``finish`` event and a close reason; the resulting exceptions must not carry it anywhere.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from fishaudio_ext import (
    APIError,
    AsyncFishAudio,
    AuthenticationError,
    FishAudio,
    FishAudioError,
    TextEvent,
    UnprocessableEntityError,
    WebSocketError,
)
from fishaudio_ext.aiohttp import DefaultAioHttpClient
from fishaudio_ext.server import LocalServer
from tests.support.live_server import LiveServer, Peer

# The servers run in this process, so their own records are captured too; they are not the client's.
_SERVER_LOGGERS = ("websockets.server", "uvicorn", "fishaudio_ext.server")


def new_key() -> str:
    return "sk-" + secrets.token_hex(16)


@pytest.fixture(scope="module")
def local_server() -> Iterator[LocalServer]:
    with LocalServer(api_key=new_key()) as server:
        yield server


@pytest.fixture
def server(local_server: LocalServer) -> LocalServer:
    local_server.reset()
    return local_server


@pytest.fixture
def records(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Captures every record of this test at DEBUG from the root logger."""
    caplog.set_level(logging.DEBUG)
    return caplog


def assert_no_key(records: pytest.LogCaptureFixture, *keys: str) -> None:
    client_records = [r for r in records.records if not r.name.startswith(_SERVER_LOGGERS)]
    # The traffic was logged at all: the handshake headers are there.
    assert any(r.name == "websockets.client" and "Authorization" in r.getMessage() for r in client_records)
    formatter = logging.Formatter()
    for record in client_records:
        shown = [record.getMessage(), repr(record.args), record.exc_text or "", formatter.format(record)]
        for key in keys:
            assert not any(key in text for text in shown), f"{record.name} logged the key: {shown[0]}"


def assert_error_has_no_key(error: FishAudioError, key: str) -> None:
    public = {name: value for name, value in vars(error).items() if not name.startswith("_")}
    assert public, "the error has no attributes to check"
    shown = [str(error), repr(error), repr(public), repr(error.args)]
    shown += [f"{name}: {value}" for name, value in getattr(error, "headers", {}).items()]
    assert not any(key in text for text in shown), shown
    assert "[redacted]" in repr(public)


def test_sync_traffic_logs_no_key(server: LocalServer, records: pytest.LogCaptureFixture) -> None:
    wrong_key = new_key()
    with FishAudio(api_key=server.api_key, base_url=server.url, max_retries=2) as client:
        assert client.tts.convert(text="Hello.")
        assert b"".join(client.tts.stream(text="Streamed."))
        assert client.voices.list().items
        assert b"".join(client.tts.stream_websocket(["Live ", TextEvent(text="text.")]))
        server.faults.fail(503, times=1, retry_after=0)
        assert client.tts.convert(text="Retried.")
        server.faults.fail(503, times=1, retry_after=0, path="/v1/tts/live")
        assert b"".join(client.tts.stream_websocket(["Retried live."]))
    with FishAudio(api_key=wrong_key, base_url=server.url, max_retries=0) as refused:
        with pytest.raises(AuthenticationError):
            refused.tts.convert(text="Refused.")
        with pytest.raises(AuthenticationError):
            b"".join(refused.tts.stream_websocket(["Refused live."]))
    assert_no_key(records, server.api_key, wrong_key)


@pytest.mark.parametrize("transport", ["httpx", "aiohttp"])
async def test_async_traffic_logs_no_key(
    transport: str, server: LocalServer, records: pytest.LogCaptureFixture
) -> None:
    async def text() -> AsyncIterator[str]:
        yield "Live text."

    wrong_key = new_key()
    async with contextlib.AsyncExitStack() as stack:
        http = await stack.enter_async_context(DefaultAioHttpClient()) if transport == "aiohttp" else None
        client = AsyncFishAudio(api_key=server.api_key, base_url=server.url, max_retries=2, httpx_client=http)
        await stack.enter_async_context(client)
        assert await client.tts.convert(text="Hello.")
        assert await (await client.tts.stream(text="Streamed.")).collect()
        assert (await client.voices.list()).items
        assert [chunk async for chunk in client.tts.stream_websocket(text())]
        server.faults.fail(503, times=1, retry_after=0)
        assert await client.tts.convert(text="Retried.")
        server.faults.fail(503, times=1, retry_after=0, path="/v1/tts/live")
        assert [chunk async for chunk in client.tts.stream_websocket(text())]
    async with AsyncFishAudio(api_key=wrong_key, base_url=server.url, max_retries=0) as refused:
        with pytest.raises(AuthenticationError):
            await refused.tts.convert(text="Refused.")
        with pytest.raises(AuthenticationError):
            [chunk async for chunk in refused.tts.stream_websocket(text())]
    assert_no_key(records, server.api_key, wrong_key)


class EchoServer:
    """Answers every request (HTTP or a WebSocket handshake) with an error that echoes its credentials.

    The first answer of each connection pair is a 503 with ``Retry-After: 0``, so the client retries;
    then the status given. Both carry the Authorization header in a header, the JSON body and its issues.
    """

    def __init__(self, status: int) -> None:
        self.status = status
        self.answered = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._serve, name="echo-server", daemon=True)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> EchoServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() in progress; close() would not
        self._listener.close()
        self._thread.join(10)

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:  # closed by __exit__
                return
            with connection:
                self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            data = connection.recv(65536)
            if not data:
                return
            head += data
        lines = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")[1:]
        headers = dict(line.split(": ", 1) for line in lines)
        authorization = headers.get("Authorization", headers.get("authorization", ""))
        key = authorization.removeprefix("Bearer ")
        status = 503 if self.answered % 2 == 0 else self.status
        self.answered += 1
        body = json.dumps(
            {
                "status": status,
                "message": f"Unknown key {key}",
                "detail": [{"loc": ["header", key], "msg": f"got {authorization}", "type": key}],
                "echo": {key: authorization},
            }
        ).encode()
        connection.sendall(
            f"HTTP/1.1 {status} Echo\r\nContent-Type: application/json\r\nRetry-After: 0\r\n"
            f"X-Echo: {authorization}\r\nX-Key: {key}\r\nX-Request-Id: {key}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )


@pytest.mark.parametrize("status", [401, 422])
def test_echoed_key_is_redacted_from_http_errors_and_logs(
    status: int, records: pytest.LogCaptureFixture
) -> None:
    key = new_key()
    with EchoServer(status) as echo, FishAudio(api_key=key, base_url=echo.url, max_retries=1) as client:
        with pytest.raises(APIError) as http_error:
            client.tts.convert(text="Hi")
        with pytest.raises(APIError) as ws_error:
            b"".join(client.tts.stream_websocket(["Hi"]))
    for caught in (http_error, ws_error):
        assert caught.value.status == status
        assert_error_has_no_key(caught.value, key)
        if isinstance(caught.value, UnprocessableEntityError):
            assert caught.value.issues
            assert key not in repr(caught.value.issues)
    assert echo.answered == 4  # each call was retried once
    assert_no_key(records, key)


async def test_echoed_key_is_redacted_from_async_http_errors_and_logs(
    records: pytest.LogCaptureFixture,
) -> None:
    async def text() -> AsyncIterator[str]:
        yield "Hi"

    key = new_key()
    with EchoServer(401) as echo:
        async with AsyncFishAudio(api_key=key, base_url=echo.url, max_retries=1) as client:
            with pytest.raises(AuthenticationError) as http_error:
                await client.voices.get("abc")
            with pytest.raises(AuthenticationError) as ws_error:
                [chunk async for chunk in client.tts.stream_websocket(text())]
    for caught in (http_error, ws_error):
        assert_error_has_no_key(caught.value, key)
    assert_no_key(records, key)


def echo_in_finish(close: bool) -> Any:
    async def scenario(peer: Peer) -> None:
        authorization = peer.connection.request.headers["Authorization"]
        key = authorization.removeprefix("Bearer ")
        await peer.recv()  # start
        if close:
            await peer.close(4000, f"bad key {key}")
            return
        await peer.send({"event": "finish", "reason": "error", "message": f"{authorization} {key}", key: key})

    return scenario


@pytest.mark.parametrize("close", [False, True], ids=["finish-event", "close-reason"])
def test_echoed_key_is_redacted_from_websocket_errors(close: bool, records: pytest.LogCaptureFixture) -> None:
    key = new_key()
    with LiveServer().running() as server, FishAudio(api_key=key, base_url=server.base_url) as client:
        server.scenario = echo_in_finish(close)
        with pytest.raises(WebSocketError) as caught:
            b"".join(client.tts.stream_websocket(["Hi"]))
    assert_error_has_no_key(caught.value, key)
    assert_no_key(records, key)


@pytest.mark.parametrize("close", [False, True], ids=["finish-event", "close-reason"])
async def test_echoed_key_is_redacted_from_async_websocket_errors(
    close: bool, records: pytest.LogCaptureFixture
) -> None:
    async def text() -> AsyncIterator[str]:
        yield "Hi"

    key = new_key()
    with LiveServer().running() as server:
        server.scenario = echo_in_finish(close)
        async with AsyncFishAudio(api_key=key, base_url=server.base_url) as client:
            with pytest.raises(WebSocketError) as caught:
                [chunk async for chunk in client.tts.stream_websocket(text())]
    assert_error_has_no_key(caught.value, key)
    assert_no_key(records, key)
