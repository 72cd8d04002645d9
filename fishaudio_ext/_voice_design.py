"""Voice design: candidate voices from a description, checked before sending, their audio decoded.

The API refuses a field it does not know (and the request is billed once, whatever ``n``), so every field
is checked against the spec's bounds here, before anything is sent.
"""

from __future__ import annotations

import base64
import binascii
import os
from typing import Any

import attrs
from fishaudio_api.facts import (
    VOICE_DESIGN_REQUEST_GUIDANCE_SCALE_BOUNDS,
    VOICE_DESIGN_REQUEST_INSTRUCT_GUIDANCE_SCALE_BOUNDS,
    VOICE_DESIGN_REQUEST_INSTRUCTION_LENGTH,
    VOICE_DESIGN_REQUEST_N_BOUNDS,
    VOICE_DESIGN_REQUEST_NUM_STEP_BOUNDS,
    VOICE_DESIGN_REQUEST_REFERENCE_TEXT_LENGTH,
    VOICE_DESIGN_REQUEST_SPEED_BOUNDS,
)
from fishaudio_api.models import VoiceDesignRequest, VoiceDesignResponse
from fishaudio_api.settings_checks import Bounds, check_number

from ._audio_bytes import AudioBytes
from ._unset import unset_if_none
from .exceptions import APIResponseValidationError, ValidationError
from .types._checks import check_str


@attrs.frozen
class VoiceCandidate:
    """One designed voice: its WAV audio (speaking ``text``) and what the API said about it.

    Keep it as a voice of your own with ``client.voices.create(title=..., voices=[candidate.audio],
    texts=[candidate.text])``.
    """

    id: str
    index: int
    audio: AudioBytes
    sample_rate: int
    duration_ms: int
    text: str | None
    instruct: str | None
    language: str | None

    def save(self, filename: str | os.PathLike[str]) -> None:
        """Write the candidate's audio to ``filename`` (a ``.wav``)."""
        from .utils import save

        save(self.audio, filename)


def _check_length(field: str, value: str, bounds: Bounds) -> None:
    check_str(field, value)
    if len(value) not in bounds:
        raise ValidationError(
            f"{field} is {len(value)} characters long: allowed {bounds} characters",
            field=field,
            value=value,
            allowed=f"{bounds} characters",
        )


def design_request(
    *,
    instruction: str,
    reference_text: str | None,
    language: str | None,
    n: int | None,
    speed: float | None,
    num_step: int | None,
    guidance_scale: float | None,
    instruct_guidance_scale: float | None,
    seed: int | None,
) -> VoiceDesignRequest:
    """The request body, every field checked against the spec; a field left None is not sent."""
    _check_length("instruction", instruction, VOICE_DESIGN_REQUEST_INSTRUCTION_LENGTH)
    if not instruction.strip():
        raise ValidationError(
            "instruction is blank: describe the voice", field="instruction", value=instruction
        )
    if reference_text is not None:
        _check_length("reference_text", reference_text, VOICE_DESIGN_REQUEST_REFERENCE_TEXT_LENGTH)
    if language is not None:
        check_str("language", language, allow_empty=False)
    numbers: list[tuple[str, Any, Bounds, bool]] = [
        ("n", n, VOICE_DESIGN_REQUEST_N_BOUNDS, True),
        ("speed", speed, VOICE_DESIGN_REQUEST_SPEED_BOUNDS, False),
        ("num_step", num_step, VOICE_DESIGN_REQUEST_NUM_STEP_BOUNDS, True),
        ("guidance_scale", guidance_scale, VOICE_DESIGN_REQUEST_GUIDANCE_SCALE_BOUNDS, False),
        (
            "instruct_guidance_scale",
            instruct_guidance_scale,
            VOICE_DESIGN_REQUEST_INSTRUCT_GUIDANCE_SCALE_BOUNDS,
            False,
        ),
        ("seed", seed, Bounds(), True),
    ]
    for field, value, bounds, integer in numbers:
        if value is not None:
            check_number(field, value, bounds, integer=integer)
    return VoiceDesignRequest(
        instruction=instruction,
        reference_text=unset_if_none(reference_text),
        language=unset_if_none(language),
        n=unset_if_none(n),
        speed=unset_if_none(speed),
        num_step=unset_if_none(num_step),
        guidance_scale=unset_if_none(guidance_scale),
        instruct_guidance_scale=unset_if_none(instruct_guidance_scale),
        seed=unset_if_none(seed),
    )


def check_model(model: object) -> str:
    """The ``model`` header's value: a non-empty string."""
    check_str("model", model, allow_empty=False)
    assert isinstance(model, str)
    return model


def candidates(response: VoiceDesignResponse) -> list[VoiceCandidate]:
    """The candidates of an answer, their audio decoded."""
    result = []
    for candidate in response.candidates:
        try:
            audio = base64.b64decode(candidate.audio_base64, validate=True)
        except binascii.Error as error:
            raise APIResponseValidationError(
                200, f"voice design candidate {candidate.index} has audio that is not base64: {error}", None
            ) from None
        result.append(
            VoiceCandidate(
                id=candidate.id,
                index=candidate.index,
                audio=AudioBytes(audio),
                sample_rate=candidate.sample_rate,
                duration_ms=candidate.duration_ms,
                text=_optional(candidate.text),
                instruct=_optional(candidate.instruct),
                language=_optional(candidate.language),
            )
        )
    return result


def _optional(value: object) -> str | None:
    return value if isinstance(value, str) else None
