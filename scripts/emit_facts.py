"""``facts.py``: the wire facts of the spec, as constants (see generate_facts.py)."""

from __future__ import annotations

from typing import Any

from facts_common import GENERATED_NOTE, Spec, SpecError, bounds_code, constant_name, ref_name


def enum_facts(spec: Spec, models: set[str], used: set[str]) -> list[str]:
    lines = ["# --- the known values of each enum ---", ""]
    for name, schema in spec.schemas.items():
        if "enum" not in schema:
            continue
        item_type = name if name in models else ("int" if schema.get("type") == "integer" else "str")
        if item_type == name:
            used.add(name)
        values = ", ".join(repr(value) for value in schema["enum"]) + (
            "," if len(schema["enum"]) == 1 else ""
        )
        lines.append(f"{constant_name(name, 'values')}: Final[tuple[{item_type}, ...]] = ({values})")
    return lines


def request_schemas(spec: Spec) -> list[str]:
    """The schemas request bodies use, directly or nested, in spec order."""
    found: set[str] = set()

    def walk(schema: Any) -> None:
        if isinstance(schema, dict):
            if "$ref" in schema and ref_name(schema) not in found:
                found.add(ref_name(schema))
                walk(spec.schemas[ref_name(schema)])
            for value in schema.values():
                walk(value)
        elif isinstance(schema, list):
            for value in schema:
                walk(value)

    for _, operation in spec.operations():
        walk(operation.get("requestBody", {}))
    return [name for name in spec.schemas if name in found]


def bounds_facts(spec: Spec) -> list[str]:
    """Bounds and defaults of every query parameter and of every field of a request body."""
    lines = [
        "# --- bounds (inclusive; None: open) and defaults of request fields and query parameters ---",
        "",
    ]

    def emit(owner: str, name: str, schema: dict[str, Any]) -> None:
        schema = spec.resolve(schema) if "$ref" in schema else schema
        for suffix, low, high in (
            ("bounds", "minimum", "maximum"),
            ("length", "minLength", "maxLength"),
            ("items", "minItems", "maxItems"),
        ):
            code = bounds_code(schema, low, high)
            if code is not None:
                lines.append(f"{constant_name(owner, name, suffix)}: Final = {code}")
        if "default" in schema:
            default = schema["default"]
            default = tuple(default) if isinstance(default, list) else default
            lines.append(f"{constant_name(owner, name, 'default')}: Final = {default!r}")

    for operation_id, operation in spec.operations():
        for parameter in map(spec.parameter, operation.get("parameters", [])):
            if parameter["in"] == "query":
                emit(operation_id.upper(), parameter["name"], parameter["schema"])
    for schema_name in request_schemas(spec):
        for name, prop in spec.schemas[schema_name].get("properties", {}).items():
            emit(schema_name, name, prop)
    return lines


def format_facts(spec: Spec) -> list[str]:
    formats = spec.schemas["AudioFormat"].get("x-formats", {})
    unknown = set(formats) - set(spec.schemas["AudioFormat"]["enum"])
    if unknown:
        raise SpecError(f"AudioFormat.x-formats describes formats the enum does not list: {sorted(unknown)}")
    media = {name: info["media_type"] for name, info in formats.items()}
    rates = {name: tuple(info["sample_rates"]) for name, info in formats.items()}
    defaults = {name: info["default_sample_rate"] for name, info in formats.items()}
    for name, rate in defaults.items():
        if rate not in rates[name]:
            raise SpecError(
                f"AudioFormat.x-formats.{name}: default_sample_rate {rate} is not one of its rates"
            )
    opus = spec.schemas["OpusBitrate"]
    kbps = {int(k): v for k, v in opus.get("x-legacy-kbps", {}).items()}
    if not set(kbps.values()) <= set(opus["enum"]) or opus.get("x-automatic") not in opus["enum"]:
        raise SpecError("OpusBitrate: x-automatic and x-legacy-kbps must name values of its enum")
    return [
        "# --- audio formats (AudioFormat x-formats) ---",
        "",
        f"FORMAT_MEDIA_TYPES: Final[Mapping[AudioFormat, str]] = {media!r}",
        '"""The Content-Type of a response in each format."""',
        f"FORMAT_SAMPLE_RATES: Final[Mapping[AudioFormat, tuple[int, ...]]] = {rates!r}",
        '"""The sample rates (Hz) the API supports for each format."""',
        f"FORMAT_DEFAULT_SAMPLE_RATES: Final[Mapping[AudioFormat, int]] = {defaults!r}",
        '"""The sample rate of each format when a request gives none."""',
        f"OPUS_AUTOMATIC_BITRATE: Final[OpusBitrate] = {opus['x-automatic']!r}",
        '"""The Opus bitrate that lets the server choose."""',
        f"OPUS_LEGACY_KBPS: Final[Mapping[int, OpusBitrate]] = {kbps!r}",
        '"""The kbps Opus bitrates older SDKs send, and the bps value each means."""',
    ]


