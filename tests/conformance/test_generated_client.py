"""Every generated operation puts the spec's request on the wire and parses the spec's responses.

Each operation module under generated/fishaudio_api/api/ has one Case below (a test fails when a module
has none). Requests are checked field by field against what the spec says; response bodies come from the
spec's own examples and are validated against the spec before the generated code parses them.
"""

from __future__ import annotations

import datetime
import importlib
import json
import pkgutil
import re
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import fishaudio_api
import fishaudio_api.api
import httpx
import msgpack
import pytest
import respx
import yaml
from fishaudio_api import AuthenticatedClient
from fishaudio_api.errors import UnexpectedStatus
from fishaudio_api.models import (
    APICreditEntity,
    ASRRequest,
    ASRResponse,
    CreateModelRequest,
    ErrorBody,
    ModelEntity,
    ModelList,
    PackageEntity,
    TTSRequest,
    TTSTimestampStreamEvent,
    UpdateModelRequest,
    ValidationIssue,
    VoiceDesignRequest,
    VoiceDesignResponse,
)
from fishaudio_api.types import File, Response, Unset
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "spec" / "openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
REGISTRY: Registry[Any] = Registry().with_resource(SPEC_PATH.as_uri(), DRAFT202012.create_resource(SPEC))

BASE_URL = "https://api.fish.audio"
TOKEN = "test-key"
MODES = ("sync", "async")
# One TLS context for every client: building one per client (certificate loading) dominates run time.
SSL_CONTEXT = ssl.create_default_context()
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
UTC = datetime.timezone.utc

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
AUDIO = b"ID3\x04\x00\x00fake mp3 \xff\xfb audio"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00"
PNG = b"\x89PNG\r\n\x1a\nfake cover"


# --- the spec ------------------------------------------------------------------------------------------


def escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def deref(node: Any) -> tuple[str | None, Any]:
    """(pointer of the target, target) of an internal `$ref`, or (None, node) if it is not one."""
    if not (isinstance(node, dict) and "$ref" in node):
        return None, node
    pointer = node["$ref"].removeprefix("#")
    target: Any = SPEC
    for segment in pointer.split("/")[1:]:
        target = target[segment.replace("~1", "/").replace("~0", "~")]
    return pointer, target


@dataclass(frozen=True)
class SpecOperation:
    method: str
    path: str
    operation: dict[str, Any]

    def response(self, status: str) -> tuple[str, dict[str, Any]]:
        """(pointer, response object) of a documented status, following a `$ref`."""
        pointer = f"/paths/{escape(self.path)}/{self.method}/responses/{escape(status)}"
        target_pointer, response = deref(self.operation["responses"][status])
        return target_pointer or pointer, response


SPEC_OPERATIONS = {
    item[method]["operationId"]: SpecOperation(method, path, item[method])
    for path, item in SPEC["paths"].items()
    for method in HTTP_METHODS
    if method in item
}


def schema_errors(pointer: str, instance: Any) -> list[str]:
    ref = f"{SPEC_PATH.as_uri()}#{quote(pointer, safe='/~')}"
    validator = Draft202012Validator(
        {"$ref": ref}, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(instance)]


def example(schema: str, index: int = 0) -> Any:
    return SCHEMAS[schema]["examples"][index]


# --- the generated package -----------------------------------------------------------------------------


def operation_modules() -> dict[str, ModuleType]:
    """`tag/operation_id` -> module, for every module under fishaudio_api.api."""
    modules = {}
    for info in pkgutil.walk_packages(fishaudio_api.api.__path__, prefix="fishaudio_api.api."):
        if not info.ispkg:
            key = info.name.removeprefix("fishaudio_api.api.").replace(".", "/")
            modules[key] = importlib.import_module(info.name)
    return modules


MODULES = operation_modules()


# --- wire helpers --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    name: str
    data: bytes
    content_type: str = "text/plain"
    filename: str | None = None


