"""AsyncFishAudio.tts.stream_websocket against a real WebSocket server on 127.0.0.1; twin of the sync tests.

Each test also checks that no task is left behind: the sender task and websockets' keepalive task are
finished (not merely cancelled) when the stream ends, fails or is closed.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import msgpack
import pytest

from fishaudio_ext import (
    APIConnectionError,
    APITimeoutError,
    AsyncFishAudio,
    AuthenticationError,
    FlushEvent,
    PaymentRequiredError,
    RateLimitError,
    ServerError,
    StreamConsumedError,
    TextEvent,
    ValidationError,
    WebSocketError,
    WebSocketOptions,
    __version__,
)
from fishaudio_ext.utils import save
from tests.support.live_server import Gate, LiveServer, Peer, unresponsive_server

WAIT = 10  # seconds: the bound on every wait for the other side, reached only when something is broken
FAST = WebSocketOptions(close_timeout_seconds=2)


@pytest.fixture
def server() -> Iterator[LiveServer]:
    with LiveServer().running() as running:
        yield running


@pytest.fixture
async def client(server: LiveServer) -> AsyncIterator[AsyncFishAudio]:
    async with AsyncFishAudio(
        api_key="test-key", base_url=server.base_url, default_headers={"X-App": "tests"}
    ) as c:
        yield c


async def items(*values: object) -> AsyncIterator[Any]:
    for value in values:
        yield value


async def collect(stream: Any) -> list[bytes]:
    return [chunk async for chunk in stream]


async def wait_for(event: threading.Event) -> None:
    assert await asyncio.to_thread(event.wait, WAIT), "timed out waiting for the server"


async def test_happy_path_sends_the_exact_frames_and_yields_the_audio(
    server: LiveServer, client: AsyncFishAudio
) -> None:
    text = items("Hello, ", TextEvent(text="world."), FlushEvent(), "Bye.")

    audio = await collect(client.tts.stream_websocket(text, format="wav", latency="low", model="s2.1-pro"))

    assert audio == [b"audio(Hello, )", b"audio(world.)", b"audio(flush)", b"audio(Bye.)"]
    start, *rest = server.received
    assert start["event"] == "start"
    assert start["request"]["text"] == ""
    assert start["request"]["format"] == "wav"
    assert start["request"]["latency"] == "low"
    assert rest == [
        {"event": "text", "text": "Hello, "},
        {"event": "text", "text": "world."},
        {"event": "flush"},
        {"event": "text", "text": "Bye."},
        {"event": "stop"},
    ]
    headers = server.handshakes[-1]
    assert headers["Authorization"] == "Bearer test-key"
    assert headers["model"] == "s2.1-pro"
    assert headers["User-Agent"] == f"fishaudio-ext/{__version__}"
    assert headers["X-App"] == "tests"


async def test_awaiting_the_stream_first_works_too(server: LiveServer, client: AsyncFishAudio) -> None:
    stream = await client.tts.stream_websocket(items("Hi"))
    assert server.handshakes == []  # nothing is sent before reading

    assert await collect(stream) == [b"audio(Hi)"]
    with pytest.raises(StreamConsumedError):
        await collect(stream)


async def test_first_audio_arrives_while_the_text_iterator_is_still_waiting(
    server: LiveServer, client: AsyncFishAudio
) -> None:
    more_text = asyncio.Event()

    async def llm() -> AsyncIterator[str | FlushEvent]:
        yield "First sentence."
        yield FlushEvent()
        await asyncio.wait_for(more_text.wait(), WAIT)  # the model is still thinking
        yield "Second sentence."

    async with client.tts.stream_websocket(llm()) as audio:
        assert await anext(audio) == b"audio(First sentence.)"
        assert await anext(audio) == b"audio(flush)"
        more_text.set()
        assert await collect(audio) == [b"audio(Second sentence.)"]


async def test_the_sender_task_is_named_and_finished(server: LiveServer, client: AsyncFishAudio) -> None:
    inside: list[str] = []

    async def text() -> AsyncIterator[str]:
        task = asyncio.current_task()
        inside.append(task.get_name() if task else "")
        yield "Hi"

    before = asyncio.all_tasks()
    assert await collect(client.tts.stream_websocket(text())) == [b"audio(Hi)"]

    assert inside == ["fishaudio-ext-live-sender"]
    assert asyncio.all_tasks() == before


async def test_finish_with_error_raises_what_the_server_said(
    server: LiveServer, client: AsyncFishAudio
) -> None:
    async def fail(peer: Peer) -> None:
        await peer.recv()
        await peer.send({"event": "audio", "audio": b"partial"})
        await peer.send({"event": "finish", "reason": "error", "message": "Insufficient API credit"})
        await peer.close()

    server.scenario = fail
    before = asyncio.all_tasks()
    audio = client.tts.stream_websocket(items("Hi"), ws_options=FAST)

    assert await anext(audio) == b"partial"
    with pytest.raises(WebSocketError) as caught:
        await anext(audio)

    assert "Insufficient API credit" in str(caught.value)
    assert caught.value.event == {"event": "finish", "reason": "error", "message": "Insufficient API credit"}
    assert asyncio.all_tasks() == before


async def test_server_closing_without_finish_reports_code_and_reason(
    server: LiveServer, client: AsyncFishAudio
) -> None:
    async def hang_up(peer: Peer) -> None:
        await peer.recv()
        await peer.close(4002, "session limit reached")

    server.scenario = hang_up
    before = asyncio.all_tasks()

    with pytest.raises(WebSocketError) as caught:
        await collect(client.tts.stream_websocket(items("Hi"), ws_options=FAST))

    assert caught.value.close_code == 4002
    assert caught.value.close_reason == "session limit reached"
    assert asyncio.all_tasks() == before


@pytest.mark.parametrize(
    ("status", "error_class"),
    [(401, AuthenticationError), (402, PaymentRequiredError), (429, RateLimitError), (503, ServerError)],
)
async def test_refused_handshake_raises_the_http_error_class(
    server: LiveServer, client: AsyncFishAudio, status: int, error_class: type[Exception]
) -> None:
    server.refuse(status, {"status": status, "message": f"refused with {status}"})

    with pytest.raises(error_class) as caught:
        await collect(client.tts.stream_websocket(items("Hi")))

    assert caught.value.status == status  # type: ignore[attr-defined]
    assert f"refused with {status}" in str(caught.value)


async def test_text_iterator_failure_reaches_the_caller_and_closes_the_socket(
    server: LiveServer, client: AsyncFishAudio
) -> None:
    closed = threading.Event()

    async def record_close(peer: Peer) -> None:
        await peer.wait_closed()
        closed.set()

    server.scenario = record_close
    failure = RuntimeError("the LLM connection dropped")

    async def llm() -> AsyncIterator[str]:
        yield "Hello"
        raise failure

    before = asyncio.all_tasks()

    with pytest.raises(RuntimeError) as caught:
        await collect(client.tts.stream_websocket(llm(), ws_options=FAST))

    assert caught.value is failure
    assert asyncio.all_tasks() == before
    await wait_for(closed)
    assert [event["event"] for event in server.received] == ["start", "text"]


async def test_an_item_of_the_wrong_type_is_a_validation_error(
    server: LiveServer, client: AsyncFishAudio
) -> None:
    with pytest.raises(ValidationError, match="int") as caught:
        await collect(client.tts.stream_websocket(items("fine", 42), ws_options=FAST))

    assert caught.value.field == "text_stream"


@pytest.mark.parametrize("text_stream", [["a list"], "Hello", None])
def test_text_stream_must_be_an_async_iterable(client: AsyncFishAudio, text_stream: Any) -> None:
    with pytest.raises(ValidationError, match=f"async iterable .* not {type(text_stream).__name__}"):
        client.tts.stream_websocket(text_stream)


async def endless_text(pulled: list[int]) -> AsyncIterator[str]:
    while True:
        pulled.append(len(pulled))
        yield f"token {len(pulled)} "


@pytest.mark.parametrize("how", ["async-with-break", "aclose"])
async def test_stopping_early_stops_sending_closes_the_socket_and_ends_all_tasks(
    server: LiveServer, client: AsyncFishAudio, how: str
) -> None:
    closed = threading.Event()

    async def stop_after_first_audio(peer: Peer) -> None:
        await peer.recv()
        await peer.recv()
        await peer.send({"event": "audio", "audio": b"first"})
        await peer.wait_closed()
        closed.set()

    server.scenario = stop_after_first_audio
    pulled: list[int] = []
    before = asyncio.all_tasks()

    if how == "async-with-break":
        async with client.tts.stream_websocket(endless_text(pulled), ws_options=FAST) as audio:
            async for chunk in audio:
                assert chunk == b"first"
                break
    else:
        audio = await client.tts.stream_websocket(endless_text(pulled), ws_options=FAST)
        assert await anext(audio) == b"first"
        await audio.aclose()

    assert asyncio.all_tasks() == before
    count = len(pulled)
    await wait_for(closed)
    assert len(pulled) == count
    assert "stop" not in [event["event"] for event in server.received]


async def test_a_silent_server_times_out(server: LiveServer, client: AsyncFishAudio) -> None:
    release = Gate(server)

    async def silent(peer: Peer) -> None:
        while (await peer.recv())["event"] != "stop":
            pass
        await release.wait()

    server.scenario = silent
    options = WebSocketOptions(receive_timeout_seconds=0.2, close_timeout_seconds=0.5)
    before = asyncio.all_tasks()

    try:
        with pytest.raises(WebSocketError, match=r"nothing for 0\.2 s"):
            await collect(client.tts.stream_websocket(items("Hi"), ws_options=options))
    finally:
        release.open()
    assert asyncio.all_tasks() == before


async def test_silence_while_the_text_iterator_is_busy_is_not_a_timeout(
    server: LiveServer, client: AsyncFishAudio
) -> None:
    async def answer_at_the_end(peer: Peer) -> None:
        while (await peer.recv())["event"] != "stop":
            pass
        await peer.send({"event": "audio", "audio": b"all"})
        await peer.send({"event": "finish", "reason": "stop"})

    async def slow_llm() -> AsyncIterator[str]:
        yield "Hi"
        await asyncio.sleep(
            0.3
        )  # the model thinks for longer than receive_timeout: elapsed time is the point
        yield "there"

    server.scenario = answer_at_the_end
    options = WebSocketOptions(receive_timeout_seconds=0.1)

    assert await collect(client.tts.stream_websocket(slow_llm(), ws_options=options)) == [b"all"]


async def test_time_the_caller_spends_between_chunks_is_not_silence(
    server: LiveServer, client: AsyncFishAudio
) -> None:
    async def answer_at_the_end(peer: Peer) -> None:
        while (await peer.recv())["event"] != "stop":
            pass
        await peer.send({"event": "audio", "audio": b"one"})
        await peer.send({"event": "audio", "audio": b"two"})
        await peer.send({"event": "finish", "reason": "stop"})

    server.scenario = answer_at_the_end
    options = WebSocketOptions(receive_timeout_seconds=0.1)
    received = []

    async for chunk in client.tts.stream_websocket(items("Hi"), ws_options=options):
        received.append(chunk)
        await asyncio.sleep(0.3)  # longer than receive_timeout: elapsed time is the point here

    assert received == [b"one", b"two"]


async def test_text_already_in_memory_does_not_hold_the_event_loop(
    server: LiveServer, client: AsyncFishAudio
) -> None:
    requested = 0
    seen_by_others: list[int] = []  # how many items had been requested each time another task ran

    async def in_memory() -> AsyncIterator[str]:
        nonlocal requested
        for _ in range(20):
            requested += 1
            # Busy without suspending (as is sending, while the socket takes the frames): 20 ms in all.
            time.sleep(0.001)  # noqa: ASYNC251 - blocking is the point
            yield "x"

    async def other_task() -> None:
        while True:
            seen_by_others.append(requested)
            await asyncio.sleep(0)

    other = asyncio.create_task(other_task())
    try:
        audio = await collect(client.tts.stream_websocket(in_memory()))
    finally:
        other.cancel()

    assert len(audio) == 20
    assert any(0 < count < 20 for count in seen_by_others)


async def test_audio_frames_over_1_mib_arrive_intact(server: LiveServer, client: AsyncFishAudio) -> None:
    big = bytes(range(256)) * (3 * 1024 * 1024 // 256)

    async def send_big(peer: Peer) -> None:
        await peer.recv()
        await peer.send({"event": "audio", "audio": big})
        await peer.send({"event": "finish", "reason": "stop"})

    server.scenario = send_big

    assert await collect(client.tts.stream_websocket(items("Hi"))) == [big]


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ("a text frame", "text frame"),
        (msgpack.packb([1, 2, 3]), "list instead of an event map"),
        (b"\xc1\x00garbage", "not valid MessagePack"),
        (msgpack.packb({"audio": b"x"}), "without an event name"),
    ],
    ids=["text-frame", "not-a-map", "undecodable", "no-event"],
)
async def test_malformed_frames_are_websocket_errors(
    server: LiveServer, client: AsyncFishAudio, frame: str | bytes, message: str
) -> None:
    async def send_bad(peer: Peer) -> None:
        await peer.recv()
        await peer.send_raw(frame)
        await peer.wait_closed()

    server.scenario = send_bad
    before = asyncio.all_tasks()

    with pytest.raises(WebSocketError, match=message):
        await collect(client.tts.stream_websocket(items("Hi"), ws_options=FAST))

    assert asyncio.all_tasks() == before


async def test_log_events_are_logged_and_unknown_events_ignored(
    server: LiveServer, client: AsyncFishAudio, caplog: pytest.LogCaptureFixture
) -> None:
    async def chatty(peer: Peer) -> None:
        await peer.recv()
        await peer.send({"event": "log", "message": "chunk 1 synthesized"})
        await peer.send({"event": "progress", "percent": 50})
        await peer.send({"event": "audio", "audio": b"a"})
        await peer.send({"event": "finish", "reason": "stop"})

    server.scenario = chatty

    with caplog.at_level(logging.INFO, logger="fishaudio_ext"):
        assert await collect(client.tts.stream_websocket(items("Hi"))) == [b"a"]

    assert "Server log: chunk 1 synthesized" in caplog.messages


async def test_save_writes_the_stream(server: LiveServer, client: AsyncFishAudio, tmp_path: Path) -> None:
    target = tmp_path / "out.mp3"

    await save(client.tts.stream_websocket(items("a", "b")), target)

    assert target.read_bytes() == b"audio(a)audio(b)"


async def test_connection_refused_is_a_connection_error() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]

    async with AsyncFishAudio(api_key="k", base_url=f"http://127.0.0.1:{port}") as client:
        with pytest.raises(APIConnectionError, match=r"Connecting to ws://127\.0\.0\.1"):
            await collect(client.tts.stream_websocket(items("Hi")))


async def test_a_handshake_that_never_completes_times_out() -> None:
    with socket.create_server(("127.0.0.1", 0)) as mute:  # accepts the connection, never answers
        base_url = f"http://127.0.0.1:{mute.getsockname()[1]}"
        options = WebSocketOptions(open_timeout_seconds=0.2)

        async with AsyncFishAudio(api_key="k", base_url=base_url) as client:
            with pytest.raises(APITimeoutError, match=r"timed out after 0\.2 s"):
                await collect(client.tts.stream_websocket(items("Hi"), ws_options=options))


def test_save_not_awaited_finishes_even_when_main_returns_mid_stream(
    server: LiveServer, tmp_path: Path
) -> None:
    target = tmp_path / "out.mp3"

    async def main() -> None:
        main_task = asyncio.current_task()
        assert main_task is not None
        started = asyncio.Event()

        async def text() -> AsyncIterator[str]:
            yield "one"
            started.set()
            await asyncio.wait([main_task])  # the rest of the text only comes once main() has returned
            yield "two"

        async with AsyncFishAudio(api_key="k", base_url=server.base_url) as client:
            save(client.tts.stream_websocket(text()), target)
            await started.wait()
        # main() returns while the session is running: asyncio.run() must let it finish, sender included

    asyncio.run(main())

    assert target.read_bytes() == b"audio(one)audio(two)"


async def test_a_server_that_stops_answering_pings_is_detected() -> None:
    options = WebSocketOptions(
        keepalive_ping_interval_seconds=0.05,
        keepalive_ping_timeout_seconds=0.1,
        close_timeout_seconds=0.2,
        receive_timeout_seconds=None,  # only the keepalive can tell
    )
    with unresponsive_server() as base_url:
        async with AsyncFishAudio(api_key="k", base_url=base_url) as client:
            before = asyncio.all_tasks()

            with pytest.raises(WebSocketError, match="keepalive") as caught:
                await collect(client.tts.stream_websocket(items("Hi"), ws_options=options))

            assert caught.value.close_code == 1011
            assert asyncio.all_tasks() == before
