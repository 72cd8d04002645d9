"""Retries through the client: which failures are retried, how often, and how long the fake clock waits."""

from __future__ import annotations

import email.utils
import inspect
from typing import Any

import httpx
import msgpack
import pytest
import respx

from fishaudio_ext import (
    APIConnectionError,
    APIError,
    AsyncAudioStream,
    AsyncFishAudio,
    AudioStream,
    FishAudio,
    RateLimitError,
    RequestOptions,
    ServerError,
    ValidationError,
)
from fishaudio_ext._retry import parse_retry_after
from tests.support.calls import resolve
from tests.support.samples import PACKAGE, VOICE

NOW = 1_750_000_000.0


async def resolve_stream(value: Any) -> Any:
    """The stream itself (not its content): ``await`` the async twin's call."""
    return await value if inspect.isawaitable(value) else value


async def read_into(stream: AudioStream | AsyncAudioStream, received: list[bytes]) -> None:
    """Append each chunk to ``received`` as it arrives, so that a test sees what came before a failure."""
    if isinstance(stream, AsyncAudioStream):
        async for chunk in stream:
            received.append(chunk)
    else:
        received.extend(stream)


async def chunks_of(stream: AudioStream | AsyncAudioStream) -> list[bytes]:
    if isinstance(stream, AsyncAudioStream):
        return [chunk async for chunk in stream]
    return list(stream)


def without_boundary(request: httpx.Request) -> bytes:
    """A multipart body with its boundary (which may differ between attempts) replaced by a fixed marker."""
    boundary = request.headers["Content-Type"].partition("boundary=")[2].strip('"')
    assert boundary
    return request.content.replace(boundary.encode(), b"BOUNDARY")


def assert_backoff(delays: list[float]) -> None:
    """Each delay is 0.5 s doubled per retry, capped at 8 s, shortened by a jitter of at most 25 %."""
    for retry, delay in enumerate(delays):
        base = min(0.5 * 2**retry, 8.0)
        assert 0.75 * base <= delay <= base, (retry, delay)


@pytest.fixture
def package_route(router: respx.MockRouter) -> respx.Route:
    return router.get("/wallet/self/package")


# --- what is retried -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
async def test_retryable_status_then_success(
    is_async: bool, make_client: Any, package_route: respx.Route, clock: Any, status: int
) -> None:
    package_route.mock(side_effect=[httpx.Response(status), httpx.Response(200, json=PACKAGE)])
    client = make_client(is_async)

    package = await resolve(client.account.get_package())

    assert package.balance == 42
    assert package_route.call_count == 2
    assert len(clock.delays) == 1
    assert_backoff(clock.delays)


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 422])
async def test_client_errors_are_not_retried(
    is_async: bool, make_client: Any, package_route: respx.Route, clock: Any, status: int
) -> None:
    package_route.respond(status, json={"message": "no"})
    client = make_client(is_async, max_retries=5)

    with pytest.raises(APIError) as caught:
        await resolve(client.account.get_package())

    assert caught.value.status == status
    assert package_route.call_count == 1
    assert clock.delays == []


async def test_a_retryable_status_that_persists_raises_the_last_error(
    is_async: bool, make_client: Any, package_route: respx.Route, clock: Any
) -> None:
    package_route.mock(
        side_effect=[
            httpx.Response(500, json={"message": "first"}),
            httpx.Response(502, json={"message": "second"}),
            httpx.Response(503, json={"message": "third"}, headers={"x-request-id": "last"}),
        ]
    )
    client = make_client(is_async)

    with pytest.raises(ServerError) as caught:
        await resolve(client.account.get_package())

    assert (caught.value.status, caught.value.message, caught.value.request_id) == (503, "third", "last")
    assert package_route.call_count == 3
    assert len(clock.delays) == 2


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("refused"),
        httpx.ReadError("reset"),
        httpx.RemoteProtocolError("peer closed"),
        httpx.ConnectTimeout("slow"),
        httpx.ReadTimeout("slow"),
        httpx.PoolTimeout("slow"),
    ],
    ids=lambda error: type(error).__name__,
)
async def test_connection_errors_and_timeouts_are_retried(
    is_async: bool, make_client: Any, package_route: respx.Route, clock: Any, error: Exception
) -> None:
    package_route.mock(side_effect=[error, error, httpx.Response(200, json=PACKAGE)])
    client = make_client(is_async)

    package = await resolve(client.account.get_package())

    assert package.total == 100
    assert package_route.call_count == 3
    assert_backoff(clock.delays)
    assert len(clock.delays) == 2


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("busy")],
    ids=lambda error: type(error).__name__,
)
async def test_a_voice_creation_is_retried_when_it_never_left(
    is_async: bool, make_client: Any, router: respx.MockRouter, error: Exception
) -> None:
    route = router.post("/model").mock(side_effect=[error, httpx.Response(201, json=VOICE)])
    client = make_client(is_async)

    voice = await resolve(client.voices.create(title="T", voices=[b"sample"]))

    assert voice.id == "v1"
    assert route.call_count == 2


