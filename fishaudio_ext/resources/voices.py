"""``client.voices``: list, get, create (clone), update and delete voice models, and design new voices.

A thin layer over ``client.api``'s ``*_model`` operations: friendlier arguments, checked before any I/O.
"""

from __future__ import annotations

import builtins
import io
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from fishaudio_api.facts import (
    CREATE_MODEL_REQUEST_VOICES_ITEMS,
    LIST_MODELS_PAGE_NUMBER_BOUNDS,
    LIST_MODELS_PAGE_SIZE_BOUNDS,
    MODEL_SORT_BY_VALUES,
    VISIBILITY_VALUES,
    VOICE_DESIGN_MODEL_HEADER_DEFAULT,
)
from fishaudio_api.models import CreateModelRequest, ModelEntity, ModelList, ModelSortBy, UpdateModelRequest
from fishaudio_api.models.visibility import Visibility
from fishaudio_api.response_facts import SUCCESS_MEDIA_TYPES
from fishaudio_api.settings_checks import check_number
from fishaudio_api.types import UNSET, File, Unset

from .._api_namespace import API, AsyncAPI
from .._http import AsyncHTTP, SyncHTTP
from .._request_options import RequestOptions
from .._unset import unset_if_none
from .._voice_design import VoiceCandidate, candidates, check_model, design_request
from ..exceptions import ValidationError
from ..types._checks import check_choice
from ._validate import check_optional_texts, require_bytes, require_text

_VISIBILITIES = VISIBILITY_VALUES
_SORT_ORDERS = MODEL_SORT_BY_VALUES
_VOICE_SAMPLES = CREATE_MODEL_REQUEST_VOICES_ITEMS
# Creating, changing and deleting a voice are not repeated after the server may have acted
# (idempotent=False); the spec documents no content for the answers of the last two.
_UPDATE_ANSWER = SUCCESS_MEDIA_TYPES["update_model"]
_DELETE_ANSWER = SUCCESS_MEDIA_TYPES["delete_model"]


def _list_args(
    *,
    page_size: int,
    page_number: int,
    title: str | None,
    tags: builtins.list[str] | str | None,
    self_only: bool,
    author_id: str | None,
    language: builtins.list[str] | str | None,
    title_language: builtins.list[str] | str | None,
    sort_by: ModelSortBy,
) -> dict[str, Any]:
    """The arguments of ``client.api.list_models``, checked."""
    check_optional_texts(
        title=title, tags=tags, author_id=author_id, language=language, title_language=title_language
    )
    check_number("page_size", page_size, LIST_MODELS_PAGE_SIZE_BOUNDS, integer=True)
    check_number("page_number", page_number, LIST_MODELS_PAGE_NUMBER_BOUNDS, integer=True)
    check_choice("sort_by", sort_by, _SORT_ORDERS)
    return dict(
        page_size=page_size,
        page_number=page_number,
        title=unset_if_none(title),
        tag=unset_if_none(tags),
        self_=self_only,
        author_id=unset_if_none(author_id),
        language=unset_if_none(language),
        title_language=unset_if_none(title_language),
        sort_by=sort_by,
    )


# Listing every voice asks for pages as large as the spec allows: the fewest requests.
assert isinstance(LIST_MODELS_PAGE_SIZE_BOUNDS.maximum, int), "the spec bounds page_size"
_LARGEST_PAGE: int = LIST_MODELS_PAGE_SIZE_BOUNDS.maximum


def _next_page_number(page: ModelList, page_number: int, page_size: int) -> int | None:
    """The page to ask for after ``page`` (number ``page_number``), or None when it was the last one.

    The last page is one with no voices, one the server says has nothing after it (``has_more``), or
    the one that reaches ``total`` (when the server counted exactly) or ``max_offset`` (the deepest
    offset it serves): no request is ever made for a page past the end.
    """
    next_offset = page_number * page_size
    if not page.items or page.has_more is False:
        return None
    if page.total_is_exact is not False and next_offset >= page.total:
        return None
    if isinstance(page.max_offset, int) and next_offset > page.max_offset:
        return None
    return page_number + 1


def _file(name: str, data: bytes) -> File:
    return File(payload=io.BytesIO(data), file_name=name, mime_type="application/octet-stream")