def multipart_parts(request: httpx.Request) -> list[Part]:
    """The parts of a multipart/form-data body, in order (a small parser: python-multipart is absent)."""
    match = re.fullmatch(r"multipart/form-data; boundary=(.+)", request.headers["content-type"])
    assert match, request.headers["content-type"]
    delimiter = b"--" + match.group(1).encode()
    body = request.content
    assert body.startswith(delimiter + b"\r\n"), body[:40]
    assert body.endswith(delimiter + b"--\r\n"), body[-40:]
    parts = []
    for chunk in body[: -len(delimiter + b"--\r\n")].split(delimiter)[1:]:
        assert chunk.startswith(b"\r\n"), chunk
        assert chunk.endswith(b"\r\n"), chunk
        head, separator, data = chunk[2:-2].partition(b"\r\n\r\n")
        assert separator, chunk
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        disposition = headers["Content-Disposition"]
        assert disposition.startswith("form-data; "), disposition
        params = dict(re.findall(r'(\w+)="([^"]*)"', disposition))
        parts.append(Part(params["name"], data, headers.get("Content-Type", ""), params.get("filename")))
    return parts


def check_json_body(
    request: httpx.Request, schema: str, given: dict[str, Any], media_type: str = "application/json"
) -> None:
    """The body is what the caller gave, plus spec defaults the generator fills in; valid per the spec.

    A MessagePack body (``media_type``) is the same map as the JSON one would be, packed.
    """
    assert request.headers["content-type"] == media_type
    sent = (
        msgpack.unpackb(request.content)
        if media_type == "application/msgpack"
        else json.loads(request.content)
    )
    errors = schema_errors(f"/components/schemas/{schema}", sent)
    assert not errors, f"the request body does not match {schema}: {errors}"
    for key, value in given.items():
        assert sent.get(key) == value, f"{key}: sent {sent.get(key)!r}, given {value!r}"
    properties = SCHEMAS[schema]["properties"]
    for key in sent.keys() - given.keys():
        assert "default" in properties.get(key, {}), f"sent {key}={sent[key]!r}: neither given nor a default"
        assert sent[key] == properties[key]["default"], f"{key}: sent {sent[key]!r}, the default differs"


def sse(*events: dict[str, Any]) -> bytes:
    return "".join(f"event: message\ndata: {json.dumps(event)}\n\n" for event in events).encode()


async def call(
    module: ModuleType, mode: str, args: tuple[Any, ...], kwargs: dict[str, Any], **client_args: Any
) -> Response[Any]:
    client = AuthenticatedClient(base_url=BASE_URL, token=TOKEN, verify_ssl=SSL_CONTEXT, **client_args)
    if mode == "sync":
        with client:
            return module.sync_detailed(*args, client=client, **kwargs)
    async with client:
        return await module.asyncio_detailed(*args, client=client, **kwargs)


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


def reply(
    api: respx.MockRouter, status: int, content: bytes = b"", content_type: str | None = None
) -> respx.Route:
    headers = {"content-type": content_type} if content_type else {}
    return api.route().mock(return_value=httpx.Response(status, content=content, headers=headers))


def reply_json(api: respx.MockRouter, status: int, body: Any) -> respx.Route:
    return reply(api, status, json.dumps(body).encode(), "application/json")


# --- the cases -----------------------------------------------------------------------------------------

MODEL = example("ModelEntity")
MODEL_ID = MODEL["_id"]
AWARE_MODEL_CREATED_AT = datetime.datetime(2025, 1, 15, 8, 30, tzinfo=UTC)


def check_model(parsed: Any, body: dict[str, Any] = MODEL) -> None:
    assert isinstance(parsed, ModelEntity)
    assert parsed.id == body["_id"]
    assert parsed.title == body["title"]
    assert parsed.type_ == body["type"]
    assert parsed.state == body["state"]
    assert parsed.tags == body["tags"]
    assert parsed.author.id == body["author"]["_id"]
    for value in (parsed.created_at, parsed.updated_at):
        assert isinstance(value, datetime.datetime)
        assert value.utcoffset() == datetime.timedelta(0), f"{value!r} is not an aware UTC datetime"
    assert parsed.created_at == AWARE_MODEL_CREATED_AT
    assert parsed.to_dict()["_id"] == body["_id"]


def check_error(parsed: Any, body: Any) -> None:
    if isinstance(body, list):
        assert isinstance(parsed, list)
        assert len(parsed) == len(body)
        for issue, expected in zip(parsed, body, strict=True):
            assert isinstance(issue, ValidationIssue)
            assert (issue.loc, issue.type_, issue.msg) == (expected["loc"], expected["type"], expected["msg"])
        return
    assert isinstance(parsed, ErrorBody), parsed
    assert (parsed.status, parsed.message) == (body["status"], body["message"])
    if "reason" in body:
        assert parsed.reason == body["reason"]
    else:
        assert isinstance(parsed.reason, Unset)