@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadTimeout("slow"),
        httpx.ReadError("reset"),
        httpx.RemoteProtocolError("peer closed"),
        httpx.WriteError("broken pipe"),
        httpx.WriteTimeout("slow"),
    ],
    ids=lambda error: type(error).__name__,
)
@pytest.mark.parametrize("operation", ["create", "update", "delete"])
async def test_a_voice_change_is_not_retried_once_it_may_have_reached_the_server(
    is_async: bool, make_client: Any, router: respx.MockRouter, clock: Any, error: Exception, operation: str
) -> None:
    routes = {
        "create": router.post("/model"),
        "update": router.patch("/model/v1"),
        "delete": router.delete("/model/v1"),
    }
    routes[operation].mock(side_effect=[error, httpx.Response(200, json=VOICE)])
    calls = {
        "create": lambda client: client.voices.create(title="T", voices=[b"sample"]),
        "update": lambda client: client.voices.update("v1", title="T"),
        "delete": lambda client: client.voices.delete("v1"),
    }
    client = make_client(is_async, max_retries=5)

    with pytest.raises(APIConnectionError):
        await resolve(calls[operation](client))

    assert routes[operation].call_count == 1
    assert clock.delays == []


# --- how often -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("max_retries", [0, 1, 3])
async def test_client_max_retries(
    is_async: bool, make_client: Any, package_route: respx.Route, clock: Any, max_retries: int
) -> None:
    package_route.respond(503)
    client = make_client(is_async, max_retries=max_retries)

    with pytest.raises(ServerError):
        await resolve(client.account.get_package())

    assert package_route.call_count == max_retries + 1
    assert len(clock.delays) == max_retries


async def test_default_is_two_retries(is_async: bool, make_client: Any, package_route: respx.Route) -> None:
    package_route.respond(500)
    client = make_client(is_async)

    with pytest.raises(ServerError):
        await resolve(client.account.get_package())

    assert package_route.call_count == 3


@pytest.mark.parametrize(("per_call", "attempts"), [(0, 1), (5, 6)])
async def test_request_options_max_retries_override_the_client(
    is_async: bool, make_client: Any, package_route: respx.Route, clock: Any, per_call: int, attempts: int
) -> None:
    package_route.respond(502)
    client = make_client(is_async, max_retries=2)

    with pytest.raises(ServerError):
        await resolve(client.account.get_package(request_options=RequestOptions(max_retries=per_call)))

    assert package_route.call_count == attempts
    assert len(clock.delays) == attempts - 1

    package_route.reset()
    with pytest.raises(ServerError):
        await resolve(client.account.get_package())
    assert package_route.call_count == 3


@pytest.mark.parametrize("cls", [FishAudio, AsyncFishAudio])
@pytest.mark.parametrize("value", [-1, True, 1.5, None])
def test_invalid_max_retries_is_refused(cls: type[Any], value: Any) -> None:
    with pytest.raises(ValidationError, match="max_retries"):
        cls(api_key="k", max_retries=value)


# --- how long ------------------------------------------------------------------------------------------


async def test_backoff_doubles_from_half_a_second_up_to_8_seconds(
    is_async: bool, make_client: Any, package_route: respx.Route, clock: Any
) -> None:
    package_route.respond(503)
    client = make_client(is_async, max_retries=8)

    with pytest.raises(ServerError):
        await resolve(client.account.get_package())

    assert len(clock.delays) == 8
    assert_backoff(clock.delays)
    assert all(delay <= 8.0 for delay in clock.delays)
    assert min(clock.delays[4:]) >= 6.0


