"""What every public method puts on the wire (sync and async), how responses are parsed, and what is refused.

TTS bodies are decoded from MessagePack, uploads from multipart, and compared with ``spec/openapi.yaml``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import attrs
import httpx
import msgpack
import pytest
import respx
import yaml

from fishaudio_ext import (
    Prosody,
    ReferenceAudio,
    RequestOptions,
    TTSConfig,
    ValidationError,
    __version__,
)
from tests.support.calls import resolve
from tests.support.samples import PACKAGE, STAMP

KEY = "sk-wire-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
AUDIO = b"ID3\x04\x00fake-mp3-frames"
SPEC = yaml.safe_load((Path(__file__).parents[2] / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
TTS_FIELDS = SPEC["components"]["schemas"]["TTSRequest"]["properties"]
VOICE = {
    "_id": "bf322df2096a46f18c579d0baa36f41d",
    "type": "tts",
    "title": "Adrian",
    "state": "trained",
    "tags": ["male"],
    "visibility": "public",
    "like_count": 1,
    "mark_count": 2,
    "shared_count": 3,
    "task_count": 4,
    "author": {"_id": "u1", "nickname": "fish", "avatar": ""},
    **STAMP,
}
VOICE_LIST = {"total": 57, "items": [VOICE]}
CREDITS = {"_id": "c1", "user_id": "u1", "credit": "12.50", **STAMP}
TRANSCRIPT = {
    "text": "Hello world",
    "duration": 1.5,
    "segments": [{"text": "Hello", "start": 0.0, "end": 0.6}, {"text": "world", "start": 0.7, "end": 1.5}],
}


class Part(NamedTuple):
    name: str
    filename: str | None
    content_type: str | None
    data: bytes


def multipart_parts(request: httpx.Request) -> list[Part]:
    """Split a multipart/form-data body on the boundary its Content-Type announces."""
    content_type = request.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data")
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    assert match is not None
    delimiter = b"\r\n--" + match.group(1).encode()
    sections = (b"\r\n" + request.content).split(delimiter)
    assert sections[0] == b""
    assert sections[-1].startswith(b"--")
    parts = []
    for section in sections[1:-1]:
        head, separator, data = section.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        assert separator, (
            f"a part without headers: the body was cut at a boundary inside the data: {section!r}"
        )
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        disposition = headers["Content-Disposition"]
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        assert name is not None
        parts.append(Part(name.group(1), filename and filename.group(1), headers.get("Content-Type"), data))
    return parts


def fields(parts: list[Part]) -> dict[str, list[bytes]]:
    """The parts by name, each name's values in order."""
    grouped: dict[str, list[bytes]] = {}
    for part in parts:
        grouped.setdefault(part.name, []).append(part.data)
    return grouped


def tts_body(request: httpx.Request) -> dict[str, Any]:
    body = msgpack.unpackb(request.content, raw=False)
    assert isinstance(body, dict)
    return body


# --- every method: request line, auth, user agent, request options -----------------------------------


class Method(NamedTuple):
    call: Callable[..., Any]
    http_method: str
    path: str
    query: list[tuple[str, str]]
    response: dict[str, Any]


