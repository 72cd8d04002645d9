"""``tts_settings.py``: ``TTSConfig``, ``Prosody`` and ``ReferenceAudio`` from the spec's ``TTSRequest``
(see generate_facts.py)."""

from __future__ import annotations

import textwrap
from typing import Any

import attrs
from facts_common import (
    GENERATED_NOTE,
    Spec,
    SpecError,
    bounds_code,
    constant_name,
    describe_bounds,
    ref_name,
)
from openapi_python_client.strings import PythonIdentifier

# The seeds' names of the classes generated from these schemas.
SETTINGS_CLASSES = {
    "TTSRequest": "TTSConfig",
    "ProsodyControl": "Prosody",
    "ReferenceAudio": "ReferenceAudio",
}
# The TTS calls name these settings as arguments of their own (the seeds' signatures): TTSOverrides,
# which carries the others, leaves them out so that a call cannot be given one twice.
DIRECT_CALL_ARGUMENTS = ("reference_id", "references", "format", "latency")


@attrs.frozen
class Field:
    """One attribute of a generated settings class."""

    name: str
    description: str
    stored_type: str  # the attribute's type once set
    input_type: str  # what the constructor accepts
    unset_value: str  # what the attribute reads when not set: the spec's default, or None / ()
    check: str  # ``validator=...`` or ``converter=...``
    allowed: str  # for the docstring
    converter_code: str = ""


def describe(prop: dict[str, Any]) -> str:
    text = " ".join(str(prop.get("description", "")).split())
    return text.rstrip(".")


def wrap(text: str, indent: str, first: str = "") -> str:
    """``text`` wrapped to the project's line length, behind ``first`` on its first line."""
    lines = textwrap.wrap(text, width=110 - len(indent), initial_indent=first, subsequent_indent="    ")
    return "\n".join(indent + line for line in lines)


