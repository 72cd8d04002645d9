"""Compare our API description with Fish Audio's published one, property by property.

Usage:
  scripts/spec-drift [UPSTREAM_OPENAPI] [--upstream-asyncapi FILE] [--spec FILE] [--asyncapi FILE]
                     [--deviations FILE] [--unexplained] [--json]
  scripts/spec-drift --update-baseline PATH_OR_URL [PATH_OR_URL ...] [--source TEXT] [--date YYYY-MM-DD]

By default both sides come from the repository: ours is spec/openapi.yaml and spec/asyncapi.yaml (whose
message payloads are the ``Live*`` schemas of openapi.yaml), upstream is the baseline copy of Fish Audio's
openapi.json and asyncapi.yml in spec/upstream/. ``--update-baseline`` replaces that copy with the document(s)
read from a path or URL (each recognised by its ``openapi`` or ``asyncapi`` key) and records where and when
they came from in spec/upstream/SOURCES.yaml.

What is compared. For every operation (paths containing ``/agent`` are out of scope on both sides): its
parameters (headers by lower-case name), the request body's media types and schema, the status codes, and per
status the response headers, media types and schema. For the live WebSocket: the handshake headers and every
message (identified by its ``event`` constant), its direction, content type and payload. A schema is flattened
to field paths (``prosody.speed``, ``references[]``, ``[]`` for a top-level array) after resolving ``$ref``
and merging ``allOf``/``anyOf``/``oneOf`` branches; each path carries: type, format, nullable, required,
default, enum (``const`` counts as a one-value enum), minimum, maximum, exclusiveMinimum, exclusiveMaximum,
minLength, maxLength, minItems, maxItems, pattern, additionalProperties. Descriptions, titles, examples and
``x-`` extensions are ignored, and so are a ``null`` default (it says no more than nullability) and whether
an enum is open (our spec accepts unknown values of server-extended enums on purpose).

Each line names a path (``POST /v1/tts | request | chunk_length``), a property (``maximum``) and both values.
A deviation entry in spec/upstream-deviations.yaml explains lines by ``path`` (``*`` matches any text) and
exact ``property``, optionally pinned to the values it expects (``ours``, ``upstream``). Exit status: 0 when
every line is explained and every entry explains a line, 1 otherwise, 2 on usage or input errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "spec"
DEFAULT_SPEC = SPEC_DIR / "openapi.yaml"
DEFAULT_ASYNCAPI = SPEC_DIR / "asyncapi.yaml"
DEFAULT_DEVIATIONS = SPEC_DIR / "upstream-deviations.yaml"
BASELINE_DIR = SPEC_DIR / "upstream"
BASELINE_FILES = {"openapi": "openapi.json", "asyncapi": "asyncapi.yml"}
SOURCES_FILE = "SOURCES.yaml"
SOURCES_HEADER = "# Where each baseline copy came from; written by scripts/spec-drift --update-baseline.\n"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_KEYWORDS = (
    "format",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "pattern",
)
FETCH_TIMEOUT = 30.0
MISSING = "(none)"
# Properties of a request, response, header or message as a whole rather than of its schema.
LOCATION_PROPERTIES = ("required", "media types", "action", "content type")

# field path -> property -> the set of values seen (several when merged branches disagree)
Fields = dict[str, dict[str, set[str]]]


class DriftError(Exception):
    """An input problem reported as a message with exit status 2."""


# --- documents and references ------------------------------------------------------------------------


def _parse(text: str, name: str) -> Any:
    try:
        return json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise DriftError(f"cannot parse {name}: {exc}") from exc


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DriftError(f"cannot read {path}: {exc}") from exc
    return _parse(text, str(path))


@dataclass
class Document:
    """A parsed document; ``$ref`` to another file is resolved relative to ``path``."""

    data: Any
    path: Path | None = None
    _others: dict[Path, Document] = field(default_factory=dict, repr=False)

    def resolve(self, ref: str) -> tuple[Document, Any]:
        """The document a reference points into, and the node it names."""
        location, _, pointer = ref.partition("#")
        doc = self
        if location:
            if self.path is None:
                raise DriftError(f"cannot resolve {ref!r}: the document has no location")
            target = (self.path.parent / location).resolve()
            if target not in self._others:
                self._others[target] = Document(_read(target), target, self._others)
            doc = self._others[target]
        if pointer and not pointer.startswith("/"):
            raise DriftError(f"unsupported $ref {ref!r}: only JSON pointers ('#/...') are resolved")
        node: Any = doc.data
        for part in pointer.split("/")[1:] if pointer else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise DriftError(f"unresolvable $ref {ref!r}")
            node = node[part]
        return doc, node

    def deref(self, node: Any) -> tuple[Document, Any]:
        """Follow a chain of ``$ref`` objects (parameters, bodies, responses, messages)."""
        doc, seen = self, set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
            seen.add(node["$ref"])
            doc, node = doc.resolve(node["$ref"])
        return doc, node


def load_openapi(path: Path) -> Document:
    """An OpenAPI document (JSON or YAML) that must have a ``paths`` mapping."""
    data = _read(path)
    if not isinstance(data, dict) or not isinstance(data.get("paths"), dict):
        raise DriftError(f"{path} is not an OpenAPI document (no 'paths' mapping)")
    return Document(data, path.resolve())


def load_asyncapi(path: Path) -> Document:
    """An AsyncAPI document that must have a ``channels`` mapping."""
    data = _read(path)
    if not isinstance(data, dict) or "asyncapi" not in data or not isinstance(data.get("channels"), dict):
        raise DriftError(f"{path} is not an AsyncAPI document (no 'asyncapi' key and 'channels' mapping)")
    return Document(data, path.resolve())


# --- schemas to field paths --------------------------------------------------------------------------


def _value(value: Any) -> str:
    """One canonical text per value: ``2`` and ``2.0`` are the same number, strings stay bare."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)