@dataclass
class Case:
    """One generated operation: how to call it, what must go on the wire, and a documented 2xx reply."""

    call: Callable[[], tuple[tuple[Any, ...], dict[str, Any]]]  # fresh (args, kwargs): files are read once
    path: str  # the raw path on the wire, escaped
    check_body: Callable[[httpx.Request], None] | None = None
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    ok_status: int = 200
    ok_content_type: str = "application/json"
    ok_body: Any = None  # JSON, or bytes for other content types; None for an empty body
    check_ok: Callable[[Any], None] = lambda parsed: None


def tts_call(index: int, **headers: str) -> Callable[[], tuple[tuple[Any, ...], dict[str, Any]]]:
    return lambda: ((), {"body": TTSRequest.from_dict(example("TTSRequest", index)), **headers})


def check_audio(parsed: Any) -> None:
    assert isinstance(parsed, File)
    assert parsed.payload.read() == AUDIO


def check_timestamps(events: Any) -> None:
    assert [type(event) for event in events] == [TTSTimestampStreamEvent]
    alignment = events[0].alignment
    assert alignment is not None
    assert [segment.text for segment in alignment.segments] == ["Hello", "there"]
    assert events[0].chunk_seq == 0


def asr_call() -> tuple[tuple[Any, ...], dict[str, Any]]:
    audio = File(payload=BytesIO(WAV), file_name="clip.wav", mime_type="audio/wav")
    return (), {"body": ASRRequest(audio=audio, language="en", ignore_timestamps=False)}


def check_asr_parts(request: httpx.Request) -> None:
    assert multipart_parts(request) == [
        Part("audio", WAV, "audio/wav", "clip.wav"),
        Part("language", b"en"),
        Part("ignore_timestamps", b"false"),
    ]


def check_asr(parsed: Any) -> None:
    expected = example("ASRResponse")
    assert isinstance(parsed, ASRResponse)
    assert parsed.text == expected["text"]
    assert parsed.duration == expected["duration"]
    assert [(s.text, s.start, s.end) for s in parsed.segments] == [
        (s["text"], s["start"], s["end"]) for s in expected["segments"]
    ]
    assert parsed.language_code == expected["language_code"]


VOICE_DESIGN_RESPONSE = {
    "candidates": [
        {
            "id": "cand-0",
            "index": 0,
            "audio_base64": "UklGRiQAAABXQVZF",
            "sample_rate": 44100,
            "duration_ms": 1500,
            "text": "Hello there.",
            "instruct": None,
            "language": "en",
        }
    ]
}


def check_voice_design(parsed: Any) -> None:
    assert isinstance(parsed, VoiceDesignResponse)
    (candidate,) = parsed.candidates
    assert (candidate.id, candidate.sample_rate, candidate.duration_ms) == ("cand-0", 44100, 1500)
    assert candidate.instruct is None


def list_models_call() -> tuple[tuple[Any, ...], dict[str, Any]]:
    kwargs = {
        "page_size": 20,
        "page_number": 2,
        "title": "Energetic Male",
        "tag": ["a", "b"],
        "self_": True,
        "language": "en",
        "sort_by": "created_at",
    }
    return (), kwargs


MODEL_LIST = {**example("ModelList"), "total": 1, "items": [MODEL]}


def check_model_list(parsed: Any) -> None:
    assert isinstance(parsed, ModelList)
    assert parsed.total == 1
    (item,) = parsed.items
    check_model(item)
    assert parsed.has_more is False


def create_model_call() -> tuple[tuple[Any, ...], dict[str, Any]]:
    body = CreateModelRequest(
        type_="tts",
        title="My voice",
        train_mode="fast",
        voices=[
            File(payload=BytesIO(WAV + b"1"), file_name="one.wav", mime_type="audio/wav"),
            File(payload=BytesIO(WAV + b"2"), file_name="two.wav", mime_type="audio/wav"),
        ],
        visibility="private",
        cover_image=File(payload=BytesIO(PNG), file_name="cover.png", mime_type="image/png"),
        texts=["first transcript", "second transcript"],
        tags=["calm", "male"],
        generate_sample=True,
    )
    return (), {"body": body}


