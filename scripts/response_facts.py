"""Write what each operation of the spec answers on success: the media types, and the JSON schemas.

fishaudio_ext checks every successful answer against these: its Content-Type must be one its operation
declares, and a JSON body must have the types and bounds of its schema (the generated models trust both).

Usage: response_facts.py SPEC OUTPUT_PY
"""

from __future__ import annotations

import pprint
import sys
from pathlib import Path
from typing import Any

import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
# The keywords the response check reads; the others (descriptions, examples, formats the generated
# models parse themselves) are left out.
SCHEMA_KEYWORDS = {
    "type",
    "properties",
    "required",
    "items",
    "additionalProperties",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "enum",
    "const",
    "anyOf",
    "oneOf",
    "allOf",
    "$ref",
}
REF_PREFIX = "#/components/schemas/"

HEADER = '''"""What each operation answers on success, from spec/openapi.yaml (scripts/response_facts.py).

SUCCESS_MEDIA_TYPES: per operation id, the media types of its 2xx answers (empty: no content).
SUCCESS_SCHEMAS: per operation id answering JSON, the schema of that JSON answer.
SCHEMAS: the component schemas of those JSON answers, by name, with only the keywords a response check
reads; ``{"$ref": "Name"}`` points at another entry.
"""

from typing import Any, Final

'''


def reduce(schema: Any, used: set[str]) -> Any:
    """The schema with only SCHEMA_KEYWORDS; each referenced component's name is added to ``used``."""
    if not isinstance(schema, dict):
        return schema
    reduced: dict[str, Any] = {}
    for key, value in schema.items():
        if key not in SCHEMA_KEYWORDS:
            continue
        if key == "$ref":
            name = value.removeprefix(REF_PREFIX)
            used.add(name)
            reduced[key] = name
        elif key == "properties":
            reduced[key] = {name: reduce(sub, used) for name, sub in value.items()}
        elif key in ("anyOf", "oneOf", "allOf"):
            reduced[key] = [reduce(sub, used) for sub in value]
        elif key in ("items", "additionalProperties"):
            if isinstance(value, dict):
                reduced[key] = reduce(value, used)
        else:
            reduced[key] = value
    return reduced


def response_facts(
    spec: dict[str, Any],
) -> tuple[dict[str, tuple[str, ...]], dict[str, Any], dict[str, Any]]:
    components = spec["components"]
    media_types: dict[str, tuple[str, ...]] = {}
    success_schemas: dict[str, Any] = {}
    pending: set[str] = set()
    for item in spec["paths"].values():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            types: set[str] = set()
            for status, response in operation["responses"].items():
                if not str(status).startswith("2"):
                    continue
                if "$ref" in response:
                    response = components["responses"][response["$ref"].rpartition("/")[2]]
                for media_type, content in response.get("content", {}).items():
                    types.add(media_type)
                    if media_type == "application/json":
                        success_schemas[operation["operationId"]] = reduce(content.get("schema", {}), pending)
            media_types[operation["operationId"]] = tuple(sorted(types))
    schemas: dict[str, Any] = {}
    while pending:
        name = pending.pop()
        if name not in schemas:
            schemas[name] = reduce(components["schemas"][name], pending)
    return (
        dict(sorted(media_types.items())),
        dict(sorted(success_schemas.items())),
        dict(sorted(schemas.items())),
    )


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        raise SystemExit(__doc__)
    spec = yaml.safe_load(Path(argv[1]).read_text(encoding="utf-8"))
    media_types, success_schemas, schemas = response_facts(spec)
    text = (
        HEADER
        + f"SUCCESS_MEDIA_TYPES: Final[dict[str, tuple[str, ...]]] = {pprint.pformat(media_types)}\n\n"
        + f"SUCCESS_SCHEMAS: Final[dict[str, dict[str, Any]]] = {pprint.pformat(success_schemas)}\n\n"
        + f"SCHEMAS: Final[dict[str, dict[str, Any]]] = {pprint.pformat(schemas)}\n"
    )
    Path(argv[2]).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
