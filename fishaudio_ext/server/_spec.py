"""The OpenAPI document the server implements, loaded once: its operations, and JSON Schema validators for any
part of it.

The document ships inside the package (``fishaudio_ext/server/openapi.yaml``, a link to ``spec/openapi.yaml``
in a source checkout), so an installed server validates against the very spec the client was generated from.
Schemas are validated with Draft 2020-12 against a registry holding the whole document, so every ``$ref``
resolves exactly as the spec writes it.
"""

from __future__ import annotations

import datetime
import functools
import importlib.resources
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

import attrs
import yaml
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_URI: Final = "urn:fishaudio-ext:openapi"
"""The URI the document is registered under; schema pointers are resolved against it."""

_HTTP_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TYPE_KEYWORD = Draft202012Validator.VALIDATORS["type"]


def _binary_aware_type(
    validator: Validator, types: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Any]:
    """``type``, except that raw bytes satisfy a ``type: string`` + ``format: binary`` schema.

    A MessagePack ``bin`` or a multipart file is the wire form of ``format: binary``; JSON Schema has no type
    for bytes, so without this every upload would fail as "not a string".
    """
    if isinstance(instance, (bytes, bytearray)) and schema.get("format") == "binary":
        allowed = [types] if isinstance(types, str) else list(types)
        if "string" in allowed:
            return
    yield from _TYPE_KEYWORD(validator, types, instance, schema)


def _is_date_time(instance: object) -> bool:
    """RFC 3339 date-time with a time zone; other types pass (``type`` checks those)."""
    if not isinstance(instance, str):
        return True
    try:
        value = datetime.datetime.fromisoformat(instance.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return "T" in instance.upper() and value.tzinfo is not None


_FORMATS = FormatChecker(formats=())
_FORMATS.checks("date-time", raises=())(_is_date_time)

SpecValidator = validators.extend(  # type: ignore[no-untyped-call]  # jsonschema leaves extend() untyped
    Draft202012Validator, validators={"type": _binary_aware_type}
)
"""Draft 2020-12 with bytes accepted for ``format: binary`` strings."""


def escape_pointer_token(token: str) -> str:
    """Escape one JSON Pointer token (RFC 6901), e.g. ``/v1/tts`` becomes ``~1v1~1tts``."""
    return token.replace("~", "~0").replace("/", "~1")


@attrs.frozen
class Parameter:
    """A resolved parameter of an operation, with the pointer to its schema."""

    name: str
    location: str
    required: bool
    schema_pointer: str
    definition: Mapping[str, Any]


@attrs.frozen
class Operation:
    """One operation of the document (e.g. ``POST /v1/tts``) and where its parts live in it."""

    operation_id: str
    method: str
    template: str
    pointer: str
    definition: Mapping[str, Any]
    parameters: tuple[Parameter, ...]
    _pattern: re.Pattern[str]

    def match(self, path: str) -> dict[str, str] | None:
        """Return the path parameters if ``path`` is an instance of this operation's template, else None."""
        found = self._pattern.fullmatch(path)
        return None if found is None else found.groupdict()

    @property
    def request_media_types(self) -> tuple[str, ...]:
        """The request body media types the operation accepts (empty when it takes no body)."""
        body = self.definition.get("requestBody") or {}
        return tuple(body.get("content", {}))

    @property
    def body_required(self) -> bool:
        """Whether the request body is required."""
        return bool((self.definition.get("requestBody") or {}).get("required", False))


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join(f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(regex)


class Spec:
    """The parsed document, its schema registry, and its operations.

    Example: ``load_spec().find("POST", "/v1/tts")`` is the ``text_to_speech`` operation and ``{}``.
    """

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        resource: Resource[Any] = Resource.from_contents(document, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self.operations: tuple[Operation, ...] = tuple(self._operations())

    def node(self, pointer: str) -> Any:
        """The document node at a JSON Pointer such as ``/components/schemas/TTSRequest``."""
        node: Any = self.document
        for token in pointer.split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    def resolve(self, pointer: str) -> tuple[str, Any]:
        """Follow ``$ref`` chains from ``pointer``; return the final pointer and node."""
        node = self.node(pointer)
        seen = {pointer}
        while (
            isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#")
        ):
            pointer = node["$ref"][1:]
            if pointer in seen:
                raise ValueError(f"$ref cycle at {pointer}")
            seen.add(pointer)
            node = self.node(pointer)
        return pointer, node

    def resolve_schema(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """A schema with its own top-level ``$ref`` followed (siblings of the ``$ref`` are kept)."""
        while isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#"):
            target = self.node(schema["$ref"][1:])
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        return schema

    def validator(self, pointer: str) -> Validator:
        """A validator for the schema at ``pointer`` (cached)."""
        return _validator(self, pointer)

    def find(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation for a request, with its path parameters, or None."""
        for operation in self.operations:
            if operation.method == method.upper():
                params = operation.match(path)
                if params is not None:
                    return operation, params
        return None

    def has_path(self, path: str) -> bool:
        """Whether some operation has this path (for telling 405 from 404)."""
        return any(operation.match(path) is not None for operation in self.operations)

    def operation(self, operation_id: str) -> Operation:
        """The operation with this ``operationId``."""
        for operation in self.operations:
            if operation.operation_id == operation_id:
                return operation
        raise KeyError(operation_id)

    def _operations(self) -> Iterator[Operation]:
        for template, item in self.document.get("paths", {}).items():
            item_pointer = f"/paths/{escape_pointer_token(template)}"
            shared = list(self._parameters(item_pointer, item))
            for method in _HTTP_METHODS:
                if method not in item:
                    continue
                pointer = f"{item_pointer}/{method}"
                own = list(self._parameters(pointer, item[method]))
                names = {(p.name.lower(), p.location) for p in own}
                parameters = [p for p in shared if (p.name.lower(), p.location) not in names] + own
                yield Operation(
                    operation_id=item[method].get("operationId", f"{method} {template}"),
                    method=method.upper(),
                    template=template,
                    pointer=pointer,
                    definition=item[method],
                    parameters=tuple(parameters),
                    pattern=_template_pattern(template),
                )

    def _parameters(self, pointer: str, holder: Mapping[str, Any]) -> Iterator[Parameter]:
        for index, _ in enumerate(holder.get("parameters", [])):
            param_pointer, param = self.resolve(f"{pointer}/parameters/{index}")
            yield Parameter(
                name=param["name"],
                location=param["in"],
                required=bool(param.get("required", param["in"] == "path")),
                schema_pointer=f"{param_pointer}/schema",
                definition=param,
            )


@functools.lru_cache(maxsize=512)
def _validator(spec: Spec, pointer: str) -> Validator:
    schema = {"$ref": f"{SPEC_URI}#{pointer}"}
    validator: Validator = SpecValidator(schema, registry=spec.registry, format_checker=_FORMATS)
    return validator


def schema_errors(spec: Spec, pointer: str, instance: Any) -> list[ValidationError]:
    """Every violation of the schema at ``pointer`` by ``instance``, in document order."""
    return sorted(
        spec.validator(pointer).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))
    )


@functools.cache
def load_spec() -> Spec:
    """The document bundled with the package, parsed once per process."""
    text = importlib.resources.files(__package__).joinpath("openapi.yaml").read_text(encoding="utf-8")
    return Spec(yaml.safe_load(text))