async def test_jitter_spreads_the_delays(
    is_async: bool, make_client: Any, package_route: respx.Route, clock: Any
) -> None:
    package_route.respond(503)
    client = make_client(is_async, max_retries=0)
    options = RequestOptions(max_retries=1)

    for _ in range(40):
        with pytest.raises(ServerError):
            await resolve(client.account.get_package(request_options=options))

    assert len(clock.delays) == 40
    assert all(0.375 <= delay <= 0.5 for delay in clock.delays)
    assert len(set(clock.delays)) > 1


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"Retry-After": "60"}, 60.0),
    ],
)
@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_is_honoured(
    is_async: bool,
    make_client: Any,
    package_route: respx.Route,
    clock: Any,
    status: int,
    headers: dict[str, str],
    expected: float,
) -> None:
    package_route.mock(
        side_effect=[httpx.Response(status, headers=headers), httpx.Response(200, json=PACKAGE)]
    )
    client = make_client(is_async)

    await resolve(client.account.get_package())

    assert clock.delays == [expected]


async def test_retry_after_as_an_http_date(
    is_async: bool, make_client: Any, package_route: respx.Route, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert parse_retry_after.__kwdefaults__ is not None
    monkeypatch.setitem(parse_retry_after.__kwdefaults__, "now", lambda: NOW)
    in_four_seconds = email.utils.formatdate(NOW + 4, usegmt=True)
    package_route.mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": in_four_seconds}),
            httpx.Response(200, json=PACKAGE),
        ]
    )
    client = make_client(is_async)

    await resolve(client.account.get_package())

    assert clock.delays == [4.0]


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "soon"},
        {"Retry-After": "inf"},
        {"Retry-After": "nan"},
        {"Retry-After": "-5"},
        {"Retry-After": "1e3"},
        {"Retry-After": ""},
        {"Retry-After": "Wed, 99 Foo 2024 99:99:99 GMT"},
        {"Retry-After": email.utils.formatdate(NOW - 30, usegmt=True)},
        {"retry-after-ms": "lots"},
    ],
    ids=lambda headers: repr(headers)[:40],
)
async def test_nonsense_retry_after_falls_back_to_backoff(
    is_async: bool,
    make_client: Any,
    package_route: respx.Route,
    clock: Any,
    monkeypatch: pytest.MonkeyPatch,
    headers: dict[str, str],
) -> None:
    assert parse_retry_after.__kwdefaults__ is not None
    monkeypatch.setitem(parse_retry_after.__kwdefaults__, "now", lambda: NOW)
    package_route.mock(side_effect=[httpx.Response(503, headers=headers), httpx.Response(200, json=PACKAGE)])
    client = make_client(is_async)

    await resolve(client.account.get_package())

    assert package_route.call_count == 2
    assert len(clock.delays) == 1
    assert_backoff(clock.delays)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "61"}, 61),
        ({"Retry-After": "3600"}, 3600),
        ({"Retry-After": email.utils.formatdate(NOW + 3600, usegmt=True)}, 3600),
        ({"retry-after-ms": "61000"}, 61),
    ],
    ids=lambda value: repr(value)[:40],
)
async def test_a_retry_after_over_a_minute_is_reported_not_waited_for(
    is_async: bool,
    make_client: Any,
    package_route: respx.Route,
    clock: Any,
    monkeypatch: pytest.MonkeyPatch,
    headers: dict[str, str],
    seconds: float,
) -> None:
    assert parse_retry_after.__kwdefaults__ is not None
    monkeypatch.setitem(parse_retry_after.__kwdefaults__, "now", lambda: NOW)
    package_route.mock(side_effect=[httpx.Response(429, headers=headers), httpx.Response(200, json=PACKAGE)])
    client = make_client(is_async)

    with pytest.raises(RateLimitError) as caught:
        await resolve(client.account.get_package())

    assert package_route.call_count == 1
    assert clock.delays == []
    assert caught.value.retry_after == pytest.approx(seconds, abs=1)


async def test_retry_after_on_a_status_that_is_not_retried_changes_nothing(
    is_async: bool, make_client: Any, package_route: respx.Route, clock: Any
) -> None:
    package_route.respond(
        400, json={"message": "bad"}, headers={"Retry-After": "Wed, 99 Foo 9999 99:99:99 GMT"}
    )
    client = make_client(is_async)

    with pytest.raises(APIError) as caught:
        await resolve(client.account.get_package())

    assert caught.value.status == 400
    assert package_route.call_count == 1
    assert clock.delays == []


@pytest.mark.parametrize("value", ["false", "False", "FALSE"])
async def test_x_should_retry_false_stops_retrying(
    is_async: bool, make_client: Any, package_route: respx.Route, clock: Any, value: str
) -> None:
    package_route.respond(503, headers={"x-should-retry": value})
    client = make_client(is_async, max_retries=4)

    with pytest.raises(ServerError):
        await resolve(client.account.get_package())

    assert package_route.call_count == 1
    assert clock.delays == []


