"""Compare spec/openapi.yaml with a Fish Audio published openapi.json and report the drift.

Usage: scripts/spec-drift PATH [--spec FILE] [--deviations FILE] [--json]

Paths containing ``/agent`` are out of scope and ignored on both sides. For every operation present in
both documents it compares parameters, request content types, request body fields, response status
codes, response body fields and enum values. Fields are flattened to dotted paths (``prosody.speed``,
``references[].audio``; a top-level array body is ``[]``) after resolving ``$ref`` and walking every
``allOf``/``anyOf``/``oneOf`` branch, so nullable and "open enum" wrappers compare equal to plain ones.

Each difference has a stable key such as ``POST /v1/tts | request | features``. Entries of the deviations
file (``deviations: [{key, reason, only_in?}]``; ``*`` globs allowed in ``key``; ``only_in: spec|upstream``
limits an entry to differences that only that document has) explain them. Exit status: 0 when every
difference is explained and no entry is stale, 1 otherwise, 2 on usage or input errors.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT / "spec" / "openapi.yaml"
DEFAULT_DEVIATIONS = ROOT / "spec" / "upstream-deviations.yaml"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
FLAT_SECTIONS = ("parameter", "content-type", "status")  # items that are not field paths
SECTION_ORDER = ("operation", "parameter", "content-type", "request", "status", "response", "enum")

# section -> item -> enum values; sections: parameter, content-type, status, request, "response <code>".
Facts = dict[str, dict[str, set[str]]]


class DriftError(Exception):
    """An input problem reported as a message with exit status 2."""


class Difference(NamedTuple):
    """One thing present in only one of the two documents."""

    operation: str
    section: str
    item: str
    side: str  # "spec" or "upstream": the document that has it

    @property
    def key(self) -> str:
        if self.section == "operation":
            return f"{self.operation} | operation"
        return f"{self.operation} | {self.section} | {self.item}"

    def describe(self) -> str:
        if self.section == "enum":
            return f"enum only in {self.side}: {self.item}"
        what = {
            "operation": "operation",
            "parameter": f"parameter {self.item}",
            "content-type": f"request content type {self.item}",
            "status": f"response status {self.item}",
            "request": f"request field {self.item}",
        }.get(self.section, f"{self.section} field {self.item}")
        return f"only in {self.side}: {what}"


class Deviation(NamedTuple):
    """An explained difference: ``key`` may use ``*`` globs; ``only_in`` restricts it to one side."""

    key: str
    reason: str
    only_in: str | None = None

    def matches(self, diff: Difference) -> bool:
        pattern = ".*".join(re.escape(part) for part in self.key.split("*"))
        return re.fullmatch(pattern, diff.key) is not None and self.only_in in (None, diff.side)


def _load(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise DriftError(f"cannot read {path}: {exc}") from exc
    except (ValueError, yaml.YAMLError) as exc:
        raise DriftError(f"cannot parse {path}: {exc}") from exc


def load_document(path: Path) -> dict[str, Any]:
    """Read an OpenAPI document (JSON or YAML) that must have a ``paths`` mapping."""
    data = _load(path)
    if not isinstance(data, dict) or not isinstance(data.get("paths"), dict):
        raise DriftError(f"{path} is not an OpenAPI document (no 'paths' mapping)")
    return data


def load_deviations(path: Path) -> list[Deviation]:
    """Read ``deviations: [{key, reason, only_in?}, ...]``; ``only_in`` is ``spec`` or ``upstream``."""
    data = _load(path)
    entries = data.get("deviations") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise DriftError(f"{path}: expected a top-level 'deviations' list")
    result = []
    for index, entry in enumerate(entries):
        key, reason = (entry.get("key"), entry.get("reason")) if isinstance(entry, dict) else (None, None)
        if not (isinstance(key, str) and key.strip() and isinstance(reason, str) and reason.strip()):
            raise DriftError(f"{path}: deviation #{index + 1} needs a non-empty 'key' and 'reason'")
        only_in = entry.get("only_in")
        if only_in not in (None, "spec", "upstream"):
            raise DriftError(f"{path}: deviation #{index + 1}: 'only_in' must be 'spec' or 'upstream'")
        result.append(Deviation(key.strip(), reason.strip(), only_in))
    return result


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise DriftError(f"unsupported $ref {ref!r}: only local references are resolved")
    node: Any = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise DriftError(f"unresolvable $ref {ref!r}")
        node = node[part]
    return node


def _deref(doc: dict[str, Any], node: Any) -> Any:
    """Follow a chain of ``$ref`` objects (parameters, request bodies, responses)."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        node = _resolve(doc, node["$ref"])
    return node


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def flatten(
    doc: dict[str, Any], schema: Any, prefix: str = "", refs: frozenset[str] = frozenset()
) -> dict[str, set[str]]:
    """Map every field path under ``schema`` (``""`` = the schema itself) to its known enum values.

    ``null`` is dropped from enums: nullability is a type question, and OpenAPI 3.1 needs ``null`` in
    the enum of a ``type: [string, 'null']`` field while the ``anyOf`` form does not.
    """
    fields: dict[str, set[str]] = {prefix: set()}
    if not isinstance(schema, dict):
        return fields

    def merge(other: dict[str, set[str]]) -> None:
        for path, values in other.items():
            fields.setdefault(path, set()).update(values)

    ref = schema.get("$ref")
    if isinstance(ref, str) and ref not in refs:  # a ref already on the stack is a cycle: stop there
        merge(flatten(doc, _resolve(doc, ref), prefix, refs | {ref}))
    values = list(schema.get("enum") or []) + ([schema["const"]] if "const" in schema else [])
    fields[prefix].update(_value(v) for v in values if v is not None)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword) or []:
            merge(flatten(doc, branch, prefix, refs))
    for name, sub in (schema.get("properties") or {}).items():
        merge(flatten(doc, sub, f"{prefix}.{name}" if prefix else str(name), refs))
    if isinstance(schema.get("items"), dict):
        merge(flatten(doc, schema["items"], f"{prefix}[]", refs))
    return fields


