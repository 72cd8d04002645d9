"""``POST /v1/tts`` (chunked audio) and ``POST /v1/tts/stream/with-timestamp`` (SSE with word timings)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

import anyio.to_thread
import attrs
from fishaudio_api.facts import MULTI_SPEAKER_TTS_MODELS, OPUS_LEGACY_KBPS, REFERENCE_NOT_FOUND_MESSAGE
from fishaudio_api.models import TTSTimestampAlignment, TTSTimestampSegment, TTSTimestampStreamEvent
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from ._codecs import probe
from ._context import ServerContext
from ._errors import Problem, fail, insufficient_credit, validation_error
from ._generation import generation_headers
from ._own_audio import DeliveredAudio
from ._pricing import UnpricedModel, is_multi_speaker, tts_cost, tts_model
from ._synthesis import AudioSettings, Piece, SynthesisSession, paced, synthesized, with_tail
from ._validation import text_too_long

_DECIMALS = 4  # timestamps to 0.1 ms: plenty, and short lines


def accept_legacy_opus_kbps(body: Any) -> Any:
    """Read a kbps ``opus_bitrate`` (``OpusBitrate`` ``x-legacy-kbps``) as the bps value it means, before
    validation. SDK 1.3.0 sends ``opus_bitrate: 32`` on every request, the kbps form the API used until
    June 2026, and the compat docs say requested Opus bitrates are "accepted and ignored"."""
    if isinstance(body, dict):
        bitrate = body.get("opus_bitrate")
        if isinstance(bitrate, int) and not isinstance(bitrate, bool) and bitrate in OPUS_LEGACY_KBPS:
            return {**body, "opus_bitrate": OPUS_LEGACY_KBPS[bitrate]}
    return body


def _reference_ids(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _speakers_of_references(references: object) -> int:
    """How many speakers inline references describe: lists of lists are one list per speaker."""
    if not isinstance(references, list) or not references:
        return 0
    return len(references) if all(isinstance(item, list) for item in references) else 1


@attrs.frozen
class TTSJob:
    """A checked synthesis request: the model it is served (and billed) with, its audio settings, the
    voices it uses, and the key that pays."""

    model: str
    settings: AudioSettings
    voice_ids: tuple[str, ...]
    key_hash: str


async def check_tts_request(
    context: ServerContext, connection: HTTPConnection, body: Mapping[str, Any], headers: Mapping[str, Any]
) -> TTSJob:
    """Check a schema-valid ``TTSRequest`` (defaults filled in) beyond its schema; shared with the WebSocket.

    Raises :class:`~fishaudio_ext.server._errors.Problem` with a 400 for a model the spec gives no price,
    an unsupported sample rate, an unknown ``reference_id`` (or a private voice of another user),
    undecodable reference audio, or several speakers with a single-speaker model.
    """
    try:
        model = tts_model(headers.get("model"))
    except UnpricedModel as unpriced:
        raise fail(400, str(unpriced), reason="unpriced_model") from None
    settings = AudioSettings.from_request(body)
    problem = settings.sample_rate_problem()
    if problem is not None:
        raise fail(400, problem)
    account = context.account(connection)
    voice_ids = _reference_ids(body.get("reference_id"))
    speakers = max(len(voice_ids), _speakers_of_references(body.get("references")))
    if speakers > 1 and not is_multi_speaker(model):
        multi = ", ".join(sorted(MULTI_SPEAKER_TTS_MODELS))
        raise fail(400, f"Multi-speaker synthesis needs one of the models {multi}; {model} has one voice")
    for voice_id in voice_ids:
        voice = context.store.voice(voice_id)
        if voice is None or not voice.visible_to(account.user_id):
            raise fail(400, REFERENCE_NOT_FOUND_MESSAGE, reason=f"No voice model with id {voice_id}")
    await _check_references(body.get("references"))
    return TTSJob(model, settings, tuple(voice_ids), account.key_hash)


def charge_text(context: ServerContext, job: TTSJob, text: str) -> None:
    """Bill ``text`` to the job's key and count a use of its voices; raises a 402 Problem if unpaid."""
    size = len(text.encode("utf-8"))
    if not context.store.charge(job.key_hash, tts_cost(job.model, text), synthesized_bytes=size):
        raise insufficient_credit()
    context.store.count_use(job.voice_ids)


