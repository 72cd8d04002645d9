"""Every operation of the spec, called through ``client.api`` against the local server on loopback.

Derived from spec/openapi.yaml: an operation the server does not route, or answers with something the
spec does not document, fails here (the recorder checks every exchange against the spec). Operations
without a call below are called with the smallest arguments their spec allows.
"""

from __future__ import annotations

import inspect
import io
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fishaudio_api.models import (
    ASRRequest,
    CreateModelRequest,
    ModelEntity,
    TTSRequest,
    UpdateModelRequest,
    VoiceDesignRequest,
)
from fishaudio_api.types import File
from local_wire import ADRIAN, KEY, AsyncRecordingTransport, Recorder, RecordingTransport
from starlette.routing import Match

from fishaudio_ext import (
    APIConnectionError,
    AsyncFishAudio,
    FishAudio,
    NotFoundError,
    RequestOptions,
    ServerError,
)
from fishaudio_ext._api_operations import OPERATIONS
from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._routes_generic import sample
from fishaudio_ext.server._spec import load_spec

SPEC = load_spec()
SPEC_OPERATIONS = sorted(operation.operation_id for operation in SPEC.operations)
Call = tuple[tuple[Any, ...], dict[str, Any]]


def _wav(http: httpx.Client) -> bytes:
    return http.post(
        "/v1/tts", json={"text": "This is my voice, recorded for cloning.", "format": "wav"}
    ).content


def _file(data: bytes) -> File:
    return File(payload=io.BytesIO(data), file_name="voice.wav", mime_type="application/octet-stream")


def _own_voice(http: httpx.Client) -> str:
    files = [("voices", ("voice.wav", _wav(http)))]
    data = {"type": "tts", "title": "Mine", "train_mode": "fast", "visibility": "private"}
    return str(http.post("/model", data=data, files=files).json()["_id"])


CALLS: dict[str, Callable[[httpx.Client], Call]] = {
    "text_to_speech": lambda http: ((), {"body": TTSRequest(text="Hello.", format_="wav")}),
    "text_to_speech_with_timestamps": lambda http: ((), {"body": TTSRequest(text="Hello there.")}),
    "speech_to_text": lambda http: ((), {"body": ASRRequest(audio=_file(_wav(http)))}),
    "voice_design": lambda http: (
        (),
        {"body": VoiceDesignRequest(instruction="A calm, warm voice.", n=1), "model": "voice-design-1"},
    ),
    "list_models": lambda http: ((), {"page_size": 2}),
    "get_model": lambda http: ((ADRIAN,), {}),
    "create_model": lambda http: (
        (),
        {
            "body": CreateModelRequest(
                type_="tts",
                title="Clone",
                train_mode="fast",
                voices=[_file(_wav(http))],
                visibility="private",
            )
        },
    ),
    "update_model": lambda http: ((_own_voice(http),), {"body": UpdateModelRequest(title="Renamed")}),
    "delete_model": lambda http: ((_own_voice(http),), {}),
    "get_api_credit": lambda http: (("self",), {}),
    "get_package": lambda http: (("self",), {}),
}


def _smallest_call(operation_id: str, request_args: Callable[..., Any]) -> Call:
    """Arguments for an operation with no call above: the least its spec allows."""
    operation = SPEC.operation(operation_id)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for name, parameter in inspect.signature(request_args).parameters.items():
        if parameter.default is not inspect.Parameter.empty:
            continue
        if name == "body":
            media = next(iter(operation.definition["requestBody"]["content"].values()))
            kwargs["body"] = parameter.annotation.from_dict(sample(SPEC, media["schema"]))
        elif parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            args.append("x")
        else:
            spec_parameter = next(p for p in operation.parameters if p.name.replace("-", "_") == name)
            kwargs[name] = sample(SPEC, spec_parameter.definition.get("schema", {}))
    return tuple(args), kwargs


def _call_for(operation_id: str, http: httpx.Client, request_args: Callable[..., Any]) -> Call:
    make = CALLS.get(operation_id)
    return make(http) if make is not None else _smallest_call(operation_id, request_args)


