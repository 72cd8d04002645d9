"""Unit tests for the request-side types: TTSConfig, Prosody, ReferenceAudio, events, model names, payload."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path
from typing import Any

import attrs
import msgpack
import pytest
import yaml
from fishaudio_api import facts
from fishaudio_api import models as api
from fishaudio_api.tts_settings import tts_request

import fishaudio_ext
import fishaudio_ext.types as types_module
from fishaudio_ext.exceptions import ValidationError
from fishaudio_ext.types import FlushEvent, Prosody, ReferenceAudio, TextEvent, TTSConfig
from fishaudio_ext.types._limits import Bounds
from fishaudio_ext.types._model import DEFAULT_MODEL, check_model
from fishaudio_ext.types._tts_config import tts_request_payload, with_overrides

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
SCHEMAS: dict[str, Any] = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text())["components"][
    "schemas"
]
TTS_REQUEST = SCHEMAS["TTSRequest"]["properties"]
PROSODY = SCHEMAS["ProsodyControl"]["properties"]

AUDIO_FORMATS = facts.AUDIO_FORMAT_VALUES
LATENCY_MODES = facts.LATENCY_MODE_VALUES
MP3_BITRATES = facts.MP3_BITRATE_VALUES
OPUS_BITRATES_BPS = facts.OPUS_BITRATE_VALUES
OPUS_KBPS_TO_BPS = facts.OPUS_LEGACY_KBPS
KNOWN_MODELS = facts.KNOWN_TTS_MODEL_VALUES
DEPRECATED_MODELS = facts.DEPRECATED_TTS_MODELS


def _emitted_bounds(prefix: str) -> dict[str, Bounds]:
    """The bounds ``fishaudio_api.facts`` emits for one schema's fields, by field name."""
    return {
        name[len(prefix) : -len("_BOUNDS")].lower(): value
        for name, value in vars(facts).items()
        if name.startswith(prefix) and name.endswith("_BOUNDS")
    }


TTS_REQUEST_BOUNDS = _emitted_bounds("TTS_REQUEST_")
PROSODY_BOUNDS = _emitted_bounds("PROSODY_CONTROL_")


def _field_names(cls: type) -> set[str]:
    """The names a settings class takes (stored behind an underscore, which keeps set and unset apart)."""
    return {field.name.lstrip("_") for field in attrs.fields(cls)}


SAMPLE = ReferenceAudio(audio=b"RIFF\x00\x01secret-audio", text="A short sample.")
OTHER_SAMPLE = ReferenceAudio(audio=b"ID3\x04more-audio", text="Another sample.")


def _plain(value: object) -> object:
    """Tuples as lists, so stored values compare with the spec's JSON values."""
    return [_plain(item) for item in value] if isinstance(value, tuple) else value


def _enum(name: str) -> list[object]:
    return list(SCHEMAS[name]["enum"])


def _raises(match_parts: tuple[str, ...]) -> Any:
    return pytest.raises(ValidationError, match=".*".join(re.escape(part) for part in match_parts))


# --- the constants mirror the spec ----------------------------------------------------------------


def test_tts_config_has_every_request_field_but_text() -> None:
    assert _field_names(TTSConfig) == set(TTS_REQUEST) - {"text"}


def test_tts_config_defaults_are_the_spec_defaults() -> None:
    config = TTSConfig()
    with_default = {name: prop["default"] for name, prop in TTS_REQUEST.items() if "default" in prop}
    assert with_default  # the spec still declares defaults
    for name, default in with_default.items():
        assert _plain(getattr(config, name)) == default, name
    for name in set(TTS_REQUEST) - set(with_default) - {"text"}:
        assert getattr(config, name) in (None, ()), name


def test_prosody_fields_and_defaults_are_the_spec_ones() -> None:
    assert _field_names(Prosody) == set(PROSODY)
    for name, prop in PROSODY.items():
        assert getattr(Prosody(), name) == prop["default"], name


@pytest.mark.parametrize(
    ("properties", "bounds"), [(TTS_REQUEST, TTS_REQUEST_BOUNDS), (PROSODY, PROSODY_BOUNDS)]
)
def test_bounds_are_the_spec_bounds(properties: dict[str, Any], bounds: dict[str, Bounds]) -> None:
    in_spec = {
        name: Bounds(prop.get("minimum"), prop.get("maximum"))
        for name, prop in properties.items()
        if "minimum" in prop or "maximum" in prop
    }
    assert in_spec == bounds
    assert bounds  # the emitted facts are found


