"""Errors as callers see them through the client: statuses and body shapes, bad 200s, transport failures."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from fishaudio_ext import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    FishAudioError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnprocessableEntityError,
    ValidationError,
)
from tests.support.calls import resolve
from tests.support.samples import PACKAGE, STAMP, VOICE

CREDITS = {"_id": "c1", "user_id": "u1", "credit": "1.0", **STAMP}
HTML_PAGE = (
    "<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n"
    "<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
)

EXPECTED_CLASS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: ServerError,
    502: ServerError,
    503: ServerError,
}


class Shape:
    """A body shape: what the server sends, and what the error should show of it."""

    def __init__(self, content_type: str, body: bytes, message: str, parsed: Callable[[], object]) -> None:
        self.content_type = content_type
        self.body = body
        self.message = message
        self.parsed = parsed


def fish_json(status: int) -> Shape:
    data = {"status": status, "message": "Voice model not usable", "reason": "model_unavailable"}
    return Shape(
        "application/json",
        json.dumps(data).encode(),
        "Voice model not usable (reason: model_unavailable)",
        lambda: data,
    )


SHAPES: dict[str, Callable[[int], Shape]] = {
    "fish-json": fish_json,
    "detail": lambda status: Shape(
        "application/json",
        b'{"detail": "Not allowed here"}',
        "Not allowed here",
        lambda: {"detail": "Not allowed here"},
    ),
    "422-array": lambda status: Shape(
        "application/json",
        b'[{"loc": ["body", "text"], "msg": "Field required", "type": "missing"}]',
        "body.text: Field required",
        lambda: [{"loc": ["body", "text"], "msg": "Field required", "type": "missing"}],
    ),
    "plain-text": lambda status: Shape(
        "text/plain",
        b"upstream connect error\n",
        "upstream connect error",
        lambda: "upstream connect error\n",
    ),
    "html": lambda status: Shape(
        "text/html; charset=utf-8", HTML_PAGE.encode(), "502 Bad Gateway", lambda: HTML_PAGE
    ),
    "empty": lambda status: Shape("", b"", httpx.codes.get_reason_phrase(status), lambda: None),
}


@pytest.mark.parametrize("shape_name", sorted(SHAPES))
@pytest.mark.parametrize("status", sorted(EXPECTED_CLASS))
async def test_error_status_and_body_give_the_documented_exception(
    is_async: bool, make_client: Any, router: respx.MockRouter, status: int, shape_name: str
) -> None:
    shape = SHAPES[shape_name](status)
    headers = {"x-request-id": "req-7f3a"}
    if shape.content_type:
        headers["Content-Type"] = shape.content_type
    router.get("/model/v1").respond(status, content=shape.body, headers=headers)
    client = make_client(is_async, max_retries=0)

    with pytest.raises(FishAudioError) as caught:
        await resolve(client.voices.get("v1"))

    error = caught.value
    assert type(error) is EXPECTED_CLASS[status]
    assert isinstance(error, APIError)
    assert error.status == status
    assert error.request_id == "req-7f3a"
    assert error.body == shape.parsed()
    assert shape.message in error.message
    assert str(error) == f"HTTP {status}: {error.message} (request id: req-7f3a)"
    assert "\n" not in str(error)
    assert "<" not in error.message
    assert error.headers["x-request-id"] == "req-7f3a"


async def test_422_lists_the_issues_and_is_a_validation_error(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    body = {
        "detail": [
            {
                "loc": ["body", "prosody", "speed"],
                "msg": "Input should be less than or equal to 2",
                "type": "le",
            },
            {"loc": ["body", "text"], "msg": "Field required", "type": "missing"},
        ]
    }
    router.post("/v1/tts").respond(422, json=body)
    client = make_client(is_async, max_retries=0)

    with pytest.raises(ValidationError) as caught:
        await resolve(client.tts.convert(text="Hi"))

    error = caught.value
    assert isinstance(error, UnprocessableEntityError)
    assert [str(issue) for issue in error.issues] == [
        "body.prosody.speed: Input should be less than or equal to 2",
        "body.text: Field required",
    ]
    assert error.field == "prosody.speed"


async def test_429_carries_retry_after(is_async: bool, make_client: Any, router: respx.MockRouter) -> None:
    router.get("/wallet/self/package").respond(
        429, json={"message": "Slow down"}, headers={"Retry-After": "7"}
    )
    client = make_client(is_async, max_retries=0)

    with pytest.raises(RateLimitError) as caught:
        await resolve(client.account.get_package())

    assert caught.value.retry_after == 7.0
    assert caught.value.message == "Slow down"


@pytest.mark.parametrize("status", [400, 401, 402, 404, 500])
async def test_streamed_tts_errors_are_raised_by_the_call_with_the_body_read(
    is_async: bool, make_client: Any, router: respx.MockRouter, status: int
) -> None:
    router.post("/v1/tts").respond(status, json={"status": status, "message": "No audio for you"})
    client = make_client(is_async, max_retries=0)

    with pytest.raises(APIError) as caught:
        await resolve(client.tts.stream(text="Hi"))

    assert type(caught.value) is EXPECTED_CLASS[status]
    assert caught.value.message == "No audio for you"
    assert caught.value.body == {"status": status, "message": "No audio for you"}


@pytest.mark.parametrize("request_id_header", ["x-request-id", "request-id", "X-Trace-Id"])
async def test_request_id_from_the_gateway_headers(
    is_async: bool, make_client: Any, router: respx.MockRouter, request_id_header: str
) -> None:
    router.get("/model/v1").respond(404, json={"detail": "Not Found"}, headers={request_id_header: "abc-123"})
    client = make_client(is_async, max_retries=0)

    with pytest.raises(NotFoundError) as caught:
        await resolve(client.voices.get("v1"))

    assert caught.value.request_id == "abc-123"
    assert "abc-123" in str(caught.value)


async def test_no_request_id_leaves_it_out_of_the_message(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    router.get("/model/v1").respond(404, json={"detail": "Not Found"})
    client = make_client(is_async, max_retries=0)

    with pytest.raises(NotFoundError) as caught:
        await resolve(client.voices.get("v1"))

    assert caught.value.request_id is None
    assert str(caught.value) == "HTTP 404: Not Found"


async def test_a_huge_error_body_gives_a_short_message(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    router.get("/model/v1").respond(500, text="x" * 100_000)
    client = make_client(is_async, max_retries=0)

    with pytest.raises(ServerError) as caught:
        await resolve(client.voices.get("v1"))

    assert len(str(caught.value)) < 600


async def test_a_binary_error_body_gives_a_readable_message(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    router.post("/v1/tts").respond(
        500, content=b"\xff\xfe\x00\x81garbage", headers={"Content-Type": "audio/mpeg"}
    )
    client = make_client(is_async, max_retries=0)

    with pytest.raises(ServerError) as caught:
        await resolve(client.tts.convert(text="Hi"))

    assert caught.value.message.startswith("Internal Server Error")


# --- a 200 that is not what the spec promises ----------------------------------------------------------


BAD_SUCCESS_BODIES = {
    "json-array": ("application/json", b'[{"_id": "v1"}]'),
    "json-string": ("application/json", b'"ok"'),
    "json-null": ("application/json", b"null"),
    "html-page": ("text/html", HTML_PAGE.encode()),
    "empty": ("application/json", b""),
    "truncated-json": ("application/json", b'{"_id": "v1", "title": '),
    "not-utf8": ("application/json", b"\xff\xfe{}"),
    "deeply-nested": ("application/json", b"[" * 100_000 + b"]" * 100_000),
}


ENDPOINTS: dict[str, tuple[str, Callable[[Any], Any], dict[str, Any]]] = {
    "voices.get": ("/model/v1", lambda c: c.voices.get("v1"), VOICE),
    "voices.list": ("/model", lambda c: c.voices.list(), {"total": 1, "items": [VOICE]}),
    "account.get_credits": ("/wallet/self/api-credit", lambda c: c.account.get_credits(), CREDITS),
    "account.get_package": ("/wallet/self/package", lambda c: c.account.get_package(), PACKAGE),
}


@pytest.mark.parametrize("body_name", sorted(BAD_SUCCESS_BODIES))
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
async def test_a_200_with_a_body_that_is_not_an_object_is_a_response_validation_error(
    is_async: bool, make_client: Any, router: respx.MockRouter, endpoint: str, body_name: str
) -> None:
    path, call, _ = ENDPOINTS[endpoint]
    content_type, body = BAD_SUCCESS_BODIES[body_name]
    router.get(path).respond(200, content=body, headers={"Content-Type": content_type})
    client = make_client(is_async)

    with pytest.raises(APIResponseValidationError) as caught:
        await resolve(call(client))

    assert caught.value.status == 200
    assert path in str(caught.value)
    assert len(str(caught.value)) < 600


def _without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


MALFORMED_OBJECTS: dict[str, tuple[str, dict[str, Any]]] = {
    "voice without _id": ("voices.get", _without(VOICE, "_id")),
    "voice without title": ("voices.get", _without(VOICE, "title")),
    "voice with a bad date": ("voices.get", {**VOICE, "created_at": "yesterday"}),
    "voice with a numeric date": ("voices.get", {**VOICE, "created_at": 1700000000}),
    "voice with author as text": ("voices.get", {**VOICE, "author": "fish"}),
    "list without items": ("voices.list", {"total": 1}),
    "list with items null": ("voices.list", {"total": 1, "items": None}),
    "list with a broken item": ("voices.list", {"total": 1, "items": [{"title": "x"}]}),
    "credits without credit": ("account.get_credits", _without(CREDITS, "credit")),
    "credits without dates": ("account.get_credits", _without(CREDITS, "created_at")),
    "package without balance": ("account.get_package", _without(PACKAGE, "balance")),
    "package with a null date": ("account.get_package", {**PACKAGE, "updated_at": None}),
}


@pytest.mark.parametrize("case", sorted(MALFORMED_OBJECTS))
async def test_a_200_object_missing_a_required_field_is_a_response_validation_error(
    is_async: bool, make_client: Any, router: respx.MockRouter, case: str
) -> None:
    endpoint, body = MALFORMED_OBJECTS[case]
    path, call, _ = ENDPOINTS[endpoint]
    router.get(path).respond(200, json=body)
    client = make_client(is_async)

    with pytest.raises(APIResponseValidationError) as caught:
        await resolve(call(client))

    assert caught.value.status == 200
    assert caught.value.body == body


async def test_asr_200_missing_segments_is_a_response_validation_error(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    router.post("/v1/asr").respond(200, json={"text": "hi", "duration": 1.0})
    client = make_client(is_async)

    with pytest.raises(APIResponseValidationError, match="segments"):
        await resolve(client.asr.transcribe(audio=b"audio"))


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
async def test_unknown_extra_fields_are_accepted(
    is_async: bool, make_client: Any, router: respx.MockRouter, endpoint: str
) -> None:
    path, call, body = ENDPOINTS[endpoint]
    router.get(path).respond(200, json={**body, "added_next_year": {"nested": [1, 2]}})
    client = make_client(is_async)

    assert await resolve(call(client)) is not None


# --- transport failures --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), APIConnectionError),
        (httpx.ReadError("connection reset by peer"), APIConnectionError),
        (httpx.RemoteProtocolError("server disconnected without sending a response"), APIConnectionError),
        (httpx.ReadTimeout("timed out"), APITimeoutError),
        (httpx.ConnectTimeout("timed out"), APITimeoutError),
        (httpx.WriteTimeout("timed out"), APITimeoutError),
        (httpx.PoolTimeout("timed out"), APITimeoutError),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else value.__name__,
)
@pytest.mark.parametrize("call", ["voices.get", "tts.convert", "tts.stream"])
async def test_transport_failures_after_retries(
    is_async: bool,
    make_client: Any,
    router: respx.MockRouter,
    clock: Any,
    error: httpx.HTTPError,
    expected: type[Exception],
    call: str,
) -> None:
    route = router.route().mock(side_effect=error)
    client = make_client(is_async, max_retries=2)
    invoke = {
        "voices.get": lambda: client.voices.get("v1"),
        "tts.convert": lambda: client.tts.convert(text="Hi"),
        "tts.stream": lambda: client.tts.stream(text="Hi"),
    }[call]

    with pytest.raises(APIConnectionError) as caught:
        await resolve(invoke())

    assert type(caught.value) is expected
    assert isinstance(caught.value.__cause__, type(error))
    assert route.call_count == 3
    assert len(clock.delays) == 2
    assert "https://api.fish.audio/" in str(caught.value)


async def test_a_timeout_is_also_a_connection_error(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    router.get("/model/v1").mock(side_effect=httpx.ReadTimeout("timed out"))
    client = make_client(is_async, max_retries=0)

    with pytest.raises(APIConnectionError) as caught:
        await resolve(client.voices.get("v1"))

    assert isinstance(caught.value, APITimeoutError)
    assert "timed out" in str(caught.value)


async def test_a_local_protocol_error_is_not_retried(
    is_async: bool, make_client: Any, router: respx.MockRouter, clock: Any
) -> None:
    route = router.get("/model/v1").mock(side_effect=httpx.LocalProtocolError("illegal request line"))
    client = make_client(is_async, max_retries=3)

    with pytest.raises(APIConnectionError) as caught:
        await resolve(client.voices.get("v1"))

    assert isinstance(caught.value.__cause__, httpx.LocalProtocolError)
    assert route.call_count == 1
    assert clock.delays == []


async def test_the_query_string_is_left_out_of_connection_error_messages(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    router.get("/model").mock(side_effect=httpx.ConnectError("refused"))
    client = make_client(is_async, max_retries=0)

    with pytest.raises(APIConnectionError) as caught:
        await resolve(client.voices.list(title="private-search-term"))

    assert "private-search-term" not in str(caught.value)
    assert "GET https://api.fish.audio/model" in str(caught.value)
