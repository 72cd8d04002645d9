from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="ASRRequest")


@_attrs_define
class ASRRequest:
    audio: File
    """ The audio (MP3, WAV, M4A, OGG, FLAC or AAC). """
    language: str | Unset = UNSET
    """ Optional language hint (ISO 639-1); the language is detected regardless. """
    ignore_timestamps: bool | Unset = UNSET
    """ Skip precise segment timestamps (they add latency to clips under 30 s). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        audio = (
            self.audio.payload.getvalue()
            if isinstance(self.audio.payload, BytesIO)
            else self.audio.payload.read()
        )

        language = self.language

        ignore_timestamps = self.ignore_timestamps

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "audio": audio,
            }
        )
        if language is not UNSET:
            field_dict["language"] = language
        if ignore_timestamps is not UNSET:
            field_dict["ignore_timestamps"] = ignore_timestamps

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("audio", self.audio.to_tuple()))

        if not isinstance(self.language, Unset):
            files.append(("language", (None, str(self.language).encode(), "text/plain")))

        if not isinstance(self.ignore_timestamps, Unset):
            files.append(
                (
                    "ignore_timestamps",
                    (None, ("true" if self.ignore_timestamps else "false").encode(), "text/plain"),
                )
            )

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        audio = File(payload=BytesIO(d.pop("audio")))

        language = d.pop("language", UNSET)

        ignore_timestamps = d.pop("ignore_timestamps", UNSET)

        asr_request = cls(
            audio=audio,
            language=language,
            ignore_timestamps=ignore_timestamps,
        )

        asr_request.additional_properties = d
        return asr_request

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
