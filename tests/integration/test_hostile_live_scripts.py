"""The scripted live sessions of the hostile WebSocket server do what they say, seen by a plain client.

Client tests rely on these scripts to fail at an exact moment: between utterances, at the next ``start``,
mid-utterance, with ``finish``/``error`` on a later session, or with a slow handshake.
"""

from __future__ import annotations

import time
from typing import Any

import msgpack
import pytest
from websockets.asyncio.client import connect as async_connect
from websockets.exceptions import ConnectionClosed, ConnectionClosedError
from websockets.sync.client import ClientConnection, connect

from tests.support.hostile_ws import (
    HostileWebSocketServer,
    SlowHandshake,
    api_sessions,
    drop_after_finish,
    drop_at_start,
    drop_mid_utterance,
    finish_error_on_session,
)

START: dict[str, Any] = {"event": "start", "request": {"text": ""}}
STOP = {"event": "stop"}
FINISHED = {"event": "finish", "reason": "stop"}


def live_url(server: HostileWebSocketServer) -> str:
    return server.url.replace("http", "ws", 1) + "/v1/tts/live"


def utterance(ws: ClientConnection, *texts: str) -> list[dict[str, Any]]:
    """Send one session's events; read until ``finish`` (or the end of the connection)."""
    for event in [START, *({"event": "text", "text": t} for t in texts), STOP]:
        ws.send(msgpack.packb(event))
    events: list[dict[str, Any]] = []
    while not events or events[-1]["event"] != "finish":
        events.append(msgpack.unpackb(ws.recv(timeout=5)))
    return events


def test_api_sessions_follow_one_another_on_one_socket() -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        with connect(live_url(server)) as ws:
            assert utterance(ws, "One") == [{"event": "audio", "audio": b"audio(One)"}, FINISHED]
            assert utterance(ws, "Two", "Three")[:-1] == [
                {"event": "audio", "audio": b"audio(Two)"},
                {"event": "audio", "audio": b"audio(Three)"},
            ]
        assert ws.close_code == 1000
        (peer,) = server.peers
        names = [event["event"] for event in peer.received]
        assert names == ["start", "text", "stop", "start", "text", "text", "stop"]
    assert len(server.requests) == 1


def test_drop_after_finish_ends_an_idle_socket_without_a_close_frame() -> None:
    with HostileWebSocketServer(drop_after_finish(sessions=2), api_sessions()) as server:
        with connect(live_url(server)) as ws:
            assert utterance(ws, "One")[-1] == FINISHED
            assert utterance(ws, "Two")[-1] == FINISHED
            with pytest.raises(ConnectionClosedError) as closed:
                ws.recv(timeout=5)
        assert closed.value.rcvd is None
        with connect(live_url(server)) as ws:  # the next connection gets the next script
            assert utterance(ws, "Three")[-1] == FINISHED
    assert len(server.requests) == 2


def test_drop_at_start_ends_the_socket_once_the_next_utterance_begins() -> None:
    with HostileWebSocketServer(drop_at_start(sessions=1)) as server, connect(live_url(server)) as ws:
        assert utterance(ws, "One")[-1] == FINISHED
        with pytest.raises(TimeoutError):
            ws.recv(timeout=0.2)  # idle: still open
        ws.send(msgpack.packb(START))
        with pytest.raises(ConnectionClosedError) as closed:
            ws.recv(timeout=5)
        assert closed.value.rcvd is None
        assert server.peers[0].received[-1] == START


async def test_drop_mid_utterance_sends_some_audio_then_ends_without_finish() -> None:
    with HostileWebSocketServer(drop_mid_utterance(sessions=1, audio_frames=1)) as server:
        async with async_connect(live_url(server)) as ws:
            for event in (START, {"event": "text", "text": "One"}, STOP):
                await ws.send(msgpack.packb(event))
            assert msgpack.unpackb(await ws.recv())["event"] == "audio"
            assert msgpack.unpackb(await ws.recv()) == FINISHED
            for event in (START, {"event": "text", "text": "Two"}, {"event": "text", "text": "more"}):
                await ws.send(msgpack.packb(event))
            assert msgpack.unpackb(await ws.recv()) == {"event": "audio", "audio": b"audio(Two)"}
            with pytest.raises(ConnectionClosedError) as closed:
                await ws.recv()
        assert closed.value.rcvd is None


def test_a_session_shorter_than_the_cut_ends_without_finish_too() -> None:
    script = drop_mid_utterance(audio_frames=5)
    with HostileWebSocketServer(script) as server, connect(live_url(server)) as ws:
        for event in (START, {"event": "text", "text": "Short"}, STOP):
            ws.send(msgpack.packb(event))
        assert msgpack.unpackb(ws.recv(timeout=5))["event"] == "audio"
        with pytest.raises(ConnectionClosedError):
            ws.recv(timeout=5)


def test_finish_error_on_the_second_session_then_the_server_closes() -> None:
    script = finish_error_on_session(2, audio_frames=1, message="Synthesis failed")
    with HostileWebSocketServer(script) as server, connect(live_url(server)) as ws:
        assert utterance(ws, "One")[-1] == FINISHED
        failed = utterance(ws, "Two", "Three")
        assert failed == [
            {"event": "audio", "audio": b"audio(Two)"},
            {"event": "finish", "reason": "error", "message": "Synthesis failed"},
        ]
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)
        assert (ws.close_code, ws.close_reason) == (1011, "Synthesis failed")


def test_a_slow_handshake_holds_the_upgrade_and_trips_a_short_open_timeout() -> None:
    with HostileWebSocketServer(SlowHandshake(0.3, api_sessions())) as server:
        began = time.monotonic()
        with connect(live_url(server)) as ws:
            assert time.monotonic() - began >= 0.3
            assert utterance(ws, "One")[-1] == FINISHED
        with pytest.raises(TimeoutError):
            connect(live_url(server), open_timeout=0.1)


async def test_a_slow_handshake_holds_an_async_upgrade() -> None:
    with HostileWebSocketServer(SlowHandshake(0.3, api_sessions())) as server:
        began = time.monotonic()
        async with async_connect(live_url(server)):
            assert time.monotonic() - began >= 0.3
