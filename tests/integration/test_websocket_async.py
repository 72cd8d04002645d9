"""AsyncFishAudio.tts.stream_websocket against a real WebSocket server on 127.0.0.1; twin of the sync tests
(the faults both clients handle alike are tested once for both in test_websocket.py).

Each test also checks that no task is left behind: the sender task and websockets' keepalive task are
finished (not merely cancelled) when the stream ends, fails or is closed.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from fishaudio_ext import (
    AsyncFishAudio,
    FlushEvent,
    StreamConsumedError,
    TextEvent,
    ValidationError,
    WebSocketOptions,
    __version__,
)
from fishaudio_ext.utils import save
from tests.support.live_server import LiveServer, Peer

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
