from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ProsodyControl")


@_attrs_define
class ProsodyControl:
    """Speed and loudness of the generated speech."""

    speed: float | Unset = UNSET
    """ Speaking rate multiplier. """
    volume: float | Unset = UNSET
    """ Volume change in dB. """
    normalize_loudness: bool | Unset = UNSET
    """ Normalize perceived loudness (S2 family; accepted and ignored by `s1`). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        speed = self.speed

        volume = self.volume

        normalize_loudness = self.normalize_loudness

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if speed is not UNSET:
            field_dict["speed"] = speed
        if volume is not UNSET:
            field_dict["volume"] = volume
        if normalize_loudness is not UNSET:
            field_dict["normalize_loudness"] = normalize_loudness

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        speed = d.pop("speed", UNSET)

        volume = d.pop("volume", UNSET)

        normalize_loudness = d.pop("normalize_loudness", UNSET)

        prosody_control = cls(
            speed=speed,
            volume=volume,
            normalize_loudness=normalize_loudness,
        )

        prosody_control.additional_properties = d
        return prosody_control

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