def _complete_sync(result: Any) -> Any:
    """Read a stream to its end, so that the whole answer is checked against the spec."""
    if hasattr(result, "__iter__") and not isinstance(result, (bytes, list, dict, str)):
        with result:
            return list(result)
    return result


async def _complete(result: Any) -> Any:
    """Read an async stream to its end; see :func:`_complete_sync`."""
    if hasattr(result, "__aiter__"):
        async with result:
            return [item async for item in result]
    return result


def _api_operation(namespace: Any, operation_id: str) -> Any:
    entry = getattr(namespace, operation_id, None)
    assert entry is not None, f"client.api has no {operation_id}: run scripts/generate"
    return entry


@pytest.mark.parametrize("operation_id", SPEC_OPERATIONS)
def test_every_operation_is_routed_by_the_local_server(operation_id: str, server: LocalServer) -> None:
    operation = SPEC.operation(operation_id)
    path = operation.template.replace("{", "").replace("}", "")
    scope = {"type": "http", "path": path, "root_path": "", "method": operation.method}
    routes = server.app.app.routes  # type: ignore[attr-defined]  # the Starlette app behind the gateway
    assert any(route.matches(scope)[0] is Match.FULL for route in routes), f"no route serves {operation_id}"


@pytest.mark.parametrize("operation_id", SPEC_OPERATIONS)
def test_every_operation_answers_through_client_api(
    operation_id: str, client: FishAudio, http: httpx.Client, recorder: Recorder
) -> None:
    call = _api_operation(client.api, operation_id)
    args, kwargs = _call_for(operation_id, http, call.request_args)
    _check_result(operation_id, _complete_sync(call(*args, **kwargs)))
    assert recorder.exchanges[-1].response.is_success


@pytest.mark.parametrize("operation_id", SPEC_OPERATIONS)
async def test_every_operation_answers_through_async_client_api(
    operation_id: str, async_client: AsyncFishAudio, http: httpx.Client, recorder: Recorder
) -> None:
    call = _api_operation(async_client.api, operation_id)
    args, kwargs = _call_for(operation_id, http, call.request_args)
    body = await _complete(await call(*args, **kwargs))
    _check_result(operation_id, body)
    assert recorder.exchanges[-1].response.is_success


def _check_result(operation_id: str, body: Any) -> None:
    kind = OPERATIONS[operation_id].response
    if kind == "empty":
        assert body is None
    elif kind in ("audio", "events"):
        assert body, f"{operation_id} streamed nothing"
    else:
        assert hasattr(body, "to_dict"), (
            f"{operation_id} returned {type(body).__name__}, not a generated model"
        )


# --- the one request path, end to end -------------------------------------------------------------------


def test_client_api_retries_a_server_error_and_maps_errors(server: LocalServer, recorder: Recorder) -> None:
    server.faults.fail(503, times=1, path="/wallet/self/package")
    with (
        httpx.Client(transport=RecordingTransport(recorder)) as transport,
        FishAudio(base_url=server.url, api_key=KEY, httpx_client=transport, max_retries=1) as client,
    ):
        assert client.api.get_package("self").user_id
        assert [e.response.status_code for e in recorder.exchanges] == [503, 200]
        with pytest.raises(NotFoundError):
            client.api.get_model("0" * 32)
        server.faults.fail(500, times=5, path="/wallet/self/package")
        with pytest.raises(ServerError):
            client.api.with_options(RequestOptions(max_retries=0)).get_package("self")


async def test_async_client_api_retries_and_takes_request_options(
    server: LocalServer, recorder: Recorder
) -> None:
    server.faults.fail(503, times=1, path=f"/model/{ADRIAN}")
    transport = httpx.AsyncClient(transport=AsyncRecordingTransport(recorder))
    client = AsyncFishAudio(base_url=server.url, api_key=KEY, httpx_client=transport, max_retries=1)
    async with transport, client:
        voice = await client.api.get_model(ADRIAN)
        assert isinstance(voice, ModelEntity)
        assert [e.response.status_code for e in recorder.exchanges] == [503, 200]
        server.faults.delay(2.0, times=1, path=f"/model/{ADRIAN}")
        with pytest.raises(APIConnectionError):  # APITimeoutError is one
            await client.api.with_options(RequestOptions(timeout=0.2, max_retries=0)).get_model(ADRIAN)
