from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import File

T = TypeVar("T", bound="ReferenceAudio")


@_attrs_define
class ReferenceAudio:
    """A voice sample and its exact transcript, for zero-shot cloning (10 to 30 s of clean speech works best)."""

    audio: File
    """ WAV, MP3 or FLAC bytes. Sent as MessagePack bin; JSON cannot carry it. """
    text: str
    """ The exact transcript of the sample. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        audio = (
            self.audio.payload.getvalue()
            if isinstance(self.audio.payload, BytesIO)
            else self.audio.payload.read()
        )

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "audio": audio,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        audio = File(payload=BytesIO(d.pop("audio")))

        text = d.pop("text")

        reference_audio = cls(
            audio=audio,
            text=text,
        )

        reference_audio.additional_properties = d
        return reference_audio

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