class SettingsBuilder:
    """Turns the ``TTSRequest`` schema and the schemas it uses into settings classes."""

    def __init__(self, spec: Spec, models: set[str]) -> None:
        self.spec = spec
        self.models = models
        self.imports: set[str] = set()
        self.type_aliases: list[str] = []

    def field(self, owner: str, name: str, prop: dict[str, Any], prefix: str) -> Field:
        where = f"{owner}.{name}"
        label = prefix + name
        description = describe(prop)
        default = prop.get("default")
        kind = self.kind(prop)
        if kind[0] == "number":
            _, schema, nullable = kind
            integer = schema["type"] == "integer" or schema["type"] == ["integer", "null"]
            py = "int" if integer else "float"
            bounds = bounds_code(schema) or "Bounds()"
            flags = (", integer=True" if integer else "") + (", optional=True" if nullable else "")
            flags += f", prefix={prefix!r}" if prefix else ""
            stored = f"{py} | None" if nullable else py
            return Field(
                name,
                description,
                stored,
                stored,
                repr(default),
                f"validator=_checks.number(_checks.{bounds}{flags})",
                describe_bounds(schema),
            )
        if kind[0] == "boolean":
            flags = f"prefix={prefix!r}" if prefix else ""
            return Field(
                name, description, "bool", "bool", repr(default), f"validator=_checks.boolean({flags})", ""
            )
        if kind[0] == "choice":
            enum_name, enum_schema = kind[1], kind[2]
            self.imports.add(enum_name)
            values = constant_name(enum_name, "values")
            self.imports.add(f"facts.{values}")
            if "x-legacy-kbps" in enum_schema:
                aliases = {int(k): v for k, v in enum_schema["x-legacy-kbps"].items()}
                alias_type = f"{enum_name}LegacyKbps"
                self.type_aliases.append(
                    f"{alias_type}: TypeAlias = Literal[{', '.join(map(str, aliases))}]\n"
                    f'"""The kbps values of ``{enum_name}`` older SDKs send; stored as bps."""'
                )
                bps, kbps = describe_values(enum_schema["enum"]), describe_values(list(aliases))
                allowed = f"{bps} (bps), or {kbps} (kbps)"
                converter = f"_convert_{name}"
                code = (
                    f"_{name}_choice = _checks.choice_with_aliases({label!r}, {values}, "
                    f"facts.OPUS_LEGACY_KBPS, {allowed!r})\n\n\n"
                    f"def {converter}(value: {enum_name} | {alias_type} | Unset) -> {enum_name} | Unset:\n"
                    f"    return _{name}_choice(value)\n"
                )
                return Field(
                    name,
                    description,
                    enum_name,
                    f"{enum_name} | {alias_type}",
                    repr(default),
                    f"converter={converter}",
                    allowed,
                    code,
                )
            flags = f", prefix={prefix!r}" if prefix else ""
            return Field(
                name,
                description,
                enum_name,
                enum_name,
                repr(default),
                f"validator=_checks.choice({values}{flags})",
                describe_values(enum_schema["enum"]),
            )
        if kind[0] == "string":
            return Field(name, description, "str", "str", repr(default or ""), "validator=_checks.text()", "")
        if kind[0] == "binary":
            return Field(
                name,
                description,
                "bytes",
                "bytes | bytearray | memoryview",
                "b''",
                f"converter=_convert_{name}, repr=_checks.bytes_repr",
                "",
                f"def _convert_{name}(value: bytes | bytearray | memoryview) -> bytes:\n"
                f"    return _checks.binary({label!r}, value)\n",
            )
        if kind[0] == "strings":
            item = kind[1]
            converter = f"_convert_{name}"
            args = f", item_min_length={item.get('minLength', 0)}" + (
                f", min_items={kind[2]['minItems']}" if "minItems" in kind[2] else ""
            )
            code = (
                f"def {converter}(value: Sequence[str] | Unset) -> tuple[str, ...] | Unset:\n"
                f"    return value if isinstance(value, Unset) else _checks.strings({label!r}, value{args})\n"
            )
            return Field(
                name,
                description,
                "tuple[str, ...]",
                "Sequence[str]",
                "()",
                f"converter={converter}",
                "",
                code,
            )
        if kind[0] == "string_or_strings":
            string, array, nullable = kind[1], kind[2], kind[3]
            none = " | None" if nullable else ""
            converter = f"_convert_{name}"
            args = (
                f", min_length={string.get('minLength', 0)}, min_items={array.get('minItems', 0)}"
                f", item_min_length={array['items'].get('minLength', 0)}"
            )
            guard = "value is None or isinstance(value, Unset)" if nullable else "isinstance(value, Unset)"
            code = (
                f"def {converter}(value: str | Sequence[str]{none} | Unset)"
                f" -> str | tuple[str, ...]{none} | Unset:\n"
                f"    return value if {guard} else _checks.string_or_strings({label!r}, value{args})\n"
            )
            return Field(
                name,
                description,
                f"str | tuple[str, ...]{none}",
                f"str | Sequence[str]{none}",
                "None",
                f"converter={converter}",
                "",
                code,
            )
        if kind[0] == "object":
            cls, nullable = SETTINGS_CLASSES[kind[1]], kind[2]
            none = " | None" if nullable else ""
            converter = f"_convert_{name}"
            guard = "value is None or isinstance(value, Unset)" if nullable else "isinstance(value, Unset)"
            code = (
                f"def {converter}(value: {cls}{none} | Unset) -> {cls}{none} | Unset:\n"
                f"    return value if {guard} else _checks.instance({label!r}, value, {cls})\n"
            )
            return Field(
                name, description, f"{cls}{none}", f"{cls}{none}", "None", f"converter={converter}", "", code
            )
        if kind[0] == "items_or_groups":
            cls, nullable = SETTINGS_CLASSES[kind[1]], kind[2]
            none = " | None" if nullable else ""
            stored = f"tuple[{cls}, ...] | tuple[tuple[{cls}, ...], ...]{none}"
            given = f"Sequence[{cls}] | Sequence[Sequence[{cls}]]{none}"
            converter = f"_convert_{name}"
            guard = "value is None or isinstance(value, Unset)" if nullable else "isinstance(value, Unset)"
            code = (
                f"def {converter}(value: {given} | Unset) -> {stored} | Unset:\n"
                f"    return value if {guard} else _checks.items_or_groups({label!r}, value, {cls})\n"
            )
            return Field(name, description, stored, given, "()", f"converter={converter}", "", code)
        raise SpecError(f"{where}: no settings mapping for this schema shape: {prop}")

    def kind(self, prop: dict[str, Any]) -> tuple[Any, ...]:
        """Classify a property's schema into one of the shapes the settings classes support."""
        options = prop.get("anyOf") or prop.get("allOf")
        if options is not None:
            nullable = any(option == {"type": "null"} for option in options)
            rest = [option for option in options if option != {"type": "null"}]
            if len(rest) == 1 and "$ref" in rest[0]:
                target = ref_name(rest[0])
                schema = self.spec.resolve(rest[0])
                if "enum" in schema:
                    return ("choice", target, schema)
                if target in SETTINGS_CLASSES:
                    return ("object", target, nullable)
            if len(rest) == 2 and {option.get("type") for option in rest} == {"string", "array"}:
                string = next(option for option in rest if option["type"] == "string")
                array = next(option for option in rest if option["type"] == "array")
                if array.get("items", {}).get("type") == "string":
                    return ("string_or_strings", string, array, nullable)
            return ("unsupported",)
        types = prop.get("type")
        types = set(types) if isinstance(types, list) else {types}
        nullable = "null" in types
        types.discard("null")
        if types in ({"number"}, {"integer"}):
            return ("number", prop, nullable)
        if types == {"boolean"} and not nullable:
            return ("boolean",)
        if types == {"string"} and not nullable:
            return ("binary",) if prop.get("format") == "binary" else ("string",)
        if types == {"array"}:
            items = prop.get("items", {})
            if items.get("type") == "string" and not nullable:
                return ("strings", items, prop)
            item_options = items.get("anyOf", [])
            if len(item_options) == 2 and "$ref" in item_options[0]:
                target = ref_name(item_options[0])
                group = item_options[1]
                if group.get("type") == "array" and group.get("items") == item_options[0]:
                    return ("items_or_groups", target, nullable)
        return ("unsupported",)

    def settings_class(self, schema_name: str, prefix: str, intro: str) -> tuple[str, list[Field]]:
        schema = self.spec.schemas[schema_name]
        cls = SETTINGS_CLASSES[schema_name]
        required = set(schema.get("required", []))
        optional_fields = [
            self.field(schema_name, name, prop, prefix)
            for name, prop in schema["properties"].items()
            if name not in required
        ]
        doc = [f"{intro}", "", "Attributes:"]
        for field in optional_fields:
            allowed = f" ({field.allowed})" if field.allowed else ""
            unset = "" if field.unset_value in ("None", "()") else f"; {field.unset_value} when not set"
            doc.append(wrap(f"{field.description}{allowed}{unset}.".strip(), "    ", f"{field.name}: "))
        table = ", ".join(
            f"({f.name!r}, {'_' + f.name!r}, {model_keyword(f.name)!r})" for f in optional_fields
        )
        fields = f"_{constant_name(cls, 'fields')}"
        to_model = [
            "",
            f"    def to_model(self) -> models.{schema_name}:",
            f'        """The generated ``{schema_name}`` holding the fields the user set."""',
            f"        return models.{schema_name}(**_checks.model_fields(self, {fields}))",
        ]
        if required:  # the class holds the optional fields only: the model needs the rest from the call
            to_model = []
        lines = [
            "@attrs.frozen(kw_only=True, repr=False)",
            f"class {cls}:",
            indent_doc("\n".join(doc)),
            "",
        ]
        for field in optional_fields:
            lines.append(
                f"    _{field.name}: {field.stored_type} | Unset = attrs.field(default=UNSET, {field.check})"
            )
        for field in optional_fields:
            lines += [
                "",
                "    @property",
                f"    def {field.name}(self) -> {read_type(field)}:",
                '        """'
                + wrap(
                    f"{field.description}; {field.unset_value} when not set (the server's default).",
                    "        ",
                ).lstrip(),
                '        """',
                f"        return _checks.set_or(self._{field.name}, {field.unset_value})",
            ]
        lines += [
            *to_model,
            "",
            "    def __repr__(self) -> str:",
            f"        return _checks.settings_repr(self, {fields})",
            "",
            "",
            f"{fields}: Final = ({table},)",
            '"""Each field\'s name, the attribute that stores it and its name in the generated model."""',
        ]
        return "\n".join(lines) + "\n", optional_fields

    def plain_class(self, schema_name: str, cls: str, intro: str) -> str:
        schema = self.spec.schemas[schema_name]
        fields = [self.field(schema_name, name, prop, "") for name, prop in schema["properties"].items()]
        doc = [intro, "", "Attributes:"] + [wrap(f"{f.description}.", "    ", f"{f.name}: ") for f in fields]
        converters = [f"{f.converter_code}\n" for f in fields if f.converter_code]
        lines = [*converters, "@attrs.frozen(kw_only=True)", f"class {cls}:", indent_doc("\n".join(doc)), ""]
        lines += [f"    {f.name}: {f.stored_type} = attrs.field({f.check})" for f in fields]
        converted = {"binary": "File(payload=BytesIO(self.{name}))"}
        names = ", ".join(
            f"{model_keyword(f.name)}="
            + converted.get(self.kind(schema["properties"][f.name])[0], "self.{name}").format(name=f.name)
            for f in fields
        )
        lines += [
            "",
            f"    def to_model(self) -> models.{schema_name}:",
            f'        """The generated ``{schema_name}`` of these values."""',
            f"        return models.{schema_name}({names})",
        ]
        return "\n".join(lines) + "\n"