async def test_rate_limit_after_the_last_retry_keeps_retry_after(
    is_async: bool, make_client: Any, package_route: respx.Route, clock: Any
) -> None:
    package_route.respond(429, json={"message": "Too many"}, headers={"Retry-After": "2"})
    client = make_client(is_async, max_retries=1)

    with pytest.raises(RateLimitError) as caught:
        await resolve(client.account.get_package())

    assert caught.value.retry_after == 2.0
    assert clock.delays == [2.0]


# --- bodies are sent again in full ---------------------------------------------------------------------


async def test_a_retried_tts_request_sends_the_same_body(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.post("/v1/tts").mock(
        side_effect=[httpx.Response(500), httpx.Response(200, content=b"audio")]
    )
    client = make_client(is_async)

    assert await resolve(client.tts.convert(text="Hello", reference_id="v1")) == b"audio"

    first, second = (call.request for call in route.calls)
    assert first.content == second.content
    assert msgpack.unpackb(second.content)["reference_id"] == "v1"
    assert first.headers["model"] == second.headers["model"] == "s1"


async def test_a_retried_upload_sends_the_files_again_in_full(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.post("/model").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json=VOICE)]
    )
    client = make_client(is_async)

    await resolve(client.voices.create(title="T", voices=[b"RIFF-sample-bytes"], texts=["words"]))

    first, second = (without_boundary(call.request) for call in route.calls)
    assert b"RIFF-sample-bytes" in second
    assert first == second


# --- streaming -----------------------------------------------------------------------------------------


async def test_streamed_tts_error_status_is_retried_before_any_bytes_reach_the_caller(
    is_async: bool, make_client: Any, transport: Any, clock: Any
) -> None:
    transport.reply(503, b'{"message": "busy"}').reply(200, b"chunk-1", b"chunk-2")
    client = make_client(is_async, transport=transport)

    stream = await resolve_stream(client.tts.stream(text="Hi"))

    assert len(transport.requests) == 2
    assert len(clock.delays) == 1
    assert await chunks_of(stream) == [b"chunk-1", b"chunk-2"]


async def test_streamed_tts_connection_error_before_the_answer_is_retried(
    is_async: bool, make_client: Any, transport: Any, clock: Any
) -> None:
    transport.fail(httpx.ConnectError("refused")).reply(200, b"audio")
    client = make_client(is_async, transport=transport)

    stream = await resolve_stream(client.tts.stream(text="Hi"))

    assert await chunks_of(stream) == [b"audio"]
    assert len(transport.requests) == 2


async def test_a_stream_failing_after_it_was_handed_over_is_not_retried(
    is_async: bool, make_client: Any, transport: Any, clock: Any
) -> None:
    transport.reply(200, b"first-chunk", error=httpx.ReadError("connection reset")).reply(200, b"never")
    client = make_client(is_async, transport=transport)
    stream = await resolve_stream(client.tts.stream(text="Hi"))
    received: list[bytes] = []

    with pytest.raises(APIConnectionError) as caught:
        await read_into(stream, received)

    assert received == [b"first-chunk"]
    assert isinstance(caught.value.__cause__, httpx.ReadError)
    assert len(transport.requests) == 1
    assert clock.delays == []


async def test_convert_retries_a_body_that_fails_mid_read(
    is_async: bool, make_client: Any, transport: Any, clock: Any
) -> None:
    transport.reply(200, b"partial-", error=httpx.ReadError("connection reset")).reply(
        200, b"whole-", b"audio"
    )
    client = make_client(is_async, transport=transport)

    audio = await resolve(client.tts.convert(text="Hi"))

    assert audio == b"whole-audio"
    assert len(transport.requests) == 2
    assert len(clock.delays) == 1


async def test_convert_gives_up_on_a_body_that_always_fails(
    is_async: bool, make_client: Any, transport: Any, clock: Any
) -> None:
    transport.reply(200, b"partial-", error=httpx.ReadError("connection reset"))
    client = make_client(is_async, transport=transport, max_retries=1)

    with pytest.raises(APIConnectionError) as caught:
        await resolve(client.tts.convert(text="Hi"))

    assert isinstance(caught.value.__cause__, httpx.ReadError)
    assert len(transport.requests) == 2
