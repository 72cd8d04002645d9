"""``client.asr``: speech to text, a thin layer over ``client.api.speech_to_text``."""

from __future__ import annotations

import io

from fishaudio_api.facts import ASR_MAX_AUDIO_BYTES
from fishaudio_api.models import ASRRequest, ASRResponse
from fishaudio_api.types import File

from .._api_namespace import API, AsyncAPI
from .._http import AsyncHTTP, SyncHTTP
from .._request_options import RequestOptions
from .._unset import unset_if_none
from ._validate import check_optional_texts, require_bytes

# The API refuses larger uploads; checking first saves sending them.
MAX_AUDIO_BYTES = ASR_MAX_AUDIO_BYTES


def _transcribe_body(audio: object, language: str | None, include_timestamps: bool) -> ASRRequest:
    data = require_bytes("audio", audio, max_bytes=MAX_AUDIO_BYTES)
    check_optional_texts(language=language)
    return ASRRequest(
        audio=File(payload=io.BytesIO(data), file_name="audio", mime_type="application/octet-stream"),
        language=unset_if_none(language),
        ignore_timestamps=not include_timestamps,
    )


class ASRClient:
    """Speech to text."""

    def __init__(self, http: SyncHTTP) -> None:
        self._api = API(http)

    def transcribe(
        self,
        *,
        audio: bytes,
        language: str | None = None,
        include_timestamps: bool = True,
        request_options: RequestOptions | None = None,
    ) -> ASRResponse:
        """Transcribe audio (MP3, WAV, M4A, OGG, FLAC or AAC; at most 20 MB).

        ``language`` is a hint (e.g. ``"en"``); the detected language is returned as ``result.language_code``.
        Segment times and ``result.duration`` are in seconds.

        Example::

            result = client.asr.transcribe(audio=open("audio.mp3", "rb").read(), language="en")
            for segment in result.segments:
                print(f"{segment.start}-{segment.end}: {segment.text}")
        """
        body = _transcribe_body(audio, language, include_timestamps)
        return self._api.with_options(request_options).speech_to_text(body=body)


class AsyncASRClient:
    """Speech to text (async)."""

    def __init__(self, http: AsyncHTTP) -> None:
        self._api = AsyncAPI(http)

    async def transcribe(
        self,
        *,
        audio: bytes,
        language: str | None = None,
        include_timestamps: bool = True,
        request_options: RequestOptions | None = None,
    ) -> ASRResponse:
        """Transcribe audio; see :meth:`ASRClient.transcribe`."""
        body = _transcribe_body(audio, language, include_timestamps)
        return await self._api.with_options(request_options).speech_to_text(body=body)
