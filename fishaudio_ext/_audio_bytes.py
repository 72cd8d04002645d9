"""AudioBytes: the return value of ``tts.convert``: the whole audio, as ``bytes``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from fishaudio_api.facts import FORMAT_MEDIA_TYPES
from fishaudio_api.models import AudioFormat

from ._response_info import ResponseInfo

_FORMATS_BY_MEDIA_TYPE = {media_type: name for name, media_type in FORMAT_MEDIA_TYPES.items()}


class AudioBytes(bytes):
    """The complete audio. It is ``bytes`` in every way but one: iterating it yields the audio as one chunk.

    Code written for streams (``for chunk in audio: f.write(chunk)``, ``async for chunk in audio``) therefore
    works on it too, as some of the official SDK's examples expect, instead of yielding integers.

    ``response`` is the status and headers of the answer (``audio.response.generation_id``), ``format``
    the audio format the answer's Content-Type names; ``repr`` shows both and the size, never the audio.
    """

    response: ResponseInfo | None

    def __new__(cls, data: bytes = b"", *, response: ResponseInfo | None = None) -> AudioBytes:
        audio = super().__new__(cls, data)
        audio.response = response
        return audio

    @property
    def format(self) -> AudioFormat | None:
        """``"mp3"``, ``"wav"``, ``"pcm"`` or ``"opus"`` as the server labelled it; None when unknown."""
        if self.response is None:
            return None
        media_type = self.response.headers.get("content-type", "").partition(";")[0].strip().lower()
        return _FORMATS_BY_MEDIA_TYPE.get(media_type)

    def __repr__(self) -> str:
        details = [f"{len(self):,} bytes"]
        if self.format is not None:
            details.append(self.format)
        if self.response is not None and self.response.generation_id is not None:
            details.append(f"generation id {self.response.generation_id}")
        return f"AudioBytes({', '.join(details)})"

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled as plain bytes plus the response: bytes' own reduction would drop the attribute.
        return _restore, (bytes(self), self.response)

    def __iter__(self) -> Iterator[bytes]:  # type: ignore[override]
        yield bytes(self)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield bytes(self)


def _restore(data: bytes, response: ResponseInfo | None) -> AudioBytes:
    return AudioBytes(data, response=response)
