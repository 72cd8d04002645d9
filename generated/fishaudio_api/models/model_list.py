from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_entity import ModelEntity


T = TypeVar("T", bound="ModelList")


@_attrs_define
class ModelList:
    """One page of models."""

    total: int
    """ Matching models; approximate when `total_is_exact` is false. """
    items: list[ModelEntity]
    max_offset: int | None | Unset = UNSET
    accessible_upper_bound: int | None | Unset = UNSET
    window_limited: bool | Unset = False
    total_is_exact: bool | Unset = True
    has_more: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total = self.total

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        max_offset: int | None | Unset
        if isinstance(self.max_offset, Unset):
            max_offset = UNSET
        else:
            max_offset = self.max_offset

        accessible_upper_bound: int | None | Unset
        if isinstance(self.accessible_upper_bound, Unset):
            accessible_upper_bound = UNSET
        else:
            accessible_upper_bound = self.accessible_upper_bound

        window_limited = self.window_limited

        total_is_exact = self.total_is_exact

        has_more: bool | None | Unset
        if isinstance(self.has_more, Unset):
            has_more = UNSET
        else:
            has_more = self.has_more

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total": total,
                "items": items,
            }
        )
        if max_offset is not UNSET:
            field_dict["max_offset"] = max_offset
        if accessible_upper_bound is not UNSET:
            field_dict["accessible_upper_bound"] = accessible_upper_bound
        if window_limited is not UNSET:
            field_dict["window_limited"] = window_limited
        if total_is_exact is not UNSET:
            field_dict["total_is_exact"] = total_is_exact
        if has_more is not UNSET:
            field_dict["has_more"] = has_more

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_entity import ModelEntity  # noqa: PLC0415

        d = dict(src_dict)
        total = d.pop("total")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ModelEntity.from_dict(items_item_data)

            items.append(items_item)

        def _parse_max_offset(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_offset = _parse_max_offset(d.pop("max_offset", UNSET))

        def _parse_accessible_upper_bound(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        accessible_upper_bound = _parse_accessible_upper_bound(d.pop("accessible_upper_bound", UNSET))

        window_limited = d.pop("window_limited", UNSET)

        total_is_exact = d.pop("total_is_exact", UNSET)

        def _parse_has_more(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        has_more = _parse_has_more(d.pop("has_more", UNSET))

        model_list = cls(
            total=total,
            items=items,
            max_offset=max_offset,
            accessible_upper_bound=accessible_upper_bound,
            window_limited=window_limited,
            total_is_exact=total_is_exact,
            has_more=has_more,
        )

        model_list.additional_properties = d
        return model_list

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