def _content_fields(doc: dict[str, Any], content: Any) -> dict[str, set[str]]:
    """Union of the flattened fields of every media type's schema.

    Our spec types a ``text/event-stream`` body as a string and puts the schema of each event's data in
    ``x-event-schema``; upstream uses the event schema as the body schema. Both count as the body.
    """
    fields: dict[str, set[str]] = {"": set()}
    for media in (content or {}).values():
        for keyword in ("schema", "x-event-schema"):
            schema = media.get(keyword) if isinstance(media, dict) else None
            for path, values in flatten(doc, schema).items():
                fields.setdefault(path, set()).update(values)
    return fields


def operation_facts(doc: dict[str, Any], path_item: dict[str, Any], op: dict[str, Any]) -> Facts:
    """Everything compared about one operation."""
    facts: Facts = {"parameter": {}, "content-type": {}, "status": {}, "request": {}}
    for param in list(path_item.get("parameters") or []) + list(op.get("parameters") or []):
        param = _deref(doc, param)
        if not isinstance(param, dict) or "name" not in param:
            continue
        location = str(param.get("in", "?"))
        name = str(param["name"]).lower() if location == "header" else str(param["name"])
        schema = param.get("schema")
        nested = flatten(doc, schema) if schema is not None else _content_fields(doc, param.get("content"))
        facts["parameter"].setdefault(f"{location} {name}", set()).update(*nested.values())
    body = _deref(doc, op.get("requestBody"))
    if isinstance(body, dict):
        facts["content-type"] = {str(media).lower(): set() for media in body.get("content") or {}}
        facts["request"] = _content_fields(doc, body.get("content"))
    for code, response in (op.get("responses") or {}).items():
        facts["status"][str(code)] = set()
        response = _deref(doc, response)
        content = response.get("content") if isinstance(response, dict) else None
        facts[f"response {code}"] = _content_fields(doc, content)
    return facts


def operations(doc: dict[str, Any]) -> dict[str, Facts]:
    """``"METHOD path"`` -> facts, for every path that does not contain ``/agent``."""
    result: dict[str, Facts] = {}
    for path, path_item in doc["paths"].items():
        path_item = _deref(doc, path_item)
        if "/agent" in str(path) or not isinstance(path_item, dict):
            continue
        for method in METHODS:
            if isinstance(path_item.get(method), dict):
                result[f"{method.upper()} {path}"] = operation_facts(doc, path_item, path_item[method])
    return result


def _parent(path: str) -> str:
    """``a[]`` and ``a.b`` -> ``a``; ``a[].b`` -> ``a[]``. Fields below a missing field are not listed."""
    return path[:-2] if path.endswith("[]") else path.rpartition(".")[0]


def _enum_label(section: str, item: str) -> str:
    if section == "parameter":
        return item
    return f"{section} {item}" if item else f"{section} (body)"


