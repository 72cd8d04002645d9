"""Unit tests for scripts/spec_drift.py on small synthetic OpenAPI and AsyncAPI documents."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import json
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]


drift = load_script("spec_drift")

ERROR = {
    "type": "object",
    "required": ["status", "message"],
    "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def base_doc() -> dict[str, Any]:
    """A miniature of the upstream document: TTS, the model list and an Agent path."""
    tts_body = {"$ref": "#/components/schemas/TTSRequest"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/v1/tts": {
                "post": {
                    "parameters": [
                        {
                            "in": "header",
                            "name": "model",
                            "schema": {"type": "string", "enum": ["s1", "s2-pro"]},
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": tts_body},
                            "application/msgpack": {"schema": tts_body},
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "audio",
                            "headers": {"Transfer-Encoding": {"schema": {"type": "string"}}},
                            "content": {
                                "audio/mpeg": {"schema": {"type": "string", "format": "binary"}},
                                "audio/wav": {"schema": {"type": "string", "format": "binary"}},
                            },
                        },
                        "401": {"content": _json(ERROR)},
                    },
                }
            },
            "/model": {
                "get": {
                    "parameters": [
                        {"in": "query", "name": "page_size", "schema": {"type": "integer", "maximum": 100}}
                    ],
                    "responses": {
                        "200": {
                            "content": _json(
                                {
                                    "type": "object",
                                    "properties": {
                                        "total": {"type": "integer"},
                                        "items": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Model"},
                                        },
                                    },
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
                    "required": ["text"],
                    "properties": {
                        "text": {"type": "string"},
                        "chunk_length": {"type": "integer", "minimum": 100, "maximum": 300, "default": 300},
                        "format": {"type": "string", "enum": ["wav", "mp3"], "default": "mp3"},
                        "sample_rate": {"type": "integer"},
                        "prosody": {"anyOf": [{"$ref": "#/components/schemas/Prosody"}, {"type": "null"}]},
                        "references": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/ReferenceAudio"},
                        },
                    },
                },
                "Prosody": {"type": "object", "properties": {"speed": {"type": "number"}}},
                "ReferenceAudio": {
                    "type": "object",
                    "properties": {"audio": {"type": "string"}, "text": {"type": "string"}},
                },
                "Model": {
                    "type": "object",
                    "properties": {
                        "_id": {"type": "string"},
                        "state": {"type": "string", "enum": ["created", "trained"]},
                        "author": {"type": "object", "properties": {"nickname": {"type": "string"}}},
                    },
                },
            }
        },
    }


def doc(data: dict[str, Any], path: Path | None = None) -> Any:
    return drift.Document(data, path)


def lines(upstream: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    return [line.describe() for line in drift.compare(doc(upstream), doc(ours))]


def tts_request(document: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = document["components"]["schemas"]["TTSRequest"]
    return props


def tts_200(document: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = document["paths"]["/v1/tts"]["post"]["responses"]["200"]
    return response


def write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data), encoding="utf-8")
    return path


# --- the six breaking changes ------------------------------------------------------------------------


def _bound(d: dict[str, Any]) -> None:
    tts_request(d)["properties"]["chunk_length"]["maximum"] = 500


def _default(d: dict[str, Any]) -> None:
    tts_request(d)["properties"]["format"]["default"] = "wav"


def _type(d: dict[str, Any]) -> None:
    tts_request(d)["properties"]["sample_rate"]["type"] = "string"


def _required(d: dict[str, Any]) -> None:
    tts_request(d)["required"] = ["text", "format"]


def _response_header(d: dict[str, Any]) -> None:
    tts_200(d)["headers"]["X-Generation-Id"] = {"schema": {"type": "string"}}


def _narrowed_media_type(d: dict[str, Any]) -> None:
    del tts_200(d)["content"]["audio/wav"]


BREAKING: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "bound": (_bound, "POST /v1/tts | request | chunk_length.maximum: ours 300, upstream 500"),
    "default": (_default, "POST /v1/tts | request | format.default: ours mp3, upstream wav"),
    "type": (_type, "POST /v1/tts | request | sample_rate.type: ours integer, upstream string"),
    "required": (_required, "POST /v1/tts | request | format.required: ours false, upstream true"),
    "response header": (
        _response_header,
        "POST /v1/tts | response 200 header x-generation-id | present: ours no, upstream yes",
    ),
    "narrowed media type": (
        _narrowed_media_type,
        "POST /v1/tts | response 200 | media types: ours [audio/mpeg, audio/wav], upstream [audio/mpeg]",
    ),
}


@pytest.mark.parametrize("kind", list(BREAKING))
def test_each_breaking_change_is_one_line_with_both_values(kind: str) -> None:
    change, expected = BREAKING[kind]
    upstream = base_doc()
    change(upstream)
    assert lines(upstream, base_doc()) == [expected]


def test_the_six_breaking_changes_together_give_six_distinct_lines() -> None:
    upstream = base_doc()
    for change, _ in BREAKING.values():
        change(upstream)
    assert sorted(lines(upstream, base_doc())) == sorted(expected for _, expected in BREAKING.values())


# --- other kinds of change ---------------------------------------------------------------------------


def test_identical_documents_have_no_difference() -> None:
    assert lines(base_doc(), base_doc()) == []


def test_agent_paths_are_out_of_scope_on_both_sides() -> None:
    upstream = base_doc()
    upstream["paths"]["/v1/agent/sessions"]["get"]["responses"]["404"] = {}
    upstream["paths"]["/v1/agent/calls"] = {"post": {"responses": {"200": {}}}}
    assert lines(upstream, base_doc()) == []


def test_an_operation_on_one_side_is_one_line_without_its_details() -> None:
    upstream = base_doc()
    upstream["paths"]["/v1/asr"] = {"post": {"parameters": [{"in": "header", "name": "m"}], "responses": {}}}
    assert lines(upstream, base_doc()) == ["POST /v1/asr | present: ours no, upstream yes"]


def test_a_field_on_one_side_is_one_line_without_its_children() -> None:
    ours = base_doc()
    ours["components"]["schemas"]["Model"]["properties"]["quality"] = {
        "type": "object",
        "properties": {"score": {"type": "number"}},
    }
    assert lines(base_doc(), ours) == [
        "GET /model | response 200 | items[].quality.present: ours yes, upstream no"
    ]


@pytest.mark.parametrize(
    ("keyword", "ours", "theirs"),
    [
        ("exclusiveMinimum", 0, 1),
        ("exclusiveMaximum", 3, 4),
        ("minLength", 1, 2),
        ("maxLength", 150, 200),
        ("pattern", "^a$", "^b$"),
    ],
)
def test_bounds_lengths_and_patterns(keyword: str, ours: Any, theirs: Any) -> None:
    upstream, spec = base_doc(), base_doc()
    tts_request(spec)["properties"]["text"][keyword] = ours
    tts_request(upstream)["properties"]["text"][keyword] = theirs
    assert lines(upstream, spec) == [
        f"POST /v1/tts | request | text.{keyword}: ours {ours}, upstream {theirs}"
    ]


def test_item_counts_and_additional_properties() -> None:
    upstream = base_doc()
    tts_request(upstream)["properties"]["references"]["maxItems"] = 5
    tts_request(upstream)["additionalProperties"] = False
    assert lines(upstream, base_doc()) == [
        "POST /v1/tts | request | additionalProperties: ours (none), upstream false",
        "POST /v1/tts | request | references.maxItems: ours (none), upstream 5",
    ]


def test_nullability_and_enum_values() -> None:
    upstream = base_doc()
    tts_request(upstream)["properties"]["sample_rate"]["type"] = ["integer", "null"]
    upstream["components"]["schemas"]["Model"]["properties"]["state"]["enum"].append("failed")
    assert lines(upstream, base_doc()) == [
        "GET /model | response 200 | items[].state.enum: ours [created, trained], "
        "upstream [created, failed, trained]",
        "POST /v1/tts | request | sample_rate.nullable: ours false, upstream true",
    ]


def test_parameters_headers_by_lower_case_name_and_their_required_flag() -> None:
    upstream, ours = base_doc(), base_doc()
    tts = upstream["paths"]["/v1/tts"]["post"]
    tts["parameters"][0]["name"] = "Model"
    tts["parameters"][0]["required"] = True
    tts["parameters"].append({"in": "header", "name": "traceparent", "schema": {"type": "string"}})
    upstream["paths"]["/model"]["get"]["parameters"][0]["schema"]["maximum"] = 50
    assert lines(upstream, ours) == [
        "GET /model | parameter query page_size | maximum: ours 100, upstream 50",
        "POST /v1/tts | parameter header model | required: ours false, upstream true",
        "POST /v1/tts | parameter header traceparent | present: ours no, upstream yes",
    ]


def test_request_media_types_and_status_codes() -> None:
    ours = base_doc()
    post = ours["paths"]["/v1/tts"]["post"]
    del post["requestBody"]["content"]["application/msgpack"]
    post["responses"][422] = {"content": _json({"type": "array"})}  # YAML reads unquoted codes as integers
    assert lines(base_doc(), ours) == [
        "POST /v1/tts | request | media types: ours [application/json], upstream [application/json, "
        "application/msgpack]",
        "POST /v1/tts | response 422 | present: ours yes, upstream no",
    ]


def test_a_response_without_a_schema_compares_only_its_media_types() -> None:
    upstream = base_doc()
    del tts_200(upstream)["content"]
    assert lines(upstream, base_doc()) == [
        "POST /v1/tts | response 200 | media types: ours [audio/mpeg, audio/wav], upstream []"
    ]


def test_response_header_schema() -> None:
    upstream = base_doc()
    tts_200(upstream)["headers"]["Transfer-Encoding"]["schema"]["enum"] = ["chunked"]
    assert lines(upstream, base_doc()) == [
        "POST /v1/tts | response 200 header transfer-encoding | enum: ours (none), upstream chunked"
    ]


def test_equivalent_forms_compare_equal() -> None:
    """$ref, allOf, anyOf-null, type lists, const, a null default and 2 vs 2.0 say the same thing."""
    ours = base_doc()
    schemas = ours["components"]["schemas"]
    request = schemas["TTSRequest"]
    text = request["properties"].pop("text")
    schemas["TTSBase"] = {"type": "object", "properties": {"text": text}}
    schemas["TTSRequest"] = {"allOf": [{"$ref": "#/components/schemas/TTSBase"}, request]}
    request["properties"]["prosody"] = {
        "oneOf": [{"$ref": "#/components/schemas/Prosody"}, {"type": "null"}],
        "default": None,
    }
    request["properties"]["chunk_length"]["maximum"] = 300.0
    request["properties"]["format"] = {
        "allOf": [{"type": "string", "enum": ["wav", "mp3"]}],
        "default": "mp3",
    }
    ours["components"]["responses"] = {"Error": {"content": _json(ERROR)}}
    ours["paths"]["/v1/tts"]["post"]["responses"]["401"] = {"$ref": "#/components/responses/Error"}
    ours["paths"]["/v1/tts"]["post"]["parameters"][0]["schema"] = {
        "anyOf": [{"type": "string", "enum": ["s1"]}, {"type": "string", "const": "s2-pro"}]
    }
    assert lines(base_doc(), ours) == []


def test_recursive_schema_terminates() -> None:
    upstream, ours = base_doc(), base_doc()
    for document in (upstream, ours):
        document["components"]["schemas"]["Model"]["properties"]["parent"] = {
            "$ref": "#/components/schemas/Model"
        }
    assert lines(upstream, ours) == []


def test_event_stream_schema_extension_counts_as_the_body() -> None:
    event = {"type": "object", "properties": {"audio_base64": {"type": "string"}}}
    upstream, ours = base_doc(), base_doc()
    tts_200(upstream)["content"] = {"text/event-stream": {"schema": event}}
    tts_200(ours)["content"] = {"text/event-stream": {"schema": {"type": "string"}, "x-event-schema": event}}
    assert lines(upstream, ours) == []


def test_dangling_ref_is_an_input_error() -> None:
    ours = base_doc()
    ours["components"]["schemas"]["Model"]["properties"]["author"] = {"$ref": "#/components/schemas/Nope"}
    with pytest.raises(drift.DriftError, match=r"unresolvable \$ref '#/components/schemas/Nope'"):
        drift.compare(doc(base_doc()), doc(ours))


# --- AsyncAPI --------------------------------------------------------------------------------------


def upstream_asyncapi() -> dict[str, Any]:
    """Upstream's shape: the server's view, inline payloads, per-message content types."""
    return {
        "asyncapi": "3.0.0",
        "channels": {
            "live": {
                "address": "/v1/tts/live",
                "messages": {
                    "startEvent": {"$ref": "#/components/messages/StartEvent"},
                    "audioEvent": {"$ref": "#/components/messages/AudioEvent"},
                },
                "bindings": {
                    "ws": {
                        "headers": {
                            "type": "object",
                            "properties": {"model": {"type": "string", "enum": ["s1", "s2-pro"]}},
                        }
                    }
                },
            }
        },
        "operations": {
            "receiveText": {
                "action": "receive",
                "channel": {"$ref": "#/channels/live"},
                "messages": [{"$ref": "#/channels/live/messages/startEvent"}],
            },
            "sendAudio": {
                "action": "send",
                "channel": {"$ref": "#/channels/live"},
                "messages": [{"$ref": "#/channels/live/messages/audioEvent"}],
            },
        },
        "components": {
            "messages": {
                "StartEvent": {
                    "contentType": "application/msgpack",
                    "payload": {
                        "type": "object",
                        "required": ["event", "request"],
                        "properties": {
                            "event": {"type": "string", "const": "start"},
                            "request": {"$ref": "#/components/schemas/Request"},
                        },
                    },
                },
                "AudioEvent": {
                    "contentType": "application/msgpack",
                    "payload": {
                        "type": "object",
                        "required": ["event", "audio"],
                        "properties": {
                            "event": {"type": "string", "const": "audio"},
                            "audio": {"type": "string", "format": "binary"},
                        },
                    },
                },
            },
            "schemas": {
                "Request": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {
                        "text": {"type": "string"},
                        "chunk_length": {"type": "integer", "maximum": 300},
                    },
                }
            },
        },
    }


def our_asyncapi(tmp_path: Path) -> Path:
    """Our shape: the client's view, other message names, payloads in a sibling openapi.yaml."""
    upstream = upstream_asyncapi()
    openapi = {
        "openapi": "3.1.0",
        "paths": {},
        "components": {
            "schemas": {
                "LiveStart": upstream["components"]["messages"]["StartEvent"]["payload"],
                "LiveAudio": upstream["components"]["messages"]["AudioEvent"]["payload"],
                "Request": upstream["components"]["schemas"]["Request"],
            }
        },
    }
    openapi["components"]["schemas"]["LiveStart"]["properties"]["request"] = {
        "$ref": "#/components/schemas/Request"
    }
    write(tmp_path, "openapi.yaml", openapi)
    ours = {
        "asyncapi": "3.0.0",
        "defaultContentType": "application/msgpack",
        "channels": {
            "ttsLive": {
                "address": "/v1/tts/live",
                "messages": {
                    "start": {"$ref": "#/components/messages/start"},
                    "audio": {"$ref": "#/components/messages/audio"},
                },
                "bindings": {
                    "ws": {
                        "headers": {
                            "type": "object",
                            "properties": {"model": {"$ref": "./openapi.yaml#/components/schemas/Model"}},
                        }
                    }
                },
            }
        },
        "operations": {
            "sendText": {
                "action": "receive",  # the server's view, like upstream, so that only real changes show
                "channel": {"$ref": "#/channels/ttsLive"},
                "messages": [{"$ref": "#/channels/ttsLive/messages/start"}],
            },
            "receiveAudio": {
                "action": "send",
                "channel": {"$ref": "#/channels/ttsLive"},
                "messages": [{"$ref": "#/channels/ttsLive/messages/audio"}],
            },
        },
        "components": {
            "messages": {
                "start": {"payload": {"$ref": "./openapi.yaml#/components/schemas/LiveStart"}},
                "audio": {"payload": {"$ref": "./openapi.yaml#/components/schemas/LiveAudio"}},
            }
        },
    }
    openapi["components"]["schemas"]["Model"] = {"anyOf": [{"type": "string", "enum": ["s1", "s2-pro"]}]}
    write(tmp_path, "openapi.yaml", openapi)
    return write(tmp_path, "asyncapi.yaml", ours)