def check_create_model_parts(request: httpx.Request) -> None:
    assert multipart_parts(request) == [
        Part("type", b"tts"),
        Part("title", b"My voice"),
        Part("train_mode", b"fast"),
        Part("voices", WAV + b"1", "audio/wav", "one.wav"),
        Part("voices", WAV + b"2", "audio/wav", "two.wav"),
        Part("visibility", b"private"),
        Part("cover_image", PNG, "image/png", "cover.png"),
        Part("texts", b"first transcript"),
        Part("texts", b"second transcript"),
        Part("tags", b"calm"),
        Part("tags", b"male"),
        # enhance_audio_quality is not set: its spec default is the server's business, not sent.
        Part("generate_sample", b"true"),
    ]


def update_model_call() -> tuple[tuple[Any, ...], dict[str, Any]]:
    cover = File(payload=BytesIO(PNG), file_name="cover.png", mime_type="image/png")
    body = UpdateModelRequest(title="Renamed", visibility="unlist", cover_image=cover, tags=["x", "y"])
    return ("a/b",), {"body": body}


def check_update_model_parts(request: httpx.Request) -> None:
    assert multipart_parts(request) == [
        Part("title", b"Renamed"),
        Part("cover_image", PNG, "image/png", "cover.png"),
        Part("visibility", b"unlist"),
        Part("tags", b"x"),
        Part("tags", b"y"),
    ]


def check_nothing_parsed(parsed: Any) -> None:
    assert parsed is None


def check_credit(parsed: Any) -> None:
    expected = example("APICreditEntity")
    assert isinstance(parsed, APICreditEntity)
    assert parsed.id == expected["_id"]
    assert parsed.credit == expected["credit"]  # a decimal string, never a float
    assert parsed.has_free_credit is None
    assert parsed.created_at == datetime.datetime(2025, 1, 15, 8, 30, tzinfo=UTC)


def check_package(parsed: Any) -> None:
    expected = example("PackageEntity")
    assert isinstance(parsed, PackageEntity)
    assert (parsed.user_id, parsed.type_, parsed.total, parsed.balance) == (
        expected["user_id"],
        expected["type"],
        expected["total"],
        expected["balance"],
    )
    assert parsed.finished_at == datetime.datetime(2026, 1, 15, 8, 30, tzinfo=UTC)


CASES: dict[str, Case] = {
    "tts/text_to_speech": Case(
        call=tts_call(0, model="s2.1-pro", traceparent=TRACEPARENT),
        path="/v1/tts",
        headers={"model": "s2.1-pro", "traceparent": TRACEPARENT},
        check_body=lambda request: check_json_body(
            request, "TTSRequest", example("TTSRequest", 0), "application/msgpack"
        ),
        ok_content_type="audio/mpeg",
        ok_body=AUDIO,
        check_ok=check_audio,
    ),
    "tts/text_to_speech_with_timestamps": Case(
        call=tts_call(1, model="s1"),
        path="/v1/tts/stream/with-timestamp",
        headers={"model": "s1"},
        check_body=lambda request: check_json_body(
            request, "TTSRequest", example("TTSRequest", 1), "application/msgpack"
        ),
        ok_content_type="text/event-stream",
        ok_body=sse(example("TTSTimestampStreamEvent")),
        check_ok=check_timestamps,
    ),
    "asr/speech_to_text": Case(
        call=asr_call,
        path="/v1/asr",
        check_body=check_asr_parts,
        ok_body=example("ASRResponse"),
        check_ok=check_asr,
    ),
    "voice_design/voice_design": Case(
        call=lambda: (
            (),
            {"body": VoiceDesignRequest.from_dict(example("VoiceDesignRequest")), "model": "voice-design-1"},
        ),
        path="/v1/voice-design",
        headers={"model": "voice-design-1"},
        check_body=lambda request: check_json_body(
            request, "VoiceDesignRequest", example("VoiceDesignRequest")
        ),
        ok_body=VOICE_DESIGN_RESPONSE,
        check_ok=check_voice_design,
    ),
    "model/list_models": Case(
        call=list_models_call,
        path="/model",
        query=[
            ("page_size", "20"),
            ("page_number", "2"),
            ("title", "Energetic Male"),
            ("tag", "a"),
            ("tag", "b"),
            ("self", "true"),
            ("language", "en"),
            ("sort_by", "created_at"),
        ],
        ok_body=MODEL_LIST,
        check_ok=check_model_list,
    ),
    "model/create_model": Case(
        call=create_model_call,
        path="/model",
        check_body=check_create_model_parts,
        ok_status=201,
        ok_body=MODEL,
        check_ok=check_model,
    ),
    "model/get_model": Case(
        call=lambda: (("a/b",), {}),
        path="/model/a%2Fb",
        ok_body=MODEL,
        check_ok=check_model,
    ),
    "model/update_model": Case(
        call=update_model_call,
        path="/model/a%2Fb",
        check_body=check_update_model_parts,
        check_ok=check_nothing_parsed,
    ),
    "model/delete_model": Case(
        call=lambda: ((MODEL_ID,), {}),
        path=f"/model/{MODEL_ID}",
        check_ok=check_nothing_parsed,
    ),
    "wallet/get_api_credit": Case(
        call=lambda: (("self",), {"check_free_credit": True, "team_id": "team-1"}),
        path="/wallet/self/api-credit",
        query=[("check_free_credit", "true"), ("team_id", "team-1")],
        ok_body=example("APICreditEntity"),
        check_ok=check_credit,
    ),
    "wallet/get_package": Case(
        call=lambda: ((), {}),  # user_id defaults to "self"
        path="/wallet/self/package",
        ok_body=example("PackageEntity"),
        check_ok=check_package,
    ),
}

