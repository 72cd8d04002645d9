"""``/v1/tts/live`` of the local server, frame by frame, through a plain ``websockets`` client.

Each test sends exact events and checks exactly what comes back: the events, the close code (none after a
session that finished: the socket stays open for the next), and that the audio frames make one valid file.
The server's own log must stay free of errors throughout.
"""

from __future__ import annotations

import contextlib
import socket
import time
from decimal import Decimal
from typing import Any

import httpx
import msgpack
import pytest
from live_frames import FLUSH, STOP, URL_PATH, audio_of, conforming, open_live, receive_all, start, text
from local_wire import ADRIAN
from websockets.exceptions import ConnectionClosed, ConnectionClosedError, InvalidStatus

from fishaudio_ext.server import LocalServer, Pacing
from fishaudio_ext.server._codecs import probe
from tests.support.server_log import quiet_server_log  # noqa: F401 (autouse: the server logs no error)

# What fish-audio-sdk 1.3.0 sends as start (wire-contract: no exclude_none, kbps opus bitrate).
SDK_START: dict[str, Any] = {
    "event": "start",
    "request": {
        "text": "",
        "chunk_length": 200,
        "format": "wav",
        "sample_rate": None,
        "mp3_bitrate": 128,
        "opus_bitrate": 32,
        "references": [],
        "reference_id": None,
        "normalize": True,
        "latency": "balanced",
        "prosody": None,
        "top_p": 0.7,
        "temperature": 0.7,
        "max_new_tokens": 1024,
        "repetition_penalty": 1.2,
        "min_chunk_length": 50,
        "condition_on_previous_chunks": True,
        "early_stop_threshold": 1.0,
    },
}


def session(server: LocalServer, *frames: dict[str, Any] | bytes | str, **headers: str) -> tuple[Any, ...]:
    """Send ``frames`` (events are packed), then read the session: (events, close code, close reason), the
    code None while the socket is still open."""
    with open_live(server, **headers) as ws:
        for frame in frames:
            try:
                ws.send(msgpack.packb(frame) if isinstance(frame, dict) else frame)
            except ConnectionClosed:
                break  # the server ended the session early: what it said is read below
        events = receive_all(ws)
        return events, ws.close_code, ws.close_reason


def test_a_session_streams_one_file_then_finishes_and_the_socket_stays_open(server: LocalServer) -> None:
    events, code, _ = session(
        server, start(format="wav"), text("Hello there. "), FLUSH, text("How are "), text("you?"), STOP
    )
    assert [event["event"] for event in events] == ["audio", "audio", "finish"]
    assert events[-1] == {"event": "finish", "reason": "stop"}
    assert code is None
    assert all(isinstance(event["audio"], bytes) for event in events[:-1])
    assert events[0]["audio"].startswith(b"RIFF")  # one header for the whole session
    assert b"RIFF" not in events[1]["audio"][:4]
    info = probe(audio_of(events))
    assert info is not None
    assert info.format == "wav"
    assert info.sample_rate == 44100
    assert info.duration > 1.5


@pytest.mark.parametrize(("audio_format", "container"), [("mp3", "mp3"), ("opus", "ogg"), ("wav", "wav")])
def test_every_format_concatenates_into_one_file(
    server: LocalServer, audio_format: str, container: str
) -> None:
    short, _, _ = session(server, start(format=audio_format), text("One sentence."), FLUSH, STOP)
    long, _, _ = session(
        server, start(format=audio_format), text("One sentence."), FLUSH, text("And then a second one."), STOP
    )
    short_info, long_info = probe(audio_of(short)), probe(audio_of(long))
    assert short_info is not None
    assert long_info is not None
    assert short_info.format == long_info.format == container
    assert long_info.duration > short_info.duration + 1


def test_the_official_sdk_start_event_is_accepted(server: LocalServer) -> None:
    events, code, _ = session(server, SDK_START, text("Hello "), text("world"), FLUSH, STOP, model="s2-pro")
    assert events[-1] == {"event": "finish", "reason": "stop"}
    assert code is None
    assert probe(audio_of(events)) is not None


