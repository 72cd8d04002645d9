"""``client.api``: every operation of the spec, sync and async, through the client's one request path.

The operation list is read from spec/openapi.yaml itself, so an operation added to the spec without a
``client.api`` entry (or with the wrong method, path or replay safety) fails here.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import httpx
import msgpack
import pytest
import respx
import yaml
from fishaudio_api.models import ModelEntity, ModelList, PackageEntity, TTSRequest, TTSTimestampStreamEvent

from fishaudio_ext import (
    APIConnectionError,
    APIResponseValidationError,
    AsyncAudioStream,
    AudioStream,
    NotFoundError,
    RequestOptions,
    ServerError,
)
from fishaudio_ext._api import AsyncOperation, SyncOperation
from fishaudio_ext._api_namespace import API, AsyncAPI
from fishaudio_ext._api_operations import OPERATIONS
from fishaudio_ext._api_streams import AsyncEventStream, EventStream
from tests.support.samples import PACKAGE, VOICE

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "spec" / "openapi.yaml").read_text("utf-8"))
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
SPEC_OPERATIONS = {
    operation["operationId"]: (method.upper(), path, operation)
    for path, item in SPEC["paths"].items()
    for method, operation in item.items()
    if method in HTTP_METHODS
}
EVENT = {
    "audio_base64": "SUQz",
    "content": "Hello there.",
    "alignment": {"audio_duration": 0.9, "segments": [{"text": "Hello", "start": 0.0, "end": 0.4}]},
    "chunk_seq": 0,
    "chunk_audio_offset_sec": 0,
}


async def finish(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def events_of(stream: EventStream[Any] | AsyncEventStream[Any]) -> list[Any]:
    if isinstance(stream, AsyncEventStream):
        return [event async for event in stream]
    return list(stream)


# --- the namespace is the spec ------------------------------------------------------------------------


def test_the_operations_table_has_exactly_the_spec_operations() -> None:
    assert sorted(OPERATIONS) == sorted(SPEC_OPERATIONS)


@pytest.mark.parametrize("operation_id", sorted(SPEC_OPERATIONS))
@pytest.mark.parametrize(("namespace", "kind"), [(API, SyncOperation), (AsyncAPI, AsyncOperation)])
def test_every_spec_operation_has_a_client_api_entry(operation_id: str, namespace: type, kind: type) -> None:
    method, path, definition = SPEC_OPERATIONS[operation_id]
    entry = namespace.__dict__.get(operation_id)
    assert isinstance(entry, kind), f"{namespace.__name__} has no operation {operation_id}"
    assert (entry.operation.method, entry.operation.path) == (method, path)
    # Replay safety is the spec's: a GET, or an operation marked as one that only computes.
    assert entry.operation.idempotent is (method == "GET" or definition.get("x-replay-safe") is True)


def test_reads_and_pure_computations_are_replay_safe_changes_are_not() -> None:
    safe = ("get_model", "list_models", "text_to_speech", "text_to_speech_with_timestamps", "speech_to_text")
    assert all(OPERATIONS[operation_id].idempotent for operation_id in (*safe, "voice_design"))
    assert not any(OPERATIONS[operation_id].idempotent for operation_id in ("create_model", "update_model"))
    assert not OPERATIONS["delete_model"].idempotent


def test_the_table_records_body_and_response_kinds() -> None:
    assert OPERATIONS["text_to_speech"].request_media_type == "application/msgpack"
    assert OPERATIONS["text_to_speech"].response == "audio"
    assert OPERATIONS["text_to_speech_with_timestamps"].response == "events"
    assert OPERATIONS["create_model"].request_media_type == "multipart/form-data"
    assert OPERATIONS["delete_model"].response == "empty"
    assert OPERATIONS["list_models"].request_media_type is None


class _SpyHTTP:
    """Stands in for the request path: records what each call hands it."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def request(self, args: dict[str, Any], options: Any = None, **flags: Any) -> httpx.Response:
        self.calls.append({"args": args, "options": options, **flags})
        request = httpx.Request(args["method"], "https://x" + args["url"])
        return httpx.Response(200, json=VOICE, request=request)


@pytest.mark.parametrize(
    ("call", "idempotent"),
    [
        (lambda api: api.delete_model("v1"), False),
        (lambda api: api.get_model("v1"), True),
    ],
    ids=["delete_model", "get_model"],
)
def test_each_call_passes_its_replay_safety_to_the_request_path(call: Any, idempotent: bool) -> None:
    spy = _SpyHTTP()
    call(API(spy))  # type: ignore[arg-type]
    assert spy.calls[0]["idempotent"] is idempotent
    assert spy.calls[0]["stream"] is False


# --- on the wire ----------------------------------------------------------------------------------------


async def test_json_operation_sends_the_generated_request_and_returns_the_generated_model(
    router: respx.MockRouter, make_client: Any, is_async: bool
) -> None:
    route = router.get("/model").respond(200, json={"total": 1, "items": [VOICE]})
    client = make_client(is_async)
    page = await finish(client.api.list_models(page_size=5, tag=["a", "b"], sort_by="created_at"))
    assert isinstance(page, ModelList)
    assert page.items[0].id == "v1"
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer sk-test-key"
    assert request.headers["User-Agent"].startswith("fishaudio-ext/")
    assert request.url.params.get_list("tag") == ["a", "b"]
    assert (request.url.params["page_size"], request.url.params["sort_by"]) == ("5", "created_at")