def read_type(field: Field) -> str:
    """The type an attribute reads as: what it stores, or None when unset without a spec default."""
    if field.unset_value == "None" and "None" not in field.stored_type.split(" | "):
        return f"{field.stored_type} | None"
    return field.stored_type


def model_keyword(name: str) -> str:
    """The attribute name openapi-python-client gives a property (``format`` becomes ``format_``)."""
    return str(PythonIdentifier(name, prefix=""))


def describe_values(values: list[Any]) -> str:
    names = [repr(value) if isinstance(value, str) else str(value) for value in values]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def indent_doc(text: str) -> str:
    body = "\n".join(f"    {line}" if line else "" for line in text.splitlines())
    return f'    """{body.lstrip()}\n    """'


TTS_CONFIG_INTRO = """Reusable synthesis settings: everything a TTS request carries except its text.

Each value is checked when the object is built, so a bad setting fails at the line that made it, with a
``ValidationError`` naming the field, the value and what is allowed. Only the settings you set are
sent: the others are left to the server, and read as the server's defaults (so two configs are equal
when they set the same values). Lists are stored as tuples, so a config can be shared safely. Example::

    config = TTSConfig(format="wav", latency="balanced", prosody=Prosody(speed=1.2))
    audio = client.tts.convert(text="Hello!", config=config)"""

