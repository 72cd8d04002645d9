"""scripts/generate_facts.py and the generator view: what they refuse, and which defaults they drop."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
ASYNCAPI: dict[str, Any] = yaml.safe_load((ROOT / "spec" / "asyncapi.yaml").read_text(encoding="utf-8"))
MODELS = ROOT / "generated" / "fishaudio_api"


pytest.importorskip("openapi_python_client", reason="the generation scripts need openapi-python-client")
VIEW = load_script("generator_view")
# generate_facts.py puts its sibling modules on the path as it is loaded.
load_script("generate_facts")
import emit_facts  # noqa: E402
import emit_settings  # noqa: E402
import facts_common  # noqa: E402


def facts_module(spec: Any) -> str:
    return str(emit_facts.facts_module(spec, facts_common.generated_models(MODELS), ASYNCAPI))


def settings_module(spec: Any) -> str:
    return str(emit_settings.settings_module(spec, facts_common.generated_models(MODELS)))


def edited(change: Any) -> Any:
    document = copy.deepcopy(SPEC)
    change(document["components"]["schemas"])
    return facts_common.Spec(document)


def test_the_committed_spec_generates() -> None:
    assert "class TTSConfig:" in settings_module(facts_common.Spec(copy.deepcopy(SPEC)))
    assert "FORMAT_SAMPLE_RATES" in facts_module(facts_common.Spec(copy.deepcopy(SPEC)))


def test_a_request_field_of_an_unsupported_shape_fails_naming_the_field() -> None:
    spec = edited(lambda s: s["TTSRequest"]["properties"].update(voice_map={"type": "object"}))
    with pytest.raises(SystemExit, match=r"TTSRequest\.voice_map: no settings mapping"):
        settings_module(spec)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["KnownTTSModel"]["x-models"].update({"s9": {}}), "models the enum does not list"),
        (
            lambda s: s["KnownTTSModel"]["x-models"]["speech-1.5"].update(deprecated_fallback="speech-1.6"),
            "deprecated_fallback must be a current known model",
        ),
        (
            lambda s: s["AudioFormat"]["x-formats"]["mp3"].update(default_sample_rate=8000),
            "default_sample_rate 8000 is not one of its rates",
        ),
        (lambda s: s["OpusBitrate"]["x-legacy-kbps"].update({"96": 96000}), "must name values of its enum"),
    ],
)
def test_inconsistent_facts_fail_the_generation(change: Any, message: str) -> None:
    with pytest.raises(SystemExit, match=message):
        facts_module(edited(change))


def test_the_live_connection_limit_is_emitted_from_the_channel() -> None:
    (channel,) = ASYNCAPI["channels"].values()
    assert channel["x-max-connection-seconds"] == 3600
    facts = facts_module(facts_common.Spec(copy.deepcopy(SPEC)))
    assert "LIVE_MAX_CONNECTION_SECONDS: Final = 3600\n" in facts


@pytest.mark.parametrize("lifetime", [None, 0, "3600", True, 1.5])
def test_a_live_connection_limit_that_is_not_whole_seconds_fails_the_generation(lifetime: object) -> None:
    asyncapi = copy.deepcopy(ASYNCAPI)
    (channel,) = asyncapi["channels"].values()
    if lifetime is None:
        del channel["x-max-connection-seconds"]
    else:
        channel["x-max-connection-seconds"] = lifetime
    spec = facts_common.Spec(copy.deepcopy(SPEC))
    with pytest.raises(SystemExit, match="x-max-connection-seconds must be a whole number"):
        emit_facts.facts_module(spec, facts_common.generated_models(MODELS), asyncapi)


def test_a_new_model_name_alone_generates_as_known_without_a_price() -> None:
    spec = edited(lambda s: s["KnownTTSModel"]["enum"].append("s3-mini"))
    facts = facts_module(spec)
    assert "'s3-mini'" in facts.split("TTS_MODEL_USD_PER_MILLION_BYTES")[0]  # a known value
    assert "'s3-mini'" not in facts.split("TTS_MODEL_USD_PER_MILLION_BYTES")[1]  # no price, no other facts


def test_the_generator_view_drops_request_defaults_only() -> None:
    view = VIEW.generator_view(copy.deepcopy(SPEC))
    schemas = view["components"]["schemas"]
    for name in ("TTSRequest", "ProsodyControl", "VoiceDesignRequest", "CreateModelRequest", "ASRRequest"):
        assert not [p for p in schemas[name]["properties"].values() if "default" in p], name
    # Response models keep the defaults that fill in fields a response leaves out.
    assert schemas["ModelEntity"]["properties"]["description"]["default"] == ""
    assert schemas["ModelList"]["properties"]["total_is_exact"]["default"] is True
    # The spec itself, which the local server validates with, keeps them all.
    assert SPEC["components"]["schemas"]["TTSRequest"]["properties"]["chunk_length"]["default"] == 300


def test_exclusive_bounds_are_kept_and_worded() -> None:
    from fishaudio_api.settings_checks import Bounds

    bounds = Bounds(0, 3, exclusive_minimum=True)
    assert (0 in bounds, 0.01 in bounds, 3 in bounds) == (False, True, True)
    assert str(bounds) == "more than 0 and at most 3"
    assert str(Bounds(None, 1, exclusive_maximum=True)) == "less than 1"
    assert str(Bounds(100, 300)) == "100 to 300"
    spec = edited(
        lambda s: s["TTSRequest"]["properties"].update(pace={"type": "number", "exclusiveMinimum": 0})
    )
    settings = settings_module(spec)
    assert "_checks.Bounds(0, None, exclusive_minimum=True)" in settings
    assert "pace: (more than 0)." in settings
    assert "def pace(self) -> float | None:" in settings  # no spec default: None when not set
