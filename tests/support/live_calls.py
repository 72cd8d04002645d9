"""Drive ``tts.stream_websocket`` the same way on ``FishAudio`` and ``AsyncFishAudio``, so one test covers
both twins: the text as an iterable or an async iterator, the audio read with ``list``/``next`` or
``async for``/``anext``, and what each twin may leave behind (threads for the sync client, tasks for the
async one)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterable
from typing import Any

from fishaudio_ext import AsyncFishAudio, FishAudio


class LiveTwin:
    """One client, sync or async, with the calls a WebSocket test needs written once."""

    def __init__(self, client: FishAudio | AsyncFishAudio) -> None:
        self.client = client
        self.is_async = isinstance(client, AsyncFishAudio)

    def texts(self, *values: object) -> Iterable[Any] | AsyncIterator[Any]:
        """The text stream: a list for the sync client, an async generator for the async one."""
        if not self.is_async:
            return list(values)

        async def generate() -> AsyncIterator[Any]:
            for value in values:
                yield value

        return generate()

    def stream(self, text: Iterable[Any] | AsyncIterator[Any], **kwargs: Any) -> Any:
        return self.client.tts.stream_websocket(text, **kwargs)  # type: ignore[arg-type]

    async def read(self, stream: Any) -> list[bytes]:
        """Every chunk left in ``stream``."""
        return [chunk async for chunk in stream] if self.is_async else list(stream)

    async def next(self, stream: Any) -> bytes:
        return await anext(stream) if self.is_async else next(stream)  # type: ignore[no-any-return]

    def running(self) -> set[Any]:
        """What this twin could leave behind: the threads (sync) or the event loop's tasks (async)."""
        return asyncio.all_tasks() if self.is_async else set(threading.enumerate())

    async def close(self) -> None:
        if isinstance(self.client, AsyncFishAudio):
            await self.client.close()
        else:
            self.client.close()


def live_twin(is_async: bool, **kwargs: Any) -> LiveTwin:
    """A :class:`LiveTwin` of a new client built with ``kwargs``; close it with ``await twin.close()``."""
    return LiveTwin(AsyncFishAudio(**kwargs) if is_async else FishAudio(**kwargs))
