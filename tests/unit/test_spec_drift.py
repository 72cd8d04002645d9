"""Unit tests for scripts/spec_drift.py on small inline OpenAPI documents."""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _load_module() -> ModuleType:
    if "spec_drift" in sys.modules:
        return sys.modules["spec_drift"]
    spec = importlib.util.spec_from_file_location("spec_drift", ROOT / "scripts" / "spec_drift.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["spec_drift"] = module
    spec.loader.exec_module(module)
    return module


drift = _load_module()

ERROR = {
    "type": "object",
    "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def base_doc() -> dict[str, Any]:
    """A miniature of the upstream document: TTS, model list and an agent path."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/v1/tts": {
                "post": {
                    "parameters": [
                        {"in": "header", "name": "model", "schema": {"enum": ["s1", "s2-pro"]}},
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/TTSRequest"}},
                            "application/msgpack": {"schema": {"$ref": "#/components/schemas/TTSRequest"}},
                        }
                    },
                    "responses": {"200": {"description": "audio"}, "401": {"content": _json(ERROR)}},
                }
            },
            "/model": {
                "get": {
                    "parameters": [{"in": "query", "name": "page_size", "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {
                            "content": _json(
                                {
                                    "properties": {
                                        "total": {"type": "integer"},
                                        "items": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Model"},
                                        },
                                    }
                                }
                            )
                        }
                    },
                }
            },
            "/v1/agent/sessions": {"get": {"responses": {"200": {"description": "ok"}}}},
        },
        "components": {
            "schemas": {
                "TTSRequest": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "format": {"type": "string", "enum": ["wav", "mp3"]},
                        "prosody": {
                            "anyOf": [{"$ref": "#/components/schemas/Prosody"}, {"type": "null"}],
                        },
                        "references": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/ReferenceAudio"},
                        },
                    },
                },
                "Prosody": {"properties": {"speed": {"type": "number"}, "volume": {"type": "number"}}},
                "ReferenceAudio": {"properties": {"audio": {"type": "string"}, "text": {"type": "string"}}},
                "Model": {
                    "properties": {
                        "_id": {"type": "string"},
                        "state": {"enum": ["created", "trained"]},
                        "author": {"properties": {"nickname": {"type": "string"}}},
                    }
                },
            }
        },
    }


@pytest.fixture(autouse=True)
def _no_default_deviations(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The repository's own deviations file must not leak into these fixture comparisons.
    monkeypatch.setattr(drift, "DEFAULT_DEVIATIONS", tmp_path / "absent.yaml")


def keys(upstream: dict[str, Any], spec: dict[str, Any]) -> dict[str, str]:
    """Difference key -> the side that has it."""
    return {d.key: d.side for d in drift.compare(upstream, spec)}


def write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data), encoding="utf-8")
    return path


def test_identical_documents_have_no_difference() -> None:
    assert keys(base_doc(), base_doc()) == {}


def test_added_operation_is_reported_without_its_details() -> None:
    upstream = base_doc()
    upstream["paths"]["/v1/voice-design"] = {
        "post": {"parameters": [{"in": "header", "name": "model"}], "responses": {"200": {}}}
    }
    assert keys(upstream, base_doc()) == {"POST /v1/voice-design | operation": "upstream"}


def test_agent_paths_are_ignored_on_both_sides() -> None:
    spec = base_doc()
    del spec["paths"]["/v1/agent/sessions"]
    spec["paths"]["/v1/agent/other"] = {"post": {"responses": {}}}
    assert keys(base_doc(), spec) == {}


def test_removed_parameter_and_case_insensitive_headers() -> None:
    spec = base_doc()
    spec["paths"]["/model"]["get"]["parameters"] = []
    spec["paths"]["/v1/tts"]["post"]["parameters"][0]["name"] = "Model"
    assert keys(base_doc(), spec) == {"GET /model | parameter | query page_size": "upstream"}


def test_path_level_and_referenced_parameters_count() -> None:
    spec = base_doc()
    spec["components"]["parameters"] = {
        "PageSize": copy.deepcopy(spec["paths"]["/model"]["get"]["parameters"][0])
    }
    spec["paths"]["/model"]["parameters"] = [{"$ref": "#/components/parameters/PageSize"}]
    spec["paths"]["/model"]["get"]["parameters"] = []
    assert keys(base_doc(), spec) == {}


def test_nested_field_is_reported_as_a_dotted_path() -> None:
    upstream = base_doc()
    upstream["components"]["schemas"]["Prosody"]["properties"]["normalize_loudness"] = {"type": "boolean"}
    assert keys(upstream, base_doc()) == {"POST /v1/tts | request | prosody.normalize_loudness": "upstream"}


def test_fields_below_a_missing_field_are_not_repeated() -> None:
    upstream = base_doc()
    upstream["components"]["schemas"]["Model"]["properties"]["quality"] = {
        "anyOf": [{"properties": {"audios": {"items": {"properties": {"filename": {}}}}}}, {"type": "null"}]
    }
    assert keys(upstream, base_doc()) == {"GET /model | response 200 | items[].quality": "upstream"}


def test_array_items_and_response_fields() -> None:
    spec = base_doc()
    del spec["components"]["schemas"]["ReferenceAudio"]["properties"]["text"]
    spec["components"]["schemas"]["Model"]["properties"]["author"]["properties"]["avatar"] = {
        "type": "string"
    }
    assert keys(base_doc(), spec) == {
        "POST /v1/tts | request | references[].text": "upstream",
        "GET /model | response 200 | items[].author.avatar": "spec",
    }


def test_array_versus_scalar_is_visible() -> None:
    spec = base_doc()
    spec["components"]["schemas"]["TTSRequest"]["properties"]["references"] = {"type": "string"}
    assert keys(base_doc(), spec) == {"POST /v1/tts | request | references[]": "upstream"}


def test_value_added_to_an_open_enum() -> None:
    upstream, spec = base_doc(), base_doc()
    upstream["paths"]["/v1/tts"]["post"]["parameters"][0]["schema"] = {"enum": ["s1", "s2-pro", "s3"]}
    spec["paths"]["/v1/tts"]["post"]["parameters"][0]["schema"] = {
        "anyOf": [{"enum": ["s1", "s2-pro"]}, {"type": "string"}]
    }
    spec["components"]["schemas"]["Model"]["properties"]["state"] = {
        "anyOf": [{"enum": ["created", "trained", "failed"]}, {"type": "string"}]
    }
    diffs = drift.compare(upstream, spec)
    assert {d.key: d.side for d in diffs} == {
        "POST /v1/tts | enum | header model = s3": "upstream",
        "GET /model | enum | response 200 items[].state = failed": "spec",
    }
    assert "enum only in upstream: header model = s3" in [d.describe() for d in diffs]


def test_const_equals_single_value_enum_and_non_string_values() -> None:
    upstream, spec = base_doc(), base_doc()
    upstream["components"]["schemas"]["TTSRequest"]["properties"]["opus_bitrate"] = {"enum": [-1000, 24000]}
    spec["components"]["schemas"]["TTSRequest"]["properties"]["opus_bitrate"] = {"enum": [-1000, 24]}
    upstream["paths"]["/v1/tts"]["post"]["parameters"].append(
        {"in": "header", "name": "x", "schema": {"const": "voice-design-1"}}
    )
    spec["paths"]["/v1/tts"]["post"]["parameters"].append(
        {"in": "header", "name": "x", "schema": {"type": "string", "enum": ["voice-design-1"]}}
    )
    assert keys(upstream, spec) == {
        "POST /v1/tts | enum | request opus_bitrate = 24000": "upstream",
        "POST /v1/tts | enum | request opus_bitrate = 24": "spec",
    }


def test_refs_allof_and_inline_schemas_compare_equal() -> None:
    spec = base_doc()
    schemas = spec["components"]["schemas"]
    schemas["TTSBase"] = {"properties": {"text": {"type": "string"}}}
    request = schemas["TTSRequest"]
    del request["properties"]["text"]
    schemas["TTSRequest"] = {"allOf": [{"$ref": "#/components/schemas/TTSBase"}, request]}
    spec["components"]["requestBodies"] = {"TTS": spec["paths"]["/v1/tts"]["post"]["requestBody"]}
    spec["paths"]["/v1/tts"]["post"]["requestBody"] = {"$ref": "#/components/requestBodies/TTS"}
    spec["components"]["responses"] = {"Error": {"content": _json(ERROR)}}
    spec["paths"]["/v1/tts"]["post"]["responses"]["401"] = {"$ref": "#/components/responses/Error"}
    assert keys(base_doc(), spec) == {}


def test_recursive_schema_terminates() -> None:
    upstream, spec = base_doc(), base_doc()
    for doc in (upstream, spec):
        doc["components"]["schemas"]["Model"]["properties"]["parent"] = {"$ref": "#/components/schemas/Model"}
    assert keys(upstream, spec) == {}


def test_nullable_forms_compare_equal() -> None:
    spec = base_doc()
    props = spec["components"]["schemas"]["TTSRequest"]["properties"]
    props["format"] = {"type": ["string", "null"], "enum": ["wav", "mp3", None]}
    props["prosody"] = {"$ref": "#/components/schemas/Prosody"}
    assert keys(base_doc(), spec) == {}


def test_content_types_and_status_codes() -> None:
    spec = base_doc()
    post = spec["paths"]["/v1/tts"]["post"]
    del post["requestBody"]["content"]["application/msgpack"]
    post["responses"]["422"] = {
        "content": _json({"type": "array", "items": {"properties": {"loc": {}, "msg": {}}}})
    }
    assert keys(base_doc(), spec) == {
        "POST /v1/tts | content-type | application/msgpack": "upstream",
        "POST /v1/tts | status | 422": "spec",
    }


def test_top_level_array_response_fields() -> None:
    upstream, spec = base_doc(), base_doc()
    upstream["paths"]["/v1/tts"]["post"]["responses"]["422"] = {
        "content": _json({"type": "array", "items": {"properties": {"loc": {}, "msg": {}}}})
    }
    spec["paths"]["/v1/tts"]["post"]["responses"][422] = {  # YAML turns unquoted codes into integers
        "content": _json({"type": "array", "items": {"properties": {"loc": {}, "type": {}}}})
    }
    assert keys(upstream, spec) == {
        "POST /v1/tts | response 422 | [].msg": "upstream",
        "POST /v1/tts | response 422 | [].type": "spec",
    }


def test_deviation_globs() -> None:
    avatar = drift.Difference("GET /model", "response 200", "items[].author.avatar", "spec")
    total = drift.Difference("GET /model", "response 200", "total", "spec")
    glob = drift.Deviation("GET /model | response * | items[].*", "r")
    assert glob.matches(avatar)
    assert not glob.matches(total)
    # Brackets are literal characters, not glob classes.
    references = drift.Difference("POST /v1/tts", "request", "references[]", "upstream")
    assert drift.Deviation("POST /v1/tts | request | references[]", "r").matches(references)
    assert not drift.Deviation("POST /v1/tts | request | references", "r").matches(references)


def test_deviation_only_in_restricts_the_side() -> None:
    ours = drift.Difference("POST /v1/tts", "status", "422", "spec")
    theirs = ours._replace(side="upstream")
    entry = drift.Deviation("* | status | 422", "errors page", "spec")
    assert entry.matches(ours)
    assert not entry.matches(theirs)
    assert drift.Deviation("* | status | 422", "either way").matches(theirs)


def test_event_stream_schema_extension_counts_as_the_body() -> None:
    event = {"properties": {"audio_base64": {"type": "string"}, "chunk_seq": {"type": "integer"}}}
    upstream, spec = base_doc(), base_doc()
    upstream["paths"]["/v1/tts"]["post"]["responses"]["200"] = {
        "content": {"text/event-stream": {"schema": event}}
    }
    spec["components"]["schemas"]["Event"] = event
    spec["paths"]["/v1/tts"]["post"]["responses"]["200"] = {
        "content": {
            "text/event-stream": {
                "schema": {"type": "string"},
                "x-event-schema": {"$ref": "#/components/schemas/Event"},
            }
        }
    }
    assert keys(upstream, spec) == {}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = drift.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def drifted(tmp_path: Path) -> tuple[Path, Path]:
    """Upstream with one new request field and a new operation; our spec with an extra 404 and 422."""
    upstream, spec = base_doc(), base_doc()
    upstream["components"]["schemas"]["TTSRequest"]["properties"]["features"] = {"type": "array"}
    upstream["paths"]["/v1/asr"] = {"post": {"responses": {"200": {}}}}
    spec["paths"]["/model"]["get"]["responses"]["404"] = {"content": _json(ERROR)}
    spec["paths"]["/model"]["get"]["responses"]["422"] = {"content": _json(ERROR)}
    return write(tmp_path, "openapi.json", upstream), write(tmp_path, "openapi.yaml", spec)


def test_report_groups_by_operation_and_exits_1(
    drifted: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, str(drifted[0]), "--spec", str(drifted[1]))
    assert code == 1
    assert "GET /model\n  only in spec: response status 404\n  only in spec: response status 422\n" in out
    assert "POST /v1/asr\n  only in upstream: operation\n" in out
    assert "POST /v1/tts\n  only in upstream: request field features\n" in out
    assert "  POST /v1/tts | request | features\n" in out
    assert "4 differences, 4 unexplained, 0 stale" in out


def test_all_explained_with_globs_exits_0(
    drifted: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deviations = write(
        tmp_path,
        "dev.yaml",
        {
            "deviations": [
                {"key": "GET /model | status | 4*", "reason": "documented on the errors page"},
                {"key": "POST /v1/asr | operation", "reason": "not yet supported"},
                {"key": "POST /v1/tts | request | features", "reason": "experimental flag"},
            ]
        },
    )
    code, out, _ = run(capsys, str(drifted[0]), "--spec", str(drifted[1]), "--deviations", str(deviations))
    assert code == 0, out
    assert "only in spec: response status 422  [explained: documented on the errors page]" in out
    assert "0 unexplained, 0 stale" in out


def test_unexplained_and_stale_entries_exit_1(
    drifted: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deviations = write(
        tmp_path,
        "dev.yaml",
        {
            "deviations": [
                {"key": "GET /model | status | 4*", "reason": "errors page"},
                {"key": "POST /v1/asr | operation", "reason": "later"},
                {"key": "POST /v1/tts | request | prosody.normalize_loudness", "reason": "gone"},
            ]
        },
    )
    code, out, _ = run(capsys, str(drifted[0]), "--spec", str(drifted[1]), "--deviations", str(deviations))
    assert code == 1
    assert "only in upstream: request field features  [UNEXPLAINED]" in out
    stale = "POST /v1/tts | request | prosody.normalize_loudness"
    assert f"Stale deviation entries (match no difference):\n  {stale}\n" in out
    assert "4 differences, 1 unexplained, 1 stale" in out


def test_only_stale_entries_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same = write(tmp_path, "a.json", base_doc())
    deviations = write(tmp_path, "dev.yaml", {"deviations": [{"key": "GET /x | operation", "reason": "r"}]})
    assert run(capsys, str(same), "--spec", str(same), "--deviations", str(deviations))[0] == 1


def test_json_output(drifted: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deviations = write(
        tmp_path,
        "dev.yaml",
        {
            "deviations": [
                {"key": "GET /model | *", "reason": "errors page"},
                {"key": "GET /y*", "reason": "old"},
            ]
        },
    )
    args = [str(drifted[0]), "--spec", str(drifted[1]), "--deviations", str(deviations), "--json"]
    code, out, _ = run(capsys, *args)
    assert code == 1
    items = json.loads(out)
    assert {
        "key": "POST /v1/tts | request | features",
        "operation": "POST /v1/tts",
        "section": "request",
        "item": "features",
        "side": "upstream",
        "status": "unexplained",
        "reason": None,
    } in items
    assert {
        "key": "GET /model | status | 404",
        "status": "explained",
        "reason": "errors page",
    }.items() <= next(i for i in items if i["key"] == "GET /model | status | 404").items()
    assert {"key": "GET /y*", "status": "stale", "reason": "old"} in items


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.json", None, "cannot read"),
        ("broken.json", "{not json", "cannot parse"),
        ("broken.yaml", "a: [b", "cannot parse"),
        ("list.yaml", "- 1\n- 2\n", "is not an OpenAPI document"),
        ("binary.json", b"\xff\xfe\x00", "cannot read"),
    ],
)
def test_unreadable_upstream_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str | bytes | None, message: str
) -> None:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    good = write(tmp_path, "good.json", base_doc())
    code, out, err = run(capsys, str(path), "--spec", str(good))
    assert code == 2
    assert err.startswith("spec-drift: error: ")
    assert message in err
    assert "Traceback" not in err
    assert out == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("deviations: {}\n", "expected a top-level 'deviations' list"),
        ("deviations:\n  - key: 'GET /x | operation'\n", "deviation #1 needs a non-empty 'key' and 'reason'"),
        (
            "deviations:\n  - {key: 'GET /x | operation', reason: r, only_in: both}\n",
            "deviation #1: 'only_in' must be 'spec' or 'upstream'",
        ),
    ],
)
def test_bad_deviations_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    deviations = tmp_path / "dev.yaml"
    if content is not None:
        deviations.write_text(content, encoding="utf-8")
    good = write(tmp_path, "good.json", base_doc())
    code, _, err = run(capsys, str(good), "--spec", str(good), "--deviations", str(deviations))
    assert code == 2
    assert message in err


def test_dangling_ref_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = base_doc()
    spec["components"]["schemas"]["Model"]["properties"]["author"] = {"$ref": "#/components/schemas/Nope"}
    good, bad = write(tmp_path, "good.json", base_doc()), write(tmp_path, "bad.yaml", spec)
    code, _, err = run(capsys, str(good), "--spec", str(bad))
    assert code == 2
    assert "unresolvable $ref '#/components/schemas/Nope'" in err


def test_missing_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        drift.main([])
    assert exc.value.code == 2
    assert "usage: spec-drift" in capsys.readouterr().err


def test_wrapper_resolves_paths_from_the_callers_directory(tmp_path: Path) -> None:
    write(tmp_path, "upstream.yaml", base_doc())
    write(tmp_path, "ours.json", base_doc())
    (tmp_path / "dev.yaml").write_text("deviations: []\n", encoding="utf-8")
    result = subprocess.run(
        [
            str(ROOT / "scripts" / "spec-drift"),
            "upstream.yaml",
            "--spec",
            "ours.json",
            "--deviations",
            "dev.yaml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "0 differences" in result.stdout
