from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VoiceDesignCandidate")


@_attrs_define
class VoiceDesignCandidate:
    id: str
    index: int
    audio_base64: str
    """ WAV bytes, base64. """
    sample_rate: int
    duration_ms: int
    text: None | str | Unset = UNSET
    instruct: None | str | Unset = UNSET
    language: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        index = self.index

        audio_base64 = self.audio_base64

        sample_rate = self.sample_rate

        duration_ms = self.duration_ms

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        instruct: None | str | Unset
        if isinstance(self.instruct, Unset):
            instruct = UNSET
        else:
            instruct = self.instruct

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "index": index,
                "audio_base64": audio_base64,
                "sample_rate": sample_rate,
                "duration_ms": duration_ms,
            }
        )
        if text is not UNSET:
            field_dict["text"] = text
        if instruct is not UNSET:
            field_dict["instruct"] = instruct
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        index = d.pop("index")

        audio_base64 = d.pop("audio_base64")

        sample_rate = d.pop("sample_rate")

        duration_ms = d.pop("duration_ms")

        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))

        def _parse_instruct(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instruct = _parse_instruct(d.pop("instruct", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        voice_design_candidate = cls(
            id=id,
            index=index,
            audio_base64=audio_base64,
            sample_rate=sample_rate,
            duration_ms=duration_ms,
            text=text,
            instruct=instruct,
            language=language,
        )

        voice_design_candidate.additional_properties = d
        return voice_design_candidate

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
