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

from .. import types
from ..models.visibility import Visibility, check_visibility
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="CreateModelRequest")


@_attrs_define
class CreateModelRequest:
    type_: Literal["tts"]
    """ Model type; `tts` for text to speech. """
    title: str
    train_mode: Literal["fast"]
    """ `fast`: usable right after creation. """
    voices: list[File]
    """ Voice samples to clone (one file part each). """
    visibility: Visibility | Unset = UNSET
    """ `public` is listed in discovery, `unlist` reachable by link, `private` only for its owner. """
    description: str | Unset = UNSET
    cover_image: File | Unset = UNSET
    texts: list[str] | Unset = UNSET
    """ Transcripts of `voices`, in order; transcribed by the server when omitted. """
    tags: list[str] | Unset = UNSET
    enhance_audio_quality: bool | Unset = UNSET
    """ Clean up the samples before cloning. """
    generate_sample: bool | Unset = UNSET
    """ Generate a sample text for the model. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        title = self.title

        train_mode = self.train_mode

        voices = []
        for voices_item_data in self.voices:
            voices_item = (
                voices_item_data.payload.getvalue()
                if isinstance(voices_item_data.payload, BytesIO)
                else voices_item_data.payload.read()
            )

            voices.append(voices_item)

        visibility: str | Unset = UNSET
        if not isinstance(self.visibility, Unset):
            visibility = self.visibility

        description = self.description

        cover_image: bytes | Unset = UNSET
        if not isinstance(self.cover_image, Unset):
            cover_image = (
                self.cover_image.payload.getvalue()
                if isinstance(self.cover_image.payload, BytesIO)
                else self.cover_image.payload.read()
            )

        texts: list[str] | Unset = UNSET
        if not isinstance(self.texts, Unset):
            texts = self.texts

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        enhance_audio_quality = self.enhance_audio_quality

        generate_sample = self.generate_sample

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "title": title,
                "train_mode": train_mode,
                "voices": voices,
            }
        )
        if visibility is not UNSET:
            field_dict["visibility"] = visibility
        if description is not UNSET:
            field_dict["description"] = description
        if cover_image is not UNSET:
            field_dict["cover_image"] = cover_image
        if texts is not UNSET:
            field_dict["texts"] = texts
        if tags is not UNSET:
            field_dict["tags"] = tags
        if enhance_audio_quality is not UNSET:
            field_dict["enhance_audio_quality"] = enhance_audio_quality
        if generate_sample is not UNSET:
            field_dict["generate_sample"] = generate_sample

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("type", (None, self.type_, "text/plain")))

        files.append(("title", (None, str(self.title).encode(), "text/plain")))

        files.append(("train_mode", (None, self.train_mode, "text/plain")))

        for voices_item_element in self.voices:
            files.append(("voices", voices_item_element.to_tuple()))

        if not isinstance(self.visibility, Unset):
            files.append(("visibility", (None, str(self.visibility).encode(), "text/plain")))

        if not isinstance(self.description, Unset):
            files.append(("description", (None, str(self.description).encode(), "text/plain")))

        if not isinstance(self.cover_image, Unset):
            files.append(("cover_image", self.cover_image.to_tuple()))

        if not isinstance(self.texts, Unset):
            for texts_item_element in self.texts:
                files.append(("texts", (None, str(texts_item_element).encode(), "text/plain")))

        if not isinstance(self.tags, Unset):
            for tags_item_element in self.tags:
                files.append(("tags", (None, str(tags_item_element).encode(), "text/plain")))

        if not isinstance(self.enhance_audio_quality, Unset):
            files.append(
                (
                    "enhance_audio_quality",
                    (None, ("true" if self.enhance_audio_quality else "false").encode(), "text/plain"),
                )
            )

        if not isinstance(self.generate_sample, Unset):
            files.append(
                (
                    "generate_sample",
                    (None, ("true" if self.generate_sample else "false").encode(), "text/plain"),
                )
            )

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["tts"], d.pop("type"))
        if type_ != "tts":
            raise ValueError(f"type must match const 'tts', got '{type_}'")

        title = d.pop("title")

        train_mode = cast(Literal["fast"], d.pop("train_mode"))
        if train_mode != "fast":
            raise ValueError(f"train_mode must match const 'fast', got '{train_mode}'")

        voices = []
        _voices = d.pop("voices")
        for voices_item_data in _voices:
            voices_item = File(payload=BytesIO(voices_item_data))

            voices.append(voices_item)

        _visibility = d.pop("visibility", UNSET)
        visibility: Visibility | Unset
        if isinstance(_visibility, Unset):
            visibility = UNSET
        else:
            visibility = check_visibility(_visibility)

        description = d.pop("description", UNSET)

        _cover_image = d.pop("cover_image", UNSET)
        cover_image: File | Unset
        if isinstance(_cover_image, Unset):
            cover_image = UNSET
        else:
            cover_image = File(payload=BytesIO(_cover_image))

        texts = cast(list[str], d.pop("texts", UNSET))

        tags = cast(list[str], d.pop("tags", UNSET))

        enhance_audio_quality = d.pop("enhance_audio_quality", UNSET)

        generate_sample = d.pop("generate_sample", UNSET)

        create_model_request = cls(
            type_=type_,
            title=title,
            train_mode=train_mode,
            voices=voices,
            visibility=visibility,
            description=description,
            cover_image=cover_image,
            texts=texts,
            tags=tags,
            enhance_audio_quality=enhance_audio_quality,
            generate_sample=generate_sample,
        )

        create_model_request.additional_properties = d
        return create_model_request

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