def _create_body(
    *,
    title: str,
    voices: Sequence[bytes],
    description: str | None,
    texts: Sequence[str] | None,
    tags: Sequence[str] | None,
    cover_image: bytes | None,
    visibility: Visibility,
    train_mode: str,
    enhance_audio_quality: bool,
) -> CreateModelRequest:
    require_text("title", title)
    check_optional_texts(description=description, texts=texts, tags=tags)
    if isinstance(voices, (bytes, bytearray, str)) or len(voices) not in _VOICE_SAMPLES:
        raise ValidationError(
            f"voices must be a list of {_VOICE_SAMPLES} audio samples (bytes)",
            field="voices",
            value=type(voices).__name__,
        )
    samples = [_file(f"voice-{i}", require_bytes(f"voices[{i}]", v)) for i, v in enumerate(voices)]
    if texts is not None and len(texts) != len(voices):
        raise ValidationError(
            f"texts has {len(texts)} transcripts for {len(voices)} voices: give one per voice, or none",
            field="texts",
            value=len(texts),
            allowed=f"{len(voices)} transcripts",
        )
    check_choice("visibility", visibility, _VISIBILITIES)
    check_choice("train_mode", train_mode, ("fast",))
    return CreateModelRequest(
        type_="tts",
        title=title,
        train_mode="fast",
        voices=samples,
        visibility=visibility,
        description=unset_if_none(description),
        cover_image=UNSET
        if cover_image is None
        else _file("cover", require_bytes("cover_image", cover_image)),
        texts=UNSET if texts is None else builtins.list(texts),
        tags=UNSET if tags is None else builtins.list(tags),
        enhance_audio_quality=enhance_audio_quality,
    )


def _update_body(
    voice_id: str,
    *,
    title: str | None,
    description: str | None,
    cover_image: bytes | None,
    visibility: Visibility | None,
    tags: Sequence[str] | None,
) -> UpdateModelRequest:
    require_text("voice_id", voice_id)
    check_optional_texts(title=title, description=description, tags=tags)
    if visibility is not None:
        check_choice("visibility", visibility, _VISIBILITIES)
    cover: File | Unset = UNSET
    if cover_image is not None:
        cover = _file("cover", require_bytes("cover_image", cover_image))
    return UpdateModelRequest(
        title=unset_if_none(title),
        description=unset_if_none(description),
        cover_image=cover,
        visibility=unset_if_none(visibility),
        tags=UNSET if tags is None else builtins.list(tags),
    )


