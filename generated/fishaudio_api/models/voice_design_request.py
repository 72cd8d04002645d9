from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="VoiceDesignRequest")


@_attrs_define
class VoiceDesignRequest:
    """What to design; a field the API does not know is refused (422), not ignored."""

    instruction: str
    """ What the voice should sound like. """
    reference_text: None | str | Unset = UNSET
    """ Text the candidates speak. """
    language: None | str | Unset = UNSET
    """ BCP-47 language hint, e.g. `en`. """
    n: int | Unset = UNSET
    """ Number of candidates. """
    speed: float | Unset = UNSET
    """ Speaking speed of the candidates. """
    num_step: int | Unset = UNSET
    """ Diffusion steps. """
    guidance_scale: float | Unset = UNSET
    """ How strongly the candidates follow the prompt. """
    instruct_guidance_scale: float | Unset = UNSET
    """ Instruction guidance scale. """
    seed: int | None | Unset = UNSET
    """ Seed for reproducible candidates. """

    def to_dict(self) -> dict[str, Any]:
        instruction = self.instruction

        reference_text: None | str | Unset
        if isinstance(self.reference_text, Unset):
            reference_text = UNSET
        else:
            reference_text = self.reference_text

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        n = self.n

        speed = self.speed

        num_step = self.num_step

        guidance_scale = self.guidance_scale

        instruct_guidance_scale = self.instruct_guidance_scale

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "instruction": instruction,
            }
        )
        if reference_text is not UNSET:
            field_dict["reference_text"] = reference_text
        if language is not UNSET:
            field_dict["language"] = language
        if n is not UNSET:
            field_dict["n"] = n
        if speed is not UNSET:
            field_dict["speed"] = speed
        if num_step is not UNSET:
            field_dict["num_step"] = num_step
        if guidance_scale is not UNSET:
            field_dict["guidance_scale"] = guidance_scale
        if instruct_guidance_scale is not UNSET:
            field_dict["instruct_guidance_scale"] = instruct_guidance_scale
        if seed is not UNSET:
            field_dict["seed"] = seed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        instruction = d.pop("instruction")

        def _parse_reference_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference_text = _parse_reference_text(d.pop("reference_text", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        n = d.pop("n", UNSET)

        speed = d.pop("speed", UNSET)

        num_step = d.pop("num_step", UNSET)

        guidance_scale = d.pop("guidance_scale", UNSET)

        instruct_guidance_scale = d.pop("instruct_guidance_scale", UNSET)

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        voice_design_request = cls(
            instruction=instruction,
            reference_text=reference_text,
            language=language,
            n=n,
            speed=speed,
            num_step=num_step,
            guidance_scale=guidance_scale,
            instruct_guidance_scale=instruct_guidance_scale,
            seed=seed,
        )

        return voice_design_request
