"""What only ``FishAudio.tts.stream_websocket`` has, against a real WebSocket server on 127.0.0.1: a text
stream that is any iterable, and a stream that CPython frees (and so closes) as soon as nothing holds it.

Everything both clients do alike is tested once for both in test_websocket_session.py and
test_websocket.py. Coordination with the server uses events, never sleeps; every wait is bounded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from fishaudio_ext import FishAudio, ValidationError, WebSocketOptions
from tests.support.live_calls import wait_for
from tests.support.live_server import LiveServer, stop_after_first_audio

FAST = WebSocketOptions(close_timeout_seconds=2)


@pytest.fixture
def client(live_server: LiveServer) -> Iterator[FishAudio]:
    with FishAudio(api_key="test-key", base_url=live_server.base_url) as c:
        yield c


@pytest.mark.parametrize("text_stream", ["Hello", 42, None])
def test_text_stream_must_be_an_iterable_of_items(client: FishAudio, text_stream: Any) -> None:
    with pytest.raises(ValidationError, match=type(text_stream).__name__):
        client.tts.stream_websocket(text_stream)


def endless_text(pulled: list[int]) -> Iterator[str]:
    while True:
        pulled.append(len(pulled))
        yield f"token {len(pulled)} "


async def test_a_stream_dropped_by_a_for_loop_stops_sending_and_ends_all_threads(
    live_server: LiveServer, client: FishAudio
) -> None:
    closed = threading.Event()
    live_server.scenario = stop_after_first_audio(closed)
    pulled: list[int] = []
    before = set(threading.enumerate())

    # A for loop left without keeping the stream: CPython frees (and so closes) it at once.
    for chunk in client.tts.stream_websocket(endless_text(pulled), ws_options=FAST):
        assert chunk == b"first"
        break

    assert set(threading.enumerate()) == before
    count = len(pulled)
    await wait_for(closed)
    assert len(pulled) == count  # nothing more was asked of the iterator
    assert "stop" not in [event["event"] for event in live_server.received]
