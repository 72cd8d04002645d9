"""``client.tts.live()`` sessions (sync and async) against the local server: utterances that decode, their
metrics and log lines, barge-in without leaks, sentence flushing, and nothing left after ``close()``.

The local server may close the socket after each ``finish`` or keep it for the next session: the session
works both ways, which is why no test here counts handshakes (the scripted servers of
``tests/integration/test_live_session.py`` do).
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from local_wire import KEY

from fishaudio_ext import AsyncFishAudio, FishAudio, FlushEvent, WebSocketOptions
from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._codecs import probe
from tests.support.server_log import quiet_server_log  # noqa: F401 (autouse: the server logs no error)
from tests.support.sockets import open_connections_to

HANDSHAKE_DELAY = 0.3  # seconds the delayed server holds each handshake, as TLS and distance would
SERVER_LIMIT = 0.3  # seconds the short-lived server keeps a socket open
ANSWERS = ["Hello there.", "The second answer is a little longer than the first.", "Bye."]
LONG = "A long answer that the listener interrupts, sentence after sentence. " * 6
UTTERANCE_LINE = re.compile(
    r"^WebSocket \S+/v1/tts/live utterance: first audio in \d+ ms, (?P<seconds>[\d.]+) s of audio"
    r" \((?P<bytes>\d+) bytes\), (?P<characters>\d+) characters sent, finish reason (?P<reason>\w+)"
)


def duration(audio: bytes) -> float:
    info = probe(audio)
    assert info is not None, "the audio does not decode"
    return info.duration


def server_threads() -> set[threading.Thread]:
    """Threads of the session-wide local server, not of a client."""
    return {thread for thread in threading.enumerate() if thread.name.startswith("AnyIO")}


def test_successive_utterances_decode_and_measure_themselves(
    client: FishAudio, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="fishaudio_ext")
    with client.tts.live(format="wav") as session:
        session.prewarm()
        streams = []
        audios = []
        for answer in ANSWERS:
            streams.append(session.speak(answer))
            audios.append(streams[-1].collect())

    durations = [duration(audio) for audio in audios]
    assert durations[1] > durations[0] > durations[2] > 0
    for stream, audio, answer, seconds in zip(streams, audios, ANSWERS, durations, strict=True):
        metrics = stream.metrics
        assert metrics.finish_reason == "stop"
        assert metrics.characters_sent == len(answer)
        assert metrics.audio_bytes == len(audio)
        assert metrics.audio_seconds == pytest.approx(seconds, abs=0.01)
        assert metrics.time_to_first_audio_seconds is not None
        assert 0 < metrics.time_to_first_audio_seconds < 10
    assert [stream.metrics.reused_connection for stream in streams] == [True, True, True]  # one socket
    lines = [UTTERANCE_LINE.match(record.getMessage()) for record in caplog.records]
    logged = [match for match in lines if match]
    assert [(int(m["characters"]), m["reason"]) for m in logged] == [(len(a), "stop") for a in ANSWERS]
    assert [int(m["bytes"]) for m in logged] == [len(audio) for audio in audios]


async def test_async_successive_utterances_decode_and_measure_themselves(
    async_client: AsyncFishAudio, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="fishaudio_ext")
    async with async_client.tts.live(format="wav") as session:
        await session.prewarm()
        streams = []
        audios = []
        for answer in ANSWERS:
            streams.append(session.speak(answer))
            audios.append(await streams[-1].collect())

    durations = [duration(audio) for audio in audios]
    assert durations[1] > durations[0] > durations[2] > 0
    for stream, audio, answer, seconds in zip(streams, audios, ANSWERS, durations, strict=True):
        assert stream.metrics.finish_reason == "stop"
        assert stream.metrics.characters_sent == len(answer)
        assert stream.metrics.audio_bytes == len(audio)
        assert stream.metrics.audio_seconds == pytest.approx(seconds, abs=0.01)
    assert [stream.metrics.reused_connection for stream in streams] == [True, True, True]
    logged = [match for record in caplog.records if (match := UTTERANCE_LINE.match(record.getMessage()))]
    assert [(int(m["characters"]), m["reason"]) for m in logged] == [(len(a), "stop") for a in ANSWERS]


def test_barge_in_leaves_nothing_of_the_old_utterance_in_the_next(client: FishAudio) -> None:
    alone = client.tts.stream_websocket(["Short answer."], format="pcm").collect()
    with client.tts.live(format="pcm") as session:
        interrupted = session.speak(LONG)
        assert next(interrupted)
        session.cancel()
        assert list(interrupted) == []
        after = session.speak("Short answer.")
        assert after.collect() == alone
    assert interrupted.metrics.finish_reason == "cancelled"
    assert 0 < interrupted.metrics.audio_bytes < len(client.tts.convert(text=LONG, format="pcm"))
    assert after.metrics.reused_connection  # cancel() opened its socket


async def test_async_barge_in_leaves_nothing_of_the_old_utterance_in_the_next(
    async_client: AsyncFishAudio,
) -> None:
    alone = await async_client.tts.stream_websocket(one("Short answer."), format="pcm").collect()
    async with async_client.tts.live(format="pcm") as session:
        interrupted = session.speak(LONG)
        assert await interrupted.__anext__()
        await session.cancel()
        assert [chunk async for chunk in interrupted] == []
        after = session.speak("Short answer.")
        assert await after.collect() == alone
    assert interrupted.metrics.finish_reason == "cancelled"
    assert after.metrics.reused_connection


async def one(text: str) -> AsyncIterator[str]:
    yield text


def test_sentence_flushing_speaks_a_token_stream_whole(client: FishAudio) -> None:
    tokens = [
        word + " " for word in ["One", "sentence", "here.", "And", "then", "another", "one.", "The", "end"]
    ]
    whole = client.tts.convert(text="".join(tokens).strip(), format="wav")
    with client.tts.live(format="wav", flush_sentences=True) as session:
        flushed = session.speak(iter(tokens))
        audio = flushed.collect()
        unflushed = session.speak(iter(tokens), flush_sentences=False).collect()
    assert flushed.metrics.characters_sent == len("".join(tokens))
    # Spoken per sentence or as one text, it is the same words: about as long.
    assert duration(audio) == pytest.approx(duration(unflushed), rel=0.25)
    assert duration(audio) == pytest.approx(duration(bytes(whole)), rel=0.25)


async def test_async_sentence_flushing_on_stream_websocket(async_client: AsyncFishAudio) -> None:
    async def tokens() -> AsyncIterator[str | FlushEvent]:
        for word in ["One", "sentence", "here.", "And", "then", "another", "one."]:
            yield word + " "
        yield FlushEvent()

    audio = await async_client.tts.stream_websocket(tokens(), format="wav", flush_sentences=True).collect()
    assert duration(audio) > 1


def test_close_leaves_no_thread_or_socket(server: LocalServer, client: FishAudio) -> None:
    before = set(threading.enumerate())
    session = client.tts.live(format="pcm")
    session.prewarm()
    assert session.speak("First.").collect()
    interrupted = session.speak(LONG)
    assert next(interrupted)
    session.close()
    assert set(threading.enumerate()) - before - server_threads() == set()
    assert open_connections_to(server.url) == 0


async def test_async_close_leaves_no_task_or_socket(
    server: LocalServer, async_client: AsyncFishAudio
) -> None:
    before = asyncio.all_tasks()
    session = async_client.tts.live(format="pcm")
    await session.prewarm()
    assert await session.speak("First.").collect()
    interrupted = session.speak(LONG)
    assert await interrupted.__anext__()
    await session.close()
    assert asyncio.all_tasks() == before
    assert open_connections_to(server.url) == 0


# --- the handshake's cost, and the server's connection limit ---------------------------------------


@pytest.fixture(scope="module")
def delayed_server() -> Iterator[LocalServer]:
    with LocalServer(api_key=KEY, live_handshake_delay=HANDSHAKE_DELAY) as server:
        yield server


@pytest.fixture(scope="module")
def short_lived_server() -> Iterator[LocalServer]:
    with LocalServer(api_key=KEY, live_max_connection_seconds=SERVER_LIMIT) as server:
        yield server


def test_a_slow_handshake_is_paid_once_by_prewarm(delayed_server: LocalServer) -> None:
    with FishAudio(api_key=KEY, base_url=delayed_server.url) as client:
        fresh = client.tts.stream_websocket(["A new socket."], format="pcm")
        fresh.collect()
        with client.tts.live(format="pcm") as session:
            began = time.monotonic()
            session.prewarm()
            assert time.monotonic() - began >= HANDSHAKE_DELAY
            replies = []
            for number in range(3):
                replies.append(session.speak(f"Reply {number}."))
                replies[-1].collect()
    assert fresh.metrics.time_to_first_audio_seconds is not None
    assert fresh.metrics.time_to_first_audio_seconds >= HANDSHAKE_DELAY
    for reply in replies:
        assert reply.metrics.reused_connection
        assert reply.metrics.time_to_first_audio_seconds is not None
        assert reply.metrics.time_to_first_audio_seconds < fresh.metrics.time_to_first_audio_seconds


async def test_async_a_slow_handshake_is_paid_once_by_prewarm(delayed_server: LocalServer) -> None:
    async with AsyncFishAudio(api_key=KEY, base_url=delayed_server.url) as client:
        fresh = client.tts.stream_websocket(one("A new socket."), format="pcm")
        await fresh.collect()
        async with client.tts.live(format="pcm") as session:
            began = time.monotonic()
            await session.prewarm()
            assert time.monotonic() - began >= HANDSHAKE_DELAY
            replies = []
            for number in range(3):
                replies.append(session.speak(f"Reply {number}."))
                await replies[-1].collect()
    assert fresh.metrics.time_to_first_audio_seconds is not None
    assert fresh.metrics.time_to_first_audio_seconds >= HANDSHAKE_DELAY
    for reply in replies:
        assert reply.metrics.reused_connection
        assert reply.metrics.time_to_first_audio_seconds is not None
        assert reply.metrics.time_to_first_audio_seconds < fresh.metrics.time_to_first_audio_seconds


def test_a_standby_socket_makes_barge_in_ready_at_once(delayed_server: LocalServer) -> None:
    with (
        FishAudio(api_key=KEY, base_url=delayed_server.url) as client,
        client.tts.live(format="pcm") as session,
    ):
        interrupted = session.speak(LONG)
        assert next(interrupted)
        session.prewarm()  # while the reply plays: a second socket, ready for what comes after it
        began = time.monotonic()
        session.cancel()
        assert time.monotonic() - began < HANDSHAKE_DELAY
        after = session.speak("Next.")
        after.collect()
    assert after.metrics.reused_connection


async def test_async_a_standby_socket_makes_barge_in_ready_at_once(delayed_server: LocalServer) -> None:
    async with (
        AsyncFishAudio(api_key=KEY, base_url=delayed_server.url) as client,
        client.tts.live(format="pcm") as session,
    ):
        interrupted = session.speak(LONG)
        assert await interrupted.__anext__()
        await session.prewarm()  # while the reply plays: a second socket, ready for what comes after it
        began = time.monotonic()
        await session.cancel()
        assert time.monotonic() - began < HANDSHAKE_DELAY
        after = session.speak("Next.")
        await after.collect()
    assert after.metrics.reused_connection


def test_a_socket_the_server_expired_is_replaced_unnoticed(short_lived_server: LocalServer) -> None:
    with FishAudio(api_key=KEY, base_url=short_lived_server.url) as client:
        with client.tts.live(format="pcm") as session:
            assert session.speak("Before.").collect()
            time.sleep(SERVER_LIMIT * 1.5)  # past the server's limit: it has closed the socket
            after = session.speak("After.")
            assert after.collect()
        assert not after.metrics.reused_connection
        assert after.metrics.finish_reason == "stop"


async def test_async_a_socket_the_server_expired_is_replaced_unnoticed(
    short_lived_server: LocalServer,
) -> None:
    async with AsyncFishAudio(api_key=KEY, base_url=short_lived_server.url) as client:
        async with client.tts.live(format="pcm") as session:
            assert await session.speak("Before.").collect()
            await asyncio.sleep(SERVER_LIMIT * 1.5)
            after = session.speak("After.")
            assert await after.collect()
        assert not after.metrics.reused_connection
        assert after.metrics.finish_reason == "stop"


def test_the_client_renews_its_socket_before_the_server_limit(short_lived_server: LocalServer) -> None:
    options = WebSocketOptions(max_connection_seconds=SERVER_LIMIT)
    with FishAudio(api_key=KEY, base_url=short_lived_server.url) as client:
        with client.tts.live(format="pcm", ws_options=options) as session:
            assert session.speak("Before.").collect()
            time.sleep(SERVER_LIMIT * 0.95)  # past 90 % of the limit, before the server closes it
            after = session.speak("After.")
            assert after.collect()
        assert not after.metrics.reused_connection
