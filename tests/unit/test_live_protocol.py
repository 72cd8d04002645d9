"""The /v1/tts/live protocol without a network: frames sent, frames read, and the session's bookkeeping."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import attrs
import msgpack
import pytest
from fishaudio_api.models import LiveAudioEvent, LiveFinishEvent, LiveFlushEvent, LiveTextEvent
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosedError, InvalidStatus, InvalidUpgrade
from websockets.frames import Close
from websockets.http11 import Response

import fishaudio_ext._live.state as websocket_module
from fishaudio_ext import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    FlushEvent,
    RateLimitError,
    ReferenceAudio,
    TextEvent,
    TTSConfig,
    ValidationError,
    WebSocketError,
    WebSocketOptions,
    __version__,
)
from fishaudio_ext._http import HTTPSettings
from fishaudio_ext._live.connection import (
    LiveRequest,
    closed_error,
    connect_error,
    connect_kwargs,
    handshake_headers,
    live_request,
    live_url,
)
from fishaudio_ext._live.protocol import (
    STOP_FRAME,
    check_text_stream,
    item_frame,
    read_frame,
    start_frame,
)
from fishaudio_ext._live.state import UtteranceState as SessionState
from fishaudio_ext._retry import SYSTEM_CLOCK
from fishaudio_ext.types._tts_config import tts_request_payload


def settings(base_url: str = "https://api.fish.audio", **headers: str) -> HTTPSettings:
    return HTTPSettings(
        api_key="secret", base_url=base_url, timeout=None, max_retries=0, headers=headers, clock=SYSTEM_CLOCK
    )


def request_to(url: str) -> LiveRequest:
    """A session request whose URL is ``url``, for the error messages that name it."""
    return attrs.evolve(live_request(settings(), TTSConfig(), "s1", None), url=url)


def frame(event: object) -> bytes:
    return bytes(msgpack.packb(event, use_bin_type=True))


# --- frames the client sends ---------------------------------------------------------------------


def test_start_frame_carries_the_same_request_as_http() -> None:
    config = TTSConfig(format="opus", references=[ReferenceAudio(audio=b"\xff\x00", text="hi")])

    assert msgpack.unpackb(start_frame(config)) == {
        "event": "start",
        "request": tts_request_payload("", config),
    }
    assert msgpack.unpackb(start_frame(config))["request"]["references"][0]["audio"] == b"\xff\x00"


@pytest.mark.parametrize(
    ("item", "event"),
    [
        ("Hello", {"event": "text", "text": "Hello"}),
        ("", {"event": "text", "text": ""}),
        (TextEvent(text="Hi"), {"event": "text", "text": "Hi"}),
        (FlushEvent(), {"event": "flush"}),
    ],
)
def test_item_frames(item: object, event: dict[str, str]) -> None:
    assert msgpack.unpackb(item_frame(item)) == event


@pytest.mark.parametrize(
    ("item", "model"),
    [
        ("Hello", LiveTextEvent(event="text", text="Hello")),
        (TextEvent(text="Hi"), LiveTextEvent(event="text", text="Hi")),
        (FlushEvent(), LiveFlushEvent(event="flush")),
    ],
)
def test_item_frames_are_the_spec_events(item: object, model: LiveTextEvent | LiveFlushEvent) -> None:
    # Text frames are packed from a plain map, for speed: the generated model stays the reference.
    assert msgpack.unpackb(item_frame(item)) == model.to_dict()


def test_stop_frame() -> None:
    assert msgpack.unpackb(STOP_FRAME) == {"event": "stop"}


@pytest.mark.parametrize("item", [1, b"x", None, ["a"], {"event": "text", "text": "x"}])
def test_other_items_are_refused_naming_their_type(item: object) -> None:
    with pytest.raises(ValidationError, match=rf"yielded a {type(item).__name__}: allowed str, TextEvent"):
        item_frame(item)


def sync_text() -> Iterator[str]:
    yield "x"


async def async_text() -> AsyncIterator[str]:
    yield "x"


@pytest.mark.parametrize("text_stream", [["a"], ("a",), sync_text()])
def test_sync_text_streams(text_stream: object) -> None:
    check_text_stream(text_stream, asynchronous=False)


@pytest.mark.parametrize(
    ("text_stream", "asynchronous", "message"),
    [
        ("Hello", False, r"an iterable of str, TextEvent or FlushEvent, not str; wrap a single text"),
        (b"Hello", False, "not bytes"),
        (42, False, "not int"),
        (async_text(), False, "not async_generator"),
        (["a"], True, "an async iterable .* not list"),
        (sync_text(), True, "not generator"),
    ],
)
def test_unusable_text_streams(text_stream: object, asynchronous: bool, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        check_text_stream(text_stream, asynchronous=asynchronous)

    assert caught.value.field == "text_stream"


# --- frames the server sends ---------------------------------------------------------------------


def test_audio_event_gives_its_audio() -> None:
    data = {"event": "audio", "audio": b"\x01\x02", "time": 3.5}
    model = LiveAudioEvent.from_dict(data)  # the spec's shape, which read_frame skips building

    assert read_frame(frame(data)) == model.audio.payload.read() == b"\x01\x02"


def test_finish_stop_ends_the_session() -> None:
    assert isinstance(read_frame(frame({"event": "finish", "reason": "stop"})), LiveFinishEvent)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"event": "finish", "reason": "error", "message": "Out of credit"}, "with an error: Out of credit"),
        ({"event": "finish", "reason": "error"}, "with an error: no message given"),
        ({"event": "finish", "reason": "error", "status": 402}, "with an error: {'status': 402}"),
        ({"event": "finish", "reason": "cancelled"}, "with reason 'cancelled': no message given"),
    ],
)
def test_finish_otherwise_is_an_error_carrying_the_event(event: dict[str, Any], message: str) -> None:
    with pytest.raises(WebSocketError) as caught:
        read_frame(frame(event))

    assert str(caught.value) == f"The server ended the session {message}"
    assert caught.value.event == event


def test_log_events_go_to_the_logger(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="fishaudio_ext"):
        assert read_frame(frame({"event": "log", "message": "warming up"})) is None
        assert read_frame(frame({"event": "log", "level": "debug"})) is None

    assert caplog.messages == ["Server log: warming up", "Server log: {'level': 'debug', 'event': 'log'}"]


def test_unknown_events_are_skipped() -> None:
    assert read_frame(frame({"event": "progress", "percent": 10})) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("text", "text frame instead of MessagePack"),
        (b"\xc1", "not valid MessagePack"),
        (b"\x92\x01", "not valid MessagePack"),  # truncated
        (frame({1: "int key"}), "not valid MessagePack"),
        (frame([1]), "list instead of an event map"),
        (frame("audio"), "str instead of an event map"),
        (frame({"audio": b"x"}), "without an event name"),
        (frame({"event": 7}), "without an event name"),
        (frame({"event": "audio"}), "without audio bytes"),
        (frame({"event": "audio", "audio": "text"}), "without audio bytes"),
        (frame({"event": "finish"}), "finish event without a reason"),
    ],
)
def test_malformed_frames(data: str | bytes, message: str) -> None:
    with pytest.raises(WebSocketError, match=message):
        read_frame(data)


# --- connecting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "url"),
    [
        ("https://api.fish.audio", "wss://api.fish.audio/v1/tts/live"),
        ("http://127.0.0.1:8080/", "ws://127.0.0.1:8080/v1/tts/live"),
        ("https://proxy.example/fish", "wss://proxy.example/fish/v1/tts/live"),
    ],
)
def test_live_url(base_url: str, url: str) -> None:
    assert live_url(settings(base_url)) == url


def test_handshake_headers_are_those_of_http_requests() -> None:
    headers = handshake_headers(settings(**{"X-App": "demo", "authorization": "Bearer other"}), "s1")

    assert sorted(headers) == [
        ("Authorization", "Bearer secret"),  # the client's key wins over a default header
        ("User-Agent", f"fishaudio-ext/{__version__}"),
        ("X-App", "demo"),
        ("model", "s1"),
    ]


def test_a_default_user_agent_replaces_ours() -> None:
    headers = handshake_headers(settings(**{"user-agent": "my-app/1.0"}), "s1")

    assert [value for name, value in headers if name.lower() == "user-agent"] == ["my-app/1.0"]


def test_connect_kwargs() -> None:
    assert connect_kwargs(WebSocketOptions(keepalive_ping_timeout_seconds=None, queue_size=4)) == {
        "open_timeout": 10.0,
        "ping_interval": 20.0,
        "ping_timeout": None,
        "close_timeout": 5.0,
        "max_size": 16 * 1024 * 1024,
        "max_queue": 4,
        "compression": None,
        "user_agent_header": None,
    }


def test_refused_handshake_maps_like_http() -> None:
    response = Response(429, "Too Many Requests", Headers({"Retry-After": "3"}), b'{"message": "slow down"}')

    error = connect_error(InvalidStatus(response), request_to("wss://x"))

    assert isinstance(error, RateLimitError)
    assert error.retry_after == 3
    assert error.message == "slow down"


@pytest.mark.parametrize(
    ("error", "expected", "message"),
    [
        (TimeoutError(), APITimeoutError, "Connecting to wss://x timed out after 10 s."),
        (ConnectionRefusedError("refused"), APIConnectionError, "Connecting to wss://x failed: refused"),
        (InvalidUpgrade("Upgrade", "h2c"), WebSocketError, "The WebSocket handshake with wss://x failed"),
    ],
)
def test_other_connection_failures(error: Exception, expected: type[Exception], message: str) -> None:
    mapped = connect_error(error, request_to("wss://x"))

    assert type(mapped) is expected
    assert str(mapped).startswith(message)


def test_a_refused_handshake_never_repeats_the_key() -> None:
    body = b'{"status": 401, "message": "invalid key secret"}'
    response = Response(401, "Unauthorized", Headers(), body)

    error = connect_error(InvalidStatus(response), request_to("wss://x"))

    assert isinstance(error, AuthenticationError)
    assert "secret" not in str(error)


def test_unexpected_connection_failures_are_left_alone() -> None:
    assert connect_error(KeyError("bug"), request_to("wss://x")) is None


@pytest.mark.parametrize(
    ("rcvd", "sent", "code", "reason"),
    [
        (Close(4000, "bye"), None, 4000, "bye"),
        (Close(1000, ""), Close(1000, ""), 1000, None),
        (None, Close(1011, "keepalive ping timeout"), 1011, "keepalive ping timeout"),
        (None, None, 1006, None),
    ],
)
def test_closed_error(rcvd: Close | None, sent: Close | None, code: int, reason: str | None) -> None:
    error = closed_error(ConnectionClosedError(rcvd, sent, True if rcvd and sent else None))

    assert (error.close_code, error.close_reason) == (code, reason)


# --- the receive timeout -------------------------------------------------------------------------


class FakeMonotonic:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 100.0
        monkeypatch.setattr(websocket_module.time, "monotonic", lambda: self.now)


def test_silence_is_only_timed_once_stop_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeMonotonic(monkeypatch)
    state = SessionState(5.0)
    state.start_wait()
    clock.now += 60  # the iterator is still producing text: the server may wait as long as it likes

    assert state.wait_limit() == 5.0

    state.stop_sent()
    clock.now += 2
    assert state.wait_limit() == 3.0

    clock.now += 3
    assert state.wait_limit() == 0.0
    assert str(state.silence_error()) == (
        "The server sent nothing for 5 s after all text was sent (WebSocketOptions.receive_timeout_seconds)"
    )


def test_each_wait_has_the_whole_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeMonotonic(monkeypatch)
    state = SessionState(5.0)
    state.stop_sent()
    state.start_wait()
    clock.now += 1
    state.end_wait()
    clock.now += 30  # the caller was busy with earlier audio: that is not the server's silence

    assert state.wait_limit() == 5.0
    state.start_wait()
    assert state.wait_limit() == 5.0


def test_no_receive_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeMonotonic(monkeypatch)
    state = SessionState(None)
    state.stop_sent()
    state.start_wait()
    clock.now += 1e6

    assert state.wait_limit() is None


def test_the_recorded_failure_is_raised_as_it_is() -> None:
    state = SessionState(None)
    state.raise_failure()
    failure = ValueError("boom")

    state.fail(failure)

    with pytest.raises(ValueError, match="boom") as caught:
        state.raise_failure()
    assert caught.value is failure
