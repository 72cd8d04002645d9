from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_audio_quality_entity import ModelAudioQualityEntity


T = TypeVar("T", bound="ModelQualityEntity")


@_attrs_define
class ModelQualityEntity:
    created_at: datetime.datetime
    updated_at: datetime.datetime
    audios: list[ModelAudioQualityEntity] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        audios: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.audios, Unset):
            audios = []
            for audios_item_data in self.audios:
                audios_item = audios_item_data.to_dict()
                audios.append(audios_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if audios is not UNSET:
            field_dict["audios"] = audios

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_audio_quality_entity import ModelAudioQualityEntity  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at").replace("Z", "+00:00"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at").replace("Z", "+00:00"))

        _audios = d.pop("audios", UNSET)
        audios: list[ModelAudioQualityEntity] | Unset = UNSET
        if _audios is not UNSET:
            audios = []
            for audios_item_data in _audios:
                audios_item = ModelAudioQualityEntity.from_dict(audios_item_data)

                audios.append(audios_item)

        model_quality_entity = cls(
            created_at=created_at,
            updated_at=updated_at,
            audios=audios,
        )

        model_quality_entity.additional_properties = d
        return model_quality_entity

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
