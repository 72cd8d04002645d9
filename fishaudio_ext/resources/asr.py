"""``client.asr``: speech to text."""

from __future__ import annotations

import io

from fishaudio_api.api.asr import speech_to_text
from fishaudio_api.facts import ASR_MAX_AUDIO_BYTES
from fishaudio_api.models import ASRRequest, ASRResponse
from fishaudio_api.types import File

from .._http import AsyncHTTP, RequestArgs, SyncHTTP
from .._parse import parse_json_object
from .._request_options import RequestOptions
from .._unset import unset_if_none
from ._validate import check_optional_texts, require_bytes

# The API refuses larger uploads; checking first saves sending them.
MAX_AUDIO_BYTES = ASR_MAX_AUDIO_BYTES


def _transcribe_args(audio: object, language: str | None, include_timestamps: bool) -> RequestArgs:
    data = require_bytes("audio", audio, max_bytes=MAX_AUDIO_BYTES)
    check_optional_texts(language=language)
    body = ASRRequest(
        audio=File(payload=io.BytesIO(data), file_name="audio", mime_type="application/octet-stream"),
        language=unset_if_none(language),
        ignore_timestamps=not include_timestamps,
    )
    return speech_to_text._get_kwargs(body=body)


class ASRClient:
    """Speech to text."""

    def __init__(self, http: SyncHTTP) -> None:
        self._http = http

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
        args = _transcribe_args(audio, language, include_timestamps)
        response = self._http.request(args, request_options)
        return parse_json_object(response, ASRResponse)


class AsyncASRClient:
    """Speech to text (async)."""

    def __init__(self, http: AsyncHTTP) -> None:
        self._http = http

    async def transcribe(
        self,
        *,
        audio: bytes,
        language: str | None = None,
        include_timestamps: bool = True,
        request_options: RequestOptions | None = None,
    ) -> ASRResponse:
        """Transcribe audio; see :meth:`ASRClient.transcribe`."""
        args = _transcribe_args(audio, language, include_timestamps)
        response = await self._http.request(args, request_options)
        return parse_json_object(response, ASRResponse)
