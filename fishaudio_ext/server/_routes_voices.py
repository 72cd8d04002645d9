"""The voice models: ``GET``/``POST /model`` and ``GET``/``PATCH``/``DELETE /model/{id}``.

Voices are created as the API takes them (``train_mode: fast``, so they are ``trained`` at once).
Their samples must decode as audio; transcripts (``texts``) default to what ASR finds in them, which for
audio made by this server is its text. Public and unlisted voices are usable by anyone; private ones,
and every change, only by their owner (403 otherwise). Listing shows public voices and the caller's own.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from typing import Any, Final

import anyio.to_thread
from fishaudio_api.models import AuthorEntity, ModelEntity, ModelList, SampleEntity
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ._codecs import probe
from ._context import ServerContext
from ._errors import fail
from ._state import Account, Sample, Voice, VoiceQuery
from ._text import guess_language

# Up to 20 samples of a few MB each, and a cover image.
MAX_CREATE_BYTES: Final = 100 * 1024 * 1024


def model_entity(voice: Voice) -> ModelEntity:
    """The ``ModelEntity`` of a stored voice."""
    entity = ModelEntity(
        id=voice.id,
        type_="tts",
        title=voice.title,
        description=voice.description,
        cover_image=voice.cover_image,
        train_mode=voice.train_mode,
        state=voice.state,
        tags=list(voice.tags),
        samples=[
            SampleEntity(title=s.title, text=s.text, task_id=s.audio.rsplit("/", 1)[-1], audio=s.audio)
            for s in voice.samples
        ],
        created_at=datetime.datetime.fromisoformat(voice.created_at),
        updated_at=datetime.datetime.fromisoformat(voice.updated_at),
        languages=list(voice.languages),
        visibility=voice.visibility,
        lock_visibility=False,
        like_count=voice.like_count,
        mark_count=voice.mark_count,
        shared_count=voice.shared_count,
        task_count=voice.task_count,
        author=AuthorEntity(id=voice.owner_id, nickname=voice.author_nickname, avatar=voice.author_avatar),
    )
    return entity


def _strings(value: object) -> tuple[str, ...]:
    """A parameter that is one string or a list of them, as a tuple."""
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _owned_voice(context: ServerContext, voice_id: str, account: Account, *, change: bool) -> Voice:
    """The voice, if the caller may see it (or, with ``change``, modify it); else 404 or 403."""
    voice = context.store.voice(voice_id)
    if voice is None:
        raise fail(404, "Model not found")
    allowed = voice.owner_id == account.user_id if change else voice.visible_to(account.user_id)
    if not allowed:
        raise fail(403, "Permission denied", reason="The model belongs to another user")
    return voice


async def _samples(
    context: ServerContext, voices: Sequence[Any], texts: Sequence[str] | None
) -> list[Sample]:
    """Check that each upload is audio and pair it with its transcript (given, or recalled)."""
    if texts is not None and len(texts) != len(voices):
        raise fail(
            400, f"texts has {len(texts)} transcripts for {len(voices)} voices: give one per voice, or none"
        )
    samples = []
    for index, data in enumerate(voices):
        if not isinstance(data, bytes):
            raise fail(400, f"voices[{index}] must be a file: send multipart/form-data or MessagePack")
        known = await anyio.to_thread.run_sync(context.recall_audio, data)
        if known is None and await anyio.to_thread.run_sync(probe, data) is None:
            raise fail(400, f"voices[{index}] could not be decoded as audio: send WAV, MP3 or FLAC")
        text = texts[index] if texts is not None else known.text if known is not None else ""
        digest = hashlib.sha256(data).hexdigest()[:32]
        samples.append(Sample(title=f"Sample {index + 1}", text=text, audio=f"samples/{digest}"))
    return samples


def routes(context: ServerContext) -> list[BaseRoute]:
    """The voice model routes of ``context``'s server."""

    async def list_models(request: Request) -> Response:
        query = (await context.validate(request)).query
        account = context.account(request)
        voice_query = VoiceQuery(
            user_id=account.user_id,
            page_size=query["page_size"],
            page_number=query["page_number"],
            title=query.get("title"),
            tags=_strings(query.get("tag")),
            languages=_strings(query.get("language")),
            title_languages=_strings(query.get("title_language")),
            self_only=query["self"],
            author_id=query.get("author_id"),
            sort_by=query["sort_by"],
        )
        total, voices = context.store.voices(voice_query)
        page_end = (voice_query.page_number - 1) * voice_query.page_size + len(voices)
        items = [model_entity(v) for v in voices]
        result = ModelList(total=total, items=items, has_more=page_end < total, window_limited=False)
        return JSONResponse(result.to_dict())

    async def create_model(request: Request) -> Response:
        body = (await context.validate(request, max_body_bytes=MAX_CREATE_BYTES)).body
        account = context.account(request)
        texts = body.get("texts")
        samples = await _samples(context, body["voices"], list(texts) if texts is not None else None)
        cover = body.get("cover_image")
        if body["visibility"] == "public" and not cover:
            raise fail(
                400, "A public model needs a cover image: send cover_image, or choose unlist or private"
            )
        title = str(body["title"])
        spoken = [sample.text for sample in samples if sample.text]
        voice = context.store.create_voice(
            owner_id=account.user_id,
            title=title,
            description=str(body.get("description") or ""),
            visibility=str(body["visibility"]),
            tags=_strings(body.get("tags")),
            languages=sorted({guess_language(text) for text in spoken}),
            title_language=guess_language(title),
            samples=samples,
            has_cover_image=bool(cover),
        )
        return JSONResponse(model_entity(voice).to_dict(), 201)

    async def get_model(request: Request) -> Response:
        valid = await context.validate(request)
        voice = _owned_voice(context, valid.path["id"], context.account(request), change=False)
        return JSONResponse(model_entity(voice).to_dict())

    async def update_model(request: Request) -> Response:
        valid = await context.validate(request)
        voice = _owned_voice(context, valid.path["id"], context.account(request), change=True)
        body = valid.body
        changes: dict[str, Any] = {
            name: body[name] for name in ("title", "description", "visibility") if body.get(name) is not None
        }
        if "tags" in body:
            changes["tags"] = _strings(body["tags"])
        if body.get("cover_image"):
            changes["cover_image"] = f"coverimage/{voice.id}"
        if "title" in changes:
            changes["title_language"] = guess_language(changes["title"])
        context.store.update_voice(voice.id, **changes)
        return Response(status_code=200)

    async def delete_model(request: Request) -> Response:
        valid = await context.validate(request)
        voice = _owned_voice(context, valid.path["id"], context.account(request), change=True)
        context.store.delete_voice(voice.id)
        return Response(status_code=200)

    return [
        Route("/model", list_models, methods=["GET"]),
        Route("/model", create_model, methods=["POST"]),
        Route("/model/{id}", get_model, methods=["GET"]),
        Route("/model/{id}", update_model, methods=["PATCH"]),
        Route("/model/{id}", delete_model, methods=["DELETE"]),
    ]
