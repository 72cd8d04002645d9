"""Drive ``tts.stream_websocket`` the same way on ``FishAudio`` and ``AsyncFishAudio``, so one test covers
both twins: the text as an iterable or an async iterator, the audio read with ``list``/``next`` or
``async for``/``anext``, and what each twin may leave behind (threads for the sync client, tasks for the
async one).

A text stream may hold, besides the items the client sends, *cues* that the twin acts on where the text is
read (the sync client's sender thread, the async client's sender task): :class:`WaitFor` (the model is
still thinking), :class:`Pause` (it thinks for a while), :class:`Fail` (its connection drops).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import attrs

from fishaudio_ext import AsyncFishAudio, FishAudio

WAIT = 10  # seconds: the bound on every wait for the other side, reached only when something is broken


@attrs.frozen
class WaitFor:
    """A cue in a text stream: wait until ``event`` is set (by the test) before the next item."""

    event: threading.Event


@attrs.frozen
class Pause:
    """A cue in a text stream: take ``seconds`` before the next item (when elapsed time is the point)."""

    seconds: float


@attrs.frozen
class Fail:
    """A cue in a text stream: the iterator raises ``error``."""

    error: Exception


async def wait_for(event: threading.Event) -> None:
    """Wait, bounded and without holding an event loop, until another thread sets ``event``."""
    assert await asyncio.to_thread(event.wait, WAIT), "timed out waiting for the other side"


class LiveTwin:
    """One client, sync or async, with the calls a WebSocket test needs written once."""

    def __init__(self, client: FishAudio | AsyncFishAudio) -> None:
        self.client = client
        self.is_async = isinstance(client, AsyncFishAudio)

    def texts(self, *values: object) -> Iterable[Any] | AsyncIterator[Any]:
        """The text stream: a list for the sync client, an async generator for the async one."""
        return list(values) if not self.is_async else self.text_stream(iter(values))

    def text_stream(self, items: Iterator[object]) -> Iterator[Any] | AsyncIterator[Any]:
        """``items`` as the twin's text stream, a generator or an async generator, acting on the cues."""
        return self._async_text(items) if self.is_async else self._sync_text(items)

    @staticmethod
    def _sync_text(items: Iterator[object]) -> Iterator[Any]:
        for item in items:
            if isinstance(item, WaitFor):
                assert item.event.wait(WAIT), "timed out waiting for the test"
            elif isinstance(item, Pause):
                time.sleep(item.seconds)
            elif isinstance(item, Fail):
                raise item.error
            else:
                yield item

    @staticmethod
    async def _async_text(items: Iterator[object]) -> AsyncIterator[Any]:
        for item in items:
            if isinstance(item, WaitFor):
                await wait_for(item.event)
            elif isinstance(item, Pause):
                await asyncio.sleep(item.seconds)
            elif isinstance(item, Fail):
                raise item.error
            else:
                yield item

    def stream(self, text: Iterable[Any] | AsyncIterator[Any], **kwargs: Any) -> Any:
        return self.client.tts.stream_websocket(text, **kwargs)  # type: ignore[arg-type]

    async def opened(self, stream: Any) -> Any:
        """The stream as a caller holds it: the async client's call may be awaited first, and is here."""
        return await stream if self.is_async else stream

    @contextlib.asynccontextmanager
    async def entered(self, stream: Any) -> AsyncIterator[Any]:
        """``stream`` as a context manager: ``with`` for the sync twin, ``async with`` for the async one."""
        if self.is_async:
            async with stream as audio:
                yield audio
        else:
            with stream as audio:
                yield audio

    async def read(self, stream: Any, *, pause: float = 0) -> list[bytes]:
        """Every chunk left in ``stream``; ``pause`` seconds spent by the caller after each one."""
        chunks = []
        if self.is_async:
            async for chunk in stream:
                chunks.append(chunk)
                await asyncio.sleep(pause)
        else:
            for chunk in stream:
                chunks.append(chunk)
                time.sleep(pause)  # noqa: ASYNC251 - the sync caller's own time, as in a plain loop
        return chunks

    async def next(self, stream: Any) -> bytes:
        return await anext(stream) if self.is_async else next(stream)  # type: ignore[no-any-return]

    async def first(self, stream: Any) -> bytes:
        """The first chunk, read by a ``for`` (``async for``) loop left with ``break``."""
        first = b""
        if self.is_async:
            async for chunk in stream:
                first = chunk
                break
        else:
            for chunk in stream:
                first = chunk
                break
        return first

    async def close_stream(self, stream: Any) -> None:
        if self.is_async:
            await stream.aclose()
        else:
            stream.close()

    def running(self) -> set[Any]:
        """What this twin could leave behind: the threads (sync) or the event loop's tasks (async)."""
        return asyncio.all_tasks() if self.is_async else set(threading.enumerate())

    def worker_name(self) -> str:
        """The name of the thread (sync) or the task (async) this is called from."""
        if not self.is_async:
            return threading.current_thread().name
        task = asyncio.current_task()
        return task.get_name() if task else ""

    async def close(self) -> None:
        if isinstance(self.client, AsyncFishAudio):
            await self.client.close()
        else:
            self.client.close()


def live_twin(is_async: bool, **kwargs: Any) -> LiveTwin:
    """A :class:`LiveTwin` of a new client built with ``kwargs``; close it with ``await twin.close()``."""
    return LiveTwin(AsyncFishAudio(**kwargs) if is_async else FishAudio(**kwargs))
