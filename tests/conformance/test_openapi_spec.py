"""spec/openapi.yaml is valid OpenAPI 3.1, its examples match its schemas, and it keeps its conventions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "spec" / "openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
SPEC_URI = SPEC_PATH.as_uri()
REGISTRY: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(SPEC))

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

EXPECTED_OPERATIONS = {
    ("POST", "/v1/tts"),
    ("POST", "/v1/tts/stream/with-timestamp"),
    ("POST", "/v1/asr"),
    ("POST", "/v1/voice-design"),
    ("GET", "/model"),
    ("POST", "/model"),
    ("GET", "/model/{id}"),
    ("PATCH", "/model/{id}"),
    ("DELETE", "/model/{id}"),
    ("GET", "/wallet/{user_id}/api-credit"),
    ("GET", "/wallet/{user_id}/package"),
}

# Values the server extends over time: known values plus any other string.
OPEN_ENUMS = ("TTSModel", "ModelState", "TrainMode", "ModelType", "ModelVisibility", "LiveFinishReason")
KNOWN_TTS_MODELS = {"s1", "s2-pro", "s2.1-pro", "s2.1-pro-free", "speech-1.5", "speech-1.6"}

# Keywords whose values are subschemas (JSON Schema 2020-12), by the shape of the value.
SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_SINGLE = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
)


# --- helpers -------------------------------------------------------------------------------------------


def escape(segment: str | int) -> str:
    return str(segment).replace("~", "~0").replace("/", "~1")


def unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def resolve(document: dict[str, Any], node: Any) -> Any:
    """Follow internal `$ref`s (`#/...`) until a node that is not a reference."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"unexpected non-internal $ref {ref!r}"
        node = document
        for segment in ref[2:].split("/"):
            node = node[unescape(segment)]
    return node