@pytest.mark.parametrize(
    ("schema", "values"),
    [
        ("AudioFormat", AUDIO_FORMATS),
        ("LatencyMode", LATENCY_MODES),
        ("Mp3Bitrate", MP3_BITRATES),
        ("OpusBitrate", OPUS_BITRATES_BPS),
        ("KnownTTSModel", KNOWN_MODELS),
    ],
)
def test_allowed_values_are_the_spec_enums(schema: str, values: tuple[object, ...]) -> None:
    assert list(values) == _enum(schema)


def test_enum_fields_point_at_the_mirrored_schemas() -> None:
    for name, schema in [
        ("format", "AudioFormat"),
        ("latency", "LatencyMode"),
        ("mp3_bitrate", "Mp3Bitrate"),
        ("opus_bitrate", "OpusBitrate"),
    ]:
        assert TTS_REQUEST[name]["allOf"] == [{"$ref": f"#/components/schemas/{schema}"}]


def test_deprecated_models_are_known_and_point_at_a_current_model() -> None:
    assert set(DEPRECATED_MODELS) == {"speech-1.5", "speech-1.6"}
    assert set(DEPRECATED_MODELS) <= set(KNOWN_MODELS)
    for replacement in DEPRECATED_MODELS.values():
        assert replacement in KNOWN_MODELS
        assert replacement not in DEPRECATED_MODELS
    assert DEFAULT_MODEL == "s1"


def test_reference_audio_fields_are_the_spec_ones() -> None:
    assert {f.name for f in attrs.fields(ReferenceAudio)} == set(SCHEMAS["ReferenceAudio"]["required"])


# --- ranges --------------------------------------------------------------------------------------

INTEGER_FIELDS = {"chunk_length", "max_new_tokens", "min_chunk_length", "sample_rate"}
BOUNDED = [("TTSConfig", name, bounds) for name, bounds in TTS_REQUEST_BOUNDS.items()] + [
    ("Prosody", name, bounds) for name, bounds in PROSODY_BOUNDS.items()
]


def _build(owner: str, name: str, value: Any) -> object:
    return TTSConfig(**{name: value}) if owner == "TTSConfig" else Prosody(**{name: value})


@pytest.mark.parametrize(("owner", "name", "bounds"), BOUNDED)
def test_range_boundaries_are_accepted(owner: str, name: str, bounds: Bounds) -> None:
    for value in (bounds.minimum, bounds.maximum):
        if value is not None:
            assert getattr(_build(owner, name, value), name) == value


@pytest.mark.parametrize(("owner", "name", "bounds"), BOUNDED)
def test_values_just_outside_the_range_are_rejected(owner: str, name: str, bounds: Bounds) -> None:
    step = 1 if name in INTEGER_FIELDS else 0.01
    field = name if owner == "TTSConfig" else f"prosody.{name}"
    outside = [bounds.minimum - step] if bounds.minimum is not None else []
    outside += [bounds.maximum + step] if bounds.maximum is not None else []
    assert outside
    for value in outside:
        with _raises((f"{field}={value!r}", "out of range", str(bounds))) as caught:
            _build(owner, name, value)
        assert (caught.value.field, caught.value.value, caught.value.allowed) == (field, value, str(bounds))


def test_range_message_reads_well() -> None:
    with pytest.raises(ValidationError) as caught:
        TTSConfig(chunk_length=99)
    assert str(caught.value) == "chunk_length=99 is out of range: allowed 100 to 300"
    with pytest.raises(ValidationError) as caught:
        Prosody(speed=2.5)
    assert str(caught.value) == "prosody.speed=2.5 is out of range: allowed 0.5 to 2.0"
    with pytest.raises(ValidationError) as caught:
        TTSConfig(max_new_tokens=0)
    assert str(caught.value) == "max_new_tokens=0 is out of range: allowed 1 or more"


def test_sample_rate_is_a_positive_int_or_none() -> None:
    assert TTSConfig(sample_rate=24000).sample_rate == 24000
    assert TTSConfig(sample_rate=None).sample_rate is None
    with _raises(("sample_rate=0", "1 or more")):
        TTSConfig(sample_rate=0)


