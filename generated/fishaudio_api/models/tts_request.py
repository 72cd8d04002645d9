from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.audio_format import AudioFormat, check_audio_format
from ..models.latency_mode import LatencyMode, check_latency_mode
from ..models.mp_3_bitrate import Mp3Bitrate, check_mp_3_bitrate
from ..models.opus_bitrate import OpusBitrate, check_opus_bitrate
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.prosody_control import ProsodyControl
    from ..models.reference_audio import ReferenceAudio


T = TypeVar("T", bound="TTSRequest")


@_attrs_define
class TTSRequest:
    """A synthesis request; the same fields serve `/v1/tts`, `/v1/tts/stream/with-timestamp` and the
    `/v1/tts/live` start event. Multi-speaker synthesis (S2 family only) takes a list of `reference_id`s
    (or one list of `references` per speaker) and `<|speaker:N|>` tags in the text.

    """

    text: str
    """ The text to speak; may carry emotion tags and `<|speaker:N|>` tags. """
    temperature: float | Unset = UNSET
    """ Expressiveness; higher varies more. """
    top_p: float | Unset = UNSET
    """ Nucleus sampling diversity. """
    references: list[list[ReferenceAudio] | ReferenceAudio] | None | Unset = UNSET
    """ Inline voice samples (MessagePack only). One speaker: a list of samples. Several speakers (S2 family):
    one list of samples per speaker, in the order of `reference_id`. A request uses one form, not a mix.
     """
    reference_id: list[str] | None | str | Unset = UNSET
    """ A voice model id, or one id per speaker for multi-speaker synthesis. """
    prosody: None | ProsodyControl | Unset = UNSET
    """ Speed and volume. """
    chunk_length: int | Unset = UNSET
    """ Characters per synthesis chunk. """
    normalize: bool | Unset = UNSET
    """ Normalize English and Chinese text (numbers, dates) for more stable speech. """
    format_: AudioFormat | Unset = UNSET
    """ Audio container. `pcm` is headerless 16-bit mono samples. """
    sample_rate: int | None | Unset = UNSET
    """ Sample rate in Hz; null uses the format's default. Each format supports its own rates: see
    `AudioFormat` (`x-formats`).
     """
    mp3_bitrate: Mp3Bitrate | Unset = UNSET
    """ MP3 bitrate in kbps. """
    opus_bitrate: OpusBitrate | Unset = UNSET
    """ Opus bitrate in bits per second; -1000 lets the server choose. """
    latency: LatencyMode | Unset = UNSET
    """ Latency against quality: `normal` is the best quality, `balanced` faster, `low` the fastest. """
    max_new_tokens: int | Unset = UNSET
    """ Maximum audio tokens generated per text chunk. """
    repetition_penalty: float | Unset = UNSET
    """ Above 1 discourages repeated audio patterns. """
    min_chunk_length: int | Unset = UNSET
    """ Minimum characters before a new chunk starts. """
    condition_on_previous_chunks: bool | Unset = UNSET
    """ Condition each chunk on the previous audio, for a consistent voice. """
    early_stop_threshold: float | Unset = UNSET
    """ Early stopping threshold. """
    features: list[str] | Unset = UNSET
    """ Request-scoped backend feature flags, e.g. `["quality-guard"]`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.prosody_control import ProsodyControl  # noqa: PLC0415
        from ..models.reference_audio import ReferenceAudio  # noqa: PLC0415

        text = self.text

        temperature = self.temperature

        top_p = self.top_p

        references: list[dict[str, Any] | list[dict[str, Any]]] | None | Unset
        if isinstance(self.references, Unset):
            references = UNSET
        elif isinstance(self.references, list):
            references = []
            for references_type_0_item_data in self.references:
                references_type_0_item: dict[str, Any] | list[dict[str, Any]]
                if isinstance(references_type_0_item_data, ReferenceAudio):
                    references_type_0_item = references_type_0_item_data.to_dict()
                else:
                    references_type_0_item = []
                    for references_type_0_item_type_1_item_data in references_type_0_item_data:
                        references_type_0_item_type_1_item = references_type_0_item_type_1_item_data.to_dict()
                        references_type_0_item.append(references_type_0_item_type_1_item)

                references.append(references_type_0_item)

        else:
            references = self.references

        reference_id: list[str] | None | str | Unset
        if isinstance(self.reference_id, Unset):
            reference_id = UNSET
        elif isinstance(self.reference_id, list):
            reference_id = self.reference_id

        else:
            reference_id = self.reference_id

        prosody: dict[str, Any] | None | Unset
        if isinstance(self.prosody, Unset):
            prosody = UNSET
        elif isinstance(self.prosody, ProsodyControl):
            prosody = self.prosody.to_dict()
        else:
            prosody = self.prosody

        chunk_length = self.chunk_length

        normalize = self.normalize

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_

        sample_rate: int | None | Unset
        if isinstance(self.sample_rate, Unset):
            sample_rate = UNSET
        else:
            sample_rate = self.sample_rate

        mp3_bitrate: int | Unset = UNSET
        if not isinstance(self.mp3_bitrate, Unset):
            mp3_bitrate = self.mp3_bitrate

        opus_bitrate: int | Unset = UNSET
        if not isinstance(self.opus_bitrate, Unset):
            opus_bitrate = self.opus_bitrate

        latency: str | Unset = UNSET
        if not isinstance(self.latency, Unset):
            latency = self.latency

        max_new_tokens = self.max_new_tokens

        repetition_penalty = self.repetition_penalty

        min_chunk_length = self.min_chunk_length

        condition_on_previous_chunks = self.condition_on_previous_chunks

        early_stop_threshold = self.early_stop_threshold

        features: list[str] | Unset = UNSET
        if not isinstance(self.features, Unset):
            features = self.features

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "text": text,
            }
        )
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if top_p is not UNSET:
            field_dict["top_p"] = top_p
        if references is not UNSET:
            field_dict["references"] = references
        if reference_id is not UNSET:
            field_dict["reference_id"] = reference_id
        if prosody is not UNSET:
            field_dict["prosody"] = prosody
        if chunk_length is not UNSET:
            field_dict["chunk_length"] = chunk_length
        if normalize is not UNSET:
            field_dict["normalize"] = normalize
        if format_ is not UNSET:
            field_dict["format"] = format_
        if sample_rate is not UNSET:
            field_dict["sample_rate"] = sample_rate
        if mp3_bitrate is not UNSET:
            field_dict["mp3_bitrate"] = mp3_bitrate
        if opus_bitrate is not UNSET:
            field_dict["opus_bitrate"] = opus_bitrate
        if latency is not UNSET:
            field_dict["latency"] = latency
        if max_new_tokens is not UNSET:
            field_dict["max_new_tokens"] = max_new_tokens
        if repetition_penalty is not UNSET:
            field_dict["repetition_penalty"] = repetition_penalty
        if min_chunk_length is not UNSET:
            field_dict["min_chunk_length"] = min_chunk_length
        if condition_on_previous_chunks is not UNSET:
            field_dict["condition_on_previous_chunks"] = condition_on_previous_chunks
        if early_stop_threshold is not UNSET:
            field_dict["early_stop_threshold"] = early_stop_threshold
        if features is not UNSET:
            field_dict["features"] = features

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prosody_control import ProsodyControl  # noqa: PLC0415
        from ..models.reference_audio import ReferenceAudio  # noqa: PLC0415

        d = dict(src_dict)
        text = d.pop("text")

        temperature = d.pop("temperature", UNSET)

        top_p = d.pop("top_p", UNSET)

        def _parse_references(data: object) -> list[list[ReferenceAudio] | ReferenceAudio] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                references_type_0 = []
                _references_type_0 = data
                for references_type_0_item_data in _references_type_0:

                    def _parse_references_type_0_item(data: object) -> list[ReferenceAudio] | ReferenceAudio:
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            references_type_0_item_type_0 = ReferenceAudio.from_dict(data)

                            return references_type_0_item_type_0
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        if not isinstance(data, list):
                            raise TypeError()
                        references_type_0_item_type_1 = []
                        _references_type_0_item_type_1 = data
                        for references_type_0_item_type_1_item_data in _references_type_0_item_type_1:
                            references_type_0_item_type_1_item = ReferenceAudio.from_dict(
                                references_type_0_item_type_1_item_data
                            )

                            references_type_0_item_type_1.append(references_type_0_item_type_1_item)

                        return references_type_0_item_type_1

                    references_type_0_item = _parse_references_type_0_item(references_type_0_item_data)

                    references_type_0.append(references_type_0_item)

                return references_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[list[ReferenceAudio] | ReferenceAudio] | None | Unset, data)

        references = _parse_references(d.pop("references", UNSET))

        def _parse_reference_id(data: object) -> list[str] | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                reference_id_type_1 = cast(list[str], data)

                return reference_id_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | str | Unset, data)

        reference_id = _parse_reference_id(d.pop("reference_id", UNSET))

        def _parse_prosody(data: object) -> None | ProsodyControl | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                prosody_type_0 = ProsodyControl.from_dict(data)

                return prosody_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProsodyControl | Unset, data)

        prosody = _parse_prosody(d.pop("prosody", UNSET))

        chunk_length = d.pop("chunk_length", UNSET)

        normalize = d.pop("normalize", UNSET)

        _format_ = d.pop("format", UNSET)
        format_: AudioFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = check_audio_format(_format_)

        def _parse_sample_rate(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        sample_rate = _parse_sample_rate(d.pop("sample_rate", UNSET))

        _mp3_bitrate = d.pop("mp3_bitrate", UNSET)
        mp3_bitrate: Mp3Bitrate | Unset
        if isinstance(_mp3_bitrate, Unset):
            mp3_bitrate = UNSET
        else:
            mp3_bitrate = check_mp_3_bitrate(_mp3_bitrate)

        _opus_bitrate = d.pop("opus_bitrate", UNSET)
        opus_bitrate: OpusBitrate | Unset
        if isinstance(_opus_bitrate, Unset):
            opus_bitrate = UNSET
        else:
            opus_bitrate = check_opus_bitrate(_opus_bitrate)

        _latency = d.pop("latency", UNSET)
        latency: LatencyMode | Unset
        if isinstance(_latency, Unset):
            latency = UNSET
        else:
            latency = check_latency_mode(_latency)

        max_new_tokens = d.pop("max_new_tokens", UNSET)

        repetition_penalty = d.pop("repetition_penalty", UNSET)

        min_chunk_length = d.pop("min_chunk_length", UNSET)

        condition_on_previous_chunks = d.pop("condition_on_previous_chunks", UNSET)

        early_stop_threshold = d.pop("early_stop_threshold", UNSET)

        features = cast(list[str], d.pop("features", UNSET))

        tts_request = cls(
            text=text,
            temperature=temperature,
            top_p=top_p,
            references=references,
            reference_id=reference_id,
            prosody=prosody,
            chunk_length=chunk_length,
            normalize=normalize,
            format_=format_,
            sample_rate=sample_rate,
            mp3_bitrate=mp3_bitrate,
            opus_bitrate=opus_bitrate,
            latency=latency,
            max_new_tokens=max_new_tokens,
            repetition_penalty=repetition_penalty,
            min_chunk_length=min_chunk_length,
            condition_on_previous_chunks=condition_on_previous_chunks,
            early_stop_threshold=early_stop_threshold,
            features=features,
        )

        tts_request.additional_properties = d
        return tts_request

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