METHODS = {
    "tts.convert": Method(
        lambda c, **kw: c.tts.convert(text="Hello", **kw), "POST", "/v1/tts", [], {"content": AUDIO}
    ),
    "tts.stream": Method(
        lambda c, **kw: c.tts.stream(text="Hello", **kw), "POST", "/v1/tts", [], {"content": AUDIO}
    ),
    "voices.list": Method(
        lambda c, **kw: c.voices.list(**kw),
        "GET",
        "/model",
        [("page_size", "10"), ("page_number", "1"), ("self", "false"), ("sort_by", "task_count")],
        {"json": VOICE_LIST},
    ),
    "voices.get": Method(lambda c, **kw: c.voices.get("v1", **kw), "GET", "/model/v1", [], {"json": VOICE}),
    "voices.create": Method(
        lambda c, **kw: c.voices.create(title="Mine", voices=[b"RIFFwav"], **kw),
        "POST",
        "/model",
        [],
        {"json": VOICE},
    ),
    "voices.update": Method(
        lambda c, **kw: c.voices.update("v1", title="New", **kw), "PATCH", "/model/v1", [], {"json": {}}
    ),
    "voices.delete": Method(
        lambda c, **kw: c.voices.delete("v1", **kw), "DELETE", "/model/v1", [], {"json": {}}
    ),
    "account.get_credits": Method(
        lambda c, **kw: c.account.get_credits(**kw), "GET", "/wallet/self/api-credit", [], {"json": CREDITS}
    ),
    "account.get_package": Method(
        lambda c, **kw: c.account.get_package(**kw), "GET", "/wallet/self/package", [], {"json": PACKAGE}
    ),
    "asr.transcribe": Method(
        lambda c, **kw: c.asr.transcribe(audio=b"ID3audio", **kw), "POST", "/v1/asr", [], {"json": TRANSCRIPT}
    ),
}


@pytest.fixture(params=sorted(METHODS))
def method(request: pytest.FixtureRequest) -> Method:
    return METHODS[request.param]


async def test_request_line_and_common_headers(
    is_async: bool, make_client: Any, router: respx.MockRouter, method: Method
) -> None:
    route = router.route(method=method.http_method, path=method.path).respond(200, **method.response)
    client = make_client(is_async, api_key=KEY)

    await resolve(method.call(client))

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.method == method.http_method
    assert request.url.host == "api.fish.audio"
    assert request.url.path == method.path
    assert sorted(request.url.params.multi_items()) == sorted(method.query)
    assert request.headers.get_list("Authorization") == [f"Bearer {KEY}"]
    assert request.headers["User-Agent"] == f"fishaudio-ext/{__version__}"
    if method.path != "/v1/tts":
        assert "model" not in request.headers


async def test_request_options_add_headers_and_query_params(
    is_async: bool, make_client: Any, router: respx.MockRouter, method: Method
) -> None:
    route = router.route(method=method.http_method, path=method.path).respond(200, **method.response)
    client = make_client(is_async, api_key=KEY)
    options = RequestOptions(
        additional_headers={"X-Trace-Id": "trace-1", "traceparent": "00-abc-def-01"},
        additional_query_params={"debug": "1", "flag": True, "multi": ["a", "b"]},
    )

    await resolve(method.call(client, request_options=options))

    request = route.calls.last.request
    assert request.headers["X-Trace-Id"] == "trace-1"
    assert request.headers["traceparent"] == "00-abc-def-01"
    assert request.headers.get_list("Authorization") == [f"Bearer {KEY}"]
    expected = [*method.query, ("debug", "1"), ("flag", "true"), ("multi", "a"), ("multi", "b")]
    assert sorted(request.url.params.multi_items()) == sorted(expected)


# --- tts ---------------------------------------------------------------------------------------------


@pytest.fixture(params=["convert", "stream"])
def tts_call(request: pytest.FixtureRequest) -> Callable[..., Any]:
    name = request.param
    return lambda client, **kwargs: getattr(client.tts, name)(**kwargs)


@pytest.fixture
def tts_route(router: respx.MockRouter) -> respx.Route:
    return router.post("/v1/tts").respond(200, content=AUDIO, headers={"Content-Type": "audio/mpeg"})


async def test_tts_returns_the_audio(
    is_async: bool, make_client: Any, tts_route: respx.Route, tts_call: Any
) -> None:
    client = make_client(is_async)

    assert await resolve(tts_call(client, text="Hello")) == AUDIO


