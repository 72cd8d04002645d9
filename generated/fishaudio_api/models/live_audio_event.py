from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, File, Unset

T = TypeVar("T", bound="LiveAudioEvent")


@_attrs_define
class LiveAudioEvent:
    """Server. A chunk of audio in the session's format; concatenate in order."""

    event: Literal["audio"]
    audio: File
    """ Audio bytes (MessagePack bin). """
    time: float | Unset = UNSET
    """ Elapsed server session time in milliseconds, when sent. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event

        audio = (
            self.audio.payload.getvalue()
            if isinstance(self.audio.payload, BytesIO)
            else self.audio.payload.read()
        )

        time = self.time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "audio": audio,
            }
        )
        if time is not UNSET:
            field_dict["time"] = time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event = cast(Literal["audio"], d.pop("event"))
        if event != "audio":
            raise ValueError(f"event must match const 'audio', got '{event}'")

        audio = File(payload=BytesIO(d.pop("audio")))

        time = d.pop("time", UNSET)

        live_audio_event = cls(
            event=event,
            audio=audio,
            time=time,
        )

        live_audio_event.additional_properties = d
        return live_audio_event

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
