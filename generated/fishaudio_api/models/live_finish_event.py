from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_live_finish_reason import (
    KnownLiveFinishReason,
    check_known_live_finish_reason,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="LiveFinishEvent")


@_attrs_define
class LiveFinishEvent:
    """Server, once per session. The session is over: after `stop` the socket stays open for another `start`; after `error`
    the server closes it.

    """

    event: Literal["finish"]
    reason: KnownLiveFinishReason | str
    """ `stop` when synthesis completed, `error` when it failed. """
    message: str | Unset = UNSET
    """ What went wrong, when the server says (undocumented upstream). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event

        reason: str
        if isinstance(self.reason, str):
            reason = self.reason
        else:
            reason = self.reason

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "reason": reason,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event = cast(Literal["finish"], d.pop("event"))
        if event != "finish":
            raise ValueError(f"event must match const 'finish', got '{event}'")

        def _parse_reason(data: object) -> KnownLiveFinishReason | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_live_finish_reason_type_0 = check_known_live_finish_reason(data)

                return componentsschemas_live_finish_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KnownLiveFinishReason | str, data)

        reason = _parse_reason(d.pop("reason"))

        message = d.pop("message", UNSET)

        live_finish_event = cls(
            event=event,
            reason=reason,
            message=message,
        )

        live_finish_event.additional_properties = d
        return live_finish_event

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
