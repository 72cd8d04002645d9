"""Derive the generator's view of spec/openapi.yaml.

openapi-python-client 0.29 mis-generates operations that accept several body types, so the view keeps
exactly one body type per operation: the one fishaudio_ext sends. It knows neither MessagePack nor
Server-Sent Events; spec/generator.yaml presents both as JSON and the forked endpoint template
(spec/templates/endpoint_module.py.jinja) encodes and decodes them:

- an application/msgpack body is the model's ``to_dict()``, packed;
- a text/event-stream response is typed here as a list of its ``x-event-schema`` events, which the
  template parses event by event.

Usage: generator_view.py SPEC OUTPUT_JSON
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

# The first of these an operation accepts is the one the generated client sends. MessagePack comes before
# JSON because it carries bytes (reference audio) as they are.
BODY_PREFERENCE = (
    "multipart/form-data",
    "application/msgpack",
    "application/json",
    "application/x-www-form-urlencoded",
)
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def single_body_type(content: dict[str, Any], where: str) -> dict[str, Any]:
    for media_type in BODY_PREFERENCE:
        if media_type in content:
            return {media_type: content[media_type]}
    raise SystemExit(f"{where}: no request body type the generator supports among {sorted(content)}")


def _referenced(node: Any, schemas: dict[str, Any], found: set[str]) -> set[str]:
    """The component schemas ``node`` refers to, directly or through other schemas."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        name = ref.rsplit("/", 1)[1] if ref.startswith("#/components/schemas/") else None
        if name is not None and name not in found:
            found.add(name)
            _referenced(schemas[name], schemas, found)
        for value in node.values():
            _referenced(value, schemas, found)
    elif isinstance(node, list):
        for value in node:
            _referenced(value, schemas, found)
    return found


def without_request_defaults(spec: dict[str, Any]) -> dict[str, Any]:
    """Drop the property defaults of request-only schemas, so generated request models send only what
    the caller set: a spec default is the server's business. Schemas responses use keep theirs, which
    fill in fields a response leaves out."""
    schemas = spec.get("components", {}).get("schemas", {})
    operations = [item[m] for item in spec.get("paths", {}).values() for m in HTTP_METHODS if m in item]
    requests = _referenced([op.get("requestBody", {}) for op in operations], schemas, set())
    responses = _referenced([op.get("responses", {}) for op in operations], schemas, set())
    responses |= _referenced(spec.get("components", {}).get("responses", {}), schemas, set())
    for name in sorted(requests - responses):
        for prop in schemas[name].get("properties", {}).values():
            prop.pop("default", None)
    return spec


def event_stream_as_list(operation: dict[str, Any]) -> None:
    """Type each text/event-stream response as the list of its events, for the template to parse."""
    for response in operation.get("responses", {}).values():
        media_type = response.get("content", {}).get("text/event-stream")
        if media_type and "x-event-schema" in media_type:
            media_type["schema"] = {"type": "array", "items": media_type["x-event-schema"]}


def generator_view(spec: dict[str, Any]) -> dict[str, Any]:
    for path, item in spec.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not operation:
                continue
            if "requestBody" in operation:
                body = operation["requestBody"]
                body["content"] = single_body_type(body["content"], f"{method.upper()} {path}")
            event_stream_as_list(operation)
    return without_request_defaults(spec)


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        raise SystemExit(__doc__)
    spec = yaml.safe_load(Path(argv[1]).read_text(encoding="utf-8"))
    Path(argv[2]).write_text(json.dumps(generator_view(spec), indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