PROSODY_INTRO = """{description}.

Example: ``Prosody(speed=1.2, volume=-5)`` speaks 20 % faster and 5 dB quieter. Only the values you set
are sent."""

REFERENCE_INTRO = """{description}.

Example: ``ReferenceAudio(audio=Path("me.wav").read_bytes(), text="What I say in the recording.")``.
The repr shows the audio's length only."""


def settings_module(spec: Spec, models: set[str]) -> str:
    builder = SettingsBuilder(spec, models)
    schemas = spec.schemas
    tts = schemas["TTSRequest"]
    prosody_field = next(
        name
        for name, prop in tts["properties"].items()
        if builder.kind(prop)[:2] == ("object", "ProsodyControl")
    )
    reference = builder.plain_class(
        "ReferenceAudio",
        "ReferenceAudio",
        REFERENCE_INTRO.format(description=describe(schemas["ReferenceAudio"])),
    )
    prosody, prosody_fields = builder.settings_class(
        "ProsodyControl",
        f"{prosody_field}.",
        PROSODY_INTRO.format(description=describe(schemas["ProsodyControl"])),
    )
    config, config_fields = builder.settings_class("TTSRequest", "", TTS_CONFIG_INTRO)
    converters = "\n\n".join(f.converter_code for f in [*prosody_fields, *config_fields] if f.converter_code)
    required = [name for name in tts.get("required", []) if name in tts["properties"]]
    for name in required:
        if builder.kind(tts["properties"][name])[0] != "string":
            raise SpecError(f"TTSRequest.{name}: a required field must be a string to be a call argument")
    overrides = [f for f in config_fields if f.name not in DIRECT_CALL_ARGUMENTS]
    override_lines = "\n".join(f"    {f.name}: {f.input_type}" for f in overrides)
    override_docs = "\n".join(wrap(f"{f.description}.", "        ", f"{f.name}: ") for f in overrides)
    params = ", ".join(f"{name}: str" for name in required)
    checks = "\n".join(f"    _checks.string({name!r}, {name})" for name in required)
    wire = ", ".join(f"{model_keyword(name)}={name}" for name in required)
    model_imports = sorted(name for name in builder.imports if "." not in name)
    fact_imports = sorted(name.split(".", 1)[1] for name in builder.imports if name.startswith("facts."))
    aliases = "\n\n".join(builder.type_aliases)
    return f'''"""``TTSConfig``, ``Prosody`` and ``ReferenceAudio``, generated from the spec's ``TTSRequest``.

{GENERATED_NOTE}
Each setting keeps what the user set apart from what they left out (``UNSET``), so a request carries
only the former; an unset attribute reads as the spec's default.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Final, Literal, TypeAlias, TypedDict

import attrs

from . import facts, models
from . import settings_checks as _checks
from .facts import {", ".join(fact_imports)}
from .models import TTSRequest, {", ".join(model_imports)}
from .types import UNSET, File, Unset

{aliases}


{reference}

{converters}

{prosody}

{config}

class TTSOverrides(TypedDict, total=False):
    """Settings a TTS call may set directly, for that call only, e.g. ``convert(text=..., chunk_length=200)``.

    Every ``TTSConfig`` setting but those the calls name as arguments of their own.

    Attributes:
{override_docs}
    """

{override_lines}


def tts_request(config: TTSConfig, *, {params}) -> TTSRequest:
    """The generated ``TTSRequest`` of ``config`` and the call's own fields, holding only what was set.

    Its ``to_dict()`` is the MessagePack payload, reference audio as bytes. Built directly, not through
    ``from_dict``: this runs on every TTS call.
    """
{checks}
    return TTSRequest({wire}, **_checks.model_fields(config, _TTS_CONFIG_FIELDS))


__all__ = ["Prosody", "ReferenceAudio", "TTSConfig", "TTSOverrides", "tts_request"]
'''
