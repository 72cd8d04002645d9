"""Reusable synthesis settings (:class:`TTSConfig`), a call's overrides, and the request map they make.

Every value is checked when the object is built, so a bad setting fails at the line that made it,
with a :class:`~fishaudio_ext.exceptions.ValidationError` naming the field, the value and what is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias, TypeGuard

import attrs
from fishaudio_api.models import AudioFormat, LatencyMode, Mp3Bitrate
from fishaudio_api.models import OpusBitrate as OpusBitrateBps

from ._checks import bool_field, check_str, choice_field, describe_choices, invalid, number_field
from ._limits import (
    AUDIO_FORMATS,
    CHUNK_LENGTH,
    EARLY_STOP_THRESHOLD,
    LATENCY_MODES,
    MAX_NEW_TOKENS,
    MIN_CHUNK_LENGTH,
    MP3_BITRATES,
    OPUS_BITRATES_BPS,
    OPUS_KBPS_TO_BPS,
    REPETITION_PENALTY,
    SAMPLE_RATE,
    TEMPERATURE,
    TOP_P,
    OpusBitrate,
)
from ._prosody import Prosody
from ._reference_audio import ReferenceAudio

References: TypeAlias = tuple[ReferenceAudio, ...] | tuple[tuple[ReferenceAudio, ...], ...]
"""Samples of one speaker, or one tuple of samples per speaker."""


def _is_list(value: object) -> TypeGuard[Sequence[object]]:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray, memoryview))


_OPUS_TO_BPS: dict[int, OpusBitrateBps] = {**{bps: bps for bps in OPUS_BITRATES_BPS}, **OPUS_KBPS_TO_BPS}


def _opus_bitrate_bps(value: OpusBitrate) -> OpusBitrateBps:
    if isinstance(value, int) and not isinstance(value, bool) and value in _OPUS_TO_BPS:
        return _OPUS_TO_BPS[value]
    kbps = describe_choices(list(OPUS_KBPS_TO_BPS))
    allowed = f"{describe_choices(OPUS_BITRATES_BPS)} (bps), or {kbps} (kbps)"
    raise invalid("opus_bitrate", value, allowed)


def _reference_ids(value: str | Sequence[str] | None) -> str | tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        check_str("reference_id", value, allow_empty=False)
        return value
    if not _is_list(value) or not value:
        raise invalid("reference_id", value, "a voice id, or a non-empty list of ids (one per speaker)")
    for index, item in enumerate(value):
        check_str(f"reference_id[{index}]", item, allow_empty=False)
    return tuple(value)


def _check_reference(field: str, value: object) -> ReferenceAudio:
    if not isinstance(value, ReferenceAudio):
        raise invalid(field, value, "a ReferenceAudio")
    return value


def _references(value: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]]) -> References:
    allowed = "a list of ReferenceAudio, or one such list per speaker"
    if not _is_list(value):
        raise invalid("references", value, allowed)
    speakers = [item for item in value if _is_list(item)]
    if not speakers:
        return tuple(_check_reference(f"references[{i}]", item) for i, item in enumerate(value))
    if len(speakers) != len(value):
        raise invalid("references", value, allowed, "mixes single samples and per-speaker lists")
    return tuple(
        tuple(_check_reference(f"references[{i}][{j}]", ref) for j, ref in enumerate(samples))
        for i, samples in enumerate(speakers)
    )


def _check_prosody(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, Prosody):
        raise invalid(attribute.name, value, "a Prosody or None")


def _features(value: Sequence[str]) -> tuple[str, ...]:
    if not _is_list(value):
        raise invalid("features", value, "a list of feature names, such as ['quality-guard']")
    for index, item in enumerate(value):
        check_str(f"features[{index}]", item, allow_empty=False)
    return tuple(value)


@attrs.frozen(kw_only=True)
class TTSConfig:
    """Reusable synthesis settings: everything a request carries except its text.

    Defaults are the API's own. Lists are accepted and stored as tuples, so a config can be shared
    safely. Example::

        config = TTSConfig(format="wav", latency="balanced", prosody=Prosody(speed=1.2))
        audio = client.tts.convert(text="Hello!", config=config)

    Attributes:
        format: audio container, ``"wav"``, ``"pcm"`` (headerless 16-bit), ``"mp3"`` or ``"opus"``.
        sample_rate: in Hz; None uses the format's default (44100, or 48000 for opus).
        mp3_bitrate: kbps for mp3: 64, 128 or 192.
        opus_bitrate: bps for opus: -1000 (automatic), 24000, 32000, 48000 or 64000; the kbps values
            24, 32, 48 and 64 of older SDKs are accepted and stored as bps.
        normalize: normalize English and Chinese text (numbers, dates) for steadier speech.
        chunk_length: characters per synthesis chunk, 100 to 300.
        latency: ``"normal"`` (best quality), ``"balanced"`` (faster) or ``"low"`` (fastest).
        reference_id: a voice model id, or one id per speaker (S2 models, ``<|speaker:N|>`` tags).
        references: samples to clone a voice from, or one list of samples per speaker; not a mix.
        prosody: speed and volume; None leaves them to the server.
        top_p: nucleus sampling diversity, 0 to 1.
        temperature: expressiveness, 0 to 1.
        max_new_tokens: maximum audio tokens per text chunk, 1 or more.
        repetition_penalty: 0 or more; above 1 discourages repeated audio patterns.
        min_chunk_length: minimum characters before a new chunk starts, 0 to 100.
        condition_on_previous_chunks: condition each chunk on the previous audio, for a consistent voice.
        early_stop_threshold: early stopping threshold, 0 to 1.
        features: backend feature flags for this request, such as ``["quality-guard"]``.
    """

    format: AudioFormat = attrs.field(default="mp3", validator=choice_field(AUDIO_FORMATS))
    sample_rate: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(number_field(SAMPLE_RATE, integer=True))
    )
    mp3_bitrate: Mp3Bitrate = attrs.field(default=128, validator=choice_field(MP3_BITRATES))
    opus_bitrate: OpusBitrateBps = attrs.field(default=-1000, converter=_opus_bitrate_bps)
    normalize: bool = attrs.field(default=True, validator=bool_field())
    chunk_length: int = attrs.field(default=300, validator=number_field(CHUNK_LENGTH, integer=True))
    latency: LatencyMode = attrs.field(default="normal", validator=choice_field(LATENCY_MODES))
    reference_id: str | tuple[str, ...] | None = attrs.field(default=None, converter=_reference_ids)
    references: References = attrs.field(default=(), converter=_references)
    prosody: Prosody | None = attrs.field(default=None, validator=_check_prosody)
    top_p: float = attrs.field(default=0.7, validator=number_field(TOP_P))
    temperature: float = attrs.field(default=0.7, validator=number_field(TEMPERATURE))
    max_new_tokens: int = attrs.field(default=1024, validator=number_field(MAX_NEW_TOKENS, integer=True))
    repetition_penalty: float = attrs.field(default=1.2, validator=number_field(REPETITION_PENALTY))
    min_chunk_length: int = attrs.field(default=50, validator=number_field(MIN_CHUNK_LENGTH, integer=True))
    condition_on_previous_chunks: bool = attrs.field(default=True, validator=bool_field())
    early_stop_threshold: float = attrs.field(default=1.0, validator=number_field(EARLY_STOP_THRESHOLD))
    features: tuple[str, ...] = attrs.field(default=(), converter=_features)


def with_overrides(
    config: TTSConfig,
    *,
    reference_id: str | Sequence[str] | None = None,
    references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
    format: AudioFormat | None = None,
    latency: LatencyMode | None = None,
    speed: float | None = None,
) -> TTSConfig:
    """Return ``config`` with a call's direct arguments applied; None leaves a setting as it is.

    ``speed`` replaces the prosody's speed and keeps its volume and loudness setting. The result is
    validated like any TTSConfig. Example: ``with_overrides(config, format="wav", speed=1.5)``.

    Raises:
        ValidationError: an override is invalid.
    """
    changes: dict[str, Any] = {}
    if reference_id is not None:
        changes["reference_id"] = reference_id
    if references is not None:
        changes["references"] = references
    if format is not None:
        changes["format"] = format
    if latency is not None:
        changes["latency"] = latency
    if speed is not None:
        changes["prosody"] = Prosody.from_speed_override(speed, config.prosody)
    return attrs.evolve(config, **changes) if changes else config


def _reference_map(reference: ReferenceAudio) -> dict[str, object]:
    return {"audio": reference.audio, "text": reference.text}


def tts_request_payload(text: str, config: TTSConfig) -> dict[str, object]:
    """Return the ``TTSRequest`` map for ``text`` and ``config``, ready for MessagePack.

    Keys are the spec's field names; ``reference_id``, ``sample_rate`` and ``prosody`` are left out when
    None, ``references`` and ``features`` when empty. Audio stays ``bytes`` (MessagePack bin). Empty text
    is allowed: the WebSocket start event carries ``""``.

    Raises:
        ValidationError: ``text`` is not a string.
    """
    check_str("text", text)
    references = [
        _reference_map(item) if isinstance(item, ReferenceAudio) else [_reference_map(r) for r in item]
        for item in config.references
    ]
    ids = config.reference_id
    payload: dict[str, object | None] = {
        "text": text,
        "temperature": config.temperature,
        "top_p": config.top_p,
        "references": references,
        "reference_id": ids if ids is None or isinstance(ids, str) else list(ids),
        "prosody": None if config.prosody is None else attrs.asdict(config.prosody),
        "chunk_length": config.chunk_length,
        "normalize": config.normalize,
        "format": config.format,
        "sample_rate": config.sample_rate,
        "mp3_bitrate": config.mp3_bitrate,
        "opus_bitrate": config.opus_bitrate,
        "latency": config.latency,
        "max_new_tokens": config.max_new_tokens,
        "repetition_penalty": config.repetition_penalty,
        "min_chunk_length": config.min_chunk_length,
        "condition_on_previous_chunks": config.condition_on_previous_chunks,
        "early_stop_threshold": config.early_stop_threshold,
        "features": list(config.features),
    }
    # Unset optional fields are left out rather than sent as nil or [], leaving them to the server.
    return {key: value for key, value in payload.items() if value is not None and value != []}
