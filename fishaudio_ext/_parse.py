"""Turn successful JSON responses into the generated layer's typed models, or a documented error.

The generated ``from_dict`` trusts its input (``total: true`` would become a "count"), so a body is first
checked against its schema in the spec (``fishaudio_api.response_facts.SCHEMAS``): the JSON types (a
boolean is not an integer), the bounds (no negative count) and the required fields. Unknown extra fields
are accepted, as the API may add some at any time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx
from fishaudio_api.response_facts import SCHEMAS

from .exceptions import APIResponseValidationError

_QUOTE_CHARS = 60


T = TypeVar("T")


def parse_json_object(response: httpx.Response, parse: Callable[[Any], T], schema: Mapping[str, Any]) -> T:
    """Parse a JSON object body with ``parse`` (a generated ``from_dict``), after checking it against
    ``schema`` (an entry of ``fishaudio_api.response_facts.SUCCESS_SCHEMAS``).

    Any other body (not JSON, not an object, not matching the schema) raises APIResponseValidationError.
    """
    what = f"{response.request.method} {response.request.url.path}"
    try:
        data = json.loads(response.content, parse_constant=_not_a_number)
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to parse
        raise _invalid(response, f"{what} returned a body that is not JSON") from None
    if not isinstance(data, dict):
        raise _invalid(response, f"{what} returned a JSON {type(data).__name__}, expected an object", data)
    problem = schema_problem(data, schema)
    if problem is not None:
        raise _invalid(response, f"{what} returned an object that does not match the spec: {problem}", data)
    try:
        return parse(data)
    except KeyError as error:
        raise _invalid(response, f"{what} returned an object without the field {error}", data) from None
    except (TypeError, ValueError, AttributeError) as error:
        raise _invalid(
            response, f"{what} returned an object that does not match the spec: {error}", data
        ) from None


def schema_problem(value: object, schema: Mapping[str, Any], where: str = "") -> str | None:
    """The first way a decoded JSON ``value`` breaks ``schema`` (as in SCHEMAS), or None when it fits.

    Example: ``schema_problem({"total": -1, "items": []}, {"$ref": "ModelList"})`` is
    ``"total is -1, below the minimum 0"``.
    """
    name = where or "the body"
    if "$ref" in schema:
        problem = schema_problem(value, SCHEMAS[schema["$ref"]], where)
        if problem is not None:
            return problem
    types = schema.get("type")
    if types is not None:
        allowed = [types] if isinstance(types, str) else list(types)
        if not any(_is_json_type(value, json_type) for json_type in allowed):
            return f"{name} is {_quote(value)}, expected {' or '.join(allowed)}"
    if "const" in schema and value != schema["const"]:
        return f"{name} is {_quote(value)}, expected {_quote(schema['const'])}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{name} is {_quote(value)}, expected one of {_quote(schema['enum'])}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        problem = _bound_problem(value, schema)
        if problem is not None:
            return f"{name} is {_quote(value)}, {problem}"
    for alternatives in (schema.get("anyOf"), schema.get("oneOf")):
        if alternatives is not None:
            problems = [schema_problem(value, option, where) for option in alternatives]
            if all(problem is not None for problem in problems):
                return problems[0]
    for part in schema.get("allOf", ()):
        problem = schema_problem(value, part, where)
        if problem is not None:
            return problem
    if isinstance(value, dict):
        return _object_problem(value, schema, where)
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problem = schema_problem(item, schema["items"], f"{where}[{index}]")
            if problem is not None:
                return problem
    return None


def _object_problem(value: dict[str, Any], schema: Mapping[str, Any], where: str) -> str | None:
    prefix = f"{where}." if where else ""
    for field in schema.get("required", ()):
        if field not in value:
            return f"{prefix}{field} is missing"
    properties: Mapping[str, Any] = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    for field, item in value.items():
        field_schema = properties.get(field, extra)
        if field_schema is not None:
            problem = schema_problem(item, field_schema, f"{prefix}{field}")
            if problem is not None:
                return problem
    return None


def _is_json_type(value: object, json_type: str) -> bool:
    # bool is a subclass of int in Python, never a number in JSON.
    if json_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if json_type == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    python_type = {"string": str, "boolean": bool, "object": dict, "array": list, "null": type(None)}
    return isinstance(value, python_type[json_type])


def _bound_problem(value: float, schema: Mapping[str, Any]) -> str | None:
    if "minimum" in schema and value < schema["minimum"]:
        return f"below the minimum {schema['minimum']}"
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        return f"not above {schema['exclusiveMinimum']}"
    if "maximum" in schema and value > schema["maximum"]:
        return f"above the maximum {schema['maximum']}"
    if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
        return f"not below {schema['exclusiveMaximum']}"
    return None


def _quote(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _QUOTE_CHARS else text[:_QUOTE_CHARS] + "…"


def _not_a_number(constant: str) -> float:
    # Python's json module reads NaN and Infinity, which are not JSON (RFC 8259 section 6).
    raise ValueError(f"{constant} is not a JSON number")


def _invalid(response: httpx.Response, message: str, body: object = None) -> APIResponseValidationError:
    if body is None:
        body = response.text[:500]
    return APIResponseValidationError(response.status_code, message, body, headers=response.headers)
