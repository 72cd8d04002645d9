"""A WebSocket server on raw sockets (RFC 6455 by hand) that sends whatever a test scripts: garbage
frames, text frames, events with megabyte messages, silence.

Each connection runs the next *script* (the last one repeats) after the opening handshake; a script gets
a :class:`WebSocketPeer`, and a :class:`Refusal` in its place answers the handshake with an HTTP error.
It is the :class:`~tests.support.hostile_http.HostileHTTPServer` underneath, so requests are recorded
and leaving the ``with`` block stops everything.

Example::

    def huge_error(peer: WebSocketPeer) -> None:
        peer.recv_event()  # start
        peer.send_event({"event": "finish", "reason": "error", "message": "x" * 1_000_000})
        peer.wait_closed()

    with HostileWebSocketServer(huge_error) as server:
        client = FishAudio(api_key="k", base_url=server.url)
        ...
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

import msgpack

from .hostile_http import Connection, HostileHTTPServer, Reply, answer

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

TEXT, BINARY, CLOSE = 0x1, 0x2, 0x8


class WebSocketPeer:
    """The server's side of one WebSocket connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.request = conn.request
        self._buffer = b""

    def send_frame(self, opcode: int, payload: bytes, *, fin: bool = True) -> bool:
        """One unmasked frame, as a server sends it; False once the client has gone."""
        first = (0x80 if fin else 0) | opcode
        size = len(payload)
        if size < 126:
            head = struct.pack("!BB", first, size)
        elif size < 1 << 16:
            head = struct.pack("!BBH", first, 126, size)
        else:
            head = struct.pack("!BBQ", first, 127, size)
        return self._conn.send(head + payload)

    def send_event(self, event: dict[str, object]) -> bool:
        """A MessagePack event in a binary frame, as the API sends them."""
        return self.send_frame(BINARY, msgpack.packb(event, use_bin_type=True))

    def send_text(self, text: str) -> bool:
        return self.send_frame(TEXT, text.encode())

    def close(self, code: int = 1000, reason: str = "") -> bool:
        return self.send_frame(CLOSE, struct.pack("!H", code) + reason.encode())

    def recv(self) -> tuple[int, bytes] | None:
        """The next frame from the client (opcode, unmasked payload), or None when the connection ended."""
        head = self._read(2)
        if head is None:
            return None
        opcode, size = head[0] & 0x0F, head[1] & 0x7F
        if size == 126:
            extended = self._read(2)
            if extended is None:
                return None
            (size,) = struct.unpack("!H", extended)
        elif size == 127:
            extended = self._read(8)
            if extended is None:
                return None
            (size,) = struct.unpack("!Q", extended)
        mask = self._read(4) if head[1] & 0x80 else b"\0\0\0\0"
        payload = self._read(size)
        if mask is None or payload is None:
            return None
        return opcode, bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))

    def recv_event(self) -> dict[object, object] | None:
        """The next binary frame from the client, decoded; None when the connection ended."""
        frame = self.recv()
        if frame is None or frame[0] != BINARY:
            return None
        event: dict[object, object] = msgpack.unpackb(frame[1])
        return event

    def wait(self, seconds: float | None = None) -> bool:
        """Wait ``seconds`` (None: until the server stops); False when the server is stopping."""
        return self._conn.wait(seconds)

    def wait_closed(self) -> None:
        """Read (and drop) what the client sends until it closes; answer its close frame as RFC 6455 asks."""
        while (frame := self.recv()) is not None:
            if frame[0] == CLOSE:
                self.send_frame(CLOSE, frame[1][:2])
                return

    def _read(self, size: int) -> bytes | None:
        while len(self._buffer) < size:
            chunk = self._conn.recv()
            if not chunk:
                return None
            self._buffer += chunk
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


Script = Callable[[WebSocketPeer], None]


@dataclass(frozen=True)
class Refusal:
    """Answer the handshake with this HTTP status and body instead of upgrading."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def _as_reply(script: Script | Refusal) -> Reply:
    if isinstance(script, Refusal):
        return answer(script.status, script.body, headers=script.headers)

    def reply(conn: Connection) -> None:
        key = conn.request.headers.get("sec-websocket-key", "").encode()
        accept = base64.b64encode(hashlib.sha1(key + _GUID).digest()).decode()
        upgraded = conn.send_head(
            101, {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": accept}
        )
        if upgraded:
            script(WebSocketPeer(conn))

    return reply


class HostileWebSocketServer(HostileHTTPServer):
    """The server; ``url`` is the ``http://`` base URL to give a client, whose ``/v1/tts/live`` lands here."""

    def __init__(self, *scripts: Script | Refusal) -> None:
        super().__init__(*(_as_reply(script) for script in scripts))