# --- wrong types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("chunk_length", 200.0),
        ("chunk_length", True),
        ("chunk_length", "200"),
        ("max_new_tokens", None),
        ("min_chunk_length", 50.5),
        ("top_p", "0.5"),
        ("top_p", math.nan),
        ("temperature", math.inf),
        ("repetition_penalty", -math.inf),
        ("early_stop_threshold", False),
        ("sample_rate", 44100.0),
        ("sample_rate", True),
        ("normalize", 1),
        ("condition_on_previous_chunks", "yes"),
        ("format", "flac"),
        ("format", None),
        ("latency", "fast"),
        ("mp3_bitrate", 128.0),
        ("mp3_bitrate", 320),
        ("opus_bitrate", 33),
        ("opus_bitrate", 64.0),
        ("opus_bitrate", "auto"),
        ("reference_id", ""),
        ("reference_id", []),
        ("reference_id", 5),
        ("references", "sample.wav"),
        ("references", SAMPLE),
        ("prosody", {"speed": 1.2}),
        ("features", "quality-guard"),
        ("features", None),
    ],
)
def test_wrong_values_for_tts_config_are_rejected(name: str, value: Any) -> None:
    with _raises((f"{name}={value!r}", "allowed")) as caught:
        TTSConfig(**{name: value})
    assert caught.value.field == name
    assert caught.value.value is value
    assert caught.value.allowed


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reference_id": ["voice-a", ""]}, "reference_id[1]"),
        ({"reference_id": ["voice-a", 7]}, "reference_id[1]"),
        ({"features": ["quality-guard", 1]}, "features[1]"),
        ({"references": [SAMPLE, b"raw"]}, "references[1]"),
        ({"references": [[SAMPLE], [OTHER_SAMPLE, "x"]]}, "references[1][1]"),
    ],
)
def test_bad_list_items_are_named_by_index(kwargs: dict[str, Any], field: str) -> None:
    with _raises((f"{field}=",)) as caught:
        TTSConfig(**kwargs)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("name", "value"),
    [("speed", "fast"), ("speed", True), ("volume", math.nan), ("normalize_loudness", None)],
)
def test_wrong_values_for_prosody_are_rejected(name: str, value: Any) -> None:
    with _raises((f"prosody.{name}={value!r}",)) as caught:
        Prosody(**{name: value})
    assert caught.value.field == f"prosody.{name}"


def test_ints_are_accepted_for_float_fields() -> None:
    config = TTSConfig(top_p=1, temperature=0, repetition_penalty=2, early_stop_threshold=0)
    assert (config.top_p, config.temperature) == (1, 0)
    assert Prosody(speed=2, volume=-5).volume == -5


def test_values_are_keyword_only_and_frozen() -> None:
    with pytest.raises(TypeError):
        TTSConfig("mp3")  # type: ignore[call-arg]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        TTSConfig().format = "wav"  # type: ignore[misc]


# --- opus bitrate --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"), [*OPUS_KBPS_TO_BPS.items(), *((b, b) for b in OPUS_BITRATES_BPS)]
)
def test_opus_bitrate_is_stored_in_bps(given: Any, stored: int) -> None:
    config = TTSConfig(opus_bitrate=given)
    assert config.opus_bitrate == stored
    assert tts_request_payload("hi", config)["opus_bitrate"] == stored


def test_opus_bitrate_error_lists_both_units() -> None:
    with pytest.raises(ValidationError) as caught:
        TTSConfig(opus_bitrate=96)  # type: ignore[arg-type]
    assert caught.value.allowed == "-1000, 24000, 32000, 48000 or 64000 (bps), or 24, 32, 48 or 64 (kbps)"


# --- references and multi-speaker ----------------------------------------------------------------


def test_reference_audio_accepts_bytes_like_and_stores_bytes() -> None:
    for audio in (b"abc", bytearray(b"abc"), memoryview(b"abc")):
        stored = ReferenceAudio(audio=audio, text="").audio
        assert stored == b"abc"
        assert type(stored) is bytes


@pytest.mark.parametrize(("audio", "text"), [(b"", "x"), ("sample.wav", "x"), (None, "x"), (b"abc", None)])
def test_reference_audio_rejects_bad_values(audio: Any, text: Any) -> None:
    with pytest.raises(ValidationError):
        ReferenceAudio(audio=audio, text=text)


def test_reference_audio_repr_shows_the_length_not_the_bytes() -> None:
    assert repr(SAMPLE) == f"ReferenceAudio(audio=<{len(SAMPLE.audio)} bytes>, text='A short sample.')"
    assert "secret" not in repr(TTSConfig(references=[SAMPLE]))