def test_text_is_spoken_once_the_buffer_reaches_chunk_length(server: LocalServer) -> None:
    sentence = (
        "This sentence is long enough to pass the chunk length of one hundred characters, all by itself. "
    )
    with open_live(server) as ws:
        ws.send(msgpack.packb(start(format="mp3", chunk_length=100)))
        ws.send(msgpack.packb(text("Short. ")))
        with pytest.raises(TimeoutError):
            ws.recv(timeout=0.3)  # under chunk_length: the server waits for more text
        ws.send(msgpack.packb(text(sentence)))
        assert conforming(ws.recv(timeout=5))["event"] == "audio"  # no flush needed
        ws.send(msgpack.packb(STOP))
        assert receive_all(ws)[-1] == {"event": "finish", "reason": "stop"}


def test_a_word_cut_between_text_events_is_spoken_whole(server: LocalServer, http: httpx.Client) -> None:
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar"
    events, _, _ = session(
        server, start(chunk_length=100), text(words + " pa"), text("pa quebec."), FLUSH, STOP
    )
    audio = audio_of(events)
    transcript = http.post("/v1/asr", files={"audio": ("live.mp3", audio)}).json()
    assert transcript["text"] == words + " papa quebec."


def test_unknown_events_are_ignored(server: LocalServer) -> None:
    events, code, _ = session(
        server, start(), {"event": "ping", "data": 1}, {"no": "event"}, text("Still fine."), STOP
    )
    assert [event["event"] for event in events][-1:] == ["finish"]
    assert events[-1]["reason"] == "stop"
    assert code is None


def test_no_text_means_no_audio(server: LocalServer) -> None:
    events, code, _ = session(server, start(format="wav"), FLUSH, text("   "), STOP)
    assert events == [{"event": "finish", "reason": "stop"}]
    assert code is None


@pytest.mark.parametrize(
    ("first", "message"),
    [
        (text("Hello"), "The first event must be start, not 'text'"),
        (start(chunk_length=5), "Invalid start event: request.chunk_length:"),
        (start(format="flac"), "Invalid start event: request.format:"),
        ({"event": "start"}, "Invalid start event: request: Field required"),
    ],
)
def test_a_bad_first_event_ends_the_session(server: LocalServer, first: dict[str, Any], message: str) -> None:
    events, code, reason = session(server, first, text("Hello"), STOP)
    (finish,) = events
    assert finish["event"] == "finish"
    assert finish["reason"] == "error"
    assert finish["message"].startswith(message)
    assert code == 1008
    assert reason


def test_a_second_start_ends_the_session(server: LocalServer) -> None:
    events, code, _ = session(server, start(), start(), STOP)
    assert events == [
        {"event": "finish", "reason": "error", "message": "A session has one start event: it was sent again"}
    ]
    assert code == 1008


def test_a_bad_text_event_ends_the_session(server: LocalServer) -> None:
    events, code, _ = session(server, start(), {"event": "text", "text": 42}, STOP)
    assert events[-1]["reason"] == "error"
    assert events[-1]["message"].startswith("Invalid text event: text:")
    assert code == 1008


def test_a_text_frame_is_refused_with_1003(server: LocalServer) -> None:
    events, code, reason = session(server, start(), '{"event": "text", "text": "json"}', STOP)
    assert events == [
        {
            "event": "finish",
            "reason": "error",
            "message": "Frames must be binary MessagePack maps: a text frame was received",
        }
    ]
    assert code == 1003
    assert "binary MessagePack" in reason


@pytest.mark.parametrize("frame", [b"\xc1", msgpack.packb([1, 2]), msgpack.packb("start") + b"\x00"])
def test_an_undecodable_frame_is_refused_with_1007(server: LocalServer, frame: bytes) -> None:
    events, code, _ = session(server, start(), frame, STOP)
    assert [(event["event"], event["reason"]) for event in events] == [("finish", "error")]
    assert "MessagePack" in events[0]["message"]
    assert code == 1007