class _Walk(NamedTuple):
    """What walking one schema collects, beyond the properties of each path."""

    fields: Fields
    nullable: set[str]  # paths where null is allowed
    required: dict[str, set[str]]  # object path -> required property names, from every merged branch
    properties: dict[str, tuple[str, str]]  # property path -> (object path, property name)


def flatten(doc: Document, schema: Any, prefix: str = "") -> Fields:
    """Every field path under ``schema`` (``""`` is the schema itself) with its compared properties."""
    walk = _Walk({}, set(), {}, {})
    _walk(doc, schema, prefix, frozenset(), walk)
    for path, props in walk.fields.items():
        props["nullable"] = {"true" if path in walk.nullable else "false"}
    for path, (parent, name) in walk.properties.items():
        walk.fields[path]["required"] = {"true" if name in walk.required.get(parent, ()) else "false"}
    return walk.fields


def _add(fields: Fields, path: str, prop: str, *values: str) -> None:
    fields.setdefault(path, {}).setdefault(prop, set()).update(values)


def _walk(doc: Document, schema: Any, path: str, refs: frozenset[str], walk: _Walk) -> None:
    fields, nullable = walk.fields, walk.nullable
    fields.setdefault(path, {})
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str):
        key = f"{doc.path}{ref}"
        if key not in refs:  # a reference already being walked is a cycle: stop there
            target_doc, target = doc.resolve(ref)
            _walk(target_doc, target, path, refs | {key}, walk)
    types = schema.get("type")
    for name in types if isinstance(types, list) else [types] if isinstance(types, str) else []:
        if name == "null":
            nullable.add(path)
        else:
            _add(fields, path, "type", name)
    if "type" not in schema and isinstance(schema.get("properties"), dict):
        _add(fields, path, "type", "object")
    if "type" not in schema and isinstance(schema.get("items"), dict):
        _add(fields, path, "type", "array")
    values = list(schema.get("enum") or []) + ([schema["const"]] if "const" in schema else [])
    if None in values:
        nullable.add(path)
    if any(v is not None for v in values):
        _add(fields, path, "enum", *(_value(v) for v in values if v is not None))
    for keyword in SCHEMA_KEYWORDS:
        # A null default says no more than nullability does (upstream's generator writes one on every
        # optional field), so it is not compared.
        if keyword in schema and not (keyword == "default" and schema[keyword] is None):
            _add(fields, path, keyword, _value(schema[keyword]))
    extra = schema.get("additionalProperties")
    if extra is False:
        _add(fields, path, "additionalProperties", "false")
    elif isinstance(extra, dict):
        _add(fields, path, "additionalProperties", "schema")
        _walk(doc, extra, f"{path}{{*}}", refs, walk)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword) or []:
            _walk(doc, branch, path, refs, walk)
    if isinstance(schema.get("required"), list):
        walk.required.setdefault(path, set()).update(str(name) for name in schema["required"])
    for name, sub in (schema.get("properties") or {}).items():
        child = f"{path}.{name}" if path else str(name)
        walk.properties[child] = (path, str(name))
        _walk(doc, sub, child, refs, walk)
    if isinstance(schema.get("items"), dict):
        _walk(doc, schema["items"], f"{path}[]", refs, walk)