def test_single_speaker_references_are_stored_flat() -> None:
    config = TTSConfig(references=[SAMPLE, OTHER_SAMPLE], reference_id="voice-a")
    assert config.references == (SAMPLE, OTHER_SAMPLE)
    assert config.reference_id == "voice-a"


def test_multi_speaker_forms_are_stored_per_speaker() -> None:
    config = TTSConfig(reference_id=["voice-a", "voice-b"], references=[[SAMPLE], (OTHER_SAMPLE, SAMPLE), []])
    assert config.reference_id == ("voice-a", "voice-b")
    assert config.references == ((SAMPLE,), (OTHER_SAMPLE, SAMPLE), ())


@pytest.mark.parametrize("mixed", [[SAMPLE, [OTHER_SAMPLE]], [[SAMPLE], OTHER_SAMPLE]])
def test_mixing_reference_forms_is_rejected(mixed: list[Any]) -> None:
    with _raises(("references=", "mixes single samples and per-speaker lists")) as caught:
        TTSConfig(references=mixed)
    assert caught.value.field == "references"


def test_lists_are_copied_so_later_changes_do_not_leak_in() -> None:
    ids = ["voice-a"]
    features = ["quality-guard"]
    config = TTSConfig(reference_id=ids, features=features)
    ids.append("voice-b")
    features.clear()
    assert config.reference_id == ("voice-a",)
    assert config.features == ("quality-guard",)
    assert hash(config) == hash(TTSConfig(reference_id=("voice-a",), features=("quality-guard",)))


# --- overrides -----------------------------------------------------------------------------------


def test_no_override_returns_the_config_itself() -> None:
    config = TTSConfig(format="wav")
    assert with_overrides(config) is config


def test_overrides_replace_fields_and_leave_the_original_alone() -> None:
    config = TTSConfig(format="wav", latency="balanced", reference_id="voice-a", chunk_length=200)
    changed = with_overrides(
        config, reference_id=["voice-b", "voice-c"], references=[SAMPLE], format="opus", latency="low"
    )
    assert (changed.reference_id, changed.references) == (("voice-b", "voice-c"), (SAMPLE,))
    assert (changed.format, changed.latency, changed.chunk_length) == ("opus", "low", 200)
    assert (config.format, config.reference_id, config.references) == ("wav", "voice-a", ())


def test_speed_override_keeps_volume_and_loudness() -> None:
    config = TTSConfig(prosody=Prosody(speed=0.8, volume=-5, normalize_loudness=False))
    assert with_overrides(config, speed=1.5).prosody == Prosody(
        speed=1.5, volume=-5, normalize_loudness=False
    )
    assert with_overrides(TTSConfig(), speed=1.5).prosody == Prosody(speed=1.5)


def test_overrides_are_validated() -> None:
    with _raises(("prosody.speed=3.0",)):
        with_overrides(TTSConfig(), speed=3.0)
    with _raises(("format='flac'",)):
        with_overrides(TTSConfig(), format="flac")  # type: ignore[arg-type]


def test_speed_override_applies_to_a_prosody_override_of_the_same_call() -> None:
    changed = with_overrides(TTSConfig(prosody=Prosody(volume=-3)), prosody=Prosody(volume=4), speed=1.3)
    assert changed.prosody == Prosody(speed=1.3, volume=4)


def test_any_setting_can_be_overridden_by_name_and_is_validated() -> None:
    config = TTSConfig(format="wav", chunk_length=200)
    changed = with_overrides(config, chunk_length=150, temperature=0.2, opus_bitrate=32)
    assert (changed.chunk_length, changed.temperature, changed.opus_bitrate) == (150, 0.2, 32000)
    assert changed.format == "wav"
    with _raises(("chunk_length=99", "out of range")):
        with_overrides(config, chunk_length=99)


def test_an_unknown_override_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'chunk_lenght'"):
        with_overrides(TTSConfig(), chunk_lenght=200)  # type: ignore[call-arg]


# --- model names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["s1", "s2-pro", "s2.1-pro", "s2.1-pro-free", "s3-turbo-2027"])
def test_current_and_unknown_models_pass_without_warning(model: str) -> None:
    assert check_model(model) == model


