"""The local server's resources stay bounded: a stream a client abandons stops at once, and a text beyond
the server's own limit is refused before any audio is made (real loopback HTTP and WebSocket)."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import struct
from collections.abc import Iterator

import httpx
import msgpack
import pytest
from local_wire import KEY
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from fishaudio_ext import FishAudio, UnprocessableEntityError
from fishaudio_ext.server import LocalServer, assert_conforms
from fishaudio_ext.server._text_limit import DEFAULT_MAX_TEXT_LENGTH

LIMIT = DEFAULT_MAX_TEXT_LENGTH
TOO_LONG = {
    "type": "string_too_long",
    "msg": f"String should have at most {LIMIT} characters",
    "in": "body",
    "ctx": {"max_length": LIMIT},
}


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _server_warnings() -> Iterator[list[str]]:
    """The warnings of the event loop and of uvicorn meanwhile (the server runs in another thread)."""
    handler = _Records()
    loggers = [logging.getLogger(name) for name in ("asyncio", "uvicorn.error")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
    try:
        yield handler.messages
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


@pytest.mark.parametrize("path", ["/v1/tts", "/v1/tts/stream/with-timestamp"])
def test_an_abandoned_stream_is_not_written_on(server: LocalServer, path: str) -> None:
    # Minutes of WAV asked for, the first bytes read, then the client goes away with a TCP reset.
    body = json.dumps({"text": "A sentence to speak here. " * 380, "format": "wav"}).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {KEY}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    with _server_warnings() as warnings:
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", server.port)) as sock:
                sock.sendall(head.encode() + body)
                assert sock.recv(65536).startswith(b"HTTP/1.1 200")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            assert server.wait_for_idle(timeout=10)
    # Before, the ~1,000 pieces left of each went into the dead socket: "socket.send() raised exception."
    assert warnings == []


def test_text_beyond_the_limit_is_422_before_any_work(server: LocalServer, http: httpx.Client) -> None:
    for path in ("/v1/tts", "/v1/tts/stream/with-timestamp"):
        response = http.post(path, json={"text": "x" * (LIMIT + 1)})
        assert response.status_code == 422
        assert response.json() == [{"loc": ["body", "text"], **TOO_LONG}]
        assert_conforms("POST", path, response)
    assert server.credit() == 10  # nothing was billed


def test_the_client_sees_the_limit_as_a_validation_error(client: FishAudio) -> None:
    with pytest.raises(UnprocessableEntityError, match=f"at most {LIMIT} characters"):
        client.tts.convert(text="y" * (LIMIT + 1))


def test_the_limit_is_the_servers_own_setting() -> None:
    with LocalServer(api_key="k", max_text_length=5) as server:
        url, headers = f"{server.url}/v1/tts", {"Authorization": "Bearer k"}
        assert httpx.post(url, json={"text": "Hello"}, headers=headers).status_code == 200
        response = httpx.post(url, json={"text": "Hello!"}, headers=headers)
    assert response.status_code == 422
    assert response.json()[0]["ctx"] == {"max_length": 5}


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (
            [{"event": "start", "request": {"text": "z" * (LIMIT + 1)}}],
            f"Invalid start event: request.text: String should have at most {LIMIT} characters",
        ),
        (
            [{"event": "start", "request": {"text": ""}}, {"event": "text", "text": "z" * (LIMIT + 1)}],
            f"Invalid text event: text: String should have at most {LIMIT} characters",
        ),
    ],
    ids=["start", "text"],
)
def test_live_text_beyond_the_limit_ends_the_session(
    server: LocalServer, events: list[dict[str, object]], message: str
) -> None:
    url = f"{server.websocket_url}/v1/tts/live"
    with connect(url, additional_headers={"Authorization": f"Bearer {KEY}"}) as ws:
        for event in events:
            ws.send(msgpack.packb(event))
        finish = msgpack.unpackb(ws.recv(timeout=5))
        assert finish == {"event": "finish", "reason": "error", "message": message}
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)
        assert ws.close_code == 1008
    assert server.credit() == 10
