"""Check a request against its operation in the spec: parameters, content type and body.

Parameters and form fields arrive as strings, so each is first converted to what its schema admits
(``"10"`` to 10 for an integer, repeated keys to a list for an array); MessagePack and JSON bodies keep
their own types. Bytes (a MessagePack ``bin``, a multipart file) stand for ``format: binary``. Whatever
the schema rejects becomes one issue of a 422 array, worded like the API's own (pydantic) messages:
``{"loc": ["body", "prosody", "speed"], "type": "less_than_equal", "msg": "Input should be ..."}``.

Before the schema, every value is checked for what JSON Schema cannot judge: a NaN or infinite number
(range keywords are silently true for NaN; JSON bodies may spell ``NaN`` and ``Infinity``) and a string
holding a lone surrogate (a JSON ``"\\ud800"`` escape), which no UTF-8 encoder downstream accepts.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable, Mapping, Sequence, Sized
from typing import Any, Final
from urllib.parse import parse_qsl

import attrs
import msgpack
from jsonschema import ValidationError
from starlette.datastructures import Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from ._errors import Issue, Problem, fail, parse_error, validation_error
from ._spec import Operation, Spec, escape_pointer_token, schema_errors

JSON: Final = "application/json"
MSGPACK: Final = "application/msgpack"
FORM: Final = "application/x-www-form-urlencoded"
MULTIPART: Final = "multipart/form-data"
_FORM_TYPES: Final = (FORM, MULTIPART)
# Anything larger is refused with 413 unless the operation sets its own limit.
DEFAULT_MAX_BODY_BYTES: Final = 64 * 1024 * 1024
_INTEGER = re.compile(r"[+-]?\d+")
_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")
_MAX_SCHEMA_DEPTH = 32

BodyHook = Callable[[Any], Any]
"""Adjusts a parsed body before it is validated (for documented wire quirks)."""


@attrs.frozen
class ValidRequest:
    """A request that passed validation: parameters by location (defaults filled in) and the body."""

    operation: Operation
    path: Mapping[str, Any]
    query: Mapping[str, Any]
    headers: Mapping[str, Any]
    body: dict[str, Any]
    media_type: str | None


def media_type(content_type: str | None) -> str | None:
    """``"application/json; charset=utf-8"`` becomes ``"application/json"``; None or blank stays None."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


async def validate_request(
    spec: Spec,
    request: Request,
    operation: Operation,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    prepare_body: BodyHook | None = None,
) -> ValidRequest:
    """Parse and check ``request``; raise :class:`Problem` (400, 413, 415 or 422) when it does not conform."""
    issues: list[Issue] = []
    values: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}, "cookie": {}}
    for parameter in operation.parameters:
        raw = _raw_parameter(request, parameter.location, parameter.name)
        if not raw:
            if parameter.required:
                issues.append(_missing((parameter.location, parameter.name), parameter.location))
            else:
                default = default_of(spec, spec.node(parameter.schema_pointer))
                if default is not _NO_DEFAULT:
                    values[parameter.location][parameter.name] = default
            continue
        value = coerce(spec, spec.node(parameter.schema_pointer), raw)
        loc = (parameter.location, parameter.name)
        issues += unrepresentable(value, parameter.location, loc) or to_issues(
            schema_errors(spec, parameter.schema_pointer, value), parameter.location, loc
        )
        values[parameter.location][parameter.name] = value
    body: Any = {}
    kind: str | None = None
    if operation.request_media_types:
        kind, body = await _read_body(spec, request, operation, max_body_bytes)
        if kind is None:
            if operation.body_required:
                issues.append(_missing(("body",), "body"))
            body = {}
        else:
            if prepare_body is not None:
                body = prepare_body(body)
            issues += check_instance(
                spec, _body_schema_pointer(operation, kind), body, fill_defaults=not issues
            )
    if issues:
        raise Problem(validation_error(_unique(issues)))
    return ValidRequest(
        operation=operation,
        path=values["path"],
        query=values["query"],
        headers=values["header"],
        body=body if isinstance(body, dict) else {},
        media_type=kind,
    )