@pytest.mark.parametrize("model", sorted(DEPRECATED_MODELS))
def test_deprecated_model_warns_at_the_callers_line(model: str) -> None:
    with pytest.warns(DeprecationWarning, match=rf"{re.escape(model)}.*deprecated.*'s1'") as record:
        assert check_model(model) == model
    assert [Path(w.filename) for w in record] == [Path(__file__)]


def test_deprecation_warning_skips_frames_inside_the_package() -> None:
    # A stand-in for a client method: code whose file lies inside fishaudio_ext.
    inside = Path(fishaudio_ext.__file__).parent / "_client_stand_in.py"
    namespace: dict[str, Any] = {"check_model": check_model}
    exec(compile("def convert(model):\n    return check_model(model)\n", str(inside), "exec"), namespace)
    with pytest.warns(DeprecationWarning, match="speech-1.6") as record:
        namespace["convert"]("speech-1.6")
    assert Path(record[0].filename) == Path(__file__)


@pytest.mark.parametrize("model", ["", " s1", "s1 ", "s1\r\nx-injected: 1", "s1\x00", "modèle", 1, None])
def test_models_that_cannot_be_sent_are_rejected(model: Any) -> None:
    with _raises((f"model={model!r}",)) as caught:
        check_model(model)
    assert caught.value.field == "model"


# --- payload -------------------------------------------------------------------------------------

FULL = TTSConfig(
    format="opus",
    sample_rate=48000,
    opus_bitrate=32,
    reference_id="voice-a",
    references=[SAMPLE],
    prosody=Prosody(speed=1.2, volume=-5),
    features=["quality-guard"],
    temperature=0.5,
    top_p=0.8,
    chunk_length=200,
    normalize=False,
    mp3_bitrate=192,
    latency="balanced",
    max_new_tokens=512,
    repetition_penalty=1.1,
    min_chunk_length=20,
    condition_on_previous_chunks=False,
    early_stop_threshold=0.9,
)


def test_default_payload_holds_only_the_text() -> None:
    # The spec's defaults are the server's business: a request carries only what the user set.
    assert tts_request_payload("Hello", TTSConfig()) == {"text": "Hello"}


def test_payload_holds_exactly_the_settings_the_user_set_even_spec_defaults() -> None:
    config = TTSConfig(format="mp3", chunk_length=200, prosody=Prosody(speed=1.2), sample_rate=None)
    assert tts_request_payload("Hi", config) == {
        "text": "Hi",
        "format": "mp3",
        "chunk_length": 200,
        "prosody": {"speed": 1.2},
        "sample_rate": None,
    }
    # Unset settings still read as the spec's defaults.
    assert (config.latency, config.prosody.volume if config.prosody else None) == ("normal", 0)


def test_tts_request_is_the_generated_model_and_its_dict_is_the_payload() -> None:
    request = tts_request(FULL, text="Hello")
    assert isinstance(request, api.TTSRequest)
    assert request.to_dict() == tts_request_payload("Hello", FULL)
    assert type(request.to_dict()["references"][0]["audio"]) is bytes
    assert isinstance(request.prosody, api.ProsodyControl)


def test_repr_shows_the_settings_that_were_set() -> None:
    assert repr(TTSConfig(format="wav", prosody=Prosody(speed=1.2))) == (
        "TTSConfig(prosody=Prosody(speed=1.2), format='wav')"
    )
    assert repr(TTSConfig()) == "TTSConfig()"


def test_full_payload_uses_exactly_the_spec_field_names() -> None:
    payload = tts_request_payload("Hello", FULL)
    assert set(payload) == set(TTS_REQUEST)
    assert payload["references"] == [{"audio": SAMPLE.audio, "text": SAMPLE.text}]
    assert payload["prosody"] == {"speed": 1.2, "volume": -5}
    assert payload["features"] == ["quality-guard"]
    assert (payload["sample_rate"], payload["opus_bitrate"], payload["reference_id"]) == (
        48000,
        32000,
        "voice-a",
    )


def test_multi_speaker_payload_nests_references() -> None:
    config = TTSConfig(reference_id=["voice-a", "voice-b"], references=[[SAMPLE], [OTHER_SAMPLE]])
    payload = tts_request_payload("<|speaker:0|>Hi<|speaker:1|>Hello", config)
    assert payload["reference_id"] == ["voice-a", "voice-b"]
    assert payload["references"] == [
        [{"audio": SAMPLE.audio, "text": SAMPLE.text}],
        [{"audio": OTHER_SAMPLE.audio, "text": OTHER_SAMPLE.text}],
    ]


