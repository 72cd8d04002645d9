from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tts_request import TTSRequest


T = TypeVar("T", bound="LiveStartEvent")


@_attrs_define
class LiveStartEvent:
    """Client, first message. Opens a session with the full synthesis request (`text` is usually empty)."""

    event: Literal["start"]
    request: TTSRequest
    """ A synthesis request; the same fields serve `/v1/tts`, `/v1/tts/stream/with-timestamp` and the
    `/v1/tts/live` start event. Multi-speaker synthesis (S2 family only) takes a list of `reference_id`s
    (or one list of `references` per speaker) and `<|speaker:N|>` tags in the text.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event

        request = self.request.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "request": request,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tts_request import TTSRequest  # noqa: PLC0415

        d = dict(src_dict)
        event = cast(Literal["start"], d.pop("event"))
        if event != "start":
            raise ValueError(f"event must match const 'start', got '{event}'")

        request = TTSRequest.from_dict(d.pop("request"))

        live_start_event = cls(
            event=event,
            request=request,
        )

        live_start_event.additional_properties = d
        return live_start_event

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