CASE_IDS = sorted(CASES)
CASES_BY_MODE = [(key, mode) for key in CASE_IDS for mode in MODES]


def operation_id(key: str) -> str:
    return key.rpartition("/")[2]


def error_cases() -> Iterator[tuple[str, str]]:
    for key in CASE_IDS:
        for status in SPEC_OPERATIONS[operation_id(key)].operation["responses"]:
            if not str(status).startswith("2"):
                yield key, str(status)


ERROR_CASES = list(error_cases())


# --- coverage of the generated package -----------------------------------------------------------------


def test_every_generated_operation_has_a_case() -> None:
    assert set(MODULES) == set(CASES), (
        f"modules without a case: {sorted(set(MODULES) - set(CASES))}; "
        f"cases without a module: {sorted(set(CASES) - set(MODULES))}"
    )
    assert len(MODULES) == 11


def test_generated_modules_are_the_spec_operations() -> None:
    expected = {f"{op.operation['tags'][0]}/{name}" for name, op in SPEC_OPERATIONS.items()}
    assert set(MODULES) == expected


@pytest.mark.parametrize("key", CASE_IDS)
def test_module_has_the_four_entry_points(key: str) -> None:
    module = MODULES[key]
    for name in ("sync_detailed", "sync", "asyncio_detailed", "asyncio"):
        assert callable(getattr(module, name, None)), f"{key} has no {name}"


# --- requests ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "mode"), CASES_BY_MODE, ids=[f"{k}-{m}" for k, m in CASES_BY_MODE])
async def test_request_on_the_wire(api: respx.MockRouter, key: str, mode: str) -> None:
    case = CASES[key]
    spec_operation = SPEC_OPERATIONS[operation_id(key)]
    route = reply(api, 204)
    args, kwargs = case.call()

    await call(MODULES[key], mode, args, kwargs)

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.method == spec_operation.method.upper()
    assert request.url.host == "api.fish.audio"
    assert request.url.scheme == "https"
    raw_path = request.url.raw_path.decode().partition("?")[0]
    assert raw_path == case.path
    template = re.escape(spec_operation.path).replace(r"\{", "{").replace(r"\}", "}")
    assert re.fullmatch(re.sub(r"{\w+}", "[^/]+", template), raw_path), f"{raw_path} != {spec_operation.path}"
    assert sorted(request.url.params.multi_items()) == sorted(case.query)
    for name in {name for name, _ in case.query}:
        assert request.url.params.get_list(name) == [v for n, v in case.query if n == name]
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    for name, value in case.headers.items():
        assert request.headers.get(name) == value, name
    parameters = [deref(p)[1] for p in spec_operation.operation.get("parameters", [])]
    query_names = {p["name"] for p in parameters if p["in"] == "query"}
    assert {name for name, _ in request.url.params.multi_items()} <= query_names
    header_names = {p["name"] for p in parameters if p["in"] == "header"}
    for name in header_names - case.headers.keys():
        assert name not in request.headers, f"{name} was sent though not given"
    if case.check_body is None:
        assert request.content == b""
        assert "content-type" not in request.headers
    else:
        media_type = request.headers["content-type"].partition(";")[0]
        assert media_type in spec_operation.operation["requestBody"]["content"]
        case.check_body(request)