def test_payload_packs_with_msgpack_and_keeps_audio_binary() -> None:
    payload = tts_request_payload("Hello", FULL)
    unpacked = msgpack.unpackb(msgpack.packb(payload), raw=False)
    assert unpacked == payload
    assert type(unpacked["references"][0]["audio"]) is bytes


def test_payload_text_must_be_a_string_but_may_be_empty() -> None:
    assert tts_request_payload("", TTSConfig())["text"] == ""
    with _raises(("text=None",)):
        tts_request_payload(None, TTSConfig())  # type: ignore[arg-type]


# --- WebSocket events ----------------------------------------------------------------------------


def test_events_match_the_spec_messages() -> None:
    assert TextEvent(text="Hello, ").to_event() == {"event": "text", "text": "Hello, "}
    assert FlushEvent().to_event() == {"event": "flush"}
    events: list[tuple[TextEvent | FlushEvent, str]] = [
        (TextEvent(text="x"), "LiveTextEvent"),
        (FlushEvent(), "LiveFlushEvent"),
    ]
    for event, schema in events:
        message = event.to_event()
        assert set(message) == set(SCHEMAS[schema]["properties"])
        assert message["event"] == SCHEMAS[schema]["properties"]["event"]["const"]


def test_text_event_needs_a_string() -> None:
    with _raises(("text=3",)):
        TextEvent(text=3)  # type: ignore[arg-type]


# --- public module -------------------------------------------------------------------------------


def test_public_names_are_exported() -> None:
    for name in types_module.__all__:
        assert getattr(types_module, name) is not None, name
    assert types_module.Voice is api.ModelEntity
    assert types_module.VoiceList is types_module.PaginatedResponse is api.ModelList
    assert issubclass(types_module.Credits, api.APICreditEntity)
    assert types_module.Package is api.PackageEntity
    assert types_module.Sample is api.SampleEntity
    assert types_module.Author is api.AuthorEntity
    assert types_module.ASRResponse is api.ASRResponse
    assert types_module.ASRSegment is api.ASRSegment


# --- the guide's examples ------------------------------------------------------------------------


def test_the_guides_configurations_work() -> None:
    config = TTSConfig(
        format="mp3",
        sample_rate=44100,
        mp3_bitrate=192,
        opus_bitrate=64,
        normalize=True,
        chunk_length=200,
        latency="balanced",
        reference_id="0123456789abcdef0123456789abcdef",
        prosody=Prosody(speed=1.1, volume=0),
        temperature=0.7,
        top_p=0.7,
    )
    assert config.opus_bitrate == 64000
    assert TTSConfig(prosody=Prosody(speed=1.2, volume=5)).prosody == Prosody(speed=1.2, volume=5.0)
    assert TTSConfig(prosody=Prosody(speed=1.2, volume=-5), format="wav", latency="balanced").format == "wav"
    assert TTSConfig(chunk_length=250).chunk_length == 250
    assert TTSConfig(format="wav", mp3_bitrate=192).mp3_bitrate == 192
    assert TTSConfig(format="wav", latency="normal").latency == "normal"


def _seed_constructions() -> list[str]:
    """Every ``TTSConfig(...)`` and ``Prosody(...)`` expression in the seeds' Python code blocks."""
    found = []
    for seed in sorted(SEEDS.glob("*.txt")):
        for block in re.findall(r"```python[^\n]*\n(.*?)```", seed.read_text(), flags=re.DOTALL):
            # Some blocks are bare signatures that do not parse, so cut each call out by its parentheses.
            for start in (m.start() for m in re.finditer(r"\b(?:TTSConfig|Prosody)\(", block)):
                depth, end = 0, start
                for end in range(block.index("(", start), len(block)):
                    depth += {"(": 1, ")": -1}.get(block[end], 0)
                    if depth == 0:
                        break
                found.append(block[start : end + 1])
    return found


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not checked out next to the project")
def test_every_construction_in_the_seeds_works() -> None:
    constructions = _seed_constructions()
    assert len(constructions) >= 5
    names = {"TTSConfig": TTSConfig, "Prosody": Prosody, "ReferenceAudio": ReferenceAudio}
    for source in constructions:
        built = eval(compile(ast.parse(source.strip(), mode="eval"), "<seed>", "eval"), names)
        assert isinstance(built, (TTSConfig, Prosody)), source