def validator_for(pointer: str) -> Draft202012Validator:
    """A validator for the schema at `pointer` in the spec, with every `$ref` resolvable."""
    ref = f"{SPEC_URI}#{quote(pointer, safe='/~')}"
    return Draft202012Validator(
        {"$ref": ref}, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def schema_errors(pointer: str, instance: Any) -> list[str]:
    errors = list(validator_for(pointer).iter_errors(instance))
    if not errors:
        return []
    best = best_match(errors)
    return [f"{best.json_path}: {best.message}"] + [
        f"{e.json_path}: {e.message}" for e in errors if e is not best
    ]


def operations() -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(METHOD, path, operation, path item) for every operation of the spec."""
    for path, item in SPEC["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item[method], item


OPERATIONS = list(operations())
OPERATION_IDS = [f"{method} {path}" for method, path, _, _ in OPERATIONS]


# --- collecting examples -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    pointer: str  # where the example is
    schema_pointer: str  # the schema it must validate against
    value: Any

    @property
    def id(self) -> str:
        segments = [unescape(s) for s in self.pointer.split("/")[1:]]
        if segments[0] == "components":
            segments = segments[1:]
        return "/".join(segments)


def schema_examples(schema: Any, pointer: str) -> Iterator[Example]:
    """`examples` (and the deprecated `example`) of a schema and of all its subschemas."""
    if not isinstance(schema, dict):
        return
    examples = schema.get("examples", [])
    assert isinstance(examples, list), f"{pointer}/examples must be a list in a 3.1 schema"
    for index, value in enumerate(examples):
        yield Example(f"{pointer}/examples/{index}", pointer, value)
    if "example" in schema:
        yield Example(f"{pointer}/example", pointer, schema["example"])
    for keyword in SUBSCHEMA_MAPS:
        for name, sub in schema.get(keyword, {}).items():
            yield from schema_examples(sub, f"{pointer}/{keyword}/{escape(name)}")
    for keyword in SUBSCHEMA_LISTS:
        for index, sub in enumerate(schema.get(keyword, [])):
            yield from schema_examples(sub, f"{pointer}/{keyword}/{index}")
    for keyword in SUBSCHEMA_SINGLE:
        if keyword in schema:
            yield from schema_examples(schema[keyword], f"{pointer}/{keyword}")


def document_examples(document: dict[str, Any], node: Any, pointer: str = "") -> Iterator[Example]:
    """Every example of an OpenAPI document.

    Component schemas carry schema-level `examples`; parameters, headers and media types (of request
    bodies and responses) carry `example` or an `examples` map of Example Objects next to their `schema`.
    """
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from document_examples(document, item, f"{pointer}/{index}")
        return
    if not isinstance(node, dict):
        return
    if pointer == "/components/schemas":
        for name, schema in node.items():
            yield from schema_examples(schema, f"{pointer}/{escape(name)}")
        return
    if isinstance(node.get("schema"), dict):
        schema_pointer = f"{pointer}/schema"
        if "example" in node:
            yield Example(f"{pointer}/example", schema_pointer, node["example"])
        for name, example in node.get("examples", {}).items():
            example = resolve(document, example)
            if "value" in example:
                yield Example(f"{pointer}/examples/{escape(name)}", schema_pointer, example["value"])
        yield from schema_examples(node["schema"], schema_pointer)
    for key, value in node.items():
        # Example values are data, not OpenAPI objects; `schema` was walked above.
        if key not in ("schema", "example", "examples"):
            yield from document_examples(document, value, f"{pointer}/{escape(key)}")


EXAMPLES = list(document_examples(SPEC, SPEC))


# --- the document as a whole ---------------------------------------------------------------------------


def test_spec_is_valid_openapi_3_1() -> None:
    assert SPEC["openapi"].startswith("3.1.")
    validate(SPEC, base_uri=SPEC_URI, cls=OpenAPIV31SpecValidator)


# --- examples ------------------------------------------------------------------------------------------


def test_examples_are_found() -> None:
    ids = {example.id for example in EXAMPLES}
    # One of each kind the walk must find: a component schema's, a response media type's.
    assert "schemas/ModelEntity/examples/0" in ids
    assert "responses/UnprocessableEntity/content/application/json/example" in ids
    assert len(EXAMPLES) >= 25, f"only {len(EXAMPLES)} examples found: {sorted(ids)}"
    assert len(ids) == len(EXAMPLES), "two examples share an id"


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.id for example in EXAMPLES])
def test_example_matches_its_schema(example: Example) -> None:
    errors = schema_errors(example.schema_pointer, example.value)
    assert not errors, f"{example.id} does not match {example.schema_pointer}:\n" + "\n".join(errors)


def test_example_walk_covers_parameters_headers_and_nested_schemas() -> None:
    document = {
        "paths": {
            "/x": {
                "get": {
                    "parameters": [
                        {"name": "q", "in": "query", "schema": {"type": "string"}, "example": "a"}
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {
                                "X-Count": {
                                    "schema": {"type": "integer"},
                                    "examples": {
                                        "one": {"value": 1},
                                        "ref": {"$ref": "#/components/examples/Two"},
                                    },
                                }
                            },
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {"n": {"type": "integer", "examples": [3]}},
                                    }
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"examples": {"Two": {"value": 2}}, "schemas": {"S": {"items": {"examples": [4]}}}},
    }
    found = {example.id: example.value for example in document_examples(document, document)}
    assert found == {
        "paths//x/get/parameters/0/example": "a",
        "paths//x/get/responses/200/headers/X-Count/examples/one": 1,
        "paths//x/get/responses/200/headers/X-Count/examples/ref": 2,
        "paths//x/get/responses/200/content/application/json/schema/properties/n/examples/0": 3,
        "schemas/S/items/examples/0": 4,
    }


def test_schema_validation_is_not_vacuous() -> None:
    model_example = dict(SPEC["components"]["schemas"]["ModelEntity"]["examples"][0])
    assert not schema_errors("/components/schemas/ModelEntity", model_example)
    del model_example["_id"]
    assert schema_errors("/components/schemas/ModelEntity", model_example)
    assert schema_errors("/components/schemas/ErrorBody", {"status": "401", "message": "x"})
    assert schema_errors("/components/schemas/ModelEntity/properties/created_at", "yesterday")


# --- operations ----------------------------------------------------------------------------------------


def test_operation_set_is_exactly_the_supported_api() -> None:
    actual = {(method, path) for method, path, _, _ in OPERATIONS}
    assert actual == EXPECTED_OPERATIONS, (
        f"missing: {sorted(EXPECTED_OPERATIONS - actual)}, unexpected: {sorted(actual - EXPECTED_OPERATIONS)}"
    )


def test_operation_ids_are_unique() -> None:
    operation_ids = [operation.get("operationId") for _, _, operation, _ in OPERATIONS]
    assert len(set(operation_ids)) == len(operation_ids), operation_ids


@pytest.mark.parametrize(("method", "path", "operation", "item"), OPERATIONS, ids=OPERATION_IDS)
def test_operation_is_named_tagged_and_summarized(
    method: str, path: str, operation: dict[str, Any], item: dict[str, Any]
) -> None:
    declared_tags = {tag["name"] for tag in SPEC.get("tags", [])}
    assert operation.get("operationId"), f"{method} {path} has no operationId"
    assert operation.get("tags"), f"{method} {path} has no tag"
    assert set(operation["tags"]) <= declared_tags, f"{method} {path}: undeclared tags {operation['tags']}"
    assert operation.get("summary"), f"{method} {path} has no summary"


@pytest.mark.parametrize(("method", "path", "operation", "item"), OPERATIONS, ids=OPERATION_IDS)
def test_operation_declares_auth_rate_limit_and_server_errors(
    method: str, path: str, operation: dict[str, Any], item: dict[str, Any]
) -> None:
    missing = {"401", "429", "5XX"} - set(operation["responses"])
    assert not missing, f"{method} {path} does not declare {sorted(missing)}"


@pytest.mark.parametrize(("method", "path", "operation", "item"), OPERATIONS, ids=OPERATION_IDS)
def test_error_responses_use_the_error_bodies(
    method: str, path: str, operation: dict[str, Any], item: dict[str, Any]
) -> None:
    problems = []
    for status, response in operation["responses"].items():
        if str(status).startswith("2"):
            continue
        content = resolve(SPEC, response).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        expected = "ValidationErrorBody" if str(status) == "422" else "ErrorBody"
        if schema != {"$ref": f"#/components/schemas/{expected}"}:
            problems.append(f"{status}: expected application/json {expected}, got {content}")
        example = content.get("application/json", {}).get("example")
        if isinstance(example, dict) and not str(example.get("status")).startswith(str(status).rstrip("X")):
            problems.append(f"{status}: the example's status is {example.get('status')}")
    assert not problems, f"{method} {path}:\n" + "\n".join(problems)


def test_error_bodies_have_the_documented_shape() -> None:
    schemas = SPEC["components"]["schemas"]
    error_body = schemas["ErrorBody"]
    assert error_body["type"] == "object"
    assert set(error_body["properties"]) == {"status", "message", "reason"}
    assert set(error_body["required"]) == {"status", "message"}
    validation_body = schemas["ValidationErrorBody"]
    assert validation_body["type"] == "array"
    assert validation_body["items"] == {"$ref": "#/components/schemas/ValidationIssue"}
    assert {"loc", "type", "msg"} <= set(schemas["ValidationIssue"]["required"])


@pytest.mark.parametrize(("method", "path", "operation", "item"), OPERATIONS, ids=OPERATION_IDS)
def test_every_parameter_has_a_schema(
    method: str, path: str, operation: dict[str, Any], item: dict[str, Any]
) -> None:
    parameters = [resolve(SPEC, p) for p in item.get("parameters", []) + operation.get("parameters", [])]
    for parameter in parameters:
        assert isinstance(parameter.get("schema"), dict), (
            f"{method} {path}: parameter {parameter} has no schema"
        )
        if parameter["in"] == "path":
            assert parameter.get("required") is True, f"{method} {path}: path parameter must be required"
            assert "{" + parameter["name"] + "}" in path, f"{method} {path}: {parameter['name']} not in path"


def test_component_parameters_have_a_schema() -> None:
    for name, parameter in SPEC["components"].get("parameters", {}).items():
        assert isinstance(parameter.get("schema"), dict), f"components/parameters/{name} has no schema"


# --- open enums ----------------------------------------------------------------------------------------


def closed_enum_of(name: str) -> str:
    """The name of the closed enum listing the known values of open enum `name`."""
    schema = SPEC["components"]["schemas"][name]
    branches = schema.get("anyOf", [])
    refs = [b["$ref"] for b in branches if "$ref" in b]
    assert len(branches) == 2, f"{name} should be anyOf [known values, any string]"
    assert {"type": "string"} in branches, f"{name} should accept any string"
    assert len(refs) == 1, f"{name} should reference exactly one closed enum"
    known = refs[0].removeprefix("#/components/schemas/")
    assert SPEC["components"]["schemas"][known].get("enum"), f"{known} should list the known values"
    return known


def test_tts_model_is_open_and_lists_the_known_models() -> None:
    assert closed_enum_of("TTSModel") == "KnownTTSModel"
    listed = set(SPEC["components"]["schemas"]["KnownTTSModel"]["enum"])
    assert listed >= KNOWN_TTS_MODELS, f"KnownTTSModel lost {sorted(KNOWN_TTS_MODELS - listed)}"
    for model in listed:
        assert not schema_errors("/components/schemas/KnownTTSModel", model)
        assert not schema_errors("/components/schemas/TTSModel", model)
    assert schema_errors("/components/schemas/KnownTTSModel", "s9-ultra")
    assert not schema_errors("/components/schemas/TTSModel", "s9-ultra")
    assert schema_errors("/components/schemas/TTSModel", 1)


@pytest.mark.parametrize("name", OPEN_ENUMS)
def test_open_enum_accepts_an_unknown_value(name: str) -> None:
    known = closed_enum_of(name)
    for value in SPEC["components"]["schemas"][known]["enum"]:
        assert not schema_errors(f"/components/schemas/{name}", value)
    assert not schema_errors(f"/components/schemas/{name}", "something-new")
    assert schema_errors(f"/components/schemas/{known}", "something-new")