def _merge(target: Fields, other: Fields) -> None:
    for path, props in other.items():
        for prop, values in props.items():
            _add(target, path, prop, *values)


def _content_fields(doc: Document, content: Any) -> Fields:
    """The fields of every media type's schema, merged.

    Our spec types a ``text/event-stream`` body as a string and puts the schema of each event's data in
    ``x-event-schema``; upstream uses the event schema as the body schema. Both count as the body.
    """
    fields: Fields = {}
    for media in (content or {}).values():
        if not isinstance(media, dict):
            continue
        schema = media.get("x-event-schema", media.get("schema"))
        if schema is not None:
            _merge(fields, flatten(doc, schema))
    return fields


# --- what is compared ----------------------------------------------------------------------------------


def _media_types(content: Any) -> set[str]:
    return {str(media).lower() for media in content or {}}


def _listing(values: Iterable[str]) -> str:
    return "[" + ", ".join(sorted(values)) + "]"


def _operation_facts(doc: Document, path_item: dict[str, Any], op: dict[str, Any]) -> dict[str, Fields]:
    locations: dict[str, Fields] = {}
    for param in list(path_item.get("parameters") or []) + list(op.get("parameters") or []):
        param_doc, param = doc.deref(param)
        if not isinstance(param, dict) or "name" not in param:
            continue
        where = str(param.get("in", "?"))
        name = str(param["name"]).lower() if where == "header" else str(param["name"])
        if "schema" in param:
            fields = flatten(param_doc, param["schema"])
        else:
            fields = _content_fields(param_doc, param.get("content"))
        _add(fields, "", "required", "true" if param.get("required") else "false")
        locations[f"parameter {where} {name}"] = fields
    body_doc, body = doc.deref(op.get("requestBody"))
    if isinstance(body, dict):
        fields = _content_fields(body_doc, body.get("content"))
        _add(fields, "", "required", "true" if body.get("required") else "false")
        _add(fields, "", "media types", _listing(_media_types(body.get("content"))))
        locations["request"] = fields
    for code, response in (op.get("responses") or {}).items():
        response_doc, response = doc.deref(response)
        response = response if isinstance(response, dict) else {}
        content = response.get("content")
        fields = _content_fields(response_doc, content)
        _add(fields, "", "media types", _listing(_media_types(content)))
        locations[f"response {code}"] = fields
        for header, spec in (response.get("headers") or {}).items():
            header_doc, spec = response_doc.deref(spec)
            spec = spec if isinstance(spec, dict) else {}
            header_fields = flatten(header_doc, spec.get("schema"))
            _add(header_fields, "", "required", "true" if spec.get("required") else "false")
            locations[f"response {code} header {str(header).lower()}"] = header_fields
    return locations


