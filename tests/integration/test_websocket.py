"""``tts.stream_websocket`` against a real WebSocket server on 127.0.0.1: the faults both clients handle
alike, each test run for ``FishAudio`` and ``AsyncFishAudio`` (``tests.support.live_calls.LiveTwin``).

What a session sends and when is in test_websocket_session.py; what only one client has (threads and
iterables, tasks and the event loop) is in test_websocket_sync.py and test_websocket_async.py.
Coordination with the server uses events, never sleeps; every wait is bounded so that a broken client
fails the test instead of hanging it.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import msgpack
import pytest

from fishaudio_ext import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    PaymentRequiredError,
    RateLimitError,
    ServerError,
    ValidationError,
    WebSocketError,
    WebSocketOptions,
)
from fishaudio_ext.utils import save
from tests.support.live_calls import LiveTwin, live_twin
from tests.support.live_server import Gate, LiveServer, Peer, unresponsive_server

FAST = WebSocketOptions(close_timeout_seconds=2)


async def test_connection_refused_is_a_connection_error(is_async: bool) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    twin = live_twin(is_async, api_key="k", base_url=f"http://127.0.0.1:{port}")
    try:
        with pytest.raises(APIConnectionError, match=r"Connecting to ws://127\.0\.0\.1"):
            await twin.read(twin.stream(twin.texts("Hi")))
    finally:
        await twin.close()


async def test_a_handshake_that_never_completes_times_out(is_async: bool) -> None:
    with socket.create_server(("127.0.0.1", 0)) as mute:  # accepts the connection, never answers
        twin = live_twin(is_async, api_key="k", base_url=f"http://127.0.0.1:{mute.getsockname()[1]}")
        options = WebSocketOptions(open_timeout_seconds=0.2)
        try:
            with pytest.raises(APITimeoutError, match=r"timed out after 0\.2 s"):
                await twin.read(twin.stream(twin.texts("Hi"), ws_options=options))
        finally:
            await twin.close()


@pytest.mark.parametrize(
    ("status", "error_class"),
    [(401, AuthenticationError), (402, PaymentRequiredError), (429, RateLimitError), (503, ServerError)],
)
async def test_refused_handshake_raises_the_http_error_class(
    live_server: LiveServer, twin: LiveTwin, status: int, error_class: type[Exception]
) -> None:
    live_server.refuse(status, {"status": status, "message": f"refused with {status}"})
    pulled: list[bool] = []

    def text() -> Iterator[str]:
        pulled.append(True)
        yield "Hi"

    with pytest.raises(error_class) as caught:
        await twin.read(twin.stream(twin.text_stream(text())))

    assert caught.value.status == status  # type: ignore[attr-defined]
    assert f"refused with {status}" in str(caught.value)
    assert pulled == []  # the text is not read before the connection is open


@pytest.mark.parametrize("item", [42, b"bytes", None, {"event": "text"}])
async def test_an_item_of_the_wrong_type_is_a_validation_error(twin: LiveTwin, item: object) -> None:
    with pytest.raises(ValidationError, match=type(item).__name__) as caught:
        await twin.read(twin.stream(twin.texts("fine", item), ws_options=FAST))

    assert caught.value.field == "text_stream"


async def test_finish_with_error_raises_what_the_server_said(live_server: LiveServer, twin: LiveTwin) -> None:
    async def fail(peer: Peer) -> None:
        await peer.recv()
        await peer.send({"event": "audio", "audio": b"partial"})
        await peer.send(
            {"event": "finish", "reason": "error", "message": "Insufficient API credit", "code": 7}
        )
        await peer.close()

    live_server.scenario = fail
    before = twin.running()
    audio = twin.stream(twin.texts("Hi"), ws_options=FAST)

    assert await twin.next(audio) == b"partial"
    with pytest.raises(WebSocketError) as caught:
        await twin.next(audio)

    assert "Insufficient API credit" in str(caught.value)
    assert caught.value.event == {
        "event": "finish",
        "reason": "error",
        "message": "Insufficient API credit",
        "code": 7,
    }
    assert twin.running() == before


async def test_server_closing_without_finish_reports_code_and_reason(
    live_server: LiveServer, twin: LiveTwin
) -> None:
    async def hang_up(peer: Peer) -> None:
        await peer.recv()
        await peer.close(4002, "session limit reached")

    live_server.scenario = hang_up
    before = twin.running()

    with pytest.raises(WebSocketError) as caught:
        await twin.read(twin.stream(twin.texts("Hi"), ws_options=FAST))

    assert caught.value.close_code == 4002
    assert caught.value.close_reason == "session limit reached"
    assert "4002" in str(caught.value)
    assert twin.running() == before


async def test_a_silent_server_times_out(live_server: LiveServer, twin: LiveTwin) -> None:
    release = Gate(live_server)

    async def silent(peer: Peer) -> None:
        while (await peer.recv())["event"] != "stop":
            pass
        await release.wait()

    live_server.scenario = silent
    options = WebSocketOptions(receive_timeout_seconds=0.2, close_timeout_seconds=0.5)
    before = twin.running()

    try:
        with pytest.raises(WebSocketError, match=r"nothing for 0\.2 s"):
            await twin.read(twin.stream(twin.texts("Hi"), ws_options=options))
    finally:
        release.open()
    assert twin.running() == before


async def test_log_events_are_logged_and_unknown_events_ignored(
    live_server: LiveServer, twin: LiveTwin, caplog: pytest.LogCaptureFixture
) -> None:
    async def chatty(peer: Peer) -> None:
        await peer.recv()
        await peer.send({"event": "log", "message": "chunk 1 synthesized"})
        await peer.send({"event": "progress", "percent": 50})
        await peer.send({"event": "audio", "audio": b"a", "time": 12.5})
        await peer.send({"event": "finish", "reason": "stop"})

    live_server.scenario = chatty

    with caplog.at_level(logging.INFO, logger="fishaudio_ext"):
        assert await twin.read(twin.stream(twin.texts("Hi"))) == [b"a"]

    assert "Server log: chunk 1 synthesized" in caplog.messages


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ("a text frame", "text frame"),
        (msgpack.packb([1, 2, 3]), "list instead of an event map"),
        (b"\xc1\x00garbage", "not valid MessagePack"),
        (msgpack.packb({"audio": b"x"}), "without an event name"),
        (msgpack.packb({"event": "audio", "audio": "not bytes"}), "without audio bytes"),
    ],
    ids=["text-frame", "not-a-map", "undecodable", "no-event", "audio-not-bytes"],
)
async def test_malformed_frames_are_websocket_errors(
    live_server: LiveServer, twin: LiveTwin, frame: str | bytes, message: str
) -> None:
    async def send_bad(peer: Peer) -> None:
        await peer.recv()
        await peer.send_raw(frame)
        await peer.wait_closed()

    live_server.scenario = send_bad
    before = twin.running()

    with pytest.raises(WebSocketError, match=message):
        await twin.read(twin.stream(twin.texts("Hi"), ws_options=FAST))

    assert twin.running() == before


async def test_audio_frames_over_1_mib_arrive_intact(live_server: LiveServer, twin: LiveTwin) -> None:
    big = bytes(range(256)) * (3 * 1024 * 1024 // 256)

    async def send_big(peer: Peer) -> None:
        await peer.recv()
        await peer.send({"event": "audio", "audio": big})
        await peer.send({"event": "finish", "reason": "stop"})

    live_server.scenario = send_big

    assert await twin.read(twin.stream(twin.texts("Hi"))) == [big]


async def test_save_writes_the_stream(twin: LiveTwin, tmp_path: Path) -> None:
    target = tmp_path / "out.mp3"

    saving = save(twin.stream(twin.texts("a", "b")), target)
    if twin.is_async:
        await saving  # an asyncio.Task for an async stream

    assert target.read_bytes() == b"audio(a)audio(b)"


async def test_a_server_that_stops_answering_pings_is_detected(is_async: bool) -> None:
    options = WebSocketOptions(
        keepalive_ping_interval_seconds=0.05,
        keepalive_ping_timeout_seconds=0.1,
        close_timeout_seconds=0.2,
        receive_timeout_seconds=None,  # only the keepalive can tell
    )
    with unresponsive_server() as base_url:
        twin = live_twin(is_async, api_key="k", base_url=base_url)
        try:
            before = twin.running()

            with pytest.raises(WebSocketError, match="keepalive") as caught:
                await twin.read(twin.stream(twin.texts("Hi"), ws_options=options))

            assert caught.value.close_code == 1011
            if is_async:
                assert twin.running() == before
            else:
                assert twin.running() <= before  # the server's thread may have ended too
        finally:
            await twin.close()
