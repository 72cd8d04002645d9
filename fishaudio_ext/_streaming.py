"""Audio streamed from an HTTP response, chunk by chunk as the server sends it.

The connection goes back to the pool when the stream is exhausted, closed, used as a context manager, or
abandoned. A stream can be read once: iterating it again raises :class:`StreamConsumedError`.

WAV chunks are passed on as the server sent them, so the first chunk's header carries the API's
placeholder sizes: the length is not known until the last chunk. ``collect()`` and ``save()`` see the
whole audio and write the real sizes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import TYPE_CHECKING

import httpx

from ._http import connection_error
from ._response_info import ResponseInfo, info_of
from ._wav import complete_wav
from .exceptions import StreamConsumedError

if TYPE_CHECKING:
    import asyncio  # imported where used: importing the package need not cost asyncio's 15 ms

# Keeps the tasks closing abandoned async streams alive until they finish.
_CLOSING: set[asyncio.Task[None]] = set()


def close_abandoned(stream: object) -> None:
    """From a sync stream's ``__del__``: an abandoned stream must not keep its pooled connection."""
    response: httpx.Response | None = getattr(stream, "_response", None)
    if response is not None and not response.is_closed:
        response.close()


def aclose_abandoned(stream: object) -> None:
    """From an async stream's ``__del__``: close its response in the running loop (closing needs one)."""
    response: httpx.Response | None = getattr(stream, "_response", None)
    if response is None or response.is_closed:
        return
    import asyncio  # loaded by now: the stream was made in a running loop

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    task = loop.create_task(response.aclose())
    _CLOSING.add(task)
    task.add_done_callback(_CLOSING.discard)


class AudioStream:
    """Audio bytes as they arrive. Iterate it, ``collect()`` it, or pass it to ``save``/``play``.

    The chunks are the bytes as sent: a WAV stream's header cannot have the real sizes yet, and keeps the
    API's placeholders; ``collect()`` and ``save()`` to a file correct them once the audio has ended.

    Example::

        with client.tts.stream(text="Long text") as audio:
            for chunk in audio:
                sink.write(chunk)
    """

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self._started = False

    @property
    def response(self) -> ResponseInfo:
        """The status and headers of the answer (``.generation_id``...), known before the first chunk."""
        return info_of(self._response)

    def __iter__(self) -> Iterator[bytes]:
        if self._started:
            raise StreamConsumedError()
        self._started = True
        return self._chunks()

    def _chunks(self) -> Iterator[bytes]:
        try:
            for chunk in self._response.iter_bytes():
                if chunk:
                    yield chunk
        except httpx.HTTPError as error:
            raise connection_error(error, self._response.request) from error
        finally:
            self._response.close()

    def collect(self) -> bytes:
        """Read the rest of the audio into one ``bytes`` (WAV with the real sizes in its header)."""
        return complete_wav(b"".join(self))

    def close(self) -> None:
        """Release the connection without reading the rest of the audio."""
        self._started = True
        self._response.close()

    def __enter__(self) -> AudioStream:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        close_abandoned(self)


class AsyncAudioStream:
    """The async twin of :class:`AudioStream`: ``async for chunk in stream``, ``await stream.collect()``.

    As there, the chunks of a WAV stream carry the API's placeholder sizes; ``collect()`` and ``save()``
    to a file correct them.
    """

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self._started = False

    @property
    def response(self) -> ResponseInfo:
        """The status and headers of the answer (``.generation_id``...), known before the first chunk."""
        return info_of(self._response)

    def __aiter__(self) -> AsyncIterator[bytes]:
        if self._started:
            raise StreamConsumedError()
        self._started = True
        return self._chunks()

    async def _chunks(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.aiter_bytes():
                if chunk:
                    yield chunk
        except httpx.HTTPError as error:
            raise connection_error(error, self._response.request) from error
        finally:
            await self._response.aclose()

    async def collect(self) -> bytes:
        """Read the rest of the audio into one ``bytes`` (WAV with the real sizes in its header)."""
        return complete_wav(b"".join([chunk async for chunk in self]))

    async def close(self) -> None:
        """Release the connection without reading the rest of the audio."""
        self._started = True
        await self._response.aclose()

    async def __aenter__(self) -> AsyncAudioStream:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def __del__(self) -> None:
        aclose_abandoned(self)