def check_instance(
    spec: Spec,
    pointer: str,
    instance: Any,
    *,
    location: str = "body",
    prefix: tuple[str | int, ...] = ("body",),
    fill_defaults: bool = True,
) -> list[Issue]:
    """The issues of ``instance`` against the schema at ``pointer``; when there are none, fill in its
    defaults (with ``fill_defaults``). For bodies, and for decoded messages such as WebSocket events::

        issues = check_instance(spec, "/components/schemas/LiveStartEvent", event)
    """
    issues = unrepresentable(instance, location, prefix) or _unique(
        to_issues(schema_errors(spec, pointer, instance), location, prefix)
    )
    if not issues and fill_defaults and isinstance(instance, dict):
        apply_defaults(spec, spec.node(pointer), instance)
    return issues


def unrepresentable(value: Any, location: str, loc: tuple[str | int, ...]) -> list[Issue]:
    """Issues for the non-finite numbers and unencodable strings anywhere in ``value`` (keys included).

    When there are any, they are the whole answer: the schema's own messages could quote such a value,
    and an issue must itself be encodable.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return [Issue(loc, "finite_number", "Input should be a finite number", location)]
    if isinstance(value, str) and not _encodable(value):
        msg = "Input should be a valid string, unable to parse raw data as a unicode string"
        return [Issue(loc, "string_unicode", msg, location)]
    issues: list[Issue] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            name = _loc_name(key)
            if isinstance(key, str) and name != key:
                issues += unrepresentable(key, location, (*loc, name))
            issues += unrepresentable(item, location, (*loc, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            issues += unrepresentable(item, location, (*loc, index))
    return issues


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _loc_name(key: object) -> str | int:
    """A map key as an issue's ``loc`` can show it: lone surrogates spelled as escapes."""
    if isinstance(key, str):
        return key.encode("utf-8", errors="backslashreplace").decode("utf-8")
    return key if isinstance(key, int) and not isinstance(key, bool) else repr(key)


def text_too_long(text: str, limit: int, loc: tuple[str | int, ...]) -> Issue | None:
    """The issue of a text over the server's own ``limit`` of characters (``_text_limit``), worded as the
    API words a string over its ``maxLength``; None when the text is within it."""
    if len(text) <= limit:
        return None
    return _length_issue(loc, "maxLength", limit, "body")


def _raw_parameter(request: Request, location: str, name: str) -> list[str]:
    if location == "query":
        return request.query_params.getlist(name)
    if location == "header":
        return request.headers.getlist(name)
    if location == "path":
        value = request.path_params.get(name)
        return [] if value is None else [str(value)]
    if location == "cookie":
        value = request.cookies.get(name)
        return [] if value is None else [value]
    return []


def _body_schema_pointer(operation: Operation, kind: str) -> str:
    return f"{operation.pointer}/requestBody/content/{escape_pointer_token(kind)}/schema"


async def _read_body(
    spec: Spec, request: Request, operation: Operation, max_body_bytes: int
) -> tuple[str | None, Any]:
    """Return the body's media type and parsed value; (None, None) for an absent body."""
    kind = media_type(request.headers.get("content-type"))
    raw = await read_limited_body(request, max_body_bytes)
    if kind is None:
        if not raw:
            return None, None
        raise _unsupported(operation, "none")
    if kind not in operation.request_media_types:
        raise _unsupported(operation, kind)
    if kind in _FORM_TYPES:
        fields = await _form_fields(request.headers, raw) if kind == MULTIPART else _urlencoded(raw)
        schema = spec.resolve_schema(spec.node(_body_schema_pointer(operation, kind)))
        return kind, _form_object(spec, schema, fields)
    if not raw:
        return None, None
    return kind, _decode(kind, raw)


