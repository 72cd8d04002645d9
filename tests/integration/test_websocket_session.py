"""``tts.stream_websocket`` against a real WebSocket server on 127.0.0.1: what a session sends and when,
each test run for ``FishAudio`` and ``AsyncFishAudio`` (``tests.support.live_calls.LiveTwin``).

The exact frames and headers, nothing sent before the audio is read, audio arriving while the text is still
coming, a failing or abandoned text stream, and time spent by the text stream or the caller that is not a
silent server. The faults both clients handle alike are in test_websocket.py; what only one client has
(threads and iterables, tasks and the event loop) is in test_websocket_sync.py and test_websocket_async.py.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from fishaudio_ext import (
    FlushEvent,
    Prosody,
    ReferenceAudio,
    StreamConsumedError,
    TextEvent,
    TTSConfig,
    WebSocketError,
    WebSocketOptions,
    __version__,
)
from tests.support.live_calls import Fail, LiveTwin, Pause, WaitFor, wait_for
from tests.support.live_server import LiveServer, Peer, stop_after_first_audio

FAST = WebSocketOptions(close_timeout_seconds=2)


async def test_happy_path_sends_the_exact_frames_and_yields_the_audio(
    live_server: LiveServer, twin: LiveTwin
) -> None:
    config = TTSConfig(format="pcm", sample_rate=16000, prosody=Prosody(volume=2.0))
    reference = ReferenceAudio(audio=b"\x00\x01wav", text="sample")
    text = twin.text_stream(iter(["Hello, ", TextEvent(text="world."), FlushEvent(), "Bye."]))

    audio = await twin.read(
        twin.stream(
            text,
            reference_id="voice-1",
            references=[reference],
            latency="balanced",
            speed=1.25,
            config=config,
            model="s2-pro",
        )
    )

    assert audio == [b"audio(Hello, )", b"audio(world.)", b"audio(flush)", b"audio(Bye.)"]
    start, *rest = live_server.received
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
    headers = live_server.handshakes[-1]
    assert headers["Authorization"] == "Bearer test-key"
    assert headers["model"] == "s2-pro"
    assert headers["User-Agent"] == f"fishaudio-ext/{__version__}"
    assert headers["X-App"] == "tests"
    assert "Sec-WebSocket-Extensions" not in headers  # no deflate: audio does not compress


async def test_nothing_is_sent_before_reading_and_a_stream_is_read_once(
    live_server: LiveServer, twin: LiveTwin
) -> None:
    stream = await twin.opened(twin.stream(twin.texts("Hi")))
    assert live_server.handshakes == []

    assert await twin.read(stream) == [b"audio(Hi)"]
    with pytest.raises(StreamConsumedError):
        await twin.read(stream)


async def test_first_audio_arrives_while_the_text_iterator_is_still_waiting(twin: LiveTwin) -> None:
    more_text = threading.Event()  # the model is still thinking until it is set
    text = twin.text_stream(iter(["First sentence.", FlushEvent(), WaitFor(more_text), "Second sentence."]))

    async with twin.entered(twin.stream(text)) as audio:
        assert await twin.next(audio) == b"audio(First sentence.)"
        assert await twin.next(audio) == b"audio(flush)"
        more_text.set()
        assert await twin.read(audio) == [b"audio(Second sentence.)"]


async def test_the_sender_is_named_and_ends_with_the_stream(twin: LiveTwin) -> None:
    inside: list[str] = []

    def text() -> Iterator[str]:
        inside.append(twin.worker_name())
        yield "Hi"

    before = twin.running()
    assert await twin.read(twin.stream(twin.text_stream(text()))) == [b"audio(Hi)"]

    assert inside == ["fishaudio-ext-live-sender"]
    assert twin.running() == before


async def test_finish_with_error_and_no_message_shows_the_rest_of_the_event(
    live_server: LiveServer, twin: LiveTwin
) -> None:
    async def fail(peer: Peer) -> None:
        await peer.recv()
        await peer.send({"event": "finish", "reason": "error", "detail": "voice not found"})

    live_server.scenario = fail

    with pytest.raises(WebSocketError, match="voice not found"):
        await twin.read(twin.stream(twin.texts("Hi"), ws_options=FAST))


async def test_a_plain_text_refusal_is_mapped_too(live_server: LiveServer, twin: LiveTwin) -> None:
    live_server.refuse(400, "invalid protocol")

    with pytest.raises(Exception, match="invalid protocol") as caught:
        await twin.read(twin.stream(twin.texts("Hi")))

    assert type(caught.value).__name__ == "BadRequestError"


async def test_text_iterator_failure_reaches_the_caller_and_closes_the_socket(
    live_server: LiveServer, twin: LiveTwin
) -> None:
    closed = threading.Event()

    async def record_close(peer: Peer) -> None:
        await peer.wait_closed()
        closed.set()

    live_server.scenario = record_close
    failure = RuntimeError("the LLM connection dropped")
    before = twin.running()

    with pytest.raises(RuntimeError) as caught:
        await twin.read(twin.stream(twin.text_stream(iter(["Hello", Fail(failure)])), ws_options=FAST))

    assert caught.value is failure
    assert twin.running() == before
    await wait_for(closed)
    assert [event["event"] for event in live_server.received] == ["start", "text"]


def endless_text(pulled: list[int]) -> Iterator[str]:
    while True:
        pulled.append(len(pulled))
        yield f"token {len(pulled)} "


@pytest.mark.parametrize("how", ["with-break", "close"])
async def test_stopping_early_stops_sending_closes_the_socket_and_ends_the_sender(
    live_server: LiveServer, twin: LiveTwin, how: str
) -> None:
    closed = threading.Event()
    live_server.scenario = stop_after_first_audio(closed)
    pulled: list[int] = []
    before = twin.running()
    stream = twin.stream(twin.text_stream(endless_text(pulled)), ws_options=FAST)

    if how == "with-break":
        async with twin.entered(stream) as audio:
            assert await twin.first(audio) == b"first"
    else:
        audio = await twin.opened(stream)
        assert await twin.next(audio) == b"first"
        await twin.close_stream(audio)

    assert twin.running() == before
    count = len(pulled)
    await wait_for(closed)
    assert len(pulled) == count  # nothing more was asked of the iterator
    assert "stop" not in [event["event"] for event in live_server.received]


async def test_silence_while_the_text_iterator_is_busy_is_not_a_timeout(
    live_server: LiveServer, twin: LiveTwin
) -> None:
    async def answer_at_the_end(peer: Peer) -> None:
        while (await peer.recv())["event"] != "stop":
            pass
        await peer.send({"event": "audio", "audio": b"all"})
        await peer.send({"event": "finish", "reason": "stop"})

    live_server.scenario = answer_at_the_end
    # The model thinks for longer than receive_timeout: elapsed time is the point here.
    slow_llm = twin.text_stream(iter(["Hi", Pause(0.3), "there"]))
    options = WebSocketOptions(receive_timeout_seconds=0.1)

    assert await twin.read(twin.stream(slow_llm, ws_options=options)) == [b"all"]


async def test_time_the_caller_spends_between_chunks_is_not_silence(
    live_server: LiveServer, twin: LiveTwin
) -> None:
    async def answer_at_the_end(peer: Peer) -> None:
        while (await peer.recv())["event"] != "stop":
            pass
        await peer.send({"event": "audio", "audio": b"one"})
        await peer.send({"event": "audio", "audio": b"two"})
        await peer.send({"event": "finish", "reason": "stop"})

    live_server.scenario = answer_at_the_end
    options = WebSocketOptions(receive_timeout_seconds=0.1)

    # The caller takes longer than receive_timeout over each chunk: elapsed time is the point here.
    received = await twin.read(twin.stream(twin.texts("Hi"), ws_options=options), pause=0.3)

    assert received == [b"one", b"two"]