async def test_tts_default_body_is_msgpack_holding_only_the_text(
    is_async: bool, make_client: Any, tts_route: respx.Route, tts_call: Any
) -> None:
    client = make_client(is_async)

    await resolve(tts_call(client, text="Hello, welcome to Fish Audio!"))

    request = tts_route.calls.last.request
    assert request.headers["Content-Type"] == "application/msgpack"
    assert request.headers["model"] == "s1"
    # The spec's defaults are the server's business: nothing the user did not set is sent.
    assert tts_body(request) == {"text": "Hello, welcome to Fish Audio!"}


async def test_tts_call_sends_any_setting_passed_by_name_and_checks_it_first(
    is_async: bool, make_client: Any, tts_route: respx.Route, tts_call: Any
) -> None:
    client = make_client(is_async)
    config = TTSConfig(format="wav", chunk_length=250)

    await resolve(tts_call(client, text="Hi", config=config, chunk_length=120, temperature=0.3))

    body = tts_body(tts_route.calls.last.request)
    assert body == {"text": "Hi", "format": "wav", "chunk_length": 120, "temperature": 0.3}
    assert set(body) <= set(TTS_FIELDS)
    with pytest.raises(ValidationError, match=r"chunk_length=99 is out of range"):
        await resolve(tts_call(client, text="Hi", chunk_length=99))
    assert len(tts_route.calls) == 1


@pytest.mark.parametrize("model", ["s2-pro", "s2.1-pro", "s2.1-pro-free", "s1", "fish-tts-2027-preview"])
async def test_tts_model_header_is_overridable_and_passes_unknown_names_through(
    is_async: bool, make_client: Any, tts_route: respx.Route, tts_call: Any, model: str
) -> None:
    client = make_client(is_async)

    await resolve(tts_call(client, text="Hi", model=model))

    assert tts_route.calls.last.request.headers.get_list("model") == [model]


@pytest.mark.parametrize("name", ["model", "Model", "MODEL"])
async def test_tts_model_header_from_request_options_replaces_the_default_in_any_case(
    is_async: bool, make_client: Any, tts_route: respx.Route, tts_call: Any, name: str
) -> None:
    client = make_client(is_async)
    options = RequestOptions(additional_headers={name: "s2-pro"})

    await resolve(tts_call(client, text="Hi", request_options=options))

    assert tts_route.calls.last.request.headers.get_list("model") == ["s2-pro"]


async def _finish(call: Any) -> Any:
    return await call if inspect.isawaitable(call) else call


async def test_tts_deprecated_model_warns_at_the_callers_line_and_is_still_sent(
    is_async: bool, make_client: Any, tts_route: respx.Route
) -> None:
    client = make_client(is_async)

    # Awaited right here, as a user would: the warning must point at this line, not at a helper.
    with pytest.warns(DeprecationWarning, match=r"speech-1\.5.*s1") as warned:
        await _finish(client.tts.convert(text="Hi", model="speech-1.5"))

    assert warned[0].filename == __file__
    assert tts_route.calls.last.request.headers["model"] == "speech-1.5"


async def test_tts_overrides_replace_the_config(
    is_async: bool, make_client: Any, tts_route: respx.Route, tts_call: Any
) -> None:
    config = TTSConfig(
        reference_id="from-config",
        format="wav",
        latency="balanced",
        prosody=Prosody(speed=0.8, volume=-5),
        temperature=0.3,
        sample_rate=16000,
        features=["quality-guard"],
    )
    client = make_client(is_async)

    await resolve(
        tts_call(
            client, text="Hi", config=config, reference_id="direct", format="pcm", latency="low", speed=1.5
        )
    )

    body = tts_body(tts_route.calls.last.request)
    assert body["reference_id"] == "direct"
    assert body["format"] == "pcm"
    assert body["latency"] == "low"
    assert body["prosody"] == {"speed": 1.5, "volume": -5}
    assert body["temperature"] == 0.3
    assert body["sample_rate"] == 16000
    assert body["features"] == ["quality-guard"]
    assert set(body) <= set(TTS_FIELDS)
    assert set(body["prosody"]) <= set(SPEC["components"]["schemas"]["ProsodyControl"]["properties"])


