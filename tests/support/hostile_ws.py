"""A WebSocket server on raw sockets (RFC 6455 by hand) that sends whatever a test scripts: garbage
frames, text frames, events with megabyte messages, silence, sockets that fail between or during sessions.

Each connection runs the next *script* (the last one repeats) after the opening handshake; a script gets
a :class:`WebSocketPeer`, a :class:`Refusal` in its place answers the handshake with an HTTP error, and
:class:`SlowHandshake` holds the handshake first. It is the
:class:`~tests.support.hostile_http.HostileHTTPServer` underneath, so requests are recorded, ``peers``
holds each connection's peer (``peer.received``: every event the client sent on it), and leaving the
``with`` block stops everything. A script that returns ends the connection without a close frame.

Scripted live sessions answer like the API (``audio`` for each ``text`` and ``flush``, the audio saying
what it answers: :func:`audio_for`; ``finish``/``stop`` after ``stop``; the socket kept for the next
``start``), then fail as asked: :func:`api_sessions`, :func:`drop_after_finish`, :func:`drop_at_start`,
:func:`drop_mid_utterance`, :func:`finish_error_on_session`.

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

TEXT, BINARY, CLOSE, PING, PONG = 0x1, 0x2, 0x8, 0x9, 0xA


class WebSocketPeer:
    """The server's side of one WebSocket connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.request = conn.request
        self.received: list[dict[object, object]] = []
        """Every event :meth:`next_event` read, in order."""
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

    def next_event(self) -> dict[object, object] | None:
        """The client's next event (recorded in :attr:`received`), answering pings on the way; None once
        the client has closed (its close frame answered) or gone."""
        while (frame := self.recv()) is not None:
            opcode, payload = frame
            if opcode == BINARY:
                event: dict[object, object] = msgpack.unpackb(payload)
                self.received.append(event)
                return event
            if opcode == PING:
                self.send_frame(PONG, payload)
            elif opcode == CLOSE:
                self.send_frame(CLOSE, payload[:2])
                return None
        return None

    def close_and_wait(self, code: int, reason: str = "") -> None:
        """Send a close frame, then read until the client's answers it (or the client goes)."""
        self.close(code, reason)
        while (frame := self.recv()) is not None and frame[0] != CLOSE:
            pass

    def round_trip(self) -> bool:
        """Ping the client twice, each time waiting for its pong: the client has then taken in every frame
        sent before. (``websockets`` may send the first pong before it has queued the frames that came in
        with the ping; it reads the second ping only once it has.) False once the client has gone."""
        for _ in range(2):
            if not self.send_frame(PING, b"round trip"):
                return False
            while (frame := self.recv()) is not None and frame[0] != PONG:
                pass
            if frame is None:
                return False
        return True

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


def audio_for(event: dict[object, object]) -> bytes:
    """The audio a scripted session sends for a ``text`` or ``flush`` event: ``b"audio(Hello)"``."""
    return f"audio({event['text']})".encode() if event["event"] == "text" else b"audio(flush)"


def speak_session(peer: WebSocketPeer, *, cut_after: int | None = None) -> bool:
    """One session like the API: wait for ``start``, ``audio`` for each ``text`` and ``flush``, then
    ``finish``/``stop`` after ``stop``, the socket left open.

    With ``cut_after``, return once that many audio frames are sent, or at ``stop`` if that comes first,
    without ``finish``: the caller ends the session there. False when the client closed or went away first.
    """
    sent = 0
    while (event := peer.next_event()) is not None and event.get("event") != "start":
        pass
    if event is None:
        return False
    while cut_after is None or sent < cut_after:
        event = peer.next_event()
        if event is None:
            return False
        if event.get("event") in ("text", "flush"):
            peer.send_event({"event": "audio", "audio": audio_for(event)})
            sent += 1
        elif event.get("event") == "stop":
            if cut_after is None:
                peer.send_event({"event": "finish", "reason": "stop"})
            return True
    return True


def api_sessions() -> Script:
    """Sessions one after another, as many as the client starts, until it closes the socket."""

    def script(peer: WebSocketPeer) -> None:
        while speak_session(peer):
            pass

    return script


def drop_after_finish(sessions: int = 1) -> Script:
    """``sessions`` sessions, then the connection ends without a close frame while the client is idle
    between utterances."""

    def script(peer: WebSocketPeer) -> None:
        for _ in range(sessions):
            if not speak_session(peer):
                return

    return script


def drop_at_start(sessions: int = 1) -> Script:
    """``sessions`` sessions, then the connection ends without a close frame when the next ``start``
    arrives: the client learns it only once it has begun an utterance."""

    def script(peer: WebSocketPeer) -> None:
        for _ in range(sessions):
            if not speak_session(peer):
                return
        while (event := peer.next_event()) is not None and event.get("event") != "start":
            pass

    return script


def drop_mid_utterance(sessions: int = 0, *, audio_frames: int = 1) -> Script:
    """``sessions`` whole sessions, then in the next one ``audio_frames`` audio frames and the connection
    ends without ``finish`` or a close frame."""

    def script(peer: WebSocketPeer) -> None:
        for _ in range(sessions):
            if not speak_session(peer):
                return
        speak_session(peer, cut_after=audio_frames)

    return script


def finish_error_on_session(
    number: int = 2, *, audio_frames: int = 0, message: str = "Synthesis failed", code: int = 1011
) -> Script:
    """Sessions that finish, until session ``number`` (from 1): after ``audio_frames`` audio frames it ends
    with ``finish``/``error`` and ``message``, and the server closes the socket with ``code``."""

    def script(peer: WebSocketPeer) -> None:
        for _ in range(number - 1):
            if not speak_session(peer):
                return
        if speak_session(peer, cut_after=audio_frames):
            peer.send_event({"event": "finish", "reason": "error", "message": message})
            peer.close_and_wait(code, message)

    return script


@dataclass(frozen=True)
class Refusal:
    """Answer the handshake with this HTTP status and body instead of upgrading."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SlowHandshake:
    """Hold the handshake ``seconds`` before upgrading, then run ``script`` (TLS and distance, or a slow
    server: the client's open timeout must act)."""

    seconds: float
    script: Script


def _as_reply(script: Script | Refusal | SlowHandshake, peers: list[WebSocketPeer]) -> Reply:
    if isinstance(script, Refusal):
        return answer(script.status, script.body, headers=script.headers)
    delay, run = (script.seconds, script.script) if isinstance(script, SlowHandshake) else (0.0, script)

    def reply(conn: Connection) -> None:
        if delay and not conn.wait(delay):
            return  # the server is stopping
        key = conn.request.headers.get("sec-websocket-key", "").encode()
        accept = base64.b64encode(hashlib.sha1(key + _GUID).digest()).decode()
        upgraded = conn.send_head(
            101, {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": accept}
        )
        if upgraded:
            peer = WebSocketPeer(conn)
            peers.append(peer)
            run(peer)

    return reply


class HostileWebSocketServer(HostileHTTPServer):
    """The server; ``url`` is the ``http://`` base URL to give a client, whose ``/v1/tts/live`` lands here.

    ``peers`` holds the peer of each upgraded connection, in the order they were accepted.
    """

    def __init__(self, *scripts: Script | Refusal | SlowHandshake) -> None:
        self.peers: list[WebSocketPeer] = []
        super().__init__(*(_as_reply(script, self.peers) for script in scripts))
