"""A real ``/v1/tts/live`` stand-in on 127.0.0.1 for the WebSocket tests: a ``websockets`` server in a thread.

Each connection runs a *scenario*: an async function that receives a :class:`Peer` (decoded events in,
events or raw frames out). The server records every handshake and every frame a client sent, so tests
check the exact wire traffic. The default scenario answers like the API: one audio chunk per text and
flush event (its content says what it answers), then ``finish`` after ``stop``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import msgpack
from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response


class Peer:
    """The server's side of one connection, as a scenario sees it."""

    def __init__(self, connection: ServerConnection, received: list[dict[str, Any]]) -> None:
        self.connection = connection
        self.received = received

    async def recv(self) -> dict[str, Any]:
        """The next event from the client (decoded), also recorded in :attr:`received`."""
        frame = await self.connection.recv()
        assert isinstance(frame, bytes), f"the client sent a text frame: {frame!r}"
        event: dict[str, Any] = msgpack.unpackb(frame)
        self.received.append(event)
        return event

    async def send(self, event: dict[str, Any]) -> None:
        await self.connection.send(msgpack.packb(event, use_bin_type=True))

    async def send_raw(self, frame: str | bytes) -> None:
        await self.connection.send(frame)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        await self.connection.close(code, reason)

    async def wait_closed(self) -> None:
        """Wait until the client closes the connection, recording anything it still sends."""
        with contextlib.suppress(ConnectionClosed):
            while True:
                await self.recv()


Scenario = Callable[[Peer], Awaitable[None]]


class Gate:
    """Opened by a test (any thread), awaited by a scenario: no helper thread, no sleep."""

    def __init__(self, server: LiveServer) -> None:
        self._loop = server.loop
        self._event = asyncio.Event()

    def open(self) -> None:
        self._loop.call_soon_threadsafe(self._event.set)

    async def wait(self) -> None:
        await asyncio.wait_for(self._event.wait(), 10)


def answer(event: dict[str, Any]) -> bytes:
    """The audio :func:`speak` sends for a ``text`` or ``flush`` event."""
    return f"audio({event['text']})".encode() if event["event"] == "text" else b"audio(flush)"


def spoken(session: list[dict[str, Any]]) -> bytes:
    """All the audio :func:`speak` sent in a session that received these events."""
    return b"".join(answer(event) for event in session if event["event"] in ("text", "flush"))


async def speak(peer: Peer) -> None:
    """Like the API: ``audio`` for each ``text`` and ``flush``, ``finish`` after ``stop``, then close."""
    start = await peer.recv()
    assert start["event"] == "start"
    while (event := await peer.recv())["event"] != "stop":
        await peer.send({"event": "audio", "audio": answer(event)})
    await peer.send({"event": "finish", "reason": "stop"})
    await peer.close()


def audio_for_each_text(audio_bytes: int) -> Scenario:
    """A scenario that answers each ``text`` event at once with ``audio_bytes`` of audio and ``stop``
    with ``finish``, and does nothing else: a session's time is then the client's own."""
    audio = {"event": "audio", "audio": bytes(audio_bytes), "time": 0.0}

    async def scenario(peer: Peer) -> None:
        while (event := await peer.recv())["event"] != "stop":
            if event["event"] == "text":
                await peer.send(audio)
        await peer.send({"event": "finish", "reason": "stop"})

    return scenario


def stop_after_first_audio(closed: threading.Event) -> Scenario:
    """A scenario that answers the first text with ``first`` audio, then sets ``closed`` once the client
    has closed the connection (and records anything it still sent)."""

    async def scenario(peer: Peer) -> None:
        await peer.recv()
        await peer.recv()
        await peer.send({"event": "audio", "audio": b"first"})
        await peer.wait_closed()
        closed.set()

    return scenario


class LiveServer:
    """The running server: its URL, what clients sent, and the scenario for the next connections."""

    def __init__(self) -> None:
        self.scenario: Scenario = speak
        self.handshakes: list[Headers] = []
        self.sessions: list[list[dict[str, Any]]] = []
        self.refusal: tuple[int, dict[str, Any] | str] | None = None
        self.base_url = ""
        self.loop = asyncio.new_event_loop()
        self.errors: list[BaseException] = []

    @property
    def received(self) -> list[dict[str, Any]]:
        """The events of the last connection."""
        return self.sessions[-1]

    def refuse(self, status: int, body: dict[str, Any] | str) -> None:
        """Answer the next handshakes with this HTTP status and body (JSON for a dict) instead of 101."""
        self.refusal = (status, body)

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        self.handshakes.append(request.headers)
        if self.refusal is None:
            return None
        status, body = self.refusal
        response = connection.respond(status, body if isinstance(body, str) else json.dumps(body))
        if not isinstance(body, str):
            del response.headers["Content-Type"]
            response.headers["Content-Type"] = "application/json"
        return response

    async def _handle(self, connection: ServerConnection) -> None:
        received: list[dict[str, Any]] = []
        self.sessions.append(received)
        try:
            await self.scenario(Peer(connection, received))
        except ConnectionClosed:
            pass  # the client went away: that is the client's business, tests check what it saw
        except BaseException as error:  # a failed assertion in a scenario must fail the test
            self.errors.append(error)
            raise

    async def _serve(self, ready: threading.Event, stop: asyncio.Future[None]) -> None:
        async with serve(
            self._handle, "127.0.0.1", 0, process_request=self._process_request, max_size=None
        ) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            self.base_url = f"http://127.0.0.1:{port}"
            ready.set()
            await stop

    @contextlib.contextmanager
    def running(self) -> Iterator[LiveServer]:
        """Serve in a thread of its own until the block ends."""
        ready = threading.Event()
        stop: asyncio.Future[None] = self.loop.create_future()
        thread = threading.Thread(
            target=self.loop.run_until_complete, args=(self._serve(ready, stop),), name="live-server"
        )
        thread.start()
        try:
            assert ready.wait(10), "the server did not start"
            yield self
        finally:
            self.loop.call_soon_threadsafe(stop.set_result, None)
            thread.join(10)
            self.loop.close()
        if self.errors:
            raise self.errors[0]


@contextlib.contextmanager
def unresponsive_server() -> Iterator[str]:
    """A server that completes the WebSocket handshake, then reads and ignores everything: no pong, no close.

    Yields its base URL. A plain socket, since the websockets library would answer pings by itself.
    """
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                request += connection.recv(4096)
            key = next(
                line.split(b":", 1)[1].strip()
                for line in request.split(b"\r\n")
                if line.lower().startswith(b"sec-websocket-key:")
            )
            accept = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
            connection.sendall(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
            )
            while connection.recv(65536):
                pass

    thread = threading.Thread(target=serve, name="unresponsive-server")
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        thread.join(10)
        listener.close()
