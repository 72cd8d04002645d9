from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tts_timestamp_alignment import TTSTimestampAlignment


T = TypeVar("T", bound="TTSTimestampStreamEvent")


@_attrs_define
class TTSTimestampStreamEvent:
    """The JSON payload of one SSE `message` event of `/v1/tts/stream/with-timestamp`."""

    audio_base64: str
    """ One base64 audio chunk; concatenate in arrival order. """
    content: str
    """ The text the alignment describes. """
    alignment: None | TTSTimestampAlignment
    """ The latest snapshot for `chunk_seq`, or null when none is available yet. """
    chunk_seq: int
    """ Text chunk sequence number. """
    chunk_audio_offset_sec: float
    """ Where this chunk starts in the whole audio, in seconds; add it to segment times. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.tts_timestamp_alignment import TTSTimestampAlignment  # noqa: PLC0415

        audio_base64 = self.audio_base64

        content = self.content

        alignment: dict[str, Any] | None
        if isinstance(self.alignment, TTSTimestampAlignment):
            alignment = self.alignment.to_dict()
        else:
            alignment = self.alignment

        chunk_seq = self.chunk_seq

        chunk_audio_offset_sec = self.chunk_audio_offset_sec

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "audio_base64": audio_base64,
                "content": content,
                "alignment": alignment,
                "chunk_seq": chunk_seq,
                "chunk_audio_offset_sec": chunk_audio_offset_sec,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tts_timestamp_alignment import TTSTimestampAlignment  # noqa: PLC0415

        d = dict(src_dict)
        audio_base64 = d.pop("audio_base64")

        content = d.pop("content")

        def _parse_alignment(data: object) -> None | TTSTimestampAlignment:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                alignment_type_0 = TTSTimestampAlignment.from_dict(data)

                return alignment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TTSTimestampAlignment, data)

        alignment = _parse_alignment(d.pop("alignment"))

        chunk_seq = d.pop("chunk_seq")

        chunk_audio_offset_sec = d.pop("chunk_audio_offset_sec")

        tts_timestamp_stream_event = cls(
            audio_base64=audio_base64,
            content=content,
            alignment=alignment,
            chunk_seq=chunk_seq,
            chunk_audio_offset_sec=chunk_audio_offset_sec,
        )

        tts_timestamp_stream_event.additional_properties = d
        return tts_timestamp_stream_event

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
