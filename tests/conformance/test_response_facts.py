"""The response facts the client checks answers against are those of the spec, and accept its examples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fishaudio_api.models
import pytest
import yaml
from fishaudio_api.response_facts import SCHEMAS, SUCCESS_MEDIA_TYPES

from fishaudio_ext._parse import schema_problem

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "spec" / "openapi.yaml").read_text())
COMPONENTS = SPEC["components"]


def operations() -> dict[str, dict[str, Any]]:
    return {
        operation["operationId"]: operation
        for item in SPEC["paths"].values()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }


def success_contents(operation: dict[str, Any]) -> dict[str, Any]:
    contents: dict[str, Any] = {}
    for status, response in operation["responses"].items():
        if str(status).startswith("2"):
            if "$ref" in response:
                response = COMPONENTS["responses"][response["$ref"].rpartition("/")[2]]
            contents.update(response.get("content", {}))
    return contents


def test_every_operation_has_its_declared_media_types() -> None:
    declared = {name: tuple(sorted(success_contents(op))) for name, op in operations().items()}
    assert declared == SUCCESS_MEDIA_TYPES


@pytest.mark.parametrize(
    "operation", sorted(name for name, types in SUCCESS_MEDIA_TYPES.items() if "application/json" in types)
)
def test_each_json_answer_has_a_schema_and_a_generated_model_of_the_same_name(operation: str) -> None:
    schema = success_contents(operations()[operation])["application/json"]["schema"]
    name = schema["$ref"].rpartition("/")[2]
    assert name in SCHEMAS
    assert hasattr(getattr(fishaudio_api.models, name), "from_dict")


@pytest.mark.parametrize(
    "name", sorted(name for name in SCHEMAS if COMPONENTS["schemas"][name].get("examples"))
)
def test_the_spec_examples_pass_the_response_check(name: str) -> None:
    for example in COMPONENTS["schemas"][name]["examples"]:
        assert schema_problem(example, {"$ref": name}) is None


@pytest.mark.parametrize(
    ("value", "schema", "problem"),
    [
        (True, {"type": "integer"}, "the body is true, expected integer"),
        (1, {"type": "boolean"}, "the body is 1, expected boolean"),
        (-1, {"type": "integer", "minimum": 0}, "the body is -1, below the minimum 0"),
        (0, {"type": "integer", "exclusiveMinimum": 0}, "the body is 0, not above 0"),
        (5, {"type": "number", "maximum": 4}, "the body is 5, above the maximum 4"),
        ("z", {"enum": ["a", "b"]}, 'the body is "z", expected one of ["a", "b"]'),
        (None, {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "the body is null, expected string"),
        ({"a": {}}, {"properties": {"a": {"required": ["b"]}}}, "a.b is missing"),
        ({"q": {"x": "1"}}, {"properties": {"q": {"additionalProperties": {"type": "number"}}}}, "q.x is"),
    ],
)
def test_schema_problem_names_the_first_problem(value: object, schema: dict[str, Any], problem: str) -> None:
    found = schema_problem(value, schema)
    assert found is not None
    assert found.startswith(problem)


@pytest.mark.parametrize(
    ("value", "schema"),
    [
        (3, {"type": "number", "minimum": 0}),
        (None, {"type": ["integer", "null"]}),
        ("custom", {"anyOf": [{"enum": ["known"]}, {"type": "string"}]}),
        ({"extra": [1, {"deep": True}]}, {"type": "object", "properties": {}}),
    ],
)
def test_schema_problem_accepts_what_the_schema_allows(value: object, schema: dict[str, Any]) -> None:
    assert schema_problem(value, schema) is None