def async_lines(upstream: dict[str, Any], ours_path: Path) -> list[str]:
    ours = drift.load_asyncapi(ours_path)
    return [line.describe() for line in drift.compare_asyncapi(doc(upstream), ours)]


def test_asyncapi_messages_match_by_event_across_names_files_and_content_type_forms(tmp_path: Path) -> None:
    assert async_lines(upstream_asyncapi(), our_asyncapi(tmp_path)) == []


def test_asyncapi_payload_direction_headers_and_messages(tmp_path: Path) -> None:
    upstream = upstream_asyncapi()
    request = upstream["components"]["schemas"]["Request"]
    request["properties"]["chunk_length"]["maximum"] = 500
    upstream["components"]["messages"]["AudioEvent"]["payload"]["properties"]["time"] = {"type": "number"}
    upstream["operations"]["sendAudio"]["action"] = "receive"
    upstream["channels"]["live"]["bindings"]["ws"]["headers"]["properties"]["model"]["enum"].append("s3")
    upstream["channels"]["live"]["messages"]["finishEvent"] = {
        "payload": {"type": "object", "properties": {"event": {"const": "finish"}}}
    }
    assert async_lines(upstream, our_asyncapi(tmp_path)) == [
        "WS /v1/tts/live | handshake header model | enum: ours [s1, s2-pro], upstream [s1, s2-pro, s3]",
        "WS /v1/tts/live | message audio | action: ours send, upstream receive",
        "WS /v1/tts/live | message audio | time.present: ours no, upstream yes",
        "WS /v1/tts/live | message finish | present: ours no, upstream yes",
        "WS /v1/tts/live | message start | request.chunk_length.maximum: ours 300, upstream 500",
    ]


