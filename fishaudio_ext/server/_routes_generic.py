"""A spec-conforming answer for every operation of the spec that no other route serves.

An operation added to the spec is answered at once, before it has a route of its own: the request is
validated like any other, and the answer is the operation's lowest 2xx status with the smallest body its
response schema allows (required fields only; a value's ``const``, first example, first enum value or
default, else the least its type and bounds allow). Pattern-constrained strings are not synthesized: an
operation whose answer needs one gets a route of its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Route

from ._context import ServerContext
from ._spec import Operation, Spec, escape_pointer_token

_PLACEHOLDER_SEGMENT = "x"


def sample(spec: Spec, schema: Mapping[str, Any]) -> Any:
    """The smallest instance of ``schema`` (see the module docstring)."""
    schema = spec.resolve_schema(schema)
    if "const" in schema:
        return schema["const"]
    for key in ("examples", "enum"):
        if schema.get(key):
            return schema[key][0]
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return sample(spec, schema[key][0])
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(sample(spec, part))
        return merged
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: sample(spec, properties.get(name, {})) for name in schema.get("required", [])}
    if kind == "array":
        return [sample(spec, schema.get("items", {}))] * schema.get("minItems", 0)
    if kind == "string":
        if schema.get("format") == "date-time":
            return "1970-01-01T00:00:00Z"
        return _PLACEHOLDER_SEGMENT * schema.get("minLength", 0)
    if kind in ("integer", "number"):
        if "minimum" in schema:
            return schema["minimum"]
        if "exclusiveMinimum" in schema:
            return schema["exclusiveMinimum"] + 1
        return min(0, schema.get("maximum", 0))
    return {"boolean": False, "null": None}[kind]


def _answer(context: ServerContext, operation: Operation) -> Callable[[Request], Awaitable[Response]]:
    spec = context.spec
    successes = sorted(code for code in operation.definition["responses"] if str(code).startswith("2"))
    status = str(successes[0])
    _, definition = spec.resolve(f"{operation.pointer}/responses/{escape_pointer_token(status)}")
    content: dict[str, Mapping[str, Any]] = definition.get("content") or {}
    media_type = next(iter(content), None)
    media = content.get(media_type or "", {})

    async def answer(request: Request) -> Response:
        await context.validate(request)
        if media_type is None:
            return Response(status_code=int(status))
        if media_type == "application/json" or media_type.endswith("+json"):
            return JSONResponse(sample(spec, media.get("schema", {})), status_code=int(status))
        if media_type == "text/event-stream":
            event = json.dumps(sample(spec, media.get("x-event-schema", {})))
            return Response(f"data: {event}\n\n", status_code=int(status), media_type=media_type)
        return Response(b"", status_code=int(status), media_type=media_type)

    return answer


def _is_served(operation: Operation, routes: Sequence[BaseRoute]) -> bool:
    path = re.sub(r"\{[^}]+\}", _PLACEHOLDER_SEGMENT, operation.template)
    scope = {"type": "http", "path": path, "root_path": "", "method": operation.method}
    return any(route.matches(scope)[0] is Match.FULL for route in routes)


def routes(context: ServerContext, served: Sequence[BaseRoute]) -> list[BaseRoute]:
    """A route for each operation of ``context``'s spec that none of ``served`` answers."""
    return [
        Route(operation.template, _answer(context, operation), methods=[operation.method])
        for operation in context.spec.operations
        if not _is_served(operation, served)
    ]