async def test_tts_speed_alone_makes_a_default_prosody(
    is_async: bool, make_client: Any, tts_route: respx.Route, tts_call: Any
) -> None:
    client = make_client(is_async)

    await resolve(tts_call(client, text="Hi", speed=1.2))

    # Only the speed was set: volume and loudness are left to the server.
    assert tts_body(tts_route.calls.last.request)["prosody"] == {"speed": 1.2}


async def test_tts_reference_id_list_for_several_speakers(
    is_async: bool, make_client: Any, tts_route: respx.Route, tts_call: Any
) -> None:
    client = make_client(is_async)

    await resolve(
        tts_call(client, text="<|speaker:0|>Hi <|speaker:1|>Hello", reference_id=["voice-a", "voice-b"])
    )

    assert tts_body(tts_route.calls.last.request)["reference_id"] == ["voice-a", "voice-b"]


async def test_tts_references_travel_as_binary_audio_with_their_text(
    is_async: bool, make_client: Any, tts_route: respx.Route, tts_call: Any
) -> None:
    sample = b"RIFF\x00\x01\xff\xfeWAVEfmt "
    client = make_client(is_async)

    await resolve(tts_call(client, text="Hi", references=[ReferenceAudio(audio=sample, text="What I said.")]))

    request = tts_route.calls.last.request
    body = tts_body(request)
    assert body["references"] == [{"audio": sample, "text": "What I said."}]
    assert isinstance(body["references"][0]["audio"], bytes)
    # MessagePack bin, not a base64 or latin-1 string.
    assert msgpack.packb(sample, use_bin_type=True) in request.content
    assert "reference_id" not in body


async def test_tts_nested_references_for_several_speakers(
    is_async: bool, make_client: Any, tts_route: respx.Route, tts_call: Any
) -> None:
    first = ReferenceAudio(audio=b"a1", text="one")
    second = ReferenceAudio(audio=b"b1", text="two")
    third = ReferenceAudio(audio=b"b2", text="three")
    client = make_client(is_async)

    await resolve(tts_call(client, text="Hi", references=[[first], [second, third]]))

    assert tts_body(tts_route.calls.last.request)["references"] == [
        [{"audio": b"a1", "text": "one"}],
        [{"audio": b"b1", "text": "two"}, {"audio": b"b2", "text": "three"}],
    ]


async def test_tts_opus_bitrate_in_kbps_is_sent_in_bps(
    is_async: bool, make_client: Any, tts_route: respx.Route, tts_call: Any
) -> None:
    client = make_client(is_async)

    await resolve(tts_call(client, text="Hi", config=TTSConfig(format="opus", opus_bitrate=32)))

    body = tts_body(tts_route.calls.last.request)
    assert body["format"] == "opus"
    assert body["opus_bitrate"] == 32000


async def test_tts_does_not_change_the_callers_config(
    is_async: bool, make_client: Any, tts_route: respx.Route, tts_call: Any
) -> None:
    config = TTSConfig(prosody=Prosody(volume=3))
    before = attrs.asdict(config)
    client = make_client(is_async)

    await resolve(tts_call(client, text="Hi", config=config, speed=2.0, format="wav"))
    await resolve(tts_call(client, text="Hi", config=config))

    assert attrs.asdict(config) == before
    second = tts_body(tts_route.calls.last.request)
    assert "format" not in second
    assert second["prosody"] == {"volume": 3}


# --- voices ------------------------------------------------------------------------------------------