async def test_list_models_sends_the_spec_defaults(api: respx.MockRouter) -> None:
    route = reply_json(api, 200, MODEL_LIST)
    await call(MODULES["model/list_models"], "sync", (), {})
    params = dict(route.calls.last.request.url.params.multi_items())
    assert params == {"page_size": "10", "page_number": "1", "self": "false"}
    spec_params = {p["name"]: p["schema"] for p in SPEC_OPERATIONS["list_models"].operation["parameters"]}
    for name, value in params.items():
        assert json.dumps(spec_params[name]["default"]) == value


@pytest.mark.parametrize("mode", MODES)
async def test_get_api_credit_defaults_to_self(api: respx.MockRouter, mode: str) -> None:
    route = reply_json(api, 200, example("APICreditEntity"))
    await call(MODULES["wallet/get_api_credit"], mode, (), {})
    request = route.calls.last.request
    assert request.url.raw_path == b"/wallet/self/api-credit?check_free_credit=false"


# --- responses -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "mode"), CASES_BY_MODE, ids=[f"{k}-{m}" for k, m in CASES_BY_MODE])
async def test_documented_success_is_parsed(api: respx.MockRouter, key: str, mode: str) -> None:
    case = CASES[key]
    pointer, response = SPEC_OPERATIONS[operation_id(key)].response(str(case.ok_status))
    content = response.get("content", {})
    if case.ok_body is None:
        assert not content, f"{key} {case.ok_status} documents a body: give the case one"
        body = b""
    else:
        assert case.ok_content_type in content, (
            f"{key} {case.ok_status} does not document {case.ok_content_type}"
        )
        if isinstance(case.ok_body, bytes):
            body = case.ok_body
        else:
            schema_pointer = f"{pointer}/content/{escape(case.ok_content_type)}/schema"
            errors = schema_errors(schema_pointer, case.ok_body)
            assert not errors, f"the test's {key} body does not match the spec: {errors}"
            body = json.dumps(case.ok_body).encode()
    reply(api, case.ok_status, body, case.ok_content_type if body else None)
    args, kwargs = case.call()

    result = await call(MODULES[key], mode, args, kwargs)

    assert result.status_code == case.ok_status
    assert result.content == body
    case.check_ok(result.parsed)


@pytest.mark.parametrize(
    "content_type", list(SPEC_OPERATIONS["text_to_speech"].operation["responses"]["200"]["content"])
)
async def test_tts_audio_of_every_documented_type_is_a_file(api: respx.MockRouter, content_type: str) -> None:
    reply(api, 200, AUDIO, content_type)
    args, kwargs = CASES["tts/text_to_speech"].call()
    result = await call(MODULES["tts/text_to_speech"], "sync", args, kwargs)
    check_audio(result.parsed)


@pytest.mark.parametrize(("key", "status"), ERROR_CASES, ids=[f"{k}-{s}" for k, s in ERROR_CASES])
@pytest.mark.parametrize("mode", MODES)
async def test_documented_error_is_parsed(api: respx.MockRouter, key: str, status: str, mode: str) -> None:
    _, response = SPEC_OPERATIONS[operation_id(key)].response(status)
    body = response["content"]["application/json"]["example"]
    # 5XX: the example's own status (e.g. 503); a 422 body is a list.
    http_status = body["status"] if isinstance(body, dict) else int(status)
    assert str(http_status).startswith(status.rstrip("X"))
    reply_json(api, http_status, body)
    args, kwargs = CASES[key].call()

    result = await call(MODULES[key], mode, args, kwargs)

    assert result.status_code == http_status
    check_error(result.parsed, body)