def model_facts(spec: Spec) -> list[str]:
    known = spec.schemas["KnownTTSModel"]
    models: dict[str, dict[str, Any]] = known.get("x-models", {})
    unknown = set(models) - set(known["enum"])
    if unknown:
        raise SpecError(f"KnownTTSModel.x-models describes models the enum does not list: {sorted(unknown)}")
    prices = {
        name: info["usd_per_million_bytes"]
        for name, info in models.items()
        if "usd_per_million_bytes" in info
    }
    multi = sorted(name for name, info in models.items() if info.get("multi_speaker"))
    deprecated = {
        name: info["deprecated_fallback"] for name, info in models.items() if "deprecated_fallback" in info
    }
    for name, fallback in deprecated.items():
        if fallback not in known["enum"] or fallback in deprecated:
            raise SpecError(
                f"KnownTTSModel.x-models.{name}: deprecated_fallback must be a current known model"
            )
    header = spec.document["components"]["parameters"]["TTSModelHeader"]["schema"]["default"]
    return [
        "# --- TTS models (KnownTTSModel x-models; the model header) ---",
        "",
        f"TTS_MODEL_USD_PER_MILLION_BYTES: Final[Mapping[str, float]] = {prices!r}",
        '"""The price of each model whose price is known, in USD per million UTF-8 bytes of text."""',
        f"MULTI_SPEAKER_TTS_MODELS: Final[frozenset[str]] = frozenset({multi!r})",
        '"""Models that take several voices (``<|speaker:N|>`` tags) in one request."""',
        f"DEPRECATED_TTS_MODELS: Final[Mapping[str, str]] = {deprecated!r}",
        '"""Deprecated model names, which still work, and the model to use instead."""',
        f"TTS_MODEL_HEADER_DEFAULT: Final = {header!r}",
        '"""The model the API serves when the ``model`` header is omitted or names no model it knows."""',
    ]


def address_facts(spec: Spec, asyncapi: dict[str, Any]) -> list[str]:
    """Where the API is: the HTTP server, and the WebSocket channel of ``asyncapi.yaml`` with its limit."""
    (channel,) = asyncapi["channels"].values()
    live, lifetime = channel["address"], channel.get("x-max-connection-seconds")
    if isinstance(lifetime, bool) or not isinstance(lifetime, int) or lifetime < 1:
        raise SpecError(
            f"asyncapi.yaml: the live channel's x-max-connection-seconds must be a whole number of seconds,"
            f" 1 or more; got {lifetime!r}"
        )
    return [
        "# --- addresses (the spec's servers; asyncapi.yaml's channel) ---",
        "",
        f"SERVER_URL: Final = {spec.document['servers'][0]['url']!r}",
        '"""The hosted API, the first of the spec\'s servers."""',
        f"LIVE_TTS_PATH: Final = {live!r}",
        '"""The path of the live text-to-speech WebSocket, below the server\'s address."""',
        f"LIVE_MAX_CONNECTION_SECONDS: Final = {lifetime!r}",
        '"""How long one live WebSocket may stay open, from its handshake: the API closes it then."""',
    ]


def service_facts(spec: Spec) -> list[str]:
    asr = spec.operation("speech_to_text")
    limits, asr_price = asr["x-audio-limits"], asr["x-price"]
    design = spec.operation("voice_design")
    design_price = design["x-price"]
    (design_model,) = (
        spec.parameter(p) for p in design["parameters"] if spec.parameter(p)["name"] == "model"
    )
    concurrency = spec.document["components"]["responses"]["TooManyRequests"]["x-concurrent-requests"]
    return [
        "# --- speech to text, voice design, rate limits ---",
        "",
        f"ASR_MAX_AUDIO_BYTES: Final = {limits['max_bytes']!r}",
        f"ASR_MIN_AUDIO_SECONDS: Final = {limits['min_seconds']!r}",
        f"ASR_MAX_AUDIO_SECONDS: Final = {limits['max_seconds']!r}",
        f"ASR_USD_PER_AUDIO_HOUR: Final = {asr_price['usd_per_audio_hour']!r}",
        f"ASR_BILLED_PER: Final = {asr_price['billed_per']!r}",
        '"""The unit transcribed audio is rounded up to for billing."""',
        f"VOICE_DESIGN_USD_PER_REQUEST: Final = {design_price['usd_per_request']!r}",
        f"VOICE_DESIGN_MODEL_HEADER_DEFAULT: Final = {design_model['schema']['default']!r}",
        '"""The voice-design model the ``model`` header names unless a call chooses another."""',
        f"CONCURRENT_REQUESTS_PER_KEY: Final = {concurrency!r}",
        '"""Requests one API key may have in progress (streamed responses until their last byte)."""',
    ]


def response_facts(spec: Spec) -> list[str]:
    """The answers clients tell apart: the generation id header, and the unknown voice's message."""
    responses = spec.document["components"]["responses"]
    generation_headers = {
        name
        for _, operation in spec.operations()
        for response in operation["responses"].values()
        for name, header in responses.get(response.get("$ref", "").rpartition("/")[2], response)
        .get("headers", {})
        .items()
        if header.get("$ref") == "#/components/headers/GenerationId"
    }
    if len(generation_headers) != 1:
        raise SpecError(f"GenerationId must be sent under one header name, not {sorted(generation_headers)}")
    not_found = responses["BadRequest"]["x-reference-not-found"]
    return [
        "# --- answers clients tell apart ---",
        "",
        f"GENERATION_ID_HEADER: Final = {generation_headers.pop()!r}",
        '"""The response header naming a synthesis or transcription; quote it in support requests."""',
        f"REFERENCE_NOT_FOUND_MESSAGE: Final = {not_found!r}",
        '"""The message of the 400 answer (and the live session\'s error) for an unknown voice id."""',
    ]


def facts_module(spec: Spec, models: set[str], asyncapi: dict[str, Any]) -> str:
    used = {"AudioFormat", "OpusBitrate"}
    sections = [enum_facts(spec, models, used), bounds_facts(spec), format_facts(spec), model_facts(spec)]
    sections += [service_facts(spec), address_facts(spec, asyncapi), response_facts(spec)]
    body = "\n\n".join("\n".join(section) for section in sections)
    return f'''"""The wire facts of spec/openapi.yaml that the extension and the local server need.

{GENERATED_NOTE}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from .models import {", ".join(sorted(used))}
from .settings_checks import Bounds

{body}
'''