def test_asyncapi_content_type(tmp_path: Path) -> None:
    upstream = upstream_asyncapi()
    upstream["components"]["messages"]["AudioEvent"]["contentType"] = "application/json"
    assert async_lines(upstream, our_asyncapi(tmp_path)) == [
        "WS /v1/tts/live | message audio | content type: ours application/msgpack, upstream application/json"
    ]


# --- deviations ------------------------------------------------------------------------------------


LINE = drift.Line("POST /v1/tts | request | chunk_length", "maximum", "300", "500")


def entry(**fields: Any) -> Any:
    values = {"path": LINE.path, "property": LINE.property, "reason": "r", "source": "s", **fields}
    return drift.Deviation(**values)


def test_a_deviation_names_the_path_and_the_property() -> None:
    assert entry().matches(LINE)
    assert not entry(property="minimum").matches(LINE)
    assert not entry(path="POST /v1/tts | request | chunk").matches(LINE)
    assert entry(path="POST /v1/tts* | request | chunk_length").matches(LINE)
    # Brackets and dots are literal text, not patterns.
    references = drift.Line("POST /v1/tts | request | references[]", "type", "array", "object")
    assert entry(path="POST /v1/tts | request | references[]", property="type").matches(references)
    assert not entry(path="POST /v1/tts | request | references", property="type").matches(references)


