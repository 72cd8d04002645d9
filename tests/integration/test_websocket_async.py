"""What only ``AsyncFishAudio.tts.stream_websocket`` has, against a real WebSocket server on 127.0.0.1: a
text stream that must be an async iterable, the event loop it shares with other tasks, and a save that
outlives the ``main()`` that started it.

Everything both clients do alike is tested once for both in test_websocket_session.py and
test_websocket.py (which also check that no task is left behind).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from fishaudio_ext import AsyncFishAudio, ValidationError
from fishaudio_ext.utils import save
from tests.support.live_server import LiveServer


@pytest.fixture
async def client(live_server: LiveServer) -> AsyncIterator[AsyncFishAudio]:
    async with AsyncFishAudio(api_key="test-key", base_url=live_server.base_url) as c:
        yield c


@pytest.mark.parametrize("text_stream", [["a list"], "Hello", None])
def test_text_stream_must_be_an_async_iterable(client: AsyncFishAudio, text_stream: Any) -> None:
    with pytest.raises(ValidationError, match=f"async iterable .* not {type(text_stream).__name__}"):
        client.tts.stream_websocket(text_stream)


async def test_text_already_in_memory_does_not_hold_the_event_loop(
    live_server: LiveServer, client: AsyncFishAudio
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
        audio = [chunk async for chunk in client.tts.stream_websocket(in_memory())]
    finally:
        other.cancel()

    assert len(audio) == 20
    assert any(0 < count < 20 for count in seen_by_others)


def test_save_not_awaited_finishes_even_when_main_returns_mid_stream(
    live_server: LiveServer, tmp_path: Path
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

        async with AsyncFishAudio(api_key="k", base_url=live_server.base_url) as client:
            save(client.tts.stream_websocket(text()), target)
            await started.wait()
        # main() returns while the session is running: asyncio.run() must let it finish, sender included

    asyncio.run(main())

    assert target.read_bytes() == b"audio(one)audio(two)"