def test_an_unknown_voice_ends_the_session_like_the_http_400(server: LocalServer) -> None:
    events, code, _ = session(server, start(reference_id="no-such-voice"), text("Hi"), STOP)
    assert events == [
        {
            "event": "finish",
            "reason": "error",
            "message": "Reference not found: No voice model with id no-such-voice",
        }
    ]
    assert code == 1008
    events, _, _ = session(server, start(reference_id=ADRIAN), text("Hi"), STOP)
    assert events[-1]["reason"] == "stop"


def test_an_unsupported_sample_rate_ends_the_session(server: LocalServer) -> None:
    events, _, _ = session(server, start(format="mp3", sample_rate=16000), STOP)
    assert events[-1]["message"].startswith("Unsupported sample rate 16000 for mp3")


def test_credit_is_charged_per_text_and_running_out_ends_the_session(server: LocalServer) -> None:
    first, second = "Forty characters of text, to be billed. ", "Forty more characters: past the credit.."
    server.set_credit("0.001")  # 1000 micro-USD: 66 bytes at 15 micro-USD each
    events, code, _ = session(server, start(), text(first), FLUSH, text(second), FLUSH, STOP)
    assert [event["event"] for event in events] == ["audio", "finish"]
    assert events[-1] == {"event": "finish", "reason": "error", "message": "Insufficient API credit"}
    assert code == 1008
    assert server.credit() == Decimal("0.001") - Decimal("0.000015") * len(first)


def test_handshake_refusals_are_http_answers_with_the_api_body(server: LocalServer) -> None:
    def refused(**headers: str) -> Any:
        with pytest.raises(InvalidStatus) as error:
            open_live(server, **headers)
        return error.value.response

    unauthorized = refused(Authorization="Bearer wrong")
    assert unauthorized.status_code == 401
    assert b'"Invalid API key"' in unauthorized.body
    server.set_credit(0)
    unpaid = refused()
    assert unpaid.status_code == 402
    assert b'"Insufficient API credit"' in unpaid.body
    # The free model costs nothing: no credit is needed for it.
    events, _, _ = session(server, start(), text("Free."), STOP, model="s2.1-pro-free")
    assert events[-1]["reason"] == "stop"
    server.set_credit(10)
    server.faults.fail(503, path=URL_PATH)
    assert refused().status_code == 503
    server.concurrency_limit = 1
    with open_live(server) as busy:
        busy.send(msgpack.packb(start()))
        assert server.wait_for_in_flight(1, timeout=2)
        limited = refused()
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "1"


def test_a_session_holds_a_concurrency_slot_from_start_until_it_ends(server: LocalServer) -> None:
    with open_live(server) as ws:
        assert server.in_flight() == 0  # an open socket is no work yet
        ws.send(msgpack.packb(start()))
        assert server.wait_for_in_flight(1, timeout=2)
        ws.send(msgpack.packb(STOP))
        receive_all(ws)
    assert server.wait_for_idle(timeout=2)


def test_sockets_that_never_start_hold_no_slot(server: LocalServer, http: httpx.Client) -> None:
    server.concurrency_limit = 2
    with contextlib.ExitStack() as stack:
        for _ in range(4):
            stack.enter_context(open_live(server))
        assert server.in_flight() == 0
        assert http.get("/model").status_code == 200
        events, _, _ = session(server, start(), text("Still served."), STOP)
        assert events[-1] == {"event": "finish", "reason": "stop"}


def test_a_start_beyond_the_limit_ends_the_session(server: LocalServer) -> None:
    server.concurrency_limit = 1
    with open_live(server) as waiting, open_live(server) as busy:
        busy.send(msgpack.packb(start()))
        assert server.wait_for_in_flight(1, timeout=2)
        waiting.send(msgpack.packb(start()))
        finish = conforming(waiting.recv(timeout=5))
        assert finish["reason"] == "error"
        assert finish["message"].startswith("Too many concurrent requests")
        with pytest.raises(ConnectionClosed):
            waiting.recv(timeout=5)
        assert waiting.close_code == 1008