def openapi_subjects(doc: Document) -> dict[str, dict[str, Fields]]:
    """``"METHOD path"`` -> its locations, for every path that does not contain ``/agent``."""
    result: dict[str, dict[str, Fields]] = {}
    for path, path_item in doc.data["paths"].items():
        item_doc, path_item = doc.deref(path_item)
        if "/agent" in str(path) or not isinstance(path_item, dict):
            continue
        for method in METHODS:
            if isinstance(path_item.get(method), dict):
                result[f"{method.upper()} {path}"] = _operation_facts(item_doc, path_item, path_item[method])
    return result


def _message_id(doc: Document, message: dict[str, Any], fallback: str) -> str:
    """A message is known by the ``event`` constant of its payload, the same on the wire for both sides."""
    event = flatten(doc, message.get("payload")).get("event", {}).get("enum", set())
    return next(iter(event)) if len(event) == 1 else fallback


def asyncapi_subjects(doc: Document) -> dict[str, dict[str, Fields]]:
    """``"WS address"`` -> its locations: handshake headers and one location per message."""
    data = doc.data
    actions: dict[int, str] = {}
    for operation in (data.get("operations") or {}).values():
        if isinstance(operation, dict):
            for ref in operation.get("messages") or []:
                actions[id(doc.deref(ref)[1])] = str(operation.get("action"))
    default_type = str(data.get("defaultContentType", MISSING))
    result: dict[str, dict[str, Fields]] = {}
    for name, channel in data["channels"].items():
        channel_doc, channel = doc.deref(channel)
        if not isinstance(channel, dict):
            continue
        locations: dict[str, Fields] = {}
        headers_doc, headers = channel_doc.deref(
            ((channel.get("bindings") or {}).get("ws") or {}).get("headers")
        )
        for header, schema in ((headers or {}).get("properties") or {}).items():
            locations[f"handshake header {str(header).lower()}"] = flatten(headers_doc, schema)
        for key, message in (channel.get("messages") or {}).items():
            message_doc, message = channel_doc.deref(message)
            if not isinstance(message, dict):
                continue
            fields = flatten(message_doc, message.get("payload"))
            _add(fields, "", "action", actions.get(id(message), MISSING))
            _add(fields, "", "content type", str(message.get("contentType", default_type)))
            locations[f"message {_message_id(message_doc, message, str(key))}"] = fields
        result[f"WS {channel.get('address', name)}"] = locations
    return result


# --- differences -------------------------------------------------------------------------------------


class Line(NamedTuple):
    """One property whose value differs between the two sides."""

    path: str  # "POST /v1/tts | request | chunk_length"
    property: str  # "maximum"
    ours: str
    upstream: str

    def describe(self) -> str:
        *where, last = self.path.split(" | ")
        # "subject | location | field" reads as field.property; "subject[ | location]" as " | property"
        target = (
            " | ".join([*where, f"{last}.{self.property}"])
            if len(where) == 2
            else f"{self.path} | {self.property}"
        )
        return f"{target}: ours {self.ours}, upstream {self.upstream}"


def _parent(path: str) -> str:
    """``a[]``, ``a{*}`` and ``a.b`` -> ``a``; ``a[].b`` -> ``a[]``."""
    for suffix in ("[]", "{*}"):
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path.rpartition(".")[0]


def _render(values: set[str] | None) -> str:
    if not values:
        return MISSING
    return next(iter(values)) if len(values) == 1 else _listing(values)


def _presence(path: str, in_ours: bool, in_upstream: bool) -> Line:
    """The line for something only one side has; what lies below it is not listed."""
    return Line(path, "present", "yes" if in_ours else "no", "yes" if in_upstream else "no")


def _has_schema(fields: Fields) -> bool:
    return "nullable" in fields.get("", {})  # set by flatten() on every path it visits