class VoicesClient:
    """Voice models: the library's voices and your own clones."""

    def __init__(self, http: SyncHTTP) -> None:
        self._api = API(http)

    def list(
        self,
        *,
        page_size: int = 10,
        page_number: int = 1,
        title: str | None = None,
        tags: builtins.list[str] | str | None = None,
        self_only: bool = False,
        author_id: str | None = None,
        language: builtins.list[str] | str | None = None,
        title_language: builtins.list[str] | str | None = None,
        sort_by: ModelSortBy = "task_count",
        request_options: RequestOptions | None = None,
    ) -> ModelList:
        """One page of voices (``.items``, ``.total``), filtered and sorted.

        Example::

            voices = client.voices.list(language="en", tags="male")
            for voice in voices.items:
                print(f"{voice.title}: {voice.id}")
        """
        arguments = _list_args(
            page_size=page_size,
            page_number=page_number,
            title=title,
            tags=tags,
            self_only=self_only,
            author_id=author_id,
            language=language,
            title_language=title_language,
            sort_by=sort_by,
        )
        return self._api.with_options(request_options).list_models(**arguments)

    def list_all(
        self,
        *,
        page_size: int = _LARGEST_PAGE,
        title: str | None = None,
        tags: builtins.list[str] | str | None = None,
        self_only: bool = False,
        author_id: str | None = None,
        language: builtins.list[str] | str | None = None,
        title_language: builtins.list[str] | str | None = None,
        sort_by: ModelSortBy = "task_count",
        request_options: RequestOptions | None = None,
    ) -> Iterator[ModelEntity]:
        """Every voice that matches, page after page as you iterate: the filters of :meth:`list`.

        Pages are requested only as the iteration needs them, ``page_size`` voices at a time (by default
        the most the API allows), and never past the last one. The arguments are checked now.

        Example::

            for voice in client.voices.list_all(language="en", self_only=True):
                print(voice.id, voice.title)
        """
        arguments = _list_args(
            page_size=page_size,
            page_number=1,
            title=title,
            tags=tags,
            self_only=self_only,
            author_id=author_id,
            language=language,
            title_language=title_language,
            sort_by=sort_by,
        )
        return self._pages(arguments, self._api.with_options(request_options))

    @staticmethod
    def _pages(arguments: dict[str, Any], api: API) -> Iterator[ModelEntity]:
        page_number: int | None = 1
        while page_number is not None:
            page = api.list_models(**{**arguments, "page_number": page_number})
            yield from page.items
            page_number = _next_page_number(page, page_number, arguments["page_size"])

    def get(self, voice_id: str, *, request_options: RequestOptions | None = None) -> ModelEntity:
        """One voice by id. Raises NotFoundError when there is none."""
        return self._api.with_options(request_options).get_model(require_text("voice_id", voice_id))

    def create(
        self,
        *,
        title: str,
        voices: Sequence[bytes],
        description: str | None = None,
        texts: Sequence[str] | None = None,
        tags: Sequence[str] | None = None,
        cover_image: bytes | None = None,
        visibility: Visibility = "private",
        train_mode: str = "fast",
        enhance_audio_quality: bool = True,
        request_options: RequestOptions | None = None,
    ) -> ModelEntity:
        """Clone a voice from 1 to 20 audio samples; usable at once (``train_mode="fast"``).

        ``texts`` are the samples' transcripts, one per sample (transcribed by the server when omitted).

        Example::

            voice = client.voices.create(title="My Voice", voices=[open("me.wav", "rb").read()])
            audio = client.tts.convert(text="Hi", reference_id=voice.id)
        """
        body = _create_body(
            title=title,
            voices=voices,
            description=description,
            texts=texts,
            tags=tags,
            cover_image=cover_image,
            visibility=visibility,
            train_mode=train_mode,
            enhance_audio_quality=enhance_audio_quality,
        )
        return self._api.with_options(request_options).create_model(body=body)

    def update(
        self,
        voice_id: str,
        *,
        title: str | None = None,
        description: str | None = None,
        cover_image: bytes | None = None,
        visibility: Visibility | None = None,
        tags: Sequence[str] | None = None,
        request_options: RequestOptions | None = None,
    ) -> None:
        """Change a voice's metadata; only the arguments given are changed."""
        body = _update_body(
            voice_id,
            title=title,
            description=description,
            cover_image=cover_image,
            visibility=visibility,
            tags=tags,
        )
        self._api.with_options(request_options).update_model(voice_id, body=body)

    def delete(self, voice_id: str, *, request_options: RequestOptions | None = None) -> None:
        """Delete a voice."""
        self._api.with_options(request_options).delete_model(require_text("voice_id", voice_id))

    def design(
        self,
        *,
        instruction: str,
        reference_text: str | None = None,
        language: str | None = None,
        n: int | None = None,
        seed: int | None = None,
        speed: float | None = None,
        num_step: int | None = None,
        guidance_scale: float | None = None,
        instruct_guidance_scale: float | None = None,
        model: str = VOICE_DESIGN_MODEL_HEADER_DEFAULT,
        request_options: RequestOptions | None = None,
    ) -> builtins.list[VoiceCandidate]:
        """Candidate voices for a description: each speaks ``reference_text`` (up to 150 characters).

        ``n`` candidates (1 to 4; the API's default is 2), reproducible with ``seed``; ``speed``,
        ``num_step``, ``guidance_scale`` and ``instruct_guidance_scale`` tune generation. Arguments left
        None are not sent, so the API's defaults apply. Every argument is checked before sending (a
        ValidationError names the one that is wrong); the request is billed once, whatever ``n``.

        Example::

            candidates = client.voices.design(instruction="A warm, low narrator", n=2)
            candidates[0].save("candidate-0.wav")
            voice = client.voices.create(title="Narrator", voices=[candidates[0].audio])
        """
        body = design_request(
            instruction=instruction,
            reference_text=reference_text,
            language=language,
            n=n,
            speed=speed,
            num_step=num_step,
            guidance_scale=guidance_scale,
            instruct_guidance_scale=instruct_guidance_scale,
            seed=seed,
        )
        api = self._api.with_options(request_options)
        return candidates(api.voice_design(body=body, model=check_model(model)))


