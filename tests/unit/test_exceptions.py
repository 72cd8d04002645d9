"""The exception hierarchy and the mapping of every HTTP error response shape to it."""

from __future__ import annotations

import builtins
import gc
import json
import pickle
import random
import sys

import httpx
import pytest

from fishaudio_ext import FishAudio, exceptions
from fishaudio_ext._errors import error_from_response
from fishaudio_ext.exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DependencyError,
    FishAudioError,
    InsufficientCreditError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    PlaybackError,
    RateLimitError,
    ServerError,
    StreamConsumedError,
    UnprocessableEntityError,
    ValidationError,
    ValidationIssue,
    WebSocketError,
)

STATUS_CLASSES = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    418: APIError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: ServerError,
    502: ServerError,
    503: ServerError,
}

BODIES = {
    "fish": b'{"status": 401, "message": "Invalid API key", "reason": null}',
    "fish_with_reason": b'{"status": 402, "message": "Insufficient API credit", "reason": "balance is 0"}',
    "detail_str": b'{"detail": "Voice not found"}',
    "detail_list": b'{"detail": [{"loc": ["body", "prosody", "speed"], "msg": "Input should be less than '
    b'or equal to 2", "type": "less_than_equal"}]}',
    "issue_array": b'[{"loc": ["body", "text"], "type": "missing", "msg": "Field required"}]',
    "odd_issue_array": b'[{"msg": "no location"}, "just text", {"loc": "text"}, 7, '
    b'{"loc": ["body", 0, true]}]',
    "empty_array": b"[]",
    "empty_object": b"{}",
    "json_string": b'"Service temporarily unavailable"',
    "json_number": b"42",
    "json_null": b"null",
    "plain_text": b"Request body could not be parsed",
    "html": b"<!DOCTYPE html>\n<html><head><title> 502 Bad\n Gateway </title><style>body{}</style></head>"
    b"<body><h1>502 Bad Gateway</h1><script>alert(1)</script></body></html>",
    "invalid_utf8": b"\xff\xfe\x00\x81garbage",
    "empty": b"",
    "whitespace": b"  \r\n ",
}


def make_error(status: int, content: bytes, **headers: str) -> APIError:
    return error_from_response(status, httpx.Headers(headers), content)


@pytest.mark.parametrize("shape", BODIES)
@pytest.mark.parametrize(("status", "error_class"), STATUS_CLASSES.items())
def test_every_status_and_body_shape_gives_the_right_readable_error(
    status: int, error_class: type[APIError], shape: str
) -> None:
    error = make_error(status, BODIES[shape])

    assert type(error) is error_class
    assert error.status == status
    assert error.message.strip()
    assert str(error).startswith(f"HTTP {status}: ")
    assert "\n" not in str(error)
    assert "<script>" not in str(error)
    assert "<html" not in str(error)


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ("fish", "Invalid API key"),
        ("fish_with_reason", "Insufficient API credit (reason: balance is 0)"),
        ("detail_str", "Voice not found"),
        ("detail_list", "body.prosody.speed: Input should be less than or equal to 2"),
        ("issue_array", "body.text: Field required"),
        ("odd_issue_array", "no location; just text; text: Invalid value; 7; body.0.True: Invalid value"),
        ("empty_array", "Bad Request"),
        ("empty_object", "Bad Request"),
        ("json_string", "Service temporarily unavailable"),
        ("json_number", "42"),
        ("json_null", "Bad Request"),
        ("plain_text", "Request body could not be parsed"),
        ("html", 'Bad Request (the server returned an HTML page: "502 Bad Gateway")'),
        ("invalid_utf8", "Bad Request (the response body is not UTF-8 text: 11 bytes)"),
        ("empty", "Bad Request"),
        ("whitespace", "Bad Request"),
    ],
)
def test_message_for_each_body_shape(shape: str, message: str) -> None:
    assert make_error(400, BODIES[shape]).message == message


@pytest.mark.parametrize(
    ("shape", "body"),
    [
        ("fish", {"status": 401, "message": "Invalid API key", "reason": None}),
        ("issue_array", [{"loc": ["body", "text"], "type": "missing", "msg": "Field required"}]),
        ("json_string", "Service temporarily unavailable"),
        ("plain_text", "Request body could not be parsed"),
        ("invalid_utf8", "\ufffd\ufffd\x00\ufffdgarbage"),
        ("empty", None),
    ],
)
def test_body_is_parsed_json_else_text_else_none(shape: str, body: object) -> None:
    assert make_error(400, BODIES[shape]).body == body


def test_str_reads_well_and_includes_the_request_id() -> None:
    error = make_error(404, b'{"status": 404, "message": "Voice not found"}', **{"X-Request-ID": "abc"})

    assert str(error) == "HTTP 404: Voice not found (request id: abc)"
    assert error.request_id == "abc"
    assert error.headers["x-request-id"] == "abc"