def _compare_fields(where: str, ours: Fields, upstream: Fields) -> Iterator[Line]:
    if not (_has_schema(ours) and _has_schema(upstream)):
        # One side has no body schema at all: compare what the location itself says (media types, ...).
        ours, upstream = (
            {"": {prop: values for prop, values in side.get("", {}).items() if prop in LOCATION_PROPERTIES}}
            for side in (ours, upstream)
        )
    for path in sorted(ours.keys() | upstream.keys()):
        location = f"{where} | {path}" if path else where
        if path not in ours or path not in upstream:
            if path and _parent(path) in ours and _parent(path) in upstream:
                yield _presence(location, path in ours, path in upstream)
            continue
        for prop in sorted(ours[path].keys() | upstream[path].keys()):
            mine, theirs = ours[path].get(prop, set()), upstream[path].get(prop, set())
            if mine != theirs:
                yield Line(location, prop, _render(mine), _render(theirs))


def compare_subjects(
    ours: dict[str, dict[str, Fields]], upstream: dict[str, dict[str, Fields]]
) -> list[Line]:
    lines: list[Line] = []
    for subject in sorted(ours.keys() | upstream.keys(), key=lambda s: s.split(" ")[::-1]):
        if subject not in ours or subject not in upstream:
            lines.append(_presence(subject, subject in ours, subject in upstream))
            continue
        mine, theirs = ours[subject], upstream[subject]
        for location in sorted(mine.keys() | theirs.keys()):
            where = f"{subject} | {location}"
            if location not in mine or location not in theirs:
                # A response header is listed only when both sides have its response.
                parent = location.rpartition(" header ")[0] if location.startswith("response ") else ""
                if not parent or (parent in mine and parent in theirs):
                    lines.append(_presence(where, location in mine, location in theirs))
                continue
            lines.extend(_compare_fields(where, mine[location], theirs[location]))
    return lines


def compare(upstream: Document, spec: Document) -> list[Line]:
    """Every differing property of the two OpenAPI documents."""
    return compare_subjects(openapi_subjects(spec), openapi_subjects(upstream))


def compare_asyncapi(upstream: Document, ours: Document) -> list[Line]:
    """Every differing property of the two AsyncAPI documents."""
    return compare_subjects(asyncapi_subjects(ours), asyncapi_subjects(upstream))


# --- deviations --------------------------------------------------------------------------------------


class Deviation(NamedTuple):
    """An explained difference: ``path`` may use ``*``; ``ours``/``upstream`` pin the expected values."""

    path: str
    property: str
    reason: str
    source: str
    ours: str | None = None
    upstream: str | None = None

    def matches(self, line: Line) -> bool:
        pattern = ".*".join(re.escape(part) for part in self.path.split("*"))
        return (
            re.fullmatch(pattern, line.path) is not None
            and self.property == line.property
            and self.ours in (None, line.ours)
            and self.upstream in (None, line.upstream)
        )

    @property
    def label(self) -> str:
        pinned = "".join(
            f", {side} {value}"
            for side, value in (("ours", self.ours), ("upstream", self.upstream))
            if value is not None
        )
        return f"{self.path} | {self.property}{pinned}"


def _pinned(entry: dict[str, Any], key: str) -> str | None:
    """A pinned value as the report renders it (YAML reads ``yes``/``no`` as booleans)."""
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) and entry.get("property") == "present":
        return "yes" if value else "no"
    if isinstance(value, list):
        return _listing(_value(item) for item in value)
    return _value(value)