def compare(upstream: dict[str, Any], spec: dict[str, Any]) -> list[Difference]:
    """All differences, sorted by operation then by section and item."""
    sides = {"upstream": operations(upstream), "spec": operations(spec)}
    diffs: list[Difference] = []
    for op in sorted(sides["upstream"].keys() | sides["spec"].keys(), key=lambda o: o.split(" ")[::-1]):
        if op not in sides["upstream"] or op not in sides["spec"]:
            diffs.append(Difference(op, "operation", "", "upstream" if op in sides["upstream"] else "spec"))
            continue
        up, ours = sides["upstream"][op], sides["spec"][op]
        for section in sorted(up.keys() | ours.keys()):
            if section.startswith("response ") and (section not in up or section not in ours):
                continue  # reported once as a status difference
            up_items, our_items = up.get(section, {}), ours.get(section, {})
            for side, mine, theirs in (("upstream", up_items, our_items), ("spec", our_items, up_items)):
                for item, values in mine.items():
                    if item in theirs:
                        label = _enum_label(section, item)
                        diffs.extend(
                            Difference(op, "enum", f"{label} = {v}", side) for v in values - theirs[item]
                        )
                    elif item and (section in FLAT_SECTIONS or _parent(item) in theirs):
                        diffs.append(Difference(op, section, item, side))
    return sorted(diffs, key=lambda d: (d.operation.split(" ")[::-1], _section_rank(d.section), d.item))


def _section_rank(section: str) -> tuple[int, str]:
    return SECTION_ORDER.index(section.split(" ")[0]), section


def classify(
    diffs: list[Difference], deviations: list[Deviation]
) -> tuple[dict[str, str | None], list[Deviation]]:
    """Map each difference key to the reason explaining it (or None), and list stale deviations."""
    reasons: dict[str, str | None] = {}
    used: set[int] = set()
    for diff in diffs:
        matching = [i for i, dev in enumerate(deviations) if dev.matches(diff)]
        reasons[diff.key] = deviations[matching[0]].reason if matching else None
        used.update(matching)
    return reasons, [dev for i, dev in enumerate(deviations) if i not in used]


def render_text(
    diffs: list[Difference], reasons: dict[str, str | None], stale: list[Deviation], checked: bool
) -> str:
    lines: list[str] = []
    current = ""
    for diff in diffs:
        if diff.operation != current:
            current = diff.operation
            lines.append(("\n" if lines else "") + current)
        reason = reasons[diff.key]
        tag = "" if not checked else f"  [explained: {reason}]" if reason else "  [UNEXPLAINED]"
        lines.append(f"  {diff.describe()}{tag}")
    unexplained = [d.key for d in diffs if reasons[d.key] is None]
    if unexplained:
        lines += ["", "Unexplained difference keys:", *(f"  {key}" for key in unexplained)]
    if stale:
        lines += ["", "Stale deviation entries (match no difference):", *(f"  {d.key}" for d in stale)]
    lines += [
        "",
        f"{len(diffs)} differences, {len(unexplained)} unexplained, {len(stale)} stale deviation entries",
    ]
    return "\n".join(lines).lstrip("\n")


def render_json(diffs: list[Difference], reasons: dict[str, str | None], stale: list[Deviation]) -> str:
    items: list[dict[str, Any]] = [{"key": d.key, **d._asdict(), "reason": reasons[d.key]} for d in diffs]
    for item in items:
        item["status"] = "unexplained" if item["reason"] is None else "explained"
    items += [{"key": d.key, "status": "stale", "reason": d.reason} for d in stale]
    return json.dumps(items, indent=2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="spec-drift", description="Report drift between our spec and Fish Audio's openapi.json."
    )
    parser.add_argument("upstream", type=Path, help="Fish Audio's published openapi.json (or YAML)")
    parser.add_argument(
        "--spec", type=Path, default=DEFAULT_SPEC, help="our spec (default: spec/openapi.yaml)"
    )
    parser.add_argument(
        "--deviations",
        type=Path,
        help="explained differences (default: spec/upstream-deviations.yaml when it exists)",
    )
    parser.add_argument("--json", action="store_true", help="print a machine-readable JSON list")
    args = parser.parse_args(argv)
    deviations_path: Path | None = args.deviations
    if deviations_path is None and DEFAULT_DEVIATIONS.is_file():
        deviations_path = DEFAULT_DEVIATIONS
    try:
        diffs = compare(load_document(args.upstream), load_document(args.spec))
        deviations = load_deviations(deviations_path) if deviations_path else []
    except DriftError as exc:
        print(f"spec-drift: error: {exc}", file=sys.stderr)
        return 2
    reasons, stale = classify(diffs, deviations)
    if args.json:
        print(render_json(diffs, reasons, stale))
    else:
        print(render_text(diffs, reasons, stale, deviations_path is not None))
    return 1 if stale or any(reason is None for reason in reasons.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
