"""FishAudio.tts.stream_websocket against a real WebSocket server on 127.0.0.1: wire traffic and every fault.

The faults both clients handle alike are tested once for both in test_websocket.py; the async twins of
these tests are in test_websocket_async.py. Coordination with the server uses events,
never sleeps; every wait is bounded so that a broken client fails the test instead of hanging it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from fishaudio_ext import (
    FishAudio,
    FlushEvent,
    Prosody,
    ReferenceAudio,
    StreamConsumedError,
    TextEvent,
    TTSConfig,
    ValidationError,
    WebSocketError,
    WebSocketOptions,
    __version__,
)
from tests.support.live_server import LiveServer, Peer

WAIT = 10  # seconds: the bound on every wait for the other side, reached only when something is broken
FAST = WebSocketOptions(close_timeout_seconds=2)


@pytest.fixture
def server() -> Iterator[LiveServer]:
    with LiveServer().running() as running:
        yield running


@pytest.fixture
def client(server: LiveServer) -> Iterator[FishAudio]:
    with FishAudio(api_key="test-key", base_url=server.base_url, default_headers={"X-App": "tests"}) as c:
        yield c


def wait_for(event: threading.Event) -> None:
    assert event.wait(WAIT), "timed out waiting for the other side"


def test_happy_path_sends_the_exact_frames_and_yields_the_audio(
    server: LiveServer, client: FishAudio
) -> None:
    config = TTSConfig(format="pcm", sample_rate=16000, prosody=Prosody(volume=2.0))
    reference = ReferenceAudio(audio=b"\x00\x01wav", text="sample")

    audio = list(
        client.tts.stream_websocket(
            iter(["Hello, ", TextEvent(text="world."), FlushEvent(), "Bye."]),
            reference_id="voice-1",
            references=[reference],
            latency="balanced",
            speed=1.25,
            config=config,
            model="s2-pro",
        )
    )

    assert audio == [b"audio(Hello, )", b"audio(world.)", b"audio(flush)", b"audio(Bye.)"]
    start, *rest = server.received
    assert start == {
        "event": "start",
        # Exactly what the call and its config set: the spec's defaults are the server's business.
        "request": {
            "text": "",
            "references": [{"audio": b"\x00\x01wav", "text": "sample"}],
            "reference_id": "voice-1",
            "prosody": {"speed": 1.25, "volume": 2.0},
            "format": "pcm",
            "sample_rate": 16000,
            "latency": "balanced",
        },
    }
    assert rest == [
        {"event": "text", "text": "Hello, "},
        {"event": "text", "text": "world."},
        {"event": "flush"},
        {"event": "text", "text": "Bye."},
        {"event": "stop"},
    ]
    headers = server.handshakes[-1]
    assert headers["Authorization"] == "Bearer test-key"
    assert headers["model"] == "s2-pro"
    assert headers["User-Agent"] == f"fishaudio-ext/{__version__}"
    assert headers["X-App"] == "tests"
    assert "Sec-WebSocket-Extensions" not in headers  # no deflate: audio does not compress


def test_nothing_is_sent_before_reading_and_a_stream_is_read_once(
    server: LiveServer, client: FishAudio
) -> None:
    stream = client.tts.stream_websocket(["Hi"])
    assert server.handshakes == []

    assert list(stream) == [b"audio(Hi)"]
    with pytest.raises(StreamConsumedError):
        list(stream)


def test_first_audio_arrives_while_the_text_iterator_is_still_waiting(
    server: LiveServer, client: FishAudio
) -> None:
    more_text = threading.Event()

    def llm() -> Iterator[str | FlushEvent]:
        yield "First sentence."
        yield FlushEvent()
        wait_for(more_text)  # the model is still thinking
        yield "Second sentence."

    with client.tts.stream_websocket(llm()) as audio:
        assert next(audio) == b"audio(First sentence.)"
        assert next(audio) == b"audio(flush)"
        more_text.set()
        assert list(audio) == [b"audio(Second sentence.)"]


def test_the_sender_thread_is_named_and_joined(server: LiveServer, client: FishAudio) -> None:
    inside: list[str] = []

    def text() -> Iterator[str]:
        inside.append(threading.current_thread().name)
        yield "Hi"

    before = set(threading.enumerate())
    assert list(client.tts.stream_websocket(text())) == [b"audio(Hi)"]

    assert inside == ["fishaudio-ext-live-sender"]
    assert set(threading.enumerate()) == before


def test_finish_with_error_and_no_message_shows_the_rest_of_the_event(
    server: LiveServer, client: FishAudio
) -> None:
    async def fail(peer: Peer) -> None:
        await peer.recv()
        await peer.send({"event": "finish", "reason": "error", "detail": "voice not found"})

    server.scenario = fail

    with pytest.raises(WebSocketError, match="voice not found"):
        list(client.tts.stream_websocket(["Hi"], ws_options=FAST))


def test_a_plain_text_refusal_is_mapped_too(server: LiveServer, client: FishAudio) -> None:
    server.refuse(400, "invalid protocol")

    with pytest.raises(Exception, match="invalid protocol") as caught:
        list(client.tts.stream_websocket(["Hi"]))

    assert type(caught.value).__name__ == "BadRequestError"


def test_text_iterator_failure_reaches_the_caller_and_closes_the_socket(
    server: LiveServer, client: FishAudio
) -> None:
    closed = threading.Event()

    async def record_close(peer: Peer) -> None:
        await peer.wait_closed()
        closed.set()

    server.scenario = record_close
    failure = RuntimeError("the LLM connection dropped")

    def llm() -> Iterator[str]:
        yield "Hello"
        raise failure

    before = set(threading.enumerate())

    with pytest.raises(RuntimeError) as caught:
        list(client.tts.stream_websocket(llm(), ws_options=FAST))

    assert caught.value is failure
    wait_for(closed)
    assert [event["event"] for event in server.received] == ["start", "text"]
    assert set(threading.enumerate()) == before


@pytest.mark.parametrize("text_stream", ["Hello", 42, None])
def test_text_stream_must_be_an_iterable_of_items(client: FishAudio, text_stream: Any) -> None:
    with pytest.raises(ValidationError, match=type(text_stream).__name__):
        client.tts.stream_websocket(text_stream)


def endless_text(pulled: list[int]) -> Iterator[str]:
    while True:
        pulled.append(len(pulled))
        yield f"token {len(pulled)} "


def stop_after_first_audio(closed: threading.Event) -> Any:
    async def scenario(peer: Peer) -> None:
        await peer.recv()
        await peer.recv()
        await peer.send({"event": "audio", "audio": b"first"})
        await peer.wait_closed()
        closed.set()

    return scenario


@pytest.mark.parametrize("how", ["with-break", "close", "dropped"])
def test_stopping_early_stops_sending_closes_the_socket_and_ends_all_threads(
    server: LiveServer, client: FishAudio, how: str
) -> None:
    closed = threading.Event()
    server.scenario = stop_after_first_audio(closed)
    pulled: list[int] = []
    before = set(threading.enumerate())

    if how == "with-break":
        with client.tts.stream_websocket(endless_text(pulled), ws_options=FAST) as audio:
            for chunk in audio:
                assert chunk == b"first"
                break
    elif how == "close":
        audio = client.tts.stream_websocket(endless_text(pulled), ws_options=FAST)
        assert next(audio) == b"first"
        audio.close()
    else:  # a for loop left without keeping the stream: CPython frees (and so closes) it at once
        for chunk in client.tts.stream_websocket(endless_text(pulled), ws_options=FAST):
            assert chunk == b"first"
            break

    assert set(threading.enumerate()) == before
    count = len(pulled)
    wait_for(closed)
    assert len(pulled) == count  # nothing more was asked of the iterator
    assert "stop" not in [event["event"] for event in server.received]


def test_silence_while_the_text_iterator_is_busy_is_not_a_timeout(
    server: LiveServer, client: FishAudio
) -> None:
    async def answer_at_the_end(peer: Peer) -> None:
        while (await peer.recv())["event"] != "stop":
            pass
        await peer.send({"event": "audio", "audio": b"all"})
        await peer.send({"event": "finish", "reason": "stop"})

    def slow_llm() -> Iterator[str]:
        yield "Hi"
        time.sleep(0.3)  # the model thinks for longer than receive_timeout: elapsed time is the point here
        yield "there"

    server.scenario = answer_at_the_end
    options = WebSocketOptions(receive_timeout_seconds=0.1)

    assert list(client.tts.stream_websocket(slow_llm(), ws_options=options)) == [b"all"]


def test_time_the_caller_spends_between_chunks_is_not_silence(server: LiveServer, client: FishAudio) -> None:
    async def answer_at_the_end(peer: Peer) -> None:
        while (await peer.recv())["event"] != "stop":
            pass
        await peer.send({"event": "audio", "audio": b"one"})
        await peer.send({"event": "audio", "audio": b"two"})
        await peer.send({"event": "finish", "reason": "stop"})

    server.scenario = answer_at_the_end
    options = WebSocketOptions(receive_timeout_seconds=0.1)
    received = []

    for chunk in client.tts.stream_websocket(["Hi"], ws_options=options):
        received.append(chunk)
        time.sleep(0.3)  # longer than receive_timeout: elapsed time is the point here

    assert received == [b"one", b"two"]
