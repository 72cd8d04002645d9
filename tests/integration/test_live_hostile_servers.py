"""``client.tts.live()`` sessions (sync and async) against loopback servers that break the protocol: frames
sent after ``finish``, which belong to no utterance and must not be delivered as the next one's, and
servers that never answer the closing handshake, which must not hold back a failed utterance's exception.
The scripts are those of ``tests/support/hostile_ws.py``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from fishaudio_ext import (
    AsyncFishAudio,
    FishAudio,
    WebSocketError,
    WebSocketOptions,
    WebSocketTimeoutError,
)
from tests.support.hostile_ws import (
    HostileWebSocketServer,
    Script,
    WebSocketPeer,
    api_sessions,
    speak_session,
)
from tests.support.sockets import open_connections_to

FAST = WebSocketOptions(close_timeout_seconds=2)

STRAY_AUDIO = {"event": "audio", "audio": b"stray"}
SECOND_FINISH = {"event": "finish", "reason": "stop"}


def sync_client(server: HostileWebSocketServer) -> FishAudio:
    return FishAudio(api_key="test-key", base_url=server.url, max_retries=0)


def async_client(server: HostileWebSocketServer) -> AsyncFishAudio:
    return AsyncFishAudio(api_key="test-key", base_url=server.url, max_retries=0)


def stray_after_finish(event: dict[str, object], delivered: threading.Event) -> Script:
    """One session, then ``event`` while the client is idle (``delivered`` once the client has taken it
    in), then sessions as the API runs them."""

    def script(peer: WebSocketPeer) -> None:
        if speak_session(peer) and peer.send_event(event) and peer.round_trip():
            delivered.set()
            api_sessions()(peer)

    return script


@pytest.mark.parametrize("stray", [STRAY_AUDIO, SECOND_FINISH], ids=["audio", "finish"])
def test_a_frame_sent_after_finish_does_not_reach_the_next_utterance(stray: dict[str, object]) -> None:
    delivered = threading.Event()
    with HostileWebSocketServer(stray_after_finish(stray, delivered), api_sessions()) as server:
        with sync_client(server) as client, client.tts.live(ws_options=FAST) as session:
            assert session.speak("one").collect() == b"audio(one)"
            assert delivered.wait(5)
            second = session.speak("two")
            assert second.collect() == b"audio(two)"
        assert second.metrics.reused_connection is False
        assert len(server.peers) == 2


@pytest.mark.parametrize("stray", [STRAY_AUDIO, SECOND_FINISH], ids=["audio", "finish"])
async def test_async_a_frame_sent_after_finish_does_not_reach_the_next_utterance(
    stray: dict[str, object],
) -> None:
    delivered = threading.Event()
    with HostileWebSocketServer(stray_after_finish(stray, delivered), api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            assert await session.speak("one").collect() == b"audio(one)"
            assert await asyncio.to_thread(delivered.wait, 5)
            second = session.speak("two")
            assert await second.collect() == b"audio(two)"
        assert second.metrics.reused_connection is False
        assert len(server.peers) == 2


def test_a_quiet_kept_socket_is_still_reused() -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        with sync_client(server) as client, client.tts.live(ws_options=FAST) as session:
            session.speak("one").collect()
            second = session.speak("two")
            assert second.collect() == b"audio(two)"
        assert second.metrics.reused_connection is True


async def test_async_a_quiet_kept_socket_is_still_reused() -> None:
    with HostileWebSocketServer(api_sessions()) as server:
        async with async_client(server) as client, client.tts.live(ws_options=FAST) as session:
            await session.speak("one").collect()
            second = session.speak("two")
            assert await second.collect() == b"audio(two)"
        assert second.metrics.reused_connection is True


# --- servers that never answer the closing handshake --------------------------------------------------

# Long enough that waiting for the closing handshake would show; the failures below must not wait for it.
PATIENT = WebSocketOptions(close_timeout_seconds=10, receive_timeout_seconds=0.2)
PROMPT_SECONDS = 5


def garbage_then_deaf(peer: WebSocketPeer) -> None:
    """Answers ``start`` with a text frame, then never answers the client's close frame."""
    peer.next_event()
    peer.send_text("not msgpack")
    peer.wait()


def deaf(peer: WebSocketPeer) -> None:
    """Reads ``start``, then sends nothing and never answers the client's close frame."""
    peer.next_event()
    peer.wait()


def failing_text() -> Iterator[str]:
    yield "one"
    raise KeyError("the LLM failed")


async def afailing_text() -> AsyncIterator[str]:
    yield "one"
    raise KeyError("the LLM failed")


FAILURES = [
    pytest.param(garbage_then_deaf, "hello", WebSocketError, id="garbage"),
    pytest.param(deaf, "hello", WebSocketTimeoutError, id="silence"),
    pytest.param(deaf, None, KeyError, id="text-iterator"),
]


@pytest.mark.parametrize(("script", "text", "error"), FAILURES)
def test_a_failed_utterance_is_raised_without_waiting_for_the_closing_handshake(
    script: Script, text: str | None, error: type[BaseException]
) -> None:
    with HostileWebSocketServer(script) as server:
        with sync_client(server) as client, client.tts.live(ws_options=PATIENT) as session:
            began = time.monotonic()
            with pytest.raises(error):
                session.speak(failing_text() if text is None else text).collect()
            assert time.monotonic() - began < PROMPT_SECONDS
        assert open_connections_to(server.url) == 0


@pytest.mark.parametrize(("script", "text", "error"), FAILURES)
async def test_async_a_failed_utterance_is_raised_without_waiting_for_the_closing_handshake(
    script: Script, text: str | None, error: type[BaseException]
) -> None:
    with HostileWebSocketServer(script) as server:
        async with async_client(server) as client, client.tts.live(ws_options=PATIENT) as session:
            began = time.monotonic()
            with pytest.raises(error):
                await session.speak(afailing_text() if text is None else text).collect()
            assert time.monotonic() - began < PROMPT_SECONDS
        assert open_connections_to(server.url) == 0
