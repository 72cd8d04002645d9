"""AudioBytes: the return value of ``tts.convert``: the whole audio, as ``bytes``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator


class AudioBytes(bytes):
    """The complete audio. It is ``bytes`` in every way but one: iterating it yields the audio as one chunk.

    Code written for streams (``for chunk in audio: f.write(chunk)``, ``async for chunk in audio``) therefore
    works on it too, as some of the official SDK's examples expect, instead of yielding integers.
    """

    __slots__ = ()

    def __iter__(self) -> Iterator[bytes]:  # type: ignore[override]
        yield bytes(self)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield bytes(self)