async def test_voices_list_sends_every_filter(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.get("/model").respond(200, json=VOICE_LIST)
    client = make_client(is_async)

    await resolve(
        client.voices.list(
            page_size=5,
            page_number=2,
            title="x",
            tags=["a", "b"],
            self_only=True,
            author_id="au",
            language=["en", "zh"],
            title_language="en",
            sort_by="created_at",
        )
    )

    assert route.calls.last.request.url.params.multi_items() == [
        ("page_size", "5"),
        ("page_number", "2"),
        ("title", "x"),
        ("tag", "a"),
        ("tag", "b"),
        ("self", "true"),
        ("author_id", "au"),
        ("language", "en"),
        ("language", "zh"),
        ("title_language", "en"),
        ("sort_by", "created_at"),
    ]


async def test_voices_list_single_tag_and_defaults(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.get("/model").respond(200, json=VOICE_LIST)
    client = make_client(is_async)

    await resolve(client.voices.list(tags="male"))

    assert sorted(route.calls.last.request.url.params.multi_items()) == [
        ("page_number", "1"),
        ("page_size", "10"),
        ("self", "false"),
        ("sort_by", "task_count"),
        ("tag", "male"),
    ]


async def test_voices_list_parses_items_and_total(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    router.get("/model").respond(200, json=VOICE_LIST)
    client = make_client(is_async)

    voices = await resolve(client.voices.list())

    assert voices.total == 57
    assert [(voice.id, voice.title) for voice in voices.items] == [(VOICE["_id"], "Adrian")]


async def test_voices_get_parses_the_voice(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.get(f"/model/{VOICE['_id']}").respond(200, json=VOICE)
    client = make_client(is_async)

    voice = await resolve(client.voices.get(VOICE["_id"]))

    assert route.call_count == 1
    assert voice.id == VOICE["_id"]
    assert voice.title == "Adrian"
    assert voice.author.nickname == "fish"


@pytest.mark.parametrize("call", ["get", "update", "delete"])
async def test_voice_id_is_escaped_in_the_path(
    is_async: bool, make_client: Any, router: respx.MockRouter, call: str
) -> None:
    route = router.route(path__regex=r"^/model/").respond(200, json=VOICE)
    client = make_client(is_async)

    await resolve(getattr(client.voices, call)("../wallet/self?x=1"))

    assert route.calls.last.request.url.raw_path == b"/model/..%2Fwallet%2Fself%3Fx%3D1"


async def test_voices_create_sends_each_multipart_field(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.post("/model").respond(200, json=VOICE)
    client = make_client(is_async)

    voice = await resolve(
        client.voices.create(
            title="My Voice",
            voices=[b"RIFF-first", b"ID3-second"],
            description="Calm narrator",
            texts=["first transcript", "second transcript"],
            tags=["calm", "en"],
            cover_image=b"\x89PNG",
        )
    )

    assert voice.id == VOICE["_id"]
    parts = multipart_parts(route.calls.last.request)
    values = fields(parts)
    assert values["title"] == [b"My Voice"]
    assert values["description"] == [b"Calm narrator"]
    assert values["visibility"] == [b"private"]
    assert values["type"] == [b"tts"]
    assert values["train_mode"] == [b"fast"]
    assert values["texts"] == [b"first transcript", b"second transcript"]
    assert values["tags"] == [b"calm", b"en"]
    assert values["enhance_audio_quality"] == [b"true"]
    assert values["voices"] == [b"RIFF-first", b"ID3-second"]
    assert values["cover_image"] == [b"\x89PNG"]
    files = {part.name for part in parts if part.filename is not None}
    assert files == {"voices", "cover_image"}
    assert all(part.filename for part in parts if part.name == "voices")
    assert set(values) <= set(SPEC["components"]["schemas"]["CreateModelRequest"]["properties"])


async def test_voices_create_minimal_and_explicit_choices(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.post("/model").respond(200, json=VOICE)
    client = make_client(is_async)

    await resolve(
        client.voices.create(title="T", voices=[b"x"], visibility="unlist", enhance_audio_quality=False)
    )

    values = fields(multipart_parts(route.calls.last.request))
    assert values["visibility"] == [b"unlist"]
    assert values["enhance_audio_quality"] == [b"false"]
    assert "texts" not in values
    assert "tags" not in values
    assert "description" not in values
    assert "cover_image" not in values


async def test_voices_create_upload_survives_bytes_that_look_like_the_boundary(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    # A multipart boundary must never occur in the data; a fixed, short one is bound to one day.
    route = router.post("/model").respond(200, json=VOICE)
    client = make_client(is_async)
    sample = b"RIFF\r\n--+++\r\n--+++--\r\nWAVE"
    transcript = "line one\r\n--+++\r\nline two"

    await resolve(client.voices.create(title="T", voices=[sample], texts=[transcript]))

    values = fields(multipart_parts(route.calls.last.request))
    assert values["voices"] == [sample]
    assert values["texts"] == [transcript.encode()]


async def test_voices_update_sends_only_the_given_fields(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.patch("/model/v1").respond(200, json={})
    client = make_client(is_async)

    result = await resolve(client.voices.update("v1", title="Renamed", visibility="public", tags=["x", "y"]))

    assert result is None
    parts = multipart_parts(route.calls.last.request)
    assert fields(parts) == {"title": [b"Renamed"], "visibility": [b"public"], "tags": [b"x", b"y"]}


async def test_voices_update_with_a_cover_image(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.patch("/model/v1").respond(200, json={})
    client = make_client(is_async)

    await resolve(client.voices.update("v1", description="New", cover_image=b"\x89PNGdata"))

    parts = multipart_parts(route.calls.last.request)
    assert fields(parts) == {"description": [b"New"], "cover_image": [b"\x89PNGdata"]}
    assert next(part for part in parts if part.name == "cover_image").filename


async def test_voices_delete(is_async: bool, make_client: Any, router: respx.MockRouter) -> None:
    route = router.delete("/model/v1").respond(200)
    client = make_client(is_async)

    assert await resolve(client.voices.delete("v1")) is None
    assert route.calls.last.request.content == b""


# --- account -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check_free_credit", "query"),
    [(None, []), (True, [("check_free_credit", "true")]), (False, [("check_free_credit", "false")])],
)
async def test_account_get_credits(
    is_async: bool,
    make_client: Any,
    router: respx.MockRouter,
    check_free_credit: bool | None,
    query: list[Any],
) -> None:
    route = router.get("/wallet/self/api-credit").respond(200, json=CREDITS)
    client = make_client(is_async)

    credits = await resolve(client.account.get_credits(check_free_credit=check_free_credit))

    assert route.calls.last.request.url.params.multi_items() == query
    assert credits.credit == Decimal("12.50")
    assert float(credits.credit) == 12.5


async def test_account_get_package(is_async: bool, make_client: Any, router: respx.MockRouter) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    client = make_client(is_async)

    package = await resolve(client.account.get_package())

    assert route.call_count == 1
    assert (package.balance, package.total) == (42, 100)


# --- asr ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, {"ignore_timestamps": [b"false"]}),
        (
            {"include_timestamps": True, "language": "en"},
            {"ignore_timestamps": [b"false"], "language": [b"en"]},
        ),
        ({"include_timestamps": False}, {"ignore_timestamps": [b"true"]}),
        ({"language": None}, {"ignore_timestamps": [b"false"]}),
    ],
)
async def test_asr_transcribe_multipart(
    is_async: bool,
    make_client: Any,
    router: respx.MockRouter,
    kwargs: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    route = router.post("/v1/asr").respond(200, json=TRANSCRIPT)
    audio = b"ID3\x00\xffaudio-bytes"
    client = make_client(is_async)

    result = await resolve(client.asr.transcribe(audio=audio, **kwargs))

    request = route.calls.last.request
    parts = multipart_parts(request)
    assert fields(parts) == {"audio": [audio], **expected}
    assert next(part for part in parts if part.name == "audio").filename
    assert "model" not in request.headers
    assert [(s.text, s.start, s.end) for s in result.segments] == [("Hello", 0.0, 0.6), ("world", 0.7, 1.5)]
    assert result.text == "Hello world"
    assert result.duration == 1.5


# --- validation happens before any traffic -------------------------------------------------------------


INVALID_CALLS: dict[str, Callable[[Any], Any]] = {
    "tts empty text": lambda c: c.tts.convert(text=""),
    "tts blank text": lambda c: c.tts.convert(text="   "),
    "tts stream empty text": lambda c: c.tts.stream(text=""),
    "tts speed out of range": lambda c: c.tts.convert(text="Hi", speed=3.0),
    "tts unknown format": lambda c: c.tts.convert(text="Hi", format="flac"),
    "tts unknown latency": lambda c: c.tts.stream(text="Hi", latency="fastest"),
    "tts empty reference_id": lambda c: c.tts.convert(text="Hi", reference_id=""),
    "tts empty model": lambda c: c.tts.convert(text="Hi", model=""),
    "tts model with a newline": lambda c: c.tts.convert(text="Hi", model="s1\r\nX-Evil: 1"),
    "voices.list page_size=0": lambda c: c.voices.list(page_size=0),
    "voices.list page_size=101": lambda c: c.voices.list(page_size=101),
    "voices.list page_number=0": lambda c: c.voices.list(page_number=0),
    "voices.list unknown sort": lambda c: c.voices.list(sort_by="random"),
    "voices.get empty id": lambda c: c.voices.get(""),
    "voices.update empty id": lambda c: c.voices.update("", title="x"),
    "voices.update bad visibility": lambda c: c.voices.update("v1", visibility="secret"),
    "voices.delete empty id": lambda c: c.voices.delete(""),
    "voices.create 21 voices": lambda c: c.voices.create(title="T", voices=[b"x"] * 21),
    "voices.create no voices": lambda c: c.voices.create(title="T", voices=[]),
    "voices.create bytes not list": lambda c: c.voices.create(title="T", voices=b"RIFF"),
    "voices.create empty voice": lambda c: c.voices.create(title="T", voices=[b"ok", b""]),
    "voices.create texts mismatch": lambda c: c.voices.create(
        title="T", voices=[b"a", b"b"], texts=["only one"]
    ),
    "voices.create empty title": lambda c: c.voices.create(title="", voices=[b"a"]),
    "voices.create bad visibility": lambda c: c.voices.create(title="T", voices=[b"a"], visibility="hidden"),
    "voices.create bad train_mode": lambda c: c.voices.create(title="T", voices=[b"a"], train_mode="full"),
    "asr empty audio": lambda c: c.asr.transcribe(audio=b""),
    "asr path instead of bytes": lambda c: c.asr.transcribe(audio="speech.mp3"),
    "asr audio over 20 MB": lambda c: c.asr.transcribe(audio=bytes(20 * 1024 * 1024 + 1)),
}


@pytest.mark.parametrize("name", sorted(INVALID_CALLS))
async def test_invalid_arguments_raise_before_any_request(
    is_async: bool, make_client: Any, router: respx.MockRouter, name: str
) -> None:
    router.route().respond(200, json={})
    client = make_client(is_async)

    with pytest.raises(ValidationError) as caught:
        await resolve(INVALID_CALLS[name](client))

    assert str(caught.value)
    assert router.calls.call_count == 0


async def test_invalid_config_fails_where_it_is_built(router: respx.MockRouter) -> None:
    router.route().respond(200, content=AUDIO)

    with pytest.raises(ValidationError, match="chunk_length"):
        TTSConfig(chunk_length=99)

    assert router.calls.call_count == 0


async def test_asr_audio_of_exactly_20_mb_is_sent(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.post("/v1/asr").respond(200, json=TRANSCRIPT)
    client = make_client(is_async)

    await resolve(client.asr.transcribe(audio=bytes(20 * 1024 * 1024)))

    assert route.call_count == 1
