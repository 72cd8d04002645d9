"""One ``/v1/tts/live`` socket over its life on the local server: sessions one after another, each with its
own slot, audio and faults; a client leaving mid-utterance; the connection time limit; the handshake delay.

Plain ``websockets`` clients, sync and async, send exact events; the server's log stays free of errors.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import msgpack
import pytest
from live_frames import (
    AUTH,
    FINISHED,
    FLUSH,
    STOP,
    audio_of,
    conforming,
    live_url,
    open_live,
    packed,
    receive_all,
    start,
    text,
)
from local_wire import KEY
from websockets.asyncio.client import ClientConnection as AsyncConnection
from websockets.asyncio.client import connect as async_connect
from websockets.exceptions import ConnectionClosed, ConnectionClosedError
from websockets.sync.client import ClientConnection

from fishaudio_ext.server import LocalServer, Pacing
from fishaudio_ext.server._codecs import probe
from tests.support.server_log import quiet_server_log  # noqa: F401 (autouse: the server logs no error)

# Long enough to still be speaking, paced over 30 s, when the test acts.
LONG_TEXT = "A sentence of some length to speak out. " * 6
LIMIT_SECONDS = 0.8


def speak(ws: ClientConnection, *events: dict[str, Any]) -> list[dict[str, Any]]:
    for frame in packed(*events):
        try:
            ws.send(frame)
        except ConnectionClosed:
            break  # the server ended the session at its start (refused): what it sent is read below
    return receive_all(ws)


async def aspeak(ws: AsyncConnection, *events: dict[str, Any]) -> list[dict[str, Any]]:
    for frame in packed(*events):
        await ws.send(frame)
    received: list[dict[str, Any]] = []
    while not received or received[-1] != FINISHED:
        received.append(conforming(await ws.recv()))
    return received


def transcript(http: httpx.Client, audio: bytes, name: str) -> str:
    response = http.post("/v1/asr", files={"audio": (name, audio)})
    assert response.status_code == 200
    return str(response.json()["text"])


def test_sessions_follow_one_another_on_one_socket(server: LocalServer, http: httpx.Client) -> None:
    with open_live(server) as ws:
        first = speak(ws, start(format="wav"), text("The first session."), STOP)
        assert first[-1] == FINISHED
        assert server.wait_for_idle(timeout=2)  # between sessions the socket holds no slot
        second = speak(ws, start(format="mp3"), text("And now "), text("the second one."), STOP)
        assert second[-1] == FINISHED
        third = speak(ws, start(format="wav"), STOP)
        assert third == [FINISHED]
        assert ws.close_code is None
    # Each session is a file of its own format, registered for ASR with its own words.
    first_info, second_info = probe(audio_of(first)), probe(audio_of(second))
    assert first_info is not None
    assert second_info is not None
    assert (first_info.format, second_info.format) == ("wav", "mp3")
    assert transcript(http, audio_of(first), "first.wav") == "The first session."
    assert transcript(http, audio_of(second), "second.mp3") == "And now the second one."


async def test_sessions_follow_one_another_on_one_async_socket(server: LocalServer) -> None:
    async with async_connect(live_url(server), additional_headers=AUTH, max_size=None) as ws:
        first = await aspeak(ws, start(format="wav"), text("One."), STOP)
        second = await aspeak(ws, start(format="opus"), text("Two."), FLUSH, STOP)
        assert first[-1] == second[-1] == FINISHED
        assert ws.close_code is None
    first_info, second_info = probe(audio_of(first)), probe(audio_of(second))
    assert first_info is not None
    assert second_info is not None
    assert (first_info.format, second_info.format) == ("wav", "ogg")


def test_a_session_may_start_before_the_last_finish_arrives(server: LocalServer) -> None:
    with open_live(server) as ws:
        for frame in packed(start(), text("First."), STOP, start(), text("Second."), STOP):
            ws.send(frame)
        assert receive_all(ws)[-1] == FINISHED
        assert receive_all(ws)[-1] == FINISHED


def test_each_session_takes_a_slot_from_start_to_finish_and_an_idle_socket_none(server: LocalServer) -> None:
    server.concurrency_limit = 1
    with open_live(server) as idle, open_live(server) as busy:
        assert speak(idle, start(), text("Done quickly."), STOP)[-1] == FINISHED
        server.pacing = Pacing(spread=30.0)
        # The idle socket holds nothing: the other one's session gets the only slot.
        for frame in packed(start(chunk_length=100), text(LONG_TEXT), STOP):
            busy.send(frame)
        assert conforming(busy.recv(timeout=5))["event"] == "audio"
        assert server.in_flight() == 1
        # A new session on the idle socket is one more request of the key: refused while the slot is busy.
        refused = speak(idle, start(), text("Too many."), STOP)
        assert refused[-1]["reason"] == "error"
        assert refused[-1]["message"].startswith("Too many concurrent requests")
        assert idle.close_code == 1008
    assert server.wait_for_idle(timeout=3)


def test_faults_are_taken_by_the_session_they_meet(server: LocalServer) -> None:
    with open_live(server) as ws:
        assert speak(ws, start(), text("Fine."), STOP)[-1] == FINISHED
        server.faults.websocket_finish_error(after_frames=1)
        failed = speak(ws, start(chunk_length=100), text(LONG_TEXT), FLUSH, STOP)
        assert [event["event"] for event in failed] == ["audio", "finish"]
        assert failed[-1]["reason"] == "error"
        assert ws.close_code == 1011  # a failed session closes the socket
    with open_live(server) as ws:
        assert speak(ws, start(), text("Fine again."), STOP)[-1] == FINISHED


def test_a_drop_fault_on_a_later_session_cuts_the_connection(server: LocalServer) -> None:
    with open_live(server) as ws:
        assert speak(ws, start(), text("Fine."), STOP)[-1] == FINISHED
        server.faults.drop(after_chunks=1, path="/v1/tts/live")
        for frame in packed(start(chunk_length=100), text(LONG_TEXT), STOP):
            ws.send(frame)
        assert conforming(ws.recv(timeout=5))["event"] == "audio"
        with pytest.raises(ConnectionClosedError) as closed:
            ws.recv(timeout=5)
    assert closed.value.rcvd is None  # no close frame: the TCP connection just ended
    assert server.wait_for_idle(timeout=3)


def test_a_client_leaving_mid_utterance_stops_it_and_nothing_reaches_the_next_connection(
    server: LocalServer, http: httpx.Client
) -> None:
    with open_live(server) as ws:
        assert speak(ws, start(), text("Heard in full."), STOP)[-1] == FINISHED
        server.pacing = Pacing(spread=30.0)  # the second session would take 30 s to send everything
        for frame in packed(start(chunk_length=100), text(LONG_TEXT), STOP):
            ws.send(frame)
        assert conforming(ws.recv(timeout=5))["event"] == "audio"
    assert server.wait_for_idle(timeout=3), "the session kept running after the client left"
    credit = server.credit()
    server.pacing = Pacing.NONE
    with open_live(server) as ws:
        after = speak(ws, start(), text("A new connection."), STOP)
    assert after[-1] == FINISHED
    assert server.credit() == credit - Decimal("0.000015") * len("A new connection.")  # nothing else billed
    assert transcript(http, audio_of(after), "after.mp3") == "A new connection."


async def test_an_async_client_leaving_mid_utterance_frees_its_slot(server: LocalServer) -> None:
    async with async_connect(live_url(server), additional_headers=AUTH, max_size=None) as ws:
        assert (await aspeak(ws, start(), text("Heard in full."), STOP))[-1] == FINISHED
        server.pacing = Pacing(spread=30.0)
        for frame in packed(start(chunk_length=100), text(LONG_TEXT), STOP):
            await ws.send(frame)
        assert conforming(await ws.recv())["event"] == "audio"
    assert await asyncio.to_thread(server.wait_for_idle, timeout=3), "the session kept running"


@pytest.fixture(scope="module")
def short_lived_server() -> Iterator[LocalServer]:
    with LocalServer(api_key=KEY, live_max_connection_seconds=LIMIT_SECONDS) as server:
        yield server


@pytest.fixture
def short_lived(short_lived_server: LocalServer) -> LocalServer:
    short_lived_server.reset()
    return short_lived_server


def test_an_idle_socket_is_closed_at_the_connection_limit(short_lived: LocalServer) -> None:
    opened = time.monotonic()
    with open_live(short_lived) as ws:
        assert speak(ws, start(), text("Quick."), STOP)[-1] == FINISHED
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=10)
        lived = time.monotonic() - opened
        assert (ws.close_code, ws.close_reason) == (1001, "The connection reached its time limit of 0.8 s")
    assert lived >= LIMIT_SECONDS


def test_a_session_in_progress_at_the_limit_is_cut_without_finish(short_lived: LocalServer) -> None:
    short_lived.pacing = Pacing(spread=30.0)
    with open_live(short_lived) as ws:
        for frame in packed(start(chunk_length=100), text(LONG_TEXT), STOP):
            ws.send(frame)
        events = receive_all(ws)
        assert events
        assert {event["event"] for event in events} == {"audio"}
        assert ws.close_code == 1001
    assert short_lived.wait_for_idle(timeout=3), "the cut session kept its slot"


async def test_an_async_socket_is_closed_at_the_connection_limit(short_lived: LocalServer) -> None:
    opened = time.monotonic()
    async with async_connect(live_url(short_lived), additional_headers=AUTH) as ws:
        assert (await aspeak(ws, start(), text("Quick."), STOP))[-1] == FINISHED
        with pytest.raises(ConnectionClosed):
            await ws.recv()
        assert ws.close_code == 1001
    assert time.monotonic() - opened >= LIMIT_SECONDS


def test_the_handshake_delay_holds_the_upgrade_and_nothing_else() -> None:
    with LocalServer(api_key=KEY, live_handshake_delay=0.3) as server:
        began = time.monotonic()
        with open_live(server) as ws:
            opened = time.monotonic() - began
            assert speak(ws, start(), text("Hello."), STOP)[-1] == FINISHED
            began = time.monotonic()
            assert speak(ws, start(), text("Again."), STOP)[-1] == FINISHED
            reused = time.monotonic() - began
        assert opened >= 0.3
        assert reused < 0.3  # a session on an open socket pays no handshake
        refused_at = time.monotonic()
        with pytest.raises(Exception, match="401"):
            open_live(server, Authorization="Bearer wrong")
        assert time.monotonic() - refused_at >= 0.3  # a refusal comes from as far away
        assert httpx.get(f"{server.url}/model", headers=AUTH).status_code == 200


async def test_the_handshake_delay_holds_an_async_upgrade() -> None:
    async with LocalServer(api_key=KEY, live_handshake_delay=0.3) as server:
        began = time.monotonic()
        async with async_connect(live_url(server), additional_headers=AUTH) as ws:
            assert time.monotonic() - began >= 0.3
            await ws.send(msgpack.packb(start()))
            await ws.send(msgpack.packb(STOP))
            assert conforming(await ws.recv()) == FINISHED


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"live_max_connection_seconds": 0}, "live_max_connection_seconds must be a number of seconds"),
        ({"live_max_connection_seconds": float("inf")}, "more than 0; got inf"),
        ({"live_max_connection_seconds": "60"}, "got '60'"),
        ({"live_handshake_delay": -0.1}, "live_handshake_delay must be a number of seconds, 0 or more"),
        ({"live_handshake_delay": True}, "got True"),
    ],
)
def test_bad_socket_settings_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LocalServer(**options)
