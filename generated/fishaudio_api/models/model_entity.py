from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_model_state import KnownModelState, check_known_model_state
from ..models.known_model_type import KnownModelType, check_known_model_type
from ..models.known_pvc_release_state import (
    KnownPVCReleaseState,
    check_known_pvc_release_state,
)
from ..models.known_train_mode import KnownTrainMode, check_known_train_mode
from ..models.visibility import Visibility, check_visibility
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.author_entity import AuthorEntity
    from ..models.model_quality_entity import ModelQualityEntity
    from ..models.sample_entity import SampleEntity


T = TypeVar("T", bound="ModelEntity")


@_attrs_define
class ModelEntity:
    """A voice model."""

    id: str
    """ The model id (32 hex digits), used as `reference_id`. """
    type_: KnownModelType | str
    title: str
    state: KnownModelState | str
    tags: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    visibility: str | Visibility
    like_count: int
    mark_count: int
    shared_count: int
    task_count: int
    author: AuthorEntity
    description: str | Unset = ""
    cover_image: str | Unset = ""
    """ URL or path of the cover image. """
    train_mode: KnownTrainMode | str | Unset = UNSET
    samples: list[SampleEntity] | Unset = UNSET
    languages: list[str] | Unset = UNSET
    lock_visibility: bool | Unset = False
    dmca_taken_down: bool | None | Unset = False
    default_text: str | Unset = ""
    source: None | str | Unset = UNSET
    pvc_release_state: KnownPVCReleaseState | None | str | Unset = UNSET
    pvc_notice_period_months: int | None | Unset = UNSET
    pvc_released_at: datetime.datetime | None | Unset = UNSET
    pvc_retire_requested_at: datetime.datetime | None | Unset = UNSET
    pvc_retire_effective_at: datetime.datetime | None | Unset = UNSET
    quality: ModelQualityEntity | None | Unset = UNSET
    unliked: bool | Unset = False
    liked: bool | Unset = False
    marked: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.model_quality_entity import ModelQualityEntity  # noqa: PLC0415

        id = self.id

        type_: str
        if isinstance(self.type_, str):
            type_ = self.type_
        else:
            type_ = self.type_

        title = self.title

        state: str
        if isinstance(self.state, str):
            state = self.state
        else:
            state = self.state

        tags = self.tags

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        visibility: str
        if isinstance(self.visibility, str):
            visibility = self.visibility
        else:
            visibility = self.visibility

        like_count = self.like_count

        mark_count = self.mark_count

        shared_count = self.shared_count

        task_count = self.task_count

        author = self.author.to_dict()

        description = self.description

        cover_image = self.cover_image

        train_mode: str | Unset
        if isinstance(self.train_mode, Unset):
            train_mode = UNSET
        elif isinstance(self.train_mode, str):
            train_mode = self.train_mode
        else:
            train_mode = self.train_mode

        samples: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.samples, Unset):
            samples = []
            for samples_item_data in self.samples:
                samples_item = samples_item_data.to_dict()
                samples.append(samples_item)

        languages: list[str] | Unset = UNSET
        if not isinstance(self.languages, Unset):
            languages = self.languages

        lock_visibility = self.lock_visibility

        dmca_taken_down: bool | None | Unset
        if isinstance(self.dmca_taken_down, Unset):
            dmca_taken_down = UNSET
        else:
            dmca_taken_down = self.dmca_taken_down

        default_text = self.default_text

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        pvc_release_state: None | str | Unset
        if isinstance(self.pvc_release_state, Unset):
            pvc_release_state = UNSET
        elif isinstance(self.pvc_release_state, str):
            pvc_release_state = self.pvc_release_state
        else:
            pvc_release_state = self.pvc_release_state

        pvc_notice_period_months: int | None | Unset
        if isinstance(self.pvc_notice_period_months, Unset):
            pvc_notice_period_months = UNSET
        else:
            pvc_notice_period_months = self.pvc_notice_period_months

        pvc_released_at: None | str | Unset
        if isinstance(self.pvc_released_at, Unset):
            pvc_released_at = UNSET
        elif isinstance(self.pvc_released_at, datetime.datetime):
            pvc_released_at = self.pvc_released_at.isoformat()
        else:
            pvc_released_at = self.pvc_released_at

        pvc_retire_requested_at: None | str | Unset
        if isinstance(self.pvc_retire_requested_at, Unset):
            pvc_retire_requested_at = UNSET
        elif isinstance(self.pvc_retire_requested_at, datetime.datetime):
            pvc_retire_requested_at = self.pvc_retire_requested_at.isoformat()
        else:
            pvc_retire_requested_at = self.pvc_retire_requested_at

        pvc_retire_effective_at: None | str | Unset
        if isinstance(self.pvc_retire_effective_at, Unset):
            pvc_retire_effective_at = UNSET
        elif isinstance(self.pvc_retire_effective_at, datetime.datetime):
            pvc_retire_effective_at = self.pvc_retire_effective_at.isoformat()
        else:
            pvc_retire_effective_at = self.pvc_retire_effective_at

        quality: dict[str, Any] | None | Unset
        if isinstance(self.quality, Unset):
            quality = UNSET
        elif isinstance(self.quality, ModelQualityEntity):
            quality = self.quality.to_dict()
        else:
            quality = self.quality

        unliked = self.unliked

        liked = self.liked

        marked = self.marked

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "_id": id,
                "type": type_,
                "title": title,
                "state": state,
                "tags": tags,
                "created_at": created_at,
                "updated_at": updated_at,
                "visibility": visibility,
                "like_count": like_count,
                "mark_count": mark_count,
                "shared_count": shared_count,
                "task_count": task_count,
                "author": author,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if cover_image is not UNSET:
            field_dict["cover_image"] = cover_image
        if train_mode is not UNSET:
            field_dict["train_mode"] = train_mode
        if samples is not UNSET:
            field_dict["samples"] = samples
        if languages is not UNSET:
            field_dict["languages"] = languages
        if lock_visibility is not UNSET:
            field_dict["lock_visibility"] = lock_visibility
        if dmca_taken_down is not UNSET:
            field_dict["dmca_taken_down"] = dmca_taken_down
        if default_text is not UNSET:
            field_dict["default_text"] = default_text
        if source is not UNSET:
            field_dict["source"] = source
        if pvc_release_state is not UNSET:
            field_dict["pvc_release_state"] = pvc_release_state
        if pvc_notice_period_months is not UNSET:
            field_dict["pvc_notice_period_months"] = pvc_notice_period_months
        if pvc_released_at is not UNSET:
            field_dict["pvc_released_at"] = pvc_released_at
        if pvc_retire_requested_at is not UNSET:
            field_dict["pvc_retire_requested_at"] = pvc_retire_requested_at
        if pvc_retire_effective_at is not UNSET:
            field_dict["pvc_retire_effective_at"] = pvc_retire_effective_at
        if quality is not UNSET:
            field_dict["quality"] = quality
        if unliked is not UNSET:
            field_dict["unliked"] = unliked
        if liked is not UNSET:
            field_dict["liked"] = liked
        if marked is not UNSET:
            field_dict["marked"] = marked

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.author_entity import AuthorEntity  # noqa: PLC0415
        from ..models.model_quality_entity import ModelQualityEntity  # noqa: PLC0415
        from ..models.sample_entity import SampleEntity  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("_id")

        def _parse_type_(data: object) -> KnownModelType | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_model_type_type_0 = check_known_model_type(data)

                return componentsschemas_model_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KnownModelType | str, data)

        type_ = _parse_type_(d.pop("type"))

        title = d.pop("title")

        def _parse_state(data: object) -> KnownModelState | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_model_state_type_0 = check_known_model_state(data)

                return componentsschemas_model_state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KnownModelState | str, data)

        state = _parse_state(d.pop("state"))

        tags = cast(list[str], d.pop("tags"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at").replace("Z", "+00:00"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at").replace("Z", "+00:00"))

        def _parse_visibility(data: object) -> str | Visibility:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_model_visibility_type_0 = check_visibility(data)

                return componentsschemas_model_visibility_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | Visibility, data)

        visibility = _parse_visibility(d.pop("visibility"))

        like_count = d.pop("like_count")

        mark_count = d.pop("mark_count")

        shared_count = d.pop("shared_count")

        task_count = d.pop("task_count")

        author = AuthorEntity.from_dict(d.pop("author"))

        description = d.pop("description", UNSET)

        cover_image = d.pop("cover_image", UNSET)

        def _parse_train_mode(data: object) -> KnownTrainMode | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_train_mode_type_0 = check_known_train_mode(data)

                return componentsschemas_train_mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KnownTrainMode | str | Unset, data)

        train_mode = _parse_train_mode(d.pop("train_mode", UNSET))

        _samples = d.pop("samples", UNSET)
        samples: list[SampleEntity] | Unset = UNSET
        if _samples is not UNSET:
            samples = []
            for samples_item_data in _samples:
                samples_item = SampleEntity.from_dict(samples_item_data)

                samples.append(samples_item)

        languages = cast(list[str], d.pop("languages", UNSET))

        lock_visibility = d.pop("lock_visibility", UNSET)

        def _parse_dmca_taken_down(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        dmca_taken_down = _parse_dmca_taken_down(d.pop("dmca_taken_down", UNSET))

        default_text = d.pop("default_text", UNSET)

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        def _parse_pvc_release_state(data: object) -> KnownPVCReleaseState | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_pvc_release_state_type_0 = check_known_pvc_release_state(data)

                return componentsschemas_pvc_release_state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KnownPVCReleaseState | None | str | Unset, data)

        pvc_release_state = _parse_pvc_release_state(d.pop("pvc_release_state", UNSET))

        def _parse_pvc_notice_period_months(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pvc_notice_period_months = _parse_pvc_notice_period_months(d.pop("pvc_notice_period_months", UNSET))

        def _parse_pvc_released_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pvc_released_at_type_0 = datetime.datetime.fromisoformat(data.replace("Z", "+00:00"))

                return pvc_released_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        pvc_released_at = _parse_pvc_released_at(d.pop("pvc_released_at", UNSET))

        def _parse_pvc_retire_requested_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pvc_retire_requested_at_type_0 = datetime.datetime.fromisoformat(data.replace("Z", "+00:00"))

                return pvc_retire_requested_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        pvc_retire_requested_at = _parse_pvc_retire_requested_at(d.pop("pvc_retire_requested_at", UNSET))

        def _parse_pvc_retire_effective_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pvc_retire_effective_at_type_0 = datetime.datetime.fromisoformat(data.replace("Z", "+00:00"))

                return pvc_retire_effective_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        pvc_retire_effective_at = _parse_pvc_retire_effective_at(d.pop("pvc_retire_effective_at", UNSET))

        def _parse_quality(data: object) -> ModelQualityEntity | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quality_type_0 = ModelQualityEntity.from_dict(data)

                return quality_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelQualityEntity | None | Unset, data)

        quality = _parse_quality(d.pop("quality", UNSET))

        unliked = d.pop("unliked", UNSET)

        liked = d.pop("liked", UNSET)

        marked = d.pop("marked", UNSET)

        model_entity = cls(
            id=id,
            type_=type_,
            title=title,
            state=state,
            tags=tags,
            created_at=created_at,
            updated_at=updated_at,
            visibility=visibility,
            like_count=like_count,
            mark_count=mark_count,
            shared_count=shared_count,
            task_count=task_count,
            author=author,
            description=description,
            cover_image=cover_image,
            train_mode=train_mode,
            samples=samples,
            languages=languages,
            lock_visibility=lock_visibility,
            dmca_taken_down=dmca_taken_down,
            default_text=default_text,
            source=source,
            pvc_release_state=pvc_release_state,
            pvc_notice_period_months=pvc_notice_period_months,
            pvc_released_at=pvc_released_at,
            pvc_retire_requested_at=pvc_retire_requested_at,
            pvc_retire_effective_at=pvc_retire_effective_at,
            quality=quality,
            unliked=unliked,
            liked=liked,
            marked=marked,
        )

        model_entity.additional_properties = d
        return model_entity

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
