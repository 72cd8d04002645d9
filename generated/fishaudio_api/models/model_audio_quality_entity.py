from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_audio_quality_entity_quality import ModelAudioQualityEntityQuality


T = TypeVar("T", bound="ModelAudioQualityEntity")


@_attrs_define
class ModelAudioQualityEntity:
    filename: str
    duration_ms: float
    language: str | Unset = "unknown"
    quality: ModelAudioQualityEntityQuality | Unset = UNSET
    quality_passed: bool | Unset = False
    quality_reason: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        filename = self.filename

        duration_ms = self.duration_ms

        language = self.language

        quality: dict[str, Any] | Unset = UNSET
        if not isinstance(self.quality, Unset):
            quality = self.quality.to_dict()

        quality_passed = self.quality_passed

        quality_reason = self.quality_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "filename": filename,
                "duration_ms": duration_ms,
            }
        )
        if language is not UNSET:
            field_dict["language"] = language
        if quality is not UNSET:
            field_dict["quality"] = quality
        if quality_passed is not UNSET:
            field_dict["quality_passed"] = quality_passed
        if quality_reason is not UNSET:
            field_dict["quality_reason"] = quality_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_audio_quality_entity_quality import (
            ModelAudioQualityEntityQuality,  # noqa: PLC0415
        )

        d = dict(src_dict)
        filename = d.pop("filename")

        duration_ms = d.pop("duration_ms")

        language = d.pop("language", UNSET)

        _quality = d.pop("quality", UNSET)
        quality: ModelAudioQualityEntityQuality | Unset
        if isinstance(_quality, Unset):
            quality = UNSET
        else:
            quality = ModelAudioQualityEntityQuality.from_dict(_quality)

        quality_passed = d.pop("quality_passed", UNSET)

        quality_reason = d.pop("quality_reason", UNSET)

        model_audio_quality_entity = cls(
            filename=filename,
            duration_ms=duration_ms,
            language=language,
            quality=quality,
            quality_passed=quality_passed,
            quality_reason=quality_reason,
        )

        model_audio_quality_entity.additional_properties = d
        return model_audio_quality_entity

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