async def prepare_synthesis(context: ServerContext, request: Request) -> tuple[SynthesisSession, str]:
    """Validate, check and bill an HTTP TTS request; return the session that will synthesize its text.

    Raises :class:`~fishaudio_ext.server._errors.Problem` with the 4xx answer (422, also for a text over the
    server's limit; 400 or 402).
    """
    valid = await context.validate(request, prepare_body=accept_legacy_opus_kbps)
    text = str(valid.body["text"])
    too_long = text_too_long(text, context.max_text_length, ("body", "text"))
    if too_long is not None:
        raise Problem(validation_error([too_long]))
    job = await check_tts_request(context, request, valid.body, valid.headers)
    charge_text(context, job, text)
    return SynthesisSession(job.settings, context.engine), text


async def delivered(context: ServerContext, session: SynthesisSession, text: str) -> AsyncIterator[Piece]:
    """The pieces of a whole response, paced, each chunk synthesized and encoded just before it is sent."""
    pieces = with_tail(session, synthesized(session, text))
    async for piece in paced(pieces, context.pacing, session.settings.latency):
        yield piece


async def _check_references(references: object) -> None:
    samples: list[Any] = []
    for item in references if isinstance(references, list) else []:
        samples += item if isinstance(item, list) else [item]
    for index, sample in enumerate(samples):
        audio = sample.get("audio") if isinstance(sample, dict) else None
        if not isinstance(audio, bytes):
            raise fail(400, f"Reference audio {index} must be bytes: send references in a MessagePack body")
        if await anyio.to_thread.run_sync(probe, audio) is None:
            raise fail(400, f"Reference audio {index} could not be decoded: send WAV, MP3 or FLAC")


def _timestamp_event(piece: Piece) -> dict[str, Any]:
    alignment = None
    if piece.chunk_words:
        segments = [
            TTSTimestampSegment(text=w.text, start=round(w.start, _DECIMALS), end=round(w.end, _DECIMALS))
            for w in piece.chunk_words
        ]
        alignment = TTSTimestampAlignment(
            segments=segments, audio_duration=round(piece.chunk_elapsed, _DECIMALS)
        )
    event = TTSTimestampStreamEvent(
        audio_base64=base64.b64encode(piece.audio).decode("ascii"),
        content=piece.chunk_text,
        alignment=alignment,
        chunk_seq=piece.chunk_seq,
        chunk_audio_offset_sec=round(piece.chunk_offset, _DECIMALS),
    )
    return event.to_dict()


def routes(context: ServerContext) -> list[BaseRoute]:
    """The TTS routes of ``context``'s server."""

    async def text_to_speech(request: Request) -> Response:
        session, text = await prepare_synthesis(context, request)

        async def audio() -> AsyncIterator[bytes]:
            sent = DeliveredAudio(session.settings.format)  # what /v1/asr will know the audio by
            async for piece in delivered(context, session, text):
                sent.add(piece.audio)
                if piece.audio:
                    yield piece.audio
            # Only audio a client received in full can come back to /v1/asr byte for byte.
            sha256, samples = await anyio.to_thread.run_sync(sent.digests)
            context.remember_digest(sha256, session.transcript, samples)

        return StreamingResponse(audio(), media_type=session.media_type, headers=generation_headers())

    async def text_to_speech_with_timestamps(request: Request) -> Response:
        session, text = await prepare_synthesis(context, request)

        async def events() -> AsyncIterator[str]:
            sent = DeliveredAudio(session.settings.format)
            async for piece in delivered(context, session, text):
                sent.add(piece.audio)
                yield f"event: message\ndata: {json.dumps(_timestamp_event(piece))}\n\n"
            sha256, samples = await anyio.to_thread.run_sync(sent.digests)
            context.remember_digest(sha256, session.transcript, samples)

        headers = {"Cache-Control": "no-cache", **generation_headers()}
        return StreamingResponse(events(), media_type="text/event-stream", headers=headers)

    return [
        Route("/v1/tts", text_to_speech, methods=["POST"]),
        Route("/v1/tts/stream/with-timestamp", text_to_speech_with_timestamps, methods=["POST"]),
    ]
