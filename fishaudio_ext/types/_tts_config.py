"""Reusable synthesis settings (:class:`TTSConfig`), a call's overrides, and the request they make.

``TTSConfig`` is generated from the spec's ``TTSRequest`` (``fishaudio_api.tts_settings``): every value is
checked when the object is built, so a bad setting fails at the line that made it, with a
:class:`~fishaudio_ext.exceptions.ValidationError` naming the field, the value and what is allowed.
Only what the user set is sent; the spec's defaults are the server's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import attrs
from fishaudio_api.models import AudioFormat, LatencyMode
from fishaudio_api.tts_settings import Prosody, ReferenceAudio, TTSConfig, TTSOverrides, tts_request

from ._checks import invalid

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack is Python 3.11+; never imported at run time


def _with_speed(speed: float, base: Prosody | None) -> Prosody:
    """``base`` with its speed replaced, or a Prosody of that speed alone when there is none."""
    return Prosody(speed=speed) if base is None else attrs.evolve(base, speed=speed)


def with_overrides(
    config: TTSConfig,
    *,
    reference_id: str | Sequence[str] | None = None,
    references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
    format: AudioFormat | None = None,
    latency: LatencyMode | None = None,
    speed: float | None = None,
    **overrides: Unpack[TTSOverrides],
) -> TTSConfig:
    """Return ``config`` with a call's direct arguments applied; None leaves a setting as it is.

    ``speed`` replaces the prosody's speed and keeps its volume and loudness setting; ``overrides`` set
    any other setting for this call. The result is validated like any TTSConfig. Example:
    ``with_overrides(config, format="wav", speed=1.5, chunk_length=200)``.

    Raises:
        ValidationError: ``config`` is not a TTSConfig, or an override is invalid.
    """
    if not isinstance(config, TTSConfig):
        raise invalid("config", config, "a TTSConfig", problem=f"is a {type(config).__name__}")
    if not overrides.keys() <= TTSOverrides.__optional_keys__:
        unknown = min(overrides.keys() - TTSOverrides.__optional_keys__)
        raise TypeError(f"unexpected keyword argument {unknown!r}: not a TTSConfig setting")
    # ``overrides`` is this call's own keyword dict: it can take the direct arguments too.
    changes = cast("dict[str, Any]", overrides)
    if reference_id is not None:
        changes["reference_id"] = reference_id
    if references is not None:
        changes["references"] = references
    if format is not None:
        changes["format"] = format
    if latency is not None:
        changes["latency"] = latency
    if speed is not None:
        changes["prosody"] = _with_speed(speed, changes.get("prosody", config.prosody))
    return attrs.evolve(config, **changes) if changes else config


def tts_request_payload(text: str, config: TTSConfig) -> dict[str, Any]:
    """Return the ``TTSRequest`` map for ``text`` and ``config``, ready for MessagePack.

    It holds the text and exactly the settings the user set, under the spec's field names; audio stays
    ``bytes`` (MessagePack bin). Empty text is allowed: the WebSocket start event carries ``""``.

    Raises:
        ValidationError: ``text`` is not a string.
    """
    return tts_request(config, text=text).to_dict()


__all__ = ["TTSConfig", "TTSOverrides", "tts_request_payload", "with_overrides"]