@pytest.mark.parametrize("header", ["x-request-id", "request-id", "x-trace-id"])
def test_request_id_is_read_from_any_known_header(header: str) -> None:
    assert make_error(500, b"", **{header: "r-1"}).request_id == "r-1"


def test_request_id_is_none_without_a_header() -> None:
    error = make_error(500, b"")

    assert error.request_id is None
    assert str(error) == "HTTP 500: Internal Server Error"


def test_html_error_page_from_its_content_type_only() -> None:
    error = make_error(503, b"<h1>Down</h1>", **{"content-type": "text/html; charset=utf-8"})

    assert error.message == "Service Unavailable (the server returned an HTML page)"


def test_unknown_status_uses_a_generic_phrase() -> None:
    error = make_error(499, b"")

    assert type(error) is APIError
    assert str(error) == "HTTP 499: Unknown error"


def test_long_text_bodies_are_truncated() -> None:
    error = make_error(500, b"x" * 10_000)

    assert len(error.message) <= 501
    assert error.message.endswith("…")
    assert error.body == "x" * 10_000


def test_many_issues_are_summarised() -> None:
    issues = [{"loc": ["body", f"f{i}"], "msg": "bad", "type": "t"} for i in range(8)]

    error = make_error(422, json.dumps(issues).encode())

    assert error.message.endswith("body.f4: bad; and 3 more")
    assert isinstance(error, UnprocessableEntityError)
    assert len(error.issues) == 8


def test_bearer_tokens_never_reach_the_message() -> None:
    error = make_error(400, b"Bad header: Authorization: Bearer sk-secret-123")

    assert "sk-secret-123" not in str(error)
    assert "sk-secret-123" not in repr(error)
    assert "Bearer [redacted]" in error.message


def test_rate_limit_error_carries_retry_after() -> None:
    error = make_error(429, b'{"message": "Too many requests"}', **{"retry-after": "3"})

    assert isinstance(error, RateLimitError)
    assert error.retry_after == 3.0


def test_rate_limit_error_without_retry_after() -> None:
    error = make_error(429, b"")

    assert isinstance(error, RateLimitError)
    assert error.retry_after is None


def test_422_is_caught_as_validation_error_and_api_error() -> None:
    error = make_error(422, BODIES["detail_list"])

    assert isinstance(error, UnprocessableEntityError)
    with pytest.raises(ValidationError) as caught:
        raise error
    assert caught.value is error
    assert isinstance(error, APIError)
    assert error.issues == [
        ValidationIssue(
            loc=("body", "prosody", "speed"),
            msg="Input should be less than or equal to 2",
            type="less_than_equal",
        )
    ]
    assert error.field == "prosody.speed"
    assert str(error) == "HTTP 422: body.prosody.speed: Input should be less than or equal to 2"


def test_422_without_issues_has_no_field() -> None:
    error = make_error(422, b'{"message": "Unprocessable"}')

    assert isinstance(error, UnprocessableEntityError)
    assert error.issues == []
    assert error.field is None


def test_malformed_issues_are_tolerated() -> None:
    error = make_error(422, BODIES["odd_issue_array"])

    assert isinstance(error, UnprocessableEntityError)
    assert [issue.loc for issue in error.issues] == [(), (), ("text",), (), ("body", 0, "True")]
    assert error.field is None  # the first issue has no location


def test_deeply_nested_json_never_escapes_as_another_exception() -> None:
    limit = sys.getrecursionlimit()
    for depth in [*range(limit - 60, limit + 20, 5), 100_000]:
        content = b"[" * depth + b"]" * depth
        assert isinstance(make_error(422, content), UnprocessableEntityError)


def test_random_bodies_always_give_an_api_error() -> None:
    rng = random.Random(1234)
    samples = [b'{"message": ', b'{"detail": {"a": [1, {"b": null}]}}', b'[null, [], {"loc": null}]']
    samples += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))) for _ in range(200)]
    for content in samples:
        for status in (400, 422, 429, 500, 418):
            error = make_error(status, content, **{"retry-after": "soon"})
            assert isinstance(error, APIError)
            assert error.message


def test_client_side_validation_error_names_field_value_and_range() -> None:
    error = ValidationError(field="prosody.speed", value=3.0, allowed="0.5 to 2.0")

    assert str(error) == "prosody.speed=3.0 is out of range: allowed 0.5 to 2.0"
    assert (error.field, error.value, error.allowed) == ("prosody.speed", 3.0, "0.5 to 2.0")
    assert isinstance(error, FishAudioError)
    assert not isinstance(error, APIError)


def test_validation_error_with_its_own_message() -> None:
    error = ValidationError("text must not be empty", field="text", value="")

    assert str(error) == "text must not be empty"
    assert error.allowed is None


def test_api_error_can_be_built_by_hand_with_keywords() -> None:
    error = NotFoundError(status=404, message="Voice not found", body={"x": 1}, headers={"Request-Id": "r"})

    assert str(error) == "HTTP 404: Voice not found (request id: r)"
    assert error.body == {"x": 1}
    assert isinstance(error.headers, httpx.Headers)
    assert NotFoundError(404, "gone", request_id="given").request_id == "given"


