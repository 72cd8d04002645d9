from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.asr_segment import ASRSegment


T = TypeVar("T", bound="ASRResponse")


@_attrs_define
class ASRResponse:
    text: str
    """ The whole transcript. """
    duration: float
    """ Duration of the audio, in seconds. """
    segments: list[ASRSegment]
    language_code: None | str | Unset = UNSET
    """ The detected language as an ISO 639-1 code. """
    language: None | str | Unset = UNSET
    """ The detected language's display name, e.g. `English`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        duration = self.duration

        segments = []
        for segments_item_data in self.segments:
            segments_item = segments_item_data.to_dict()
            segments.append(segments_item)

        language_code: None | str | Unset
        if isinstance(self.language_code, Unset):
            language_code = UNSET
        else:
            language_code = self.language_code

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "text": text,
                "duration": duration,
                "segments": segments,
            }
        )
        if language_code is not UNSET:
            field_dict["language_code"] = language_code
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asr_segment import ASRSegment  # noqa: PLC0415

        d = dict(src_dict)
        text = d.pop("text")

        duration = d.pop("duration")

        segments = []
        _segments = d.pop("segments")
        for segments_item_data in _segments:
            segments_item = ASRSegment.from_dict(segments_item_data)

            segments.append(segments_item)

        def _parse_language_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language_code = _parse_language_code(d.pop("language_code", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        asr_response = cls(
            text=text,
            duration=duration,
            segments=segments,
            language_code=language_code,
            language=language,
        )

        asr_response.additional_properties = d
        return asr_response

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
