from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.validation_issue_in import ValidationIssueIn, check_validation_issue_in
from ..types import UNSET, Unset

T = TypeVar("T", bound="ValidationIssue")


@_attrs_define
class ValidationIssue:
    """One problem found while validating a request."""

    loc: list[int | str]
    """ Where the problem is, e.g. `["body", "prosody", "speed"]`. """
    type_: str
    """ The kind of problem, e.g. `missing` or `less_than_equal`. """
    msg: str
    """ A readable description. """
    ctx: Any | Unset = UNSET
    """ Context of the problem, e.g. the limit that was exceeded. """
    in_: ValidationIssueIn | Unset = UNSET
    """ The part of the request, when not the body. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        loc = []
        for loc_item_data in self.loc:
            loc_item: int | str
            loc_item = loc_item_data
            loc.append(loc_item)

        type_ = self.type_

        msg = self.msg

        ctx = self.ctx

        in_: str | Unset = UNSET
        if not isinstance(self.in_, Unset):
            in_ = self.in_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "loc": loc,
                "type": type_,
                "msg": msg,
            }
        )
        if ctx is not UNSET:
            field_dict["ctx"] = ctx
        if in_ is not UNSET:
            field_dict["in"] = in_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        loc = []
        _loc = d.pop("loc")
        for loc_item_data in _loc:

            def _parse_loc_item(data: object) -> int | str:
                return cast(int | str, data)

            loc_item = _parse_loc_item(loc_item_data)

            loc.append(loc_item)

        type_ = d.pop("type")

        msg = d.pop("msg")

        ctx = d.pop("ctx", UNSET)

        _in_ = d.pop("in", UNSET)
        in_: ValidationIssueIn | Unset
        if isinstance(_in_, Unset):
            in_ = UNSET
        else:
            in_ = check_validation_issue_in(_in_)

        validation_issue = cls(
            loc=loc,
            type_=type_,
            msg=msg,
            ctx=ctx,
            in_=in_,
        )

        validation_issue.additional_properties = d
        return validation_issue

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