class AsyncVoicesClient:
    """Voice models (async); see :class:`VoicesClient`."""

    def __init__(self, http: AsyncHTTP) -> None:
        self._api = AsyncAPI(http)

    async def list(
        self,
        *,
        page_size: int = 10,
        page_number: int = 1,
        title: str | None = None,
        tags: builtins.list[str] | str | None = None,
        self_only: bool = False,
        author_id: str | None = None,
        language: builtins.list[str] | str | None = None,
        title_language: builtins.list[str] | str | None = None,
        sort_by: ModelSortBy = "task_count",
        request_options: RequestOptions | None = None,
    ) -> ModelList:
        """One page of voices; see :meth:`VoicesClient.list`."""
        arguments = _list_args(
            page_size=page_size,
            page_number=page_number,
            title=title,
            tags=tags,
            self_only=self_only,
            author_id=author_id,
            language=language,
            title_language=title_language,
            sort_by=sort_by,
        )
        return await self._api.with_options(request_options).list_models(**arguments)

    def list_all(
        self,
        *,
        page_size: int = _LARGEST_PAGE,
        title: str | None = None,
        tags: builtins.list[str] | str | None = None,
        self_only: bool = False,
        author_id: str | None = None,
        language: builtins.list[str] | str | None = None,
        title_language: builtins.list[str] | str | None = None,
        sort_by: ModelSortBy = "task_count",
        request_options: RequestOptions | None = None,
    ) -> AsyncIterator[ModelEntity]:
        """Every voice that matches, page after page; see :meth:`VoicesClient.list_all`.

        Not awaited: ``async for voice in client.voices.list_all(language="en"): ...``
        """
        arguments = _list_args(
            page_size=page_size,
            page_number=1,
            title=title,
            tags=tags,
            self_only=self_only,
            author_id=author_id,
            language=language,
            title_language=title_language,
            sort_by=sort_by,
        )
        return self._pages(arguments, self._api.with_options(request_options))

    @staticmethod
    async def _pages(arguments: dict[str, Any], api: AsyncAPI) -> AsyncIterator[ModelEntity]:
        page_number: int | None = 1
        while page_number is not None:
            page = await api.list_models(**{**arguments, "page_number": page_number})
            for voice in page.items:
                yield voice
            page_number = _next_page_number(page, page_number, arguments["page_size"])

    async def get(self, voice_id: str, *, request_options: RequestOptions | None = None) -> ModelEntity:
        """One voice by id; see :meth:`VoicesClient.get`."""
        return await self._api.with_options(request_options).get_model(require_text("voice_id", voice_id))

    async def create(
        self,
        *,
        title: str,
        voices: Sequence[bytes],
        description: str | None = None,
        texts: Sequence[str] | None = None,
        tags: Sequence[str] | None = None,
        cover_image: bytes | None = None,
        visibility: Visibility = "private",
        train_mode: str = "fast",
        enhance_audio_quality: bool = True,
        request_options: RequestOptions | None = None,
    ) -> ModelEntity:
        """Clone a voice; see :meth:`VoicesClient.create`."""
        body = _create_body(
            title=title,
            voices=voices,
            description=description,
            texts=texts,
            tags=tags,
            cover_image=cover_image,
            visibility=visibility,
            train_mode=train_mode,
            enhance_audio_quality=enhance_audio_quality,
        )
        return await self._api.with_options(request_options).create_model(body=body)

    async def update(
        self,
        voice_id: str,
        *,
        title: str | None = None,
        description: str | None = None,
        cover_image: bytes | None = None,
        visibility: Visibility | None = None,
        tags: Sequence[str] | None = None,
        request_options: RequestOptions | None = None,
    ) -> None:
        """Change a voice's metadata; see :meth:`VoicesClient.update`."""
        body = _update_body(
            voice_id,
            title=title,
            description=description,
            cover_image=cover_image,
            visibility=visibility,
            tags=tags,
        )
        await self._api.with_options(request_options).update_model(voice_id, body=body)

    async def delete(self, voice_id: str, *, request_options: RequestOptions | None = None) -> None:
        """Delete a voice."""
        await self._api.with_options(request_options).delete_model(require_text("voice_id", voice_id))

    async def design(
        self,
        *,
        instruction: str,
        reference_text: str | None = None,
        language: str | None = None,
        n: int | None = None,
        seed: int | None = None,
        speed: float | None = None,
        num_step: int | None = None,
        guidance_scale: float | None = None,
        instruct_guidance_scale: float | None = None,
        model: str = VOICE_DESIGN_MODEL_HEADER_DEFAULT,
        request_options: RequestOptions | None = None,
    ) -> builtins.list[VoiceCandidate]:
        """Candidate voices for a description; see :meth:`VoicesClient.design`."""
        body = design_request(
            instruction=instruction,
            reference_text=reference_text,
            language=language,
            n=n,
            speed=speed,
            num_step=num_step,
            guidance_scale=guidance_scale,
            instruct_guidance_scale=instruct_guidance_scale,
            seed=seed,
        )
        api = self._api.with_options(request_options)
        return candidates(await api.voice_design(body=body, model=check_model(model)))
