"""``POST /v1/voice-design``: ``n`` WAV candidates for a described voice.

Each candidate speaks the ``reference_text`` (or a stock preview sentence) in a different voice of the
local synthesizer, so candidates sound distinct; they are registered for ASR like any TTS output.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any, Final

import anyio.to_thread
from fishaudio_api.facts import KNOWN_VOICE_DESIGN_MODEL_VALUES
from fishaudio_api.models import VoiceDesignCandidate, VoiceDesignResponse
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ._codecs import encoder
from ._context import ServerContext
from ._errors import fail, insufficient_credit
from ._pricing import VOICE_DESIGN_MICROS
from ._speech import synthesize
from ._state import Transcript
from ._text import guess_language

SAMPLE_RATE: Final = 24000
PREVIEW_TEXT: Final = "Hello! This is a preview of the voice you designed. How does it sound?"
# The local synthesizer's speed range; the API allows up to 3.
_MIN_SPEED, _MAX_SPEED = 0.5, 2.0


def _candidate(
    index: int, text: str, instruction: str, language: str | None, speed: float
) -> tuple[Any, bytes, Transcript]:
    # A speaker tag per candidate: each one is voiced at a different pitch.
    speech = synthesize(f"<|speaker:{index}|>{text}", sample_rate=SAMPLE_RATE, speed=speed)
    wav = encoder("wav", sample_rate=SAMPLE_RATE)
    data = wav.encode(speech.pcm) + wav.finish()
    spoken = " ".join(word.text for word in speech.words)
    candidate = VoiceDesignCandidate(
        id=uuid.uuid4().hex,
        index=index,
        audio_base64=base64.b64encode(data).decode("ascii"),
        sample_rate=SAMPLE_RATE,
        duration_ms=round(speech.duration * 1000),
        text=text,
        instruct=instruction,
        language=language,
    )
    transcript = Transcript(spoken, speech.words, speech.duration, guess_language(spoken))
    return candidate, data, transcript


def routes(context: ServerContext) -> list[BaseRoute]:
    """The voice-design route of ``context``'s server."""

    async def voice_design(request: Request) -> Response:
        valid = await context.validate(request)
        model = valid.headers["model"]
        if model not in KNOWN_VOICE_DESIGN_MODEL_VALUES:
            known = ", ".join(KNOWN_VOICE_DESIGN_MODEL_VALUES)
            raise fail(400, f"Unknown voice design model {model!r}: use {known}")
        body = valid.body
        account = context.account(request)
        if not context.store.charge(account.key_hash, VOICE_DESIGN_MICROS):
            raise insufficient_credit()
        text = body.get("reference_text") or PREVIEW_TEXT
        speed = min(max(float(body["speed"]), _MIN_SPEED), _MAX_SPEED)
        candidates = []
        for index in range(int(body["n"])):
            candidate, data, transcript = await anyio.to_thread.run_sync(
                _candidate, index, text, body["instruction"], body.get("language"), speed
            )
            await anyio.to_thread.run_sync(context.remember_audio, data, transcript)
            candidates.append(candidate)
        return JSONResponse(VoiceDesignResponse(candidates=candidates).to_dict())

    return [Route("/v1/voice-design", voice_design, methods=["POST"])]
