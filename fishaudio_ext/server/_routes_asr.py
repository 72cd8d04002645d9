"""``POST /v1/asr``: speech to text.

Audio this server produced (a completed TTS response or a voice-design candidate, byte for byte or with
the same samples in another file: see ``_own_audio``) transcribes back to its text, with the word timings
it was synthesized with. Other audio goes to a real recognizer (``_recognizer``: pocketsphinx's English
model, from the ``[speech]`` extra); without one, or for a language it does not know, the answer is a 400
saying so (reason ``no_recognizer``), never an empty text that looks like silence.
"""

from __future__ import annotations

from typing import Any, Final

import anyio.to_thread
from fishaudio_api.facts import ASR_MAX_AUDIO_BYTES, ASR_MAX_AUDIO_SECONDS, ASR_MIN_AUDIO_SECONDS
from fishaudio_api.models import ASRResponse, ASRSegment
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ._codecs import probe
from ._context import ServerContext
from ._errors import fail, insufficient_credit
from ._generation import generation_headers
from ._pricing import asr_cost
from ._recognizer import NoRecognizer, recognize
from ._state import Transcript
from ._text import LANGUAGE_NAMES

MAX_AUDIO_BYTES: Final = ASR_MAX_AUDIO_BYTES
MAX_SECONDS: Final = ASR_MAX_AUDIO_SECONDS
MIN_SECONDS: Final = ASR_MIN_AUDIO_SECONDS
_FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the other fields
_DECIMALS = 4


def _segments(transcript: Transcript, ignore_timestamps: bool) -> list[ASRSegment]:
    if not transcript.text:
        return []
    if ignore_timestamps:
        return [ASRSegment(text=transcript.text, start=0.0, end=round(transcript.duration, _DECIMALS))]
    return [
        ASRSegment(text=w.text, start=round(w.start, _DECIMALS), end=round(w.end, _DECIMALS))
        for w in transcript.words
    ]


async def _transcript(context: ServerContext, audio: bytes, language: str | None) -> Transcript:
    known = await anyio.to_thread.run_sync(context.recall_audio, audio)
    if known is not None:
        return known
    info = await anyio.to_thread.run_sync(probe, audio)
    if info is None:
        raise fail(400, "The audio could not be decoded: send MP3, WAV, M4A, OGG, FLAC or AAC")
    _check_duration(info.duration)
    try:
        return await anyio.to_thread.run_sync(recognize, audio, language)
    except NoRecognizer as missing:
        raise fail(400, f"No speech recognizer for this audio: {missing}", reason="no_recognizer") from None


def _check_duration(duration: float) -> None:
    if duration < MIN_SECONDS:
        needed = f"{MIN_SECONDS:g} second{'' if MIN_SECONDS == 1 else 's'}"
        raise fail(400, f"The audio is {duration:.2f} s long: at least {needed} is needed")
    if duration > MAX_SECONDS:
        minutes = f"{duration / 60:.1f} minutes"
        raise fail(400, f"The audio is {minutes} long: at most {MAX_SECONDS / 60:g} are accepted")


def routes(context: ServerContext) -> list[BaseRoute]:
    """The ASR route of ``context``'s server."""

    async def speech_to_text(request: Request) -> Response:
        valid = await context.validate(request, max_body_bytes=MAX_AUDIO_BYTES + _FORM_OVERHEAD)
        audio: Any = valid.body["audio"]
        if not isinstance(audio, bytes):
            raise fail(400, "audio must be a file: send a multipart file part or MessagePack bin")
        if len(audio) > MAX_AUDIO_BYTES:
            raise fail(
                413, f"Request entity too large: the audio may be at most {MAX_AUDIO_BYTES // 2**20} MB"
            )
        language = valid.body.get("language")
        transcript = await _transcript(context, audio, str(language) if language else None)
        _check_duration(transcript.duration)
        account = context.account(request)
        if not context.store.charge(account.key_hash, asr_cost(transcript.duration)):
            raise insufficient_credit()
        language = transcript.language or None
        result = ASRResponse(
            text=transcript.text,
            duration=round(transcript.duration, _DECIMALS),
            segments=_segments(transcript, bool(valid.body["ignore_timestamps"])),
            language_code=language,
            language=LANGUAGE_NAMES.get(language) if language else None,
        )
        return JSONResponse(result.to_dict(), headers=generation_headers())

    return [Route("/v1/asr", speech_to_text, methods=["POST"])]