async def read_limited_body(request: Request, limit: int) -> bytes:
    """The request's body; a 413 :class:`Problem` as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    return await _read_limited(request.stream(), limit)


async def _read_limited(stream: AsyncIterator[bytes], limit: int) -> bytes:
    data = bytearray()
    async for chunk in stream:
        data += chunk
        if len(data) > limit:
            raise _too_large(limit)
    return bytes(data)


def _too_large(limit: int) -> Problem:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
    return fail(413, f"Request entity too large: at most {size}")


def _unsupported(operation: Operation, kind: str) -> Problem:
    accepted = ", ".join(operation.request_media_types)
    return fail(415, f"Unsupported content type {kind}: this endpoint accepts {accepted}")


def _decode(kind: str, raw: bytes) -> Any:
    try:
        if kind == MSGPACK:
            return msgpack.unpackb(raw, raw=False)
        return json.loads(raw)
    except (ValueError, TypeError, RecursionError) as exc:
        name = "MessagePack" if kind == MSGPACK else "JSON"
        raise Problem(parse_error(f"Invalid {name} body: {exc}")) from exc


def _urlencoded(raw: bytes) -> list[tuple[str, str | bytes]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(parse_error(f"Invalid form body: {exc}")) from exc
    return list(parse_qsl(text, keep_blank_values=True))


async def _form_fields(headers: Headers, raw: bytes) -> list[tuple[str, str | bytes]]:
    async def once() -> AsyncGenerator[bytes, None]:
        yield raw

    try:
        form = await MultiPartParser(headers, once(), max_part_size=len(raw) + 1).parse()
    except MultiPartException as exc:
        raise Problem(parse_error(f"Invalid multipart body: {exc.message}")) from exc
    fields: list[tuple[str, str | bytes]] = []
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            fields.append((name, await value.read()))
            await value.close()
        else:
            fields.append((name, value))
    return fields


def _form_object(
    spec: Spec, schema: Mapping[str, Any], fields: Sequence[tuple[str, str | bytes]]
) -> dict[str, Any]:
    """Group repeated form keys and convert each field to what its property schema admits."""
    grouped: dict[str, list[str | bytes]] = {}
    for name, value in fields:
        grouped.setdefault(name, []).append(value)
    properties = schema.get("properties", {})
    result: dict[str, Any] = {}
    for name, raw in grouped.items():
        if name in properties:
            result[name] = coerce(spec, properties[name], raw)
        else:
            result[name] = raw[0] if len(raw) == 1 else raw
    return result


def _kinds(spec: Spec, schema: Any, depth: int = 0) -> set[str]:
    """The JSON types a schema admits, through ``$ref``, ``anyOf``, ``oneOf`` and ``allOf``."""
    if not isinstance(schema, Mapping) or depth > _MAX_SCHEMA_DEPTH:
        return set()
    schema = spec.resolve_schema(schema)
    declared = schema.get("type")
    kinds = {declared} if isinstance(declared, str) else set(declared or ())
    if "const" in schema:
        kinds.add(_json_type(schema["const"]))
    for value in schema.get("enum", ()):
        kinds.add(_json_type(value))
    for keyword in ("anyOf", "oneOf"):
        for branch in schema.get(keyword, ()):
            kinds |= _kinds(spec, branch, depth + 1)
    for branch in schema.get("allOf", ()):
        kinds |= _kinds(spec, branch, depth + 1)
    return kinds


def _items(spec: Spec, schema: Any, depth: int = 0) -> Any:
    """The ``items`` schema of the first array a schema admits, or ``{}``."""
    if not isinstance(schema, Mapping) or depth > _MAX_SCHEMA_DEPTH:
        return {}
    schema = spec.resolve_schema(schema)
    if "items" in schema:
        return schema["items"]
    for keyword in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(keyword, ()):
            if "array" in _kinds(spec, branch):
                return _items(spec, branch, depth + 1)
    return {}


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def coerce(spec: Spec, schema: Any, raw: Sequence[str | bytes]) -> Any:
    """Turn the string values of one query parameter, header or form field into what ``schema`` admits.

    Several values make a list when the schema admits an array (else the last one wins, as with FastAPI);
    one value stays single when the schema admits a single value, and becomes a one-item list otherwise.
    """
    kinds = _kinds(spec, schema)
    single = kinds - {"array", "object", "null"}
    if "array" in kinds and (len(raw) > 1 or not single):
        items = _items(spec, schema)
        return [_scalar(_kinds(spec, items), value) for value in raw]
    return _scalar(kinds, raw[-1])


def _scalar(kinds: set[str], value: str | bytes) -> Any:
    if isinstance(value, bytes) or "string" in kinds or not kinds:
        return value
    if "integer" in kinds and _INTEGER.fullmatch(value.strip()):
        return int(value)
    if "number" in kinds:
        try:
            return float(value)
        except ValueError:
            pass
    if "boolean" in kinds and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    if "null" in kinds and value in ("", "null"):
        return None
    return value


class _NoDefault:
    pass


_NO_DEFAULT: Final = _NoDefault()


def default_of(spec: Spec, schema: Any) -> Any:
    """The schema's ``default`` (looking through a ``$ref``), or a private marker when it has none."""
    if not isinstance(schema, Mapping):
        return _NO_DEFAULT
    if "default" in schema:
        return copy.deepcopy(schema["default"])
    resolved = spec.resolve_schema(schema)
    return copy.deepcopy(resolved["default"]) if "default" in resolved else _NO_DEFAULT