def test_finish_error_fault_after_some_frames(server: LocalServer) -> None:
    server.faults.websocket_finish_error(after_frames=1)
    many = "A first sentence to speak. " * 3
    events, code, _ = session(server, start(chunk_length=100), text(many), FLUSH, STOP)
    assert [event["event"] for event in events] == ["audio", "finish"]
    assert events[-1] == {
        "event": "finish",
        "reason": "error",
        "message": "Synthesis failed after 1 audio frames (injected fault)",
    }
    assert code == 1011
    # A session shorter than the count still ends with the error (the fault is used up either way).
    server.faults.websocket_finish_error(after_frames=50)
    events, _, _ = session(server, start(), text("Short."), STOP)
    assert events[-1]["reason"] == "error"
    events, _, _ = session(server, start(), text("Short."), STOP)
    assert events[-1]["reason"] == "stop"


def test_drop_fault_closes_the_connection_without_a_close_frame(server: LocalServer) -> None:
    server.faults.drop(after_chunks=1, path=URL_PATH)
    with open_live(server) as ws:
        ws.send(msgpack.packb(start(chunk_length=100)))
        ws.send(msgpack.packb(text("A first sentence to speak. " * 3)))
        ws.send(msgpack.packb(STOP))
        assert conforming(ws.recv(timeout=5))["event"] == "audio"
        with pytest.raises(ConnectionClosedError) as closed:
            ws.recv(timeout=5)
    assert closed.value.rcvd is None  # no close frame: the TCP connection just ended


def test_delay_fault_holds_the_first_audio(server: LocalServer) -> None:
    server.faults.delay(0.4, times=1, path=URL_PATH)
    with open_live(server) as ws:
        ws.send(msgpack.packb(start()))
        ws.send(msgpack.packb(text("Wait for it.")))
        began = time.monotonic()
        ws.send(msgpack.packb(FLUSH))
        assert conforming(ws.recv(timeout=5))["event"] == "audio"
        assert time.monotonic() - began >= 0.35
        ws.send(msgpack.packb(STOP))
        assert receive_all(ws)[-1]["reason"] == "stop"


def test_audio_frames_follow_the_pacing(server: LocalServer) -> None:
    server.pacing = Pacing(spread=0.6)
    with open_live(server) as ws:
        ws.send(msgpack.packb(start(chunk_length=100)))
        ws.send(msgpack.packb(text("A sentence of some length to speak out. " * 3)))
        began = time.monotonic()
        ws.send(msgpack.packb(STOP))
        events = receive_all(ws)
    assert len(events) >= 3
    assert time.monotonic() - began >= 0.5


@pytest.mark.parametrize("abrupt", [False, True], ids=["close-frame", "tcp-reset"])
def test_a_client_leaving_mid_session_frees_the_server(server: LocalServer, abrupt: bool) -> None:
    server.pacing = Pacing(spread=30.0)  # the session would take 30 s to send everything
    with open_live(server) as ws:
        ws.send(msgpack.packb(start(chunk_length=100)))
        ws.send(msgpack.packb(text("A sentence of some length to speak out. " * 6)))
        ws.send(msgpack.packb(STOP))
        assert conforming(ws.recv(timeout=5))["event"] == "audio"
        if abrupt:
            ws.socket.shutdown(socket.SHUT_RDWR)
    assert server.wait_for_idle(timeout=3), "the session kept running after the client left"


def test_frames_over_one_mebibyte_arrive_intact(server: LocalServer) -> None:
    # No sentence ends: the chunks are as long as chunk_length allows, about 20 s (1.7 MiB) each.
    long_text = "every word of this long text is spoken at forty-four kilohertz, " * 10
    events, _, _ = session(
        server, start(format="wav", sample_rate=44100, chunk_length=300), text(long_text), FLUSH, STOP
    )
    sizes = [len(event["audio"]) for event in events if event["event"] == "audio"]
    assert max(sizes) > 1024 * 1024
    info = probe(audio_of(events))
    assert info is not None
    assert info.duration == pytest.approx((sum(sizes) - 44) / 2 / 44100)