def load_deviations(path: Path) -> list[Deviation]:
    """Read ``deviations: [{path, property, reason, source, ours?, upstream?}, ...]``."""
    data = _read(path)
    entries = data.get("deviations") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise DriftError(f"{path}: expected a top-level 'deviations' list")
    result = []
    for index, entry in enumerate(entries, start=1):
        entry = entry if isinstance(entry, dict) else {}
        texts = {key: entry.get(key) for key in ("path", "property", "reason", "source")}
        missing = [key for key, value in texts.items() if not (isinstance(value, str) and value.strip())]
        if missing:
            raise DriftError(
                f"{path}: deviation #{index} needs a non-empty {', '.join(repr(k) for k in missing)}"
            )
        unknown = set(entry) - {"path", "property", "reason", "source", "ours", "upstream"}
        if unknown:
            raise DriftError(f"{path}: deviation #{index} has unknown keys {sorted(unknown)}")
        if "*" in texts["property"]:
            raise DriftError(f"{path}: deviation #{index}: 'property' names one property, without '*'")
        result.append(
            Deviation(
                texts["path"].strip(),
                texts["property"].strip(),
                texts["reason"].strip(),
                texts["source"].strip(),
                _pinned(entry, "ours"),
                _pinned(entry, "upstream"),
            )
        )
    return result


def classify(
    lines: list[Line], deviations: list[Deviation]
) -> tuple[list[Deviation | None], list[Deviation]]:
    """The deviation explaining each line (or None), and the entries that explain no line."""
    explained: list[Deviation | None] = []
    used: set[int] = set()
    for line in lines:
        matching = [i for i, dev in enumerate(deviations) if dev.matches(line)]
        explained.append(deviations[matching[0]] if matching else None)
        used.update(matching)
    return explained, [dev for i, dev in enumerate(deviations) if i not in used]


# --- output ------------------------------------------------------------------------------------------


def render_text(
    lines: list[Line], explained: list[Deviation | None], stale: list[Deviation], unexplained_only: bool
) -> str:
    missing = [line for line, dev in zip(lines, explained, strict=True) if dev is None]
    out: list[str] = []
    if missing:
        out += [f"Unexplained ({len(missing)}):", *(f"  {line.describe()}" for line in missing), ""]
    if stale:
        out += [
            f"Stale deviation entries, explaining nothing ({len(stale)}):",
            *(f"  {dev.label}" for dev in stale),
            "",
        ]
    if not unexplained_only:
        known = [(line, dev) for line, dev in zip(lines, explained, strict=True) if dev is not None]
        if known:
            out.append(f"Explained ({len(known)}):")
            out += [f"  {line.describe()}\n      {dev.reason} [{dev.source}]" for line, dev in known]
            out.append("")
    out.append(f"{len(lines)} differences, {len(missing)} unexplained, {len(stale)} stale deviation entries")
    return "\n".join(out)


def render_json(
    lines: list[Line], explained: list[Deviation | None], stale: list[Deviation], unexplained_only: bool
) -> str:
    items: list[dict[str, Any]] = []
    for line, dev in zip(lines, explained, strict=True):
        if dev is None or not unexplained_only:
            status = "unexplained" if dev is None else "explained"
            reason = {"reason": dev.reason, "source": dev.source} if dev else {"reason": None, "source": None}
            items.append({**line._asdict(), "line": line.describe(), "status": status, **reason})
    items.sort(key=lambda item: item["status"] != "unexplained")
    items += [{**dev._asdict(), "status": "stale"} for dev in stale]
    return json.dumps(items, indent=2)


# --- the baseline --------------------------------------------------------------------------------------


