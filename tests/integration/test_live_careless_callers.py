"""``client.tts.live()`` sessions (sync and async) used carelessly: streams closed or dropped before their
first read, sessions dropped without ``close()``, an async session taken to another event loop, invalid
per-utterance settings, ``close()`` from another thread while a stream is paused, many utterances in a
row. Each case ends in a documented exception or leaves the session usable, with nothing left behind.

The servers are the scripted loopback ones of ``tests/support/hostile_ws.py``.
"""

from __future__ import annotations

import asyncio
import gc
import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from fishaudio_ext import AsyncFishAudio, FishAudio, ValidationError, WebSocketOptions
from fishaudio_ext._live import sync_session
from tests.support.hostile_ws import HostileWebSocketServer, api_sessions
from tests.support.sockets import open_connections_to

FAST = WebSocketOptions(close_timeout_seconds=2)


def sync_client(server: HostileWebSocketServer) -> FishAudio:
    return FishAudio(api_key="test-key", base_url=server.url, max_retries=0)


def async_client(server: HostileWebSocketServer) -> AsyncFishAudio:
    return AsyncFishAudio(api_key="test-key", base_url=server.url, max_retries=0)


# --- a stream closed or dropped before its first read ------------------------------------------------


def test_a_stream_closed_unread_frees_the_session() -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        with sync_client(server) as client, client.tts.live(ws_options=FAST) as session:
            unread = session.speak("never spoken")
            unread.close()
            assert session.speak("next").collect() == b"audio(next)"
        assert unread.metrics.finish_reason == "cancelled"
        assert [event["event"] for event in server.peers[0].received] == ["start", "text", "stop"]


def test_a_stream_dropped_unread_frees_the_session() -> None:
    with (
        HostileWebSocketServer(api_sessions()) as server,
        sync_client(server) as client,
        client.tts.live(ws_options=FAST) as session,
    ):
        session.speak("never spoken")
        gc.collect()
        assert session.speak("next").collect() == b"audio(next)"


async def test_async_a_stream_closed_unread_frees_the_session() -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            unread = session.speak("never spoken")
            await unread.aclose()
            assert await session.speak("next").collect() == b"audio(next)"
        assert unread.metrics.finish_reason == "cancelled"


async def test_async_a_stream_dropped_unread_frees_the_session() -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            session.speak("never spoken")
            gc.collect()
            assert await session.speak("next").collect() == b"audio(next)"


# --- a session dropped without close() ---------------------------------------------------------------


def test_a_session_dropped_without_close_leaves_no_thread_or_socket() -> None:
    before = set(threading.enumerate())
    with HostileWebSocketServer(api_sessions()) as server, sync_client(server) as client:
        session = client.tts.live(ws_options=FAST)
        session.speak("one").collect()
        kept = [thread for thread in set(threading.enumerate()) - before if thread.name != "hostile-http"]
        assert kept  # the socket's websockets threads
        del session
        gc.collect()
        for thread in kept:
            thread.join(5)
        assert [thread for thread in kept if thread.is_alive()] == []
        assert open_connections_to(server.url) == 0


async def test_async_a_session_dropped_without_close_leaves_no_task_or_socket() -> None:
    before = asyncio.all_tasks()
    with HostileWebSocketServer(api_sessions()) as server:
        async with async_client(server) as client:
            session = client.tts.live(ws_options=FAST)
            await session.speak("one").collect()
            kept = asyncio.all_tasks() - before
            assert kept  # the socket's keepalive task
            del session
            gc.collect()
            await asyncio.wait(kept, timeout=5)
            assert asyncio.all_tasks() == before
            assert open_connections_to(server.url) == 0


# --- an async session taken to another event loop ------------------------------------------------------


def test_async_a_session_taken_to_another_event_loop_opens_a_socket_there() -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        session = async_client(server).tts.live(ws_options=FAST)
        first_loop = asyncio.new_event_loop()
        try:
            assert first_loop.run_until_complete(session.speak("one").collect()) == b"audio(one)"

            async def in_another_loop() -> bytes:
                audio = await session.speak("two").collect()
                await session.close()
                return audio

            assert asyncio.run(in_another_loop()) == b"audio(two)"
            # The first loop cuts the socket kept there, which ends its keepalive task.
            left = asyncio.all_tasks(first_loop)
            first_loop.run_until_complete(asyncio.wait(left, timeout=5))
            assert all(task.done() for task in left)
        finally:
            first_loop.close()
        assert len(server.peers) == 2
        assert open_connections_to(server.url) == 0