def apply_defaults(spec: Spec, schema: Any, instance: dict[str, Any]) -> None:
    """Fill in the defaults of absent properties, in nested objects too (e.g. ``prosody.volume``)."""
    for name, prop in _object_schema(spec, schema).get("properties", {}).items():
        if name not in instance:
            default = default_of(spec, prop)
            if default is not _NO_DEFAULT:
                instance[name] = default
        elif isinstance(instance[name], dict):
            apply_defaults(spec, prop, instance[name])


def _object_schema(spec: Spec, schema: Any, depth: int = 0) -> Mapping[str, Any]:
    """The branch of a schema that describes an object (through ``$ref``/``anyOf``/``allOf``)."""
    if not isinstance(schema, Mapping) or depth > _MAX_SCHEMA_DEPTH:
        return {}
    resolved: Mapping[str, Any] = spec.resolve_schema(schema)
    if "properties" in resolved:
        return resolved
    for keyword in ("anyOf", "oneOf", "allOf"):
        for branch in resolved.get(keyword, ()):
            found = _object_schema(spec, branch, depth + 1)
            if found:
                return found
    return {}


def _missing(loc: tuple[str | int, ...], location: str) -> Issue:
    return Issue(loc=loc, type="missing", msg="Field required", location=location)


def _unique(issues: Iterable[Issue]) -> list[Issue]:
    seen: set[tuple[tuple[str | int, ...], str]] = set()
    result = []
    for issue in issues:
        if (issue.loc, issue.type) not in seen:
            seen.add((issue.loc, issue.type))
            result.append(issue)
    return result


# --- jsonschema errors to API issues --------------------------------------------------------------

_TYPE_ISSUES: Final = {
    "integer": ("int_type", "Input should be a valid integer"),
    "number": ("float_type", "Input should be a valid number"),
    "string": ("string_type", "Input should be a valid string"),
    "boolean": ("bool_type", "Input should be a valid boolean"),
    "array": ("list_type", "Input should be a valid list"),
    "object": ("dict_type", "Input should be a valid dictionary or object to extract fields from"),
    "null": ("none_required", "Input should be None"),
}
_BOUND_ISSUES: Final = {
    "minimum": ("greater_than_equal", "greater than or equal to", "ge"),
    "maximum": ("less_than_equal", "less than or equal to", "le"),
    "exclusiveMinimum": ("greater_than", "greater than", "gt"),
    "exclusiveMaximum": ("less_than", "less than", "lt"),
}


def to_issues(errors: Iterable[ValidationError], location: str, prefix: tuple[str | int, ...]) -> list[Issue]:
    """Translate jsonschema errors into API issues located under ``prefix`` (e.g. ``("body",)``)."""
    issues: list[Issue] = []
    for error in errors:
        issues += _issues(error, location, prefix)
    return issues


