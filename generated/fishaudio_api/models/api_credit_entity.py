from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="APICreditEntity")


@_attrs_define
class APICreditEntity:
    id: str
    user_id: str
    credit: str
    """ The balance, as a decimal string. """
    created_at: datetime.datetime
    updated_at: datetime.datetime
    cumulative_top_up: str | Unset = UNSET
    """ Everything topped up so far, as a decimal string. """
    has_phone_sha256: bool | Unset = UNSET
    has_free_credit: bool | None | Unset = UNSET
    """ Set only when `check_free_credit` was true. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        user_id = self.user_id

        credit = self.credit

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        cumulative_top_up = self.cumulative_top_up

        has_phone_sha256 = self.has_phone_sha256

        has_free_credit: bool | None | Unset
        if isinstance(self.has_free_credit, Unset):
            has_free_credit = UNSET
        else:
            has_free_credit = self.has_free_credit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "_id": id,
                "user_id": user_id,
                "credit": credit,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if cumulative_top_up is not UNSET:
            field_dict["cumulative_top_up"] = cumulative_top_up
        if has_phone_sha256 is not UNSET:
            field_dict["has_phone_sha256"] = has_phone_sha256
        if has_free_credit is not UNSET:
            field_dict["has_free_credit"] = has_free_credit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("_id")

        user_id = d.pop("user_id")

        credit = d.pop("credit")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at").replace("Z", "+00:00"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at").replace("Z", "+00:00"))

        cumulative_top_up = d.pop("cumulative_top_up", UNSET)

        has_phone_sha256 = d.pop("has_phone_sha256", UNSET)

        def _parse_has_free_credit(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        has_free_credit = _parse_has_free_credit(d.pop("has_free_credit", UNSET))

        api_credit_entity = cls(
            id=id,
            user_id=user_id,
            credit=credit,
            created_at=created_at,
            updated_at=updated_at,
            cumulative_top_up=cumulative_top_up,
            has_phone_sha256=has_phone_sha256,
            has_free_credit=has_free_credit,
        )

        api_credit_entity.additional_properties = d
        return api_credit_entity

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