def test_aliases() -> None:
    assert InsufficientCreditError is PaymentRequiredError
    assert exceptions.PermissionError is PermissionDeniedError
    assert builtins.PermissionError.__module__ == "builtins"  # the builtin itself is untouched


def test_connection_errors_keep_their_cause() -> None:
    cause = httpx.ConnectError("connection refused")

    with pytest.raises(APIConnectionError) as caught:
        raise APIConnectionError() from cause

    assert caught.value.__cause__ is cause
    assert str(caught.value) == "Connection error."
    assert isinstance(APITimeoutError(), APIConnectionError)
    assert str(APITimeoutError()) == "Request timed out."


def test_websocket_error_describes_the_close() -> None:
    event = {"event": "finish", "reason": "error"}

    error = WebSocketError("Synthesis failed", close_code=1011, close_reason="internal error", event=event)

    assert str(error) == "Synthesis failed (close code 1011: internal error)"
    assert error.event is event
    assert str(WebSocketError("Closed", close_code=1006)) == "Closed (close code 1006)"
    assert WebSocketError("Oops").close_code is None


def test_dependency_error_says_what_to_install() -> None:
    error = DependencyError("IPython", "run `pip install ipython`")

    assert str(error) == "IPython is required but was not found: run `pip install ipython`"
    assert (error.dependency, error.install_hint) == ("IPython", "run `pip install ipython`")


def test_playback_error_includes_the_player_output() -> None:
    error = PlaybackError("ffplay exited with status 1", player="ffplay", returncode=1, stderr="bad input")

    assert str(error) == "ffplay exited with status 1: bad input"


def test_stream_consumed_error_is_also_a_runtime_error() -> None:
    error = StreamConsumedError()

    assert isinstance(error, RuntimeError)
    assert isinstance(error, FishAudioError)
    assert "only be iterated once" in str(error)


def test_validation_issue_str() -> None:
    assert str(ValidationIssue(loc=("body", "text"), msg="Field required", type="missing")) == (
        "body.text: Field required"
    )
    assert str(ValidationIssue(loc=(), msg="Bad", type="")) == "Bad"


@pytest.mark.parametrize(
    "error",
    [
        error_from_response(429, httpx.Headers({"retry-after": "2", "x-request-id": "r"}), b"slow down"),
        error_from_response(422, httpx.Headers(), BODIES["issue_array"]),
        ValidationError(field="speed", value=3.0, allowed="0.5 to 2.0"),
        WebSocketError("Failed", close_code=1011),
        DependencyError("mpv", "install mpv"),
        StreamConsumedError(),
    ],
)
def test_errors_survive_pickling(error: FishAudioError) -> None:
    # Errors raised in worker processes (ProcessPoolExecutor, multiprocessing) come back pickled.
    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.__dict__ == error.__dict__


def test_a_clients_key_is_redacted_from_every_public_attribute_of_an_error() -> None:
    key = "sk-" + "3f" * 16
    client = FishAudio(api_key=key, base_url="http://127.0.0.1:9")
    headers = {"X-Echo": f"Bearer {key}", "X-Request-Id": key}
    body = {"message": f"bad {key}", key: [key], "detail": [{"loc": ["header", key], "msg": key}]}

    errors = [
        error_from_response(422, httpx.Headers(headers), json.dumps(body).encode()),
        APIError(401, f"bad {key}", body, headers=headers),
        WebSocketError(f"bad {key}", close_code=4000, close_reason=key, event={b"k": key.encode()}),
    ]

    for error in errors:
        shown = repr({**vars(error), "args": error.args, "str": str(error), "repr": repr(error)})
        assert key not in shown
        assert "[redacted]" in shown
    client.close()


def test_a_short_key_is_redacted_only_where_it_stands_alone() -> None:
    with FishAudio(api_key="kz", base_url="http://127.0.0.1:9"):
        error = APIError(401, "kz: the key kz is unknown (kzz, okz)")

    assert error.message == "[redacted]: the key [redacted] is unknown (kzz, okz)"


def test_a_key_is_forgotten_with_the_last_client_holding_it() -> None:
    key = "sk-" + "7a" * 16
    with FishAudio(api_key=key, base_url="http://127.0.0.1:9") as first:
        second = FishAudio(api_key=key, base_url="http://127.0.0.1:9")
    del first
    gc.collect()
    assert key not in str(APIError(401, key))  # the second client still holds it

    second.close()
    del second
    gc.collect()
    assert key in str(APIError(401, key))


def test_every_error_message_is_redacted() -> None:
    key = "sk-" + "5e" * 16
    with FishAudio(api_key=key, base_url="http://127.0.0.1:9"):
        errors = [APIConnectionError(f"failed: {key}"), ValidationError(f"bad {key}"), FishAudioError(key)]

    for error in errors:
        assert key not in str(error)
        assert key not in repr(error)
