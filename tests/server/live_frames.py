"""Frames of ``/v1/tts/live`` for the local server's tests: the client's events, and reading the server's
through a plain ``websockets`` client, each checked against its ``Live*`` schema in the spec."""

from __future__ import annotations

from typing import Any

import msgpack
from local_wire import KEY
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._spec import load_spec
from fishaudio_ext.server._validation import check_instance

URL_PATH = "/v1/tts/live"
AUTH = {"Authorization": f"Bearer {KEY}"}
FINISHED = {"event": "finish", "reason": "stop"}
FLUSH = {"event": "flush"}
STOP = {"event": "stop"}
_SPEC = load_spec()
_SERVER_EVENTS = {"audio": "LiveAudioEvent", "finish": "LiveFinishEvent"}


def start(**request: Any) -> dict[str, Any]:
    return {"event": "start", "request": {"text": "", **request}}


def text(value: str) -> dict[str, Any]:
    return {"event": "text", "text": value}


def packed(*events: dict[str, Any]) -> list[bytes]:
    return [msgpack.packb(event) for event in events]


def live_url(server: LocalServer) -> str:
    return f"{server.websocket_url}{URL_PATH}"


def open_live(server: LocalServer, **headers: str) -> ClientConnection:
    # No size limit: one frame holds a whole text chunk, over 1 MiB for long text in 44.1 kHz WAV.
    return connect(live_url(server), additional_headers={**AUTH, **headers}, max_size=None)


def conforming(frame: str | bytes) -> dict[str, Any]:
    """The event of a frame from the server, checked against its ``Live*`` schema in the spec."""
    assert isinstance(frame, bytes), "the server sent a text frame"
    event: dict[str, Any] = msgpack.unpackb(frame)
    schema = _SERVER_EVENTS[event["event"]]
    assert check_instance(_SPEC, f"/components/schemas/{schema}", event, fill_defaults=False) == []
    return event


def receive_all(ws: ClientConnection) -> list[dict[str, Any]]:
    """Every event of a session: up to a ``finish``/``stop``, or until the server closes the connection."""
    events: list[dict[str, Any]] = []
    try:
        while not events or events[-1] != FINISHED:
            events.append(conforming(ws.recv(timeout=10)))
    except ConnectionClosed:
        pass
    return events


def audio_of(events: list[dict[str, Any]]) -> bytes:
    return b"".join(event["audio"] for event in events if event["event"] == "audio")
