"""``client.tts.live()`` sessions (sync and async) against scripted loopback WebSocket servers: successive
utterances on one socket, sockets dropped between and during utterances, ``finish`` with an error, slow
handshakes, barge-in, the connection limit, sentence flushing, and what is left after ``close()``.

Each script serves one connection (``tests/support/hostile_ws.py``); the server records every handshake
(``server.requests``) and what each connection received (``server.peers``). Waits are bounded by the
scripts' own reads: nothing here sleeps to let the other side catch up (the connection-limit tests wait for
a socket's age, which is what they test).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from fishaudio_ext import (
    APITimeoutError,
    AsyncFishAudio,
    FishAudio,
    FlushEvent,
    LiveSession,
    LiveSessionBusyError,
    WebSocketError,
    WebSocketOptions,
)
from tests.support.hostile_ws import (
    HostileWebSocketServer,
    SlowHandshake,
    WebSocketPeer,
    api_sessions,
    drop_after_finish,
    drop_at_start,
    drop_mid_utterance,
    finish_error_on_session,
)
from tests.support.sockets import open_connections_to

FAST = WebSocketOptions(close_timeout_seconds=2)
LIMIT = 0.05  # seconds: a connection limit short enough to wait for


def audio_of(text: object) -> bytes:
    return f"audio({text})".encode()


def burst_then_wait(peer: WebSocketPeer) -> None:
    """Many audio frames of the first utterance at once, then nothing until the client closes."""
    peer.next_event()  # start
    for number in range(50):
        if not peer.send_event({"event": "audio", "audio": f"old-{number}".encode()}):
            return
    peer.wait_closed()


def sessions_sent(peer: WebSocketPeer) -> list[list[tuple[object, object]]]:
    """The text and flush events a connection received, one list per session."""
    sessions: list[list[tuple[object, object]]] = []
    for event in peer.received:
        if event["event"] == "start":
            sessions.append([])
        elif event["event"] in ("text", "flush"):
            sessions[-1].append((event["event"], event.get("text")))
    return sessions


@pytest.fixture
def no_leftovers() -> Callable[[str], None]:
    """``check(url)`` asserts that no thread and no connection to ``url`` is left since the test began."""
    before = set(threading.enumerate())

    def check(url: str) -> None:
        left = {thread for thread in set(threading.enumerate()) - before if thread.name != "hostile-http"}
        assert left == set()
        assert open_connections_to(url) == 0

    return check


@contextlib.contextmanager
def session_on(server: HostileWebSocketServer, options: WebSocketOptions = FAST) -> Iterator[LiveSession]:
    with sync_client(server) as client, client.tts.live(ws_options=options) as session:
        yield session


def sync_client(server: HostileWebSocketServer) -> FishAudio:
    return FishAudio(api_key="test-key", base_url=server.url, max_retries=0)


def async_client(server: HostileWebSocketServer) -> AsyncFishAudio:
    return AsyncFishAudio(api_key="test-key", base_url=server.url, max_retries=0)


async def texts(*items: str) -> AsyncIterator[str | FlushEvent]:
    for item in items:
        yield item
        yield FlushEvent()


# --- one socket across utterances ----------------------------------------------------------------


def test_utterances_share_one_socket(no_leftovers: Callable[[str], None]) -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        with session_on(server) as session:
            first = session.speak("one")
            assert first.collect() == audio_of("one")
            second = session.speak(iter(["two ", FlushEvent(), "three"]))
            assert list(second) == [audio_of("two "), b"audio(flush)", audio_of("three")]
            third = session.speak("four")
            assert third.collect() == audio_of("four")
        assert len(server.requests) == 1
        assert [s.metrics.reused_connection for s in (first, second, third)] == [False, True, True]
        assert second.metrics.characters_sent == len("two three")
        assert second.metrics.finish_reason == "stop"
        assert second.metrics.audio_bytes == len(audio_of("two ") + b"audio(flush)" + audio_of("three"))
        no_leftovers(server.url)


async def test_async_utterances_share_one_socket() -> None:
    before = asyncio.all_tasks()
    with HostileWebSocketServer(api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            first = session.speak("one")
            assert await first.collect() == audio_of("one")
            second = session.speak(texts("two", "three"))
            assert [chunk async for chunk in second] == [
                audio_of("two"),
                b"audio(flush)",
                audio_of("three"),
                b"audio(flush)",
            ]
            third = session.speak(["four"])
            assert await third.collect() == audio_of("four")
        assert len(server.requests) == 1
        assert [s.metrics.reused_connection for s in (first, second, third)] == [False, True, True]
        assert second.metrics.characters_sent == len("twothree")
        assert second.metrics.finish_reason == "stop"
        assert asyncio.all_tasks() == before
        assert open_connections_to(server.url) == 0


def test_prewarm_opens_the_socket_before_any_text() -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        with session_on(server) as session:
            assert server.requests == []
            session.prewarm()
            session.prewarm()  # the open socket is kept: no second handshake
            assert len(server.requests) == 1
            audio = session.speak("hi")
            assert audio.collect() == audio_of("hi")
            assert audio.metrics.reused_connection
        assert len(server.requests) == 1


async def test_async_prewarm_opens_the_socket_before_any_text() -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            assert server.requests == []
            await session.prewarm()
            await session.prewarm()
            assert len(server.requests) == 1
            audio = session.speak("hi")
            assert await audio.collect() == audio_of("hi")
            assert audio.metrics.reused_connection
        assert len(server.requests) == 1


def test_a_second_utterance_while_one_runs_is_refused() -> None:
    with HostileWebSocketServer(api_sessions()) as server, session_on(server) as session:
        first = session.speak("one")
        with pytest.raises(LiveSessionBusyError, match="still speaking"):
            session.speak("two")
        assert first.collect() == audio_of("one")
        assert session.speak("two").collect() == audio_of("two")


async def test_async_a_second_utterance_while_one_runs_is_refused() -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            first = session.speak("one")
            with pytest.raises(LiveSessionBusyError, match="still speaking"):
                session.speak("two")
            assert await first.collect() == audio_of("one")
            assert await session.speak("two").collect() == audio_of("two")


def test_a_new_model_gets_a_new_socket() -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        with session_on(server) as session:
            assert session.speak("one").collect() == audio_of("one")
            assert session.speak("two", model="s2-pro").collect() == audio_of("two")
            assert session.speak("three", model="s2-pro", speed=1.5).collect() == audio_of("three")
        assert [request.headers["model"] for request in server.requests] == ["s1", "s2-pro"]


async def test_async_a_new_model_gets_a_new_socket() -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            assert await session.speak("one").collect() == audio_of("one")
            assert await session.speak("two", model="s2-pro").collect() == audio_of("two")
            assert await session.speak("three", model="s2-pro", speed=1.5).collect() == audio_of("three")
        assert [request.headers["model"] for request in server.requests] == ["s1", "s2-pro"]


def test_a_socket_near_the_connection_limit_is_replaced() -> None:
    options = WebSocketOptions(close_timeout_seconds=2, max_connection_seconds=LIMIT)
    with HostileWebSocketServer(api_sessions()) as server:
        with session_on(server, options) as session:
            assert session.speak("a").collect() == audio_of("a")
            time.sleep(LIMIT)  # the socket's age passes the limit: a time-based rule, not a race
            second = session.speak("b")
            assert second.collect() == audio_of("b")
            assert not second.metrics.reused_connection
        assert len(server.requests) == 2


async def test_async_a_socket_near_the_connection_limit_is_replaced() -> None:
    options = WebSocketOptions(close_timeout_seconds=2, max_connection_seconds=LIMIT)
    with HostileWebSocketServer(api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=options) as session:
            assert await session.speak("a").collect() == audio_of("a")
            await asyncio.sleep(LIMIT)
            second = session.speak("b")
            assert await second.collect() == audio_of("b")
            assert not second.metrics.reused_connection
        assert len(server.requests) == 2


# --- sockets lost between and during utterances --------------------------------------------------


@pytest.mark.parametrize("first", [drop_after_finish(), drop_at_start()], ids=["after-finish", "at-start"])
def test_a_socket_lost_between_utterances_is_replaced_unnoticed(
    first: Callable[[WebSocketPeer], None], no_leftovers: Callable[[str], None]
) -> None:
    with HostileWebSocketServer(first, api_sessions()) as server:
        with session_on(server) as session:
            assert session.speak("one").collect() == audio_of("one")
            second = session.speak(["two"])
            assert second.collect() == audio_of("two")
            assert not second.metrics.reused_connection
            assert second.metrics.characters_sent == 3
        assert len(server.requests) == 2
        # The new socket got the whole utterance, sent again if the old one took part of it.
        assert [event["event"] for event in server.peers[1].received] == ["start", "text", "stop"]
        no_leftovers(server.url)


@pytest.mark.parametrize("first", [drop_after_finish(), drop_at_start()], ids=["after-finish", "at-start"])
async def test_async_a_socket_lost_between_utterances_is_replaced_unnoticed(
    first: Callable[[WebSocketPeer], None],
) -> None:
    before = asyncio.all_tasks()
    with HostileWebSocketServer(first, api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            assert await session.speak("one").collect() == audio_of("one")
            second = session.speak(texts("two"))
            assert await second.collect() == audio_of("two") + b"audio(flush)"
            assert not second.metrics.reused_connection
        assert len(server.requests) == 2
        assert [event["event"] for event in server.peers[1].received] == ["start", "text", "flush", "stop"]
        assert asyncio.all_tasks() == before
        assert open_connections_to(server.url) == 0


def test_a_socket_lost_mid_utterance_fails_it_and_the_next_gets_a_new_socket(
    no_leftovers: Callable[[str], None],
) -> None:
    with (
        HostileWebSocketServer(drop_mid_utterance(), api_sessions()) as server,
        sync_client(server) as client,
    ):
        with client.tts.live(ws_options=FAST) as session:
            first = session.speak("one")
            assert next(first) == audio_of("one")
            with pytest.raises(WebSocketError, match=r"closed the connection|was lost"):
                next(first)
            assert first.metrics.finish_reason == "failed"
            assert session.speak("two").collect() == audio_of("two")
        assert len(server.requests) == 2
        no_leftovers(server.url)


async def test_async_a_socket_lost_mid_utterance_fails_it_and_the_next_gets_a_new_socket() -> None:
    with HostileWebSocketServer(drop_mid_utterance(), api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            first = session.speak("one")
            assert await first.__anext__() == audio_of("one")
            with pytest.raises(WebSocketError, match=r"closed the connection|was lost"):
                await first.__anext__()
            assert first.metrics.finish_reason == "failed"
            assert await session.speak("two").collect() == audio_of("two")
        assert len(server.requests) == 2


def test_finish_with_an_error_fails_that_utterance_only() -> None:
    with HostileWebSocketServer(
        finish_error_on_session(2, message="synthesis failed"), api_sessions()
    ) as server:
        with session_on(server) as session:
            assert session.speak("zero").collect() == audio_of("zero")
            first = session.speak("one")
            with pytest.raises(WebSocketError, match="synthesis failed"):
                first.collect()
            assert first.metrics.finish_reason == "error"
            assert session.speak("two").collect() == audio_of("two")
        assert len(server.requests) == 2


async def test_async_finish_with_an_error_fails_that_utterance_only() -> None:
    with HostileWebSocketServer(
        finish_error_on_session(2, message="synthesis failed"), api_sessions()
    ) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            assert await session.speak("zero").collect() == audio_of("zero")
            first = session.speak("one")
            with pytest.raises(WebSocketError, match="synthesis failed"):
                await first.collect()
            assert first.metrics.finish_reason == "error"
            assert await session.speak("two").collect() == audio_of("two")
        assert len(server.requests) == 2


# --- barge-in ------------------------------------------------------------------------------------


def test_cancel_stops_the_utterance_and_none_of_its_audio_reaches_the_next(
    no_leftovers: Callable[[str], None],
) -> None:
    with HostileWebSocketServer(burst_then_wait, api_sessions()) as server:
        with session_on(server) as session:
            first = session.speak("a long answer")
            assert next(first) == b"old-0"
            session.cancel()
            assert len(server.requests) == 2  # the fresh socket is open when cancel() returns
            assert list(first) == []
            assert first.metrics.finish_reason == "cancelled"
            second = session.speak("next")
            assert second.collect() == audio_of("next")
            assert second.metrics.reused_connection
        no_leftovers(server.url)


def test_cancel_from_another_thread_ends_a_read_in_progress() -> None:
    with HostileWebSocketServer(burst_then_wait, api_sessions()) as server, session_on(server) as session:
        first = session.speak("a long answer")
        chunks: list[bytes] = []
        reading = threading.Event()

        def read() -> None:
            for chunk in first:
                chunks.append(chunk)
                reading.set()

        reader = threading.Thread(target=read)
        reader.start()
        assert reading.wait(10)
        session.cancel()
        reader.join(10)
        assert not reader.is_alive()
        assert all(chunk.startswith(b"old-") for chunk in chunks)
        assert session.speak("next").collect() == audio_of("next")


async def test_async_cancel_stops_the_utterance_and_none_of_its_audio_reaches_the_next() -> None:
    before = asyncio.all_tasks()
    with HostileWebSocketServer(burst_then_wait, api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            first = session.speak("a long answer")
            assert await first.__anext__() == b"old-0"
            await session.cancel()
            assert len(server.requests) == 2
            assert [chunk async for chunk in first] == []
            assert first.metrics.finish_reason == "cancelled"
            second = session.speak("next")
            assert await second.collect() == audio_of("next")
            assert second.metrics.reused_connection
        assert asyncio.all_tasks() == before
        assert open_connections_to(server.url) == 0


async def test_async_cancel_from_another_task_ends_a_read_in_progress() -> None:
    with HostileWebSocketServer(burst_then_wait, api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            first = session.speak("a long answer")
            reading = asyncio.Event()

            async def read() -> list[bytes]:
                chunks = []
                async for chunk in first:
                    chunks.append(chunk)
                    reading.set()
                return chunks

            reader = asyncio.create_task(read())
            await asyncio.wait_for(reading.wait(), 10)
            await session.cancel()
            chunks = await asyncio.wait_for(reader, 10)
            assert all(chunk.startswith(b"old-") for chunk in chunks)
            assert await session.speak("next").collect() == audio_of("next")


def test_a_standby_socket_prewarmed_during_a_reply_serves_the_next_one() -> None:
    with HostileWebSocketServer(burst_then_wait, api_sessions()) as server:
        with session_on(server) as session:
            first = session.speak("a long answer")
            assert next(first) == b"old-0"
            session.prewarm()  # while the reply plays
            assert len(server.requests) == 2
            session.cancel()  # no handshake left to wait for
            assert len(server.requests) == 2
            second = session.speak("next")
            assert second.collect() == audio_of("next")
            assert second.metrics.reused_connection
        assert len(server.requests) == 2


async def test_async_a_standby_socket_prewarmed_during_a_reply_serves_the_next_one() -> None:
    with HostileWebSocketServer(burst_then_wait, api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            first = session.speak("a long answer")
            assert await first.__anext__() == b"old-0"
            await session.prewarm()
            assert len(server.requests) == 2
            await session.cancel()
            assert len(server.requests) == 2
            second = session.speak("next")
            assert await second.collect() == audio_of("next")
            assert second.metrics.reused_connection
        assert len(server.requests) == 2


def test_closing_an_utterance_stream_stops_it() -> None:
    with HostileWebSocketServer(burst_then_wait, api_sessions()) as server:
        with session_on(server) as session:
            with session.speak("a long answer") as first:
                assert next(first) == b"old-0"
            assert first.metrics.finish_reason == "cancelled"
            assert session.speak("next").collect() == audio_of("next")
        assert len(server.requests) == 2


async def test_async_closing_an_utterance_stream_stops_it() -> None:
    with HostileWebSocketServer(burst_then_wait, api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            async with session.speak("a long answer") as first:
                assert await first.__anext__() == b"old-0"
            assert first.metrics.finish_reason == "cancelled"
            assert await session.speak("next").collect() == audio_of("next")
        assert len(server.requests) == 2


# --- close ---------------------------------------------------------------------------------------


def test_close_mid_utterance_leaves_no_thread_or_socket(no_leftovers: Callable[[str], None]) -> None:
    with HostileWebSocketServer(burst_then_wait) as server, sync_client(server) as client:
        session = client.tts.live(ws_options=FAST)
        audio = session.speak(iter(["a long answer"]))
        assert next(audio) == b"old-0"
        session.close()
        session.close()
        assert list(audio) == []
        with pytest.raises(Exception, match="session is closed"):
            session.speak("more")
        no_leftovers(server.url)


async def test_async_close_mid_utterance_leaves_no_task_or_socket() -> None:
    before = asyncio.all_tasks()
    with HostileWebSocketServer(burst_then_wait) as server:
        async with async_client(server) as client:
            session = client.tts.live(ws_options=FAST)
            audio = session.speak(texts("a long answer"))
            assert await audio.__anext__() == b"old-0"
            await session.close()
            await session.close()
            assert [chunk async for chunk in audio] == []
            with pytest.raises(Exception, match="session is closed"):
                session.speak("more")
        assert asyncio.all_tasks() == before
        assert open_connections_to(server.url) == 0


# --- sentence flushing ---------------------------------------------------------------------------

TOKENS = ["Dr", ". Smith is ", "in. He ", "left at 3.", "14 pm. Bye"]
FLUSHED = [
    ("text", "Dr. Smith is in. "),
    ("flush", None),
    ("text", "He left at 3.14 pm. "),
    ("flush", None),
    ("text", "Bye"),
]


def test_flush_sentences_sends_each_sentence_with_a_flush() -> None:
    with HostileWebSocketServer(api_sessions()) as server, sync_client(server) as client:
        with client.tts.live(ws_options=FAST, flush_sentences=True) as session:
            session.speak(iter(TOKENS)).collect()
            session.speak(iter(TOKENS), flush_sentences=False).collect()
        client.tts.stream_websocket(iter(TOKENS), ws_options=FAST, flush_sentences=True).collect()
        live, single = server.peers
        assert sessions_sent(live) == [FLUSHED, [("text", token) for token in TOKENS]]
        assert sessions_sent(single) == [FLUSHED]


async def test_async_flush_sentences_sends_each_sentence_with_a_flush() -> None:
    async def tokens() -> AsyncIterator[str]:
        for token in TOKENS:
            yield token

    with HostileWebSocketServer(api_sessions()) as server:
        async with async_client(server) as client:
            async with client.tts.live(ws_options=FAST, flush_sentences=True) as session:
                await session.speak(tokens()).collect()
                await session.speak(TOKENS, flush_sentences=False).collect()
            await client.tts.stream_websocket(tokens(), ws_options=FAST, flush_sentences=True).collect()
        live, single = server.peers
        assert sessions_sent(live) == [FLUSHED, [("text", token) for token in TOKENS]]
        assert sessions_sent(single) == [FLUSHED]


# --- slow handshakes -----------------------------------------------------------------------------

HANDSHAKE = 0.2  # seconds the slow server holds each handshake


def test_a_slow_handshake_is_paid_by_prewarm_only() -> None:
    with HostileWebSocketServer(SlowHandshake(HANDSHAKE, api_sessions())) as server:
        with session_on(server) as session:
            began = time.monotonic()
            session.prewarm()
            assert time.monotonic() - began >= HANDSHAKE
            replies = []
            for text in ("one", "two", "three"):
                replies.append(session.speak(text))
                assert replies[-1].collect() == audio_of(text)
        assert len(server.requests) == 1
    for reply in replies:
        assert reply.metrics.reused_connection
        assert reply.metrics.time_to_first_audio_seconds is not None
        assert reply.metrics.time_to_first_audio_seconds < HANDSHAKE


async def test_async_a_slow_handshake_is_paid_by_prewarm_only() -> None:
    with HostileWebSocketServer(SlowHandshake(HANDSHAKE, api_sessions())) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            began = time.monotonic()
            await session.prewarm()
            assert time.monotonic() - began >= HANDSHAKE
            replies = []
            for text in ("one", "two", "three"):
                replies.append(session.speak(text))
                assert await replies[-1].collect() == audio_of(text)
        assert len(server.requests) == 1
    for reply in replies:
        assert reply.metrics.reused_connection
        assert reply.metrics.time_to_first_audio_seconds is not None
        assert reply.metrics.time_to_first_audio_seconds < HANDSHAKE


def test_a_handshake_slower_than_the_open_timeout_is_retried_then_raised() -> None:
    options = WebSocketOptions(open_timeout_seconds=HANDSHAKE / 2, close_timeout_seconds=2)
    with HostileWebSocketServer(SlowHandshake(HANDSHAKE * 5, api_sessions()), api_sessions()) as server:
        client = FishAudio(api_key="k", base_url=server.url, max_retries=1)
        with client, client.tts.live(ws_options=options) as session:
            session.prewarm()  # the first attempt times out, the retry gets through
            assert session.speak("hi").collect() == audio_of("hi")
        assert len(server.requests) == 2
    with (
        HostileWebSocketServer(SlowHandshake(HANDSHAKE * 5, api_sessions())) as server,
        sync_client(server) as client,
        client.tts.live(ws_options=options) as session,
    ):
        with pytest.raises(APITimeoutError):
            session.prewarm()
        with pytest.raises(APITimeoutError):
            session.speak("hi").collect()


async def test_async_a_handshake_slower_than_the_open_timeout_is_retried_then_raised() -> None:
    options = WebSocketOptions(open_timeout_seconds=HANDSHAKE / 2, close_timeout_seconds=2)
    with HostileWebSocketServer(SlowHandshake(HANDSHAKE * 5, api_sessions()), api_sessions()) as server:
        async with AsyncFishAudio(api_key="k", base_url=server.url, max_retries=1) as client:
            async with client.tts.live(ws_options=options) as session:
                await session.prewarm()
                assert await session.speak("hi").collect() == audio_of("hi")
            assert len(server.requests) == 2
    with HostileWebSocketServer(SlowHandshake(HANDSHAKE * 5, api_sessions())) as server:
        async with async_client(server) as client, client.tts.live(ws_options=options) as session:
            with pytest.raises(APITimeoutError):
                await session.prewarm()
            with pytest.raises(APITimeoutError):
                await session.speak("hi").collect()


def test_barge_in_waits_for_a_slow_handshake_unless_a_socket_is_on_standby() -> None:
    with HostileWebSocketServer(burst_then_wait, SlowHandshake(HANDSHAKE, api_sessions())) as server:
        with session_on(server) as session:
            first = session.speak("a long answer")
            assert next(first) == b"old-0"
            began = time.monotonic()
            session.cancel()
            assert time.monotonic() - began >= HANDSHAKE  # the time from barge-in to ready
            second = session.speak("next")
            assert next(second) == audio_of("next")
            session.prewarm()  # a standby socket while the reply plays
            began = time.monotonic()
            session.cancel()
            assert time.monotonic() - began < HANDSHAKE
        assert len(server.requests) == 3


async def test_async_barge_in_waits_for_a_slow_handshake_unless_a_socket_is_on_standby() -> None:
    with HostileWebSocketServer(burst_then_wait, SlowHandshake(HANDSHAKE, api_sessions())) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            first = session.speak("a long answer")
            assert await first.__anext__() == b"old-0"
            began = time.monotonic()
            await session.cancel()
            assert time.monotonic() - began >= HANDSHAKE
            second = session.speak("next")
            assert await second.__anext__() == audio_of("next")
            await session.prewarm()
            began = time.monotonic()
            await session.cancel()
            assert time.monotonic() - began < HANDSHAKE
        assert len(server.requests) == 3