@pytest.mark.parametrize("key", CASE_IDS)
async def test_server_error_codes_share_the_5xx_branch(api: respx.MockRouter, key: str) -> None:
    reply_json(api, 500, {"status": 500, "message": "Internal Server Error"})
    args, kwargs = CASES[key].call()
    result = await call(MODULES[key], "sync", args, kwargs)
    check_error(result.parsed, {"status": 500, "message": "Internal Server Error"})


@pytest.mark.parametrize("key", CASE_IDS)
async def test_undocumented_status(api: respx.MockRouter, key: str) -> None:
    reply(api, 418, b"teapot", "text/plain")
    args, kwargs = CASES[key].call()
    result = await call(MODULES[key], "sync", args, kwargs)
    assert result.status_code == 418
    assert result.parsed is None

    args, kwargs = CASES[key].call()
    with pytest.raises(UnexpectedStatus) as raised:
        await call(MODULES[key], "async", args, kwargs, raise_on_unexpected_status=True)
    assert (raised.value.status_code, raised.value.content) == (418, b"teapot")


async def test_non_json_error_body_escapes_parsing(api: respx.MockRouter) -> None:
    """The spec warns 5XX (and 413) may come from the edge as HTML; the generated code then raises.

    openapi-python-client issue #1248: the handwritten layer must map statuses on the raw response.
    """
    reply(api, 503, b"<html>503 Service Unavailable</html>", "text/html")
    with pytest.raises(json.JSONDecodeError):
        await call(MODULES["model/get_model"], "sync", (MODEL_ID,), {})


# --- forward compatibility -----------------------------------------------------------------------------


FUTURE_MODEL = {
    **MODEL,
    "state": "archived",
    "train_mode": "pro",
    "type": "voice-clone-v3",
    "visibility": "team",
    "pvc_release_state": "sunsetting",
    "brand_new_field": {"nested": [1, 2, 3]},
    "author": {**MODEL["author"], "badge": "gold"},
}


@pytest.mark.parametrize("mode", MODES)
async def test_unknown_fields_and_open_enum_values_are_kept(api: respx.MockRouter, mode: str) -> None:
    assert not schema_errors("/components/schemas/ModelEntity", FUTURE_MODEL), "the spec must accept it"
    reply_json(api, 200, FUTURE_MODEL)

    result = await call(MODULES["model/get_model"], mode, (MODEL_ID,), {})

    parsed = result.parsed
    check_model(parsed, FUTURE_MODEL)
    assert isinstance(parsed, ModelEntity)
    assert parsed.state == "archived"
    assert parsed.train_mode == "pro"
    assert parsed.type_ == "voice-clone-v3"
    assert parsed.visibility == "team"
    assert parsed.pvc_release_state == "sunsetting"
    assert parsed.additional_properties == {"brand_new_field": {"nested": [1, 2, 3]}}
    assert parsed["brand_new_field"] == {"nested": [1, 2, 3]}
    assert parsed.author.additional_properties == {"badge": "gold"}
    assert parsed.to_dict()["brand_new_field"] == {"nested": [1, 2, 3]}


async def test_unknown_fields_in_list_items_and_errors_are_kept(api: respx.MockRouter) -> None:
    body = {**MODEL_LIST, "items": [FUTURE_MODEL], "next_cursor": "abc"}
    reply_json(api, 200, body)
    result = await call(MODULES["model/list_models"], "sync", (), {})
    assert isinstance(result.parsed, ModelList)
    assert result.parsed.additional_properties == {"next_cursor": "abc"}
    assert result.parsed.items[0].state == "archived"

    error = {"status": 401, "message": "Invalid API key", "request_id": "r-1"}
    reply_json(api, 401, error)
    result = await call(MODULES["model/list_models"], "sync", (), {})
    assert isinstance(result.parsed, ErrorBody)
    assert result.parsed.additional_properties == {"request_id": "r-1"}


def test_spec_datetimes_parse_as_aware_utc() -> None:
    parsed = ModelEntity.from_dict(MODEL)
    assert parsed.created_at == AWARE_MODEL_CREATED_AT
    assert parsed.updated_at == datetime.datetime(2025, 1, 15, 8, 30, 0, 123456, tzinfo=UTC)
    assert parsed.updated_at.tzinfo is not None
    offset = ModelEntity.from_dict({**MODEL, "created_at": "2025-01-15T10:30:00+02:00"}).created_at
    assert offset == AWARE_MODEL_CREATED_AT