def _issues(error: ValidationError, location: str, prefix: tuple[str | int, ...]) -> list[Issue]:
    loc = (*prefix, *error.absolute_path)
    keyword = str(error.validator)
    value: Any = error.validator_value  # the keyword's value in the schema: plain JSON
    if keyword in ("anyOf", "oneOf") and error.context:
        return to_issues(_closest_branch(error.context), location, prefix)
    if keyword == "required":
        present = error.instance if isinstance(error.instance, Mapping) else {}
        return [_missing((*loc, name), location) for name in value if name not in present]
    if keyword == "type":
        wanted = [value] if isinstance(value, str) else [t for t in value if t != "null"] or list(value)
        kind, msg = _TYPE_ISSUES.get(wanted[0], ("type_error", error.message))
        return [Issue(loc=loc, type=kind, msg=msg, location=location)]
    if keyword in _BOUND_ISSUES:
        kind, words, key = _BOUND_ISSUES[keyword]
        return [Issue(loc, kind, f"Input should be {words} {_number(value)}", location, {key: value})]
    if keyword in ("enum", "const"):
        choices = list(value) if keyword == "enum" else [value]
        expected = _choices(choices)
        kind = "enum" if keyword == "enum" else "literal_error"
        return [Issue(loc, kind, f"Input should be {expected}", location, {"expected": expected})]
    if keyword in ("minLength", "maxLength"):
        return [_length_issue(loc, keyword, value, location)]
    if keyword in ("minItems", "maxItems"):
        short = keyword == "minItems"
        words = "at least" if short else "at most"
        count = len(error.instance) if isinstance(error.instance, Sized) else 0
        plural = "" if value == 1 else "s"
        return [
            Issue(
                loc,
                "too_short" if short else "too_long",
                f"List should have {words} {value} item{plural} after validation, not {count}",
                location,
                {"min_length" if short else "max_length": value, "actual_length": count},
            )
        ]
    if keyword == "additionalProperties" and value is False and isinstance(error.instance, Mapping):
        known = (error.schema.get("properties") or {}) if isinstance(error.schema, Mapping) else {}
        extra = [name for name in error.instance if name not in known]
        msg = "Extra inputs are not permitted"
        return [Issue(loc=(*loc, name), type="extra_forbidden", msg=msg, location=location) for name in extra]
    if keyword == "pattern":
        msg = f"String should match pattern '{value}'"
        return [Issue(loc, "string_pattern_mismatch", msg, location, {"pattern": value})]
    return [Issue(loc=loc, type="value_error", msg=error.message, location=location)]


def _length_issue(loc: tuple[str | int, ...], keyword: str, value: int, location: str) -> Issue:
    short = keyword == "minLength"
    words = "at least" if short else "at most"
    plural = "" if value == 1 else "s"
    return Issue(
        loc,
        "string_too_short" if short else "string_too_long",
        f"String should have {words} {value} character{plural}",
        location,
        {"min_length" if short else "max_length": value},
    )


def _closest_branch(context: Iterable[ValidationError]) -> list[ValidationError]:
    """The errors of the ``anyOf`` branch the instance came closest to matching.

    A branch that fails deeper in the instance (``prosody.speed`` too high) is closer than one whose very
    type is wrong (``prosody`` is not null); on a tie, the first branch, as the spec lists it, wins.
    """
    branches: dict[object, list[ValidationError]] = {}
    for error in context:
        branch = error.relative_schema_path[0] if error.relative_schema_path else 0
        branches.setdefault(branch, []).append(error)

    def closeness(errors: list[ValidationError]) -> tuple[int, bool]:
        depth = max(len(e.absolute_path) for e in errors)
        return depth, not all(e.validator in ("type", "const", "enum") for e in errors)

    best = max(branches.values(), key=closeness)  # max() keeps the first of equal branches
    return best


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _choices(values: Sequence[object]) -> str:
    shown = [f"'{v}'" if isinstance(v, str) else _number(v) for v in values]
    if len(shown) < 2:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} or {shown[-1]}"