async def test_path_parameters_and_empty_responses(
    router: respx.MockRouter, make_client: Any, is_async: bool
) -> None:
    router.get("/model/a%2Fb").respond(200, json={**VOICE, "_id": "a/b"})
    deleted = router.delete("/model/v1").respond(200)
    client = make_client(is_async)
    voice = await finish(client.api.get_model("a/b"))
    assert isinstance(voice, ModelEntity)
    assert voice.id == "a/b"
    assert await finish(client.api.delete_model("v1")) is None
    assert deleted.called


async def test_tts_body_is_the_generated_request_packed_as_messagepack(
    router: respx.MockRouter, make_client: Any, is_async: bool
) -> None:
    route = router.post("/v1/tts").respond(200, content=b"ID3audio")
    client = make_client(is_async)
    audio = await finish(client.api.text_to_speech(body=TTSRequest(text="Hi", chunk_length=200), model="s1"))
    assert isinstance(audio, AsyncAudioStream if is_async else AudioStream)
    assert (await audio.collect() if is_async else audio.collect()) == b"ID3audio"
    request = route.calls.last.request
    assert request.headers["Content-Type"] == "application/msgpack"
    assert request.headers["model"] == "s1"
    sent = msgpack.unpackb(request.content)
    assert sent == TTSRequest(text="Hi", chunk_length=200).to_dict()


async def test_server_sent_events_arrive_as_generated_events_one_by_one(
    router: respx.MockRouter, make_client: Any, is_async: bool
) -> None:
    second = {**EVENT, "chunk_seq": 1, "alignment": None}
    body = (
        f": comment\n\ndata: {json.dumps(EVENT)}\n\nevent: ping\ndata: {{}}\n\ndata: {json.dumps(second)}\n\n"
    )
    route = router.post("/v1/tts/stream/with-timestamp").respond(
        200, content=body.encode(), headers={"Content-Type": "text/event-stream"}
    )
    client = make_client(is_async)
    stream = await finish(client.api.text_to_speech_with_timestamps(body=TTSRequest(text="Hello there.")))
    assert isinstance(stream, AsyncEventStream if is_async else EventStream)
    events = await events_of(stream)
    assert [type(event) for event in events] == [TTSTimestampStreamEvent, TTSTimestampStreamEvent]
    assert [event.chunk_seq for event in events] == [0, 1]
    assert events[0].alignment.segments[0].text == "Hello"  # type: ignore[union-attr]
    assert route.calls.last.request.headers["Content-Type"] == "application/msgpack"


async def test_an_event_that_does_not_match_the_spec_is_a_validation_error(
    router: respx.MockRouter, make_client: Any, is_async: bool
) -> None:
    router.post("/v1/tts/stream/with-timestamp").respond(
        200, content=b'data: {"chunk_seq": 0}\n\n', headers={"Content-Type": "text/event-stream"}
    )
    client = make_client(is_async)
    stream = await finish(client.api.text_to_speech_with_timestamps(body=TTSRequest(text="Hi")))
    with pytest.raises(APIResponseValidationError, match="event that does not match the spec"):
        await events_of(stream)


def test_events_are_parsed_as_they_arrive_not_after_the_body(make_client: Any, transport: Any) -> None:
    # The second event never comes: the first must already be in hand.
    transport.reply(
        200,
        f"data: {json.dumps(EVENT)}\n\n".encode(),
        headers={"Content-Type": "text/event-stream"},
        error=httpx.ReadError("connection lost"),
    )
    client = make_client(False, transport=transport)
    events = iter(client.api.text_to_speech_with_timestamps(body=TTSRequest(text="Hi")))
    assert next(events).chunk_seq == 0
    with pytest.raises(APIConnectionError, match="connection lost"):
        next(events)
    assert transport.streams[0].closed


# --- the one request path: errors, retries, options ----------------------------------------------------


async def test_errors_are_the_documented_exceptions(
    router: respx.MockRouter, make_client: Any, is_async: bool
) -> None:
    router.get("/model/nope").respond(404, json={"status": 404, "message": "Model not found"})
    client = make_client(is_async)
    with pytest.raises(NotFoundError, match="Model not found"):
        await finish(client.api.get_model("nope"))


async def test_retries_go_through_the_client_policy(
    make_client: Any, transport: Any, is_async: bool, clock: Any
) -> None:
    transport.reply(503).reply(200, json.dumps(PACKAGE).encode())
    client = make_client(is_async, transport=transport, max_retries=1)
    package = await finish(client.api.get_package("self"))
    assert isinstance(package, PackageEntity)
    assert len(transport.requests) == 2
    assert len(clock.delays) == 1


async def test_request_options_apply_to_every_operation(
    make_client: Any, transport: Any, is_async: bool
) -> None:
    transport.reply(503)
    client = make_client(is_async, transport=transport, max_retries=3)
    options = RequestOptions(
        max_retries=0, timeout=7.5, additional_headers={"X-Trace": "t1"}, additional_query_params={"q": "1"}
    )
    with pytest.raises(ServerError):
        await finish(client.api.with_options(options).get_package("self"))
    (request,) = transport.requests
    assert request.headers["X-Trace"] == "t1"
    assert request.url.params["q"] == "1"
    assert request.extensions["timeout"]["read"] == 7.5
    # The namespace itself is unchanged.
    transport.reply(200, json.dumps(PACKAGE).encode())
    assert isinstance(await finish(client.api.get_package("self")), PackageEntity)
    assert "X-Trace" not in transport.requests[-1].headers


def test_a_call_exposes_its_operation_and_generated_request_builder(make_client: Any, is_async: bool) -> None:
    from fishaudio_api.api.model import get_model

    call = make_client(is_async).api.get_model
    assert call.request_args is get_model.request_args
    assert call.operation == OPERATIONS["get_model"]
    assert call.request_args("v1")["url"] == "/model/v1"