# --- invalid per-utterance settings ------------------------------------------------------------------

INVALID_OVERRIDES = [
    pytest.param({"config": "s1"}, "config", id="config-not-a-TTSConfig"),
    pytest.param({"flush_sentences": "yes"}, "flush_sentences", id="flush_sentences-not-a-bool"),
    pytest.param({"speed": 9}, "prosody.speed", id="speed-out-of-range"),
    pytest.param({"model": ""}, "model", id="empty-model"),
]


@pytest.mark.parametrize(("overrides", "field"), INVALID_OVERRIDES)
def test_an_invalid_override_is_refused_before_anything_is_sent(
    overrides: dict[str, Any], field: str
) -> None:
    with (
        HostileWebSocketServer(api_sessions()) as server,
        sync_client(server) as client,
        client.tts.live(ws_options=FAST) as session,
    ):
        with pytest.raises(ValidationError) as refused:
            session.speak("never sent", **overrides)
        assert refused.value.field == field
        assert server.requests == []
        assert session.speak("next").collect() == b"audio(next)"


@pytest.mark.parametrize(("overrides", "field"), INVALID_OVERRIDES)
async def test_async_an_invalid_override_is_refused_before_anything_is_sent(
    overrides: dict[str, Any], field: str
) -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            with pytest.raises(ValidationError) as refused:
                session.speak("never sent", **overrides)
            assert refused.value.field == field
            assert server.requests == []
            assert await session.speak("next").collect() == b"audio(next)"


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_invalid_session_settings_are_refused(asynchronous: bool) -> None:
    client: FishAudio | AsyncFishAudio = (AsyncFishAudio if asynchronous else FishAudio)(
        api_key="test-key", base_url="http://127.0.0.1:9"
    )
    with pytest.raises(ValidationError, match="flush_sentences='yes'"):
        client.tts.live(flush_sentences="yes")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="config=1 is a int"):
        client.tts.live(config=1)  # type: ignore[arg-type]


# --- close() from another thread -----------------------------------------------------------------------


def test_close_from_another_thread_during_a_paused_read_ends_the_stream_quietly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The closing thread is held inside the stream's clean-up (waiting for a text iterator that does not
    # return) while the reading thread asks for the next chunk.
    in_clean_up, release = threading.Event(), threading.Event()
    wait_for_sender = sync_session._Sender.join

    def join(sender: sync_session._Sender, timeout: float) -> None:
        in_clean_up.set()
        wait_for_sender(sender, timeout)

    monkeypatch.setattr(sync_session._Sender, "join", join)

    def text() -> Iterator[str]:
        yield "one"
        release.wait()

    with HostileWebSocketServer(api_sessions()) as server, sync_client(server) as client:
        session = client.tts.live(ws_options=WebSocketOptions(close_timeout_seconds=10))
        audio = session.speak(text())
        assert next(audio) == b"audio(one)"
        closer = threading.Thread(target=session.close)
        closer.start()
        assert in_clean_up.wait(5)
        assert list(audio) == []
        assert closer.is_alive()  # the reader did not wait for the clean-up
        release.set()
        closer.join(10)
        assert not closer.is_alive()
        assert audio.metrics.finish_reason == "cancelled"


# --- many utterances in a row --------------------------------------------------------------------------

MANY = 100


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_many_utterances_in_a_row_keep_one_socket_and_leave_nothing_behind() -> None:
    with HostileWebSocketServer(api_sessions()) as server, sync_client(server) as client:
        with client.tts.live(ws_options=FAST) as session:
            session.speak("warm up").collect()
            threads, files = threading.active_count(), open_files()
            for number in range(MANY):
                assert session.speak(f"{number}").collect() == f"audio({number})".encode()
            assert (threading.active_count(), open_files()) == (threads, files)
        assert len(server.requests) == 1
        assert open_connections_to(server.url) == 0


async def test_async_many_utterances_in_a_row_keep_one_socket_and_leave_nothing_behind() -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            await session.speak("warm up").collect()
            tasks, files = len(asyncio.all_tasks()), open_files()
            for number in range(MANY):
                assert await session.speak(f"{number}").collect() == f"audio({number})".encode()
            assert (len(asyncio.all_tasks()), open_files()) == (tasks, files)
        assert len(server.requests) == 1
        assert open_connections_to(server.url) == 0