def _fetch(source: str) -> bytes:
    if re.match(r"^https?://", source):
        try:
            with urllib.request.urlopen(source, timeout=FETCH_TIMEOUT) as response:
                return bytes(response.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DriftError(f"cannot fetch {source}: {exc}") from exc
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise DriftError(f"cannot read {source}: {exc}") from exc


def _kind(content: bytes, source: str) -> str:
    """``openapi`` or ``asyncapi``, from the document itself (its copy must parse under the copy's name)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DriftError(f"cannot read {source}: not UTF-8 text") from exc
    data = _parse(text, source)
    for kind, key, body in (("openapi", "openapi", "paths"), ("asyncapi", "asyncapi", "channels")):
        if isinstance(data, dict) and key in data and isinstance(data.get(body), dict):
            _parse(text, BASELINE_FILES[kind])  # e.g. an OpenAPI document in YAML cannot be openapi.json
            return kind
    raise DriftError(f"{source} is neither an OpenAPI document (paths) nor an AsyncAPI document (channels)")


def update_baseline(sources: list[str], note: str | None, date: str) -> list[str]:
    """Copy each document into spec/upstream/ as published, recording its source, date and sha256.

    Every document is fetched and checked before anything is written.
    """
    directory = BASELINE_DIR
    fetched = [(source, _fetch(source)) for source in sources]
    kinds = [(source, content, _kind(content, source)) for source, content in fetched]
    record_path = directory / SOURCES_FILE
    record = _read(record_path) if record_path.is_file() else {}
    record = record if isinstance(record, dict) else {}
    written = []
    directory.mkdir(parents=True, exist_ok=True)
    for source, content, kind in kinds:
        name = BASELINE_FILES[kind]
        (directory / name).write_bytes(content)
        record[name] = {
            "source": note or source,
            "date": date,
            "sha256": hashlib.sha256(content).hexdigest(),
        }
        written.append(f"{directory / name} <- {source}")
    record_path.write_text(SOURCES_HEADER + yaml.safe_dump(record, sort_keys=True), encoding="utf-8")
    return written


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from exc


# --- command line --------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spec-drift", description="Report how our spec differs from Fish Audio's published documents."
    )
    parser.add_argument(
        "upstream",
        nargs="?",
        type=Path,
        default=BASELINE_DIR / BASELINE_FILES["openapi"],
        help="Fish Audio's openapi.json (default: the baseline copy, spec/upstream/openapi.json)",
    )
    parser.add_argument(
        "--upstream-asyncapi",
        type=Path,
        default=BASELINE_DIR / BASELINE_FILES["asyncapi"],
        help="Fish Audio's asyncapi.yml (default: spec/upstream/asyncapi.yml)",
    )
    parser.add_argument(
        "--spec", type=Path, default=DEFAULT_SPEC, help="our spec (default: spec/openapi.yaml)"
    )
    parser.add_argument(
        "--asyncapi",
        type=Path,
        default=DEFAULT_ASYNCAPI,
        help="our AsyncAPI document (default: spec/asyncapi.yaml)",
    )
    parser.add_argument(
        "--deviations",
        type=Path,
        default=DEFAULT_DEVIATIONS,
        help="explained differences (default: spec/upstream-deviations.yaml)",
    )
    parser.add_argument(
        "--unexplained", action="store_true", help="show only unexplained lines and stale entries"
    )
    parser.add_argument("--json", action="store_true", help="print a machine-readable JSON list")
    parser.add_argument(
        "--update-baseline",
        nargs="+",
        metavar="PATH_OR_URL",
        help="replace the baseline copy in spec/upstream/ with these documents, then exit",
    )
    parser.add_argument(
        "--source",
        help="with --update-baseline: the source to record for each document (default: its PATH_OR_URL)",
    )
    parser.add_argument(
        "--date",
        type=_date,
        default=dt.datetime.now(dt.timezone.utc).date().isoformat(),
        help="with --update-baseline: the date to record (default: today, UTC)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.update_baseline:
            for done in update_baseline(args.update_baseline, args.source, args.date):
                print(done)
            return 0
        lines = compare(load_openapi(args.upstream), load_openapi(args.spec))
        lines += compare_asyncapi(load_asyncapi(args.upstream_asyncapi), load_asyncapi(args.asyncapi))
        deviations = load_deviations(args.deviations)
    except DriftError as exc:
        print(f"spec-drift: error: {exc}", file=sys.stderr)
        return 2
    explained, stale = classify(lines, deviations)
    render = render_json if args.json else render_text
    print(render(lines, explained, stale, args.unexplained))
    return 1 if stale or None in explained else 0


if __name__ == "__main__":
    sys.exit(main())