def test_pinned_values_must_match_the_line() -> None:
    assert entry(ours="300", upstream="500").matches(LINE)
    assert not entry(ours="300", upstream="600").matches(LINE)
    assert not entry(ours="200").matches(LINE)


def test_an_old_entry_does_not_swallow_a_new_difference_on_the_same_field() -> None:
    new = drift.Line(LINE.path, "default", "300", "400")
    explained, stale = drift.classify([LINE, new], [entry()])
    assert explained == [entry(), None]
    assert stale == []


def test_an_entry_that_explains_nothing_is_stale() -> None:
    explained, stale = drift.classify([LINE], [entry(), entry(property="minimum")])
    assert explained == [entry()]
    assert stale == [entry(property="minimum")]


def test_deviations_file_reads_yes_no_and_numbers_as_the_report_prints_them(tmp_path: Path) -> None:
    path = tmp_path / "dev.yaml"
    path.write_text(
        "deviations:\n"
        "- {path: 'GET /x | response 4', property: present, ours: yes, upstream: no, reason: r, source: s}\n"
        "- {path: 'GET /x | request | n', property: maximum, ours: 2.0, upstream: 3, reason: r, source: s}\n"
        "- {path: 'GET /x | request | n', property: enum, ours: [b, a], reason: r, source: s}\n",
        encoding="utf-8",
    )
    present, maximum, enum = drift.load_deviations(path)
    assert present.matches(drift.Line("GET /x | response 4", "present", "yes", "no"))
    assert maximum.matches(drift.Line("GET /x | request | n", "maximum", "2", "3"))
    assert enum.matches(drift.Line("GET /x | request | n", "enum", "[a, b]", "[a]"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("deviations: {}\n", "expected a top-level 'deviations' list"),
        ("deviations:\n  - {path: 'GET /x', property: present, reason: r}\n", "needs a non-empty 'source'"),
        ("deviations:\n  - {path: 'GET /x', reason: r, source: s}\n", "needs a non-empty 'property'"),
        ("deviations:\n  - {path: x, property: 'max*', reason: r, source: s}\n", "names one property"),
        ("deviations:\n  - {path: x, property: p, reason: r, source: s, key: k}\n", "unknown keys ['key']"),
    ],
)
def test_bad_deviations_file_is_an_input_error(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "dev.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(drift.DriftError, match=message.replace("[", r"\[").replace("]", r"\]")):
        drift.load_deviations(path)


# --- the command line --------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = drift.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def drifted(tmp_path: Path) -> list[str]:
    """Arguments comparing an upstream with a changed bound and a new header to our documents."""
    upstream = base_doc()
    _bound(upstream)
    _response_header(upstream)
    ours_async = our_asyncapi(tmp_path)
    return [
        str(write(tmp_path, "upstream.json", upstream)),
        "--upstream-asyncapi",
        str(write(tmp_path, "upstream-asyncapi.yml", upstream_asyncapi())),
        "--spec",
        str(write(tmp_path, "ours.yaml", base_doc())),
        "--asyncapi",
        str(ours_async),
    ]


def deviations(tmp_path: Path, *entries: dict[str, Any]) -> list[str]:
    return ["--deviations", str(write(tmp_path, "dev.yaml", {"deviations": list(entries)}))]


BOUND = {
    "path": "POST /v1/tts | request | chunk_length",
    "property": "maximum",
    "reason": "the docs say 300",
    "source": "docs/tts.mdx",
}
HEADER_LINE = "POST /v1/tts | response 200 header x-generation-id | present: ours no, upstream yes"


def test_unexplained_lines_come_first_then_stale_then_explained(
    drifted: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = {**BOUND, "property": "minimum"}
    code, out, _ = run(capsys, *drifted, *deviations(tmp_path, BOUND, stale))
    assert code == 1
    assert out == (
        f"Unexplained (1):\n  {HEADER_LINE}\n\n"
        "Stale deviation entries, explaining nothing (1):\n"
        "  POST /v1/tts | request | chunk_length | minimum\n\n"
        "Explained (1):\n"
        "  POST /v1/tts | request | chunk_length.maximum: ours 300, upstream 500\n"
        "      the docs say 300 [docs/tts.mdx]\n\n"
        "2 differences, 1 unexplained, 1 stale deviation entries\n"
    )


def test_unexplained_option_shows_only_what_fails(
    drifted: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *drifted, *deviations(tmp_path, BOUND), "--unexplained")
    assert code == 1
    assert (
        out
        == f"Unexplained (1):\n  {HEADER_LINE}\n\n2 differences, 1 unexplained, 0 stale deviation entries\n"
    )


def test_all_explained_exits_0(
    drifted: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = {
        "path": "POST /v1/tts | response 200 header x-generation-id",
        "property": "present",
        "ours": False,
        "upstream": True,
        "reason": "r",
        "source": "s",
    }
    code, out, _ = run(capsys, *drifted, *deviations(tmp_path, BOUND, header))
    assert code == 0, out
    assert out.endswith("2 differences, 0 unexplained, 0 stale deviation entries\n")


def test_json_output(drifted: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = {**BOUND, "property": "minimum"}
    code, out, _ = run(capsys, *drifted, *deviations(tmp_path, BOUND, stale), "--json")
    assert code == 1
    assert json.loads(out) == [
        {
            "path": "POST /v1/tts | response 200 header x-generation-id",
            "property": "present",
            "ours": "no",
            "upstream": "yes",
            "line": HEADER_LINE,
            "status": "unexplained",
            "reason": None,
            "source": None,
        },
        {
            "path": "POST /v1/tts | request | chunk_length",
            "property": "maximum",
            "ours": "300",
            "upstream": "500",
            "line": "POST /v1/tts | request | chunk_length.maximum: ours 300, upstream 500",
            "status": "explained",
            "reason": "the docs say 300",
            "source": "docs/tts.mdx",
        },
        {**stale, "ours": None, "upstream": None, "status": "stale"},
    ]


def test_json_output_of_the_unexplained_only(
    drifted: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = {**BOUND, "property": "minimum"}
    code, out, _ = run(capsys, *drifted, *deviations(tmp_path, BOUND, stale), "--json", "--unexplained")
    assert code == 1
    assert [(item["status"], item.get("line")) for item in json.loads(out)] == [
        ("unexplained", HEADER_LINE),
        ("stale", None),
    ]


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
    drifted: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str | bytes | None,
    message: str,
) -> None:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    code, out, err = run(capsys, str(path), *drifted[1:], *deviations(tmp_path))
    assert code == 2
    assert err.startswith("spec-drift: error: ")
    assert message in err
    assert "Traceback" not in err
    assert out == ""


def test_an_openapi_document_given_as_asyncapi_exits_2(
    drifted: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [*drifted[:2], drifted[0], *drifted[3:]]  # the OpenAPI upstream as --upstream-asyncapi
    code, _, err = run(capsys, *args, *deviations(tmp_path))
    assert code == 2
    assert "is not an AsyncAPI document" in err


def test_wrapper_resolves_paths_from_the_callers_directory(drifted: list[str], tmp_path: Path) -> None:
    write(tmp_path, "dev.yaml", {"deviations": []})
    relative = [arg.replace(f"{tmp_path}/", "") for arg in drifted]
    result = subprocess.run(
        [str(ROOT / "scripts" / "spec-drift"), *relative, "--deviations", "dev.yaml", "--unexplained"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.endswith("2 differences, 2 unexplained, 0 stale deviation entries\n")


# --- updating the baseline ---------------------------------------------------------------------------


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port that is bound but not listening while the block runs: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def published(tmp_path: Path) -> dict[str, bytes]:
    """The two documents as Fish Audio would publish them, byte for byte."""
    return {
        "openapi.json": json.dumps(base_doc(), indent=1).encode() + b"\n",
        "asyncapi.yml": yaml.safe_dump(upstream_asyncapi()).encode(),
    }


@pytest.fixture
def served(tmp_path: Path, published: dict[str, bytes]) -> Iterator[str]:
    """A loopback HTTP server publishing the documents; yields its base URL."""
    site = tmp_path / "site"
    site.mkdir()
    for name, content in published.items():
        (site / name).write_bytes(content)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(autouse=True)
def baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where --update-baseline writes in these tests: never the repository's spec/upstream/."""
    directory = tmp_path / "baseline"
    monkeypatch.setattr(drift, "BASELINE_DIR", directory)
    return directory


def _sources(baseline: Path) -> Any:
    return yaml.safe_load((baseline / "SOURCES.yaml").read_text(encoding="utf-8"))


def test_update_baseline_from_local_paths(
    tmp_path: Path, baseline: Path, published: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [str(write_bytes(tmp_path / name, content)) for name, content in published.items()]
    code, out, _ = run(capsys, "--update-baseline", *paths, "--date", "2026-08-19")
    assert code == 0
    assert out.count(" <- ") == 2
    for name, content in published.items():
        assert (baseline / name).read_bytes() == content
    assert _sources(baseline) == {
        name: {
            "source": str(tmp_path / name),
            "date": "2026-08-19",
            "sha256": hashlib.sha256(content).hexdigest(),
        }
        for name, content in published.items()
    }


def write_bytes(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_update_baseline_from_a_url_keeps_the_other_document(
    baseline: Path, served: str, published: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--update-baseline", f"{served}/asyncapi.yml")
    code, _, err = run(
        capsys,
        "--update-baseline",
        f"{served}/openapi.json",
        "--source",
        "https://api.fish.audio/openapi.json",
    )
    assert code == 0, err
    assert (baseline / "openapi.json").read_bytes() == published["openapi.json"]
    assert (baseline / "asyncapi.yml").read_bytes() == published["asyncapi.yml"]
    sources = _sources(baseline)
    assert sources["openapi.json"]["source"] == "https://api.fish.audio/openapi.json"
    assert sources["asyncapi.yml"]["source"] == f"{served}/asyncapi.yml"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.json", b'{"title": "not an API"}', "neither an OpenAPI document"),
        ("broken.json", b"{", "cannot parse"),
        ("missing.json", None, "cannot read"),
        ("openapi.yaml", yaml.safe_dump(base_doc()).encode(), "cannot parse openapi.json"),
    ],
)
def test_update_baseline_refuses_what_is_not_an_api_document_and_changes_nothing(
    tmp_path: Path,
    baseline: Path,
    published: dict[str, bytes],
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    good = write_bytes(tmp_path / "openapi.json", published["openapi.json"])
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    code, _, err = run(capsys, "--update-baseline", str(good), str(bad))
    assert code == 2
    assert message in err
    assert not baseline.exists()


def test_update_baseline_reports_an_unreachable_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with refused_port() as port:
        code, _, err = run(
            capsys,
            "--update-baseline",
            f"http://127.0.0.1:{port}/openapi.json",
        )
    assert code == 2
    assert f"cannot fetch http://127.0.0.1:{port}/openapi.json" in err


def test_the_repository_baseline_matches_its_recorded_sources() -> None:
    repository = ROOT / "spec" / "upstream"
    records = _sources(repository)
    assert set(records) == {"openapi.json", "asyncapi.yml"}
    for name, record in records.items():
        assert hashlib.sha256((repository / name).read_bytes()).hexdigest() == record["sha256"], name
        assert record["source"]
        assert record["date"]
