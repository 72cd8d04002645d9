"""Client configuration: API key, base URL, injected httpx client, timeouts, headers, key secrecy."""

from __future__ import annotations

import inspect
import logging
import traceback
from typing import Any

import httpcore
import httpx
import pytest
import respx

from fishaudio_ext import (
    AsyncFishAudio,
    AuthenticationError,
    ConfigurationError,
    FishAudio,
    FishAudioError,
    RequestOptions,
    __version__,
)

KEY = "sk-live-7d1e0c4b9a2f4e5d8c3b6a1f0e9d8c7b"
PACKAGE = {
    "user_id": "u1",
    "type": "pro",
    "total": 100,
    "balance": 42,
    "created_at": "2024-01-01T00:00:00Z",
    "updated_at": "2024-01-02T00:00:00Z",
}
DEFAULT_TIMEOUT = {"connect": 5.0, "read": 600.0, "write": 600.0, "pool": 600.0}


async def resolve(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def client_class(is_async: bool) -> type[FishAudio] | type[AsyncFishAudio]:
    return AsyncFishAudio if is_async else FishAudio


def injected_client(is_async: bool, **kwargs: Any) -> httpx.Client | httpx.AsyncClient:
    return httpx.AsyncClient(**kwargs) if is_async else httpx.Client(**kwargs)


async def close(client: Any) -> None:
    await resolve(client.aclose() if isinstance(client, httpx.AsyncClient) else client.close())


@pytest.fixture(autouse=True)
def no_fish_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own FISH_* variables must not leak into these tests."""
    monkeypatch.delenv("FISH_API_KEY", raising=False)
    monkeypatch.delenv("FISH_BASE_URL", raising=False)


# --- API key -------------------------------------------------------------------------------------------


async def test_api_key_from_argument_is_sent_as_bearer(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    client = make_client(is_async, api_key=KEY)

    await resolve(client.account.get_package())

    assert route.calls.last.request.headers["Authorization"] == f"Bearer {KEY}"


async def test_api_key_from_environment(
    is_async: bool, make_client: Any, router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FISH_API_KEY", "sk-from-env")
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    client = make_client(is_async, api_key=None)

    await resolve(client.account.get_package())

    assert route.calls.last.request.headers["Authorization"] == "Bearer sk-from-env"


async def test_api_key_argument_wins_over_environment(
    is_async: bool, make_client: Any, router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FISH_API_KEY", "sk-from-env")
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    client = make_client(is_async, api_key=KEY)

    await resolve(client.account.get_package())

    assert route.calls.last.request.headers["Authorization"] == f"Bearer {KEY}"


@pytest.mark.parametrize("cls", [FishAudio, AsyncFishAudio])
def test_missing_api_key_fails_at_construction_with_a_clear_message(cls: type[Any]) -> None:
    with pytest.raises(ConfigurationError) as caught:
        cls()

    message = str(caught.value)
    assert "FISH_API_KEY" in message
    assert "api_key" in message
    assert isinstance(caught.value, FishAudioError)


@pytest.mark.parametrize("cls", [FishAudio, AsyncFishAudio])
def test_empty_api_key_and_empty_environment_fail(cls: type[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FISH_API_KEY", "")

    with pytest.raises(ConfigurationError, match="FISH_API_KEY"):
        cls(api_key="")


# --- base URL ------------------------------------------------------------------------------------------


async def test_default_base_url(is_async: bool, make_client: Any, router: respx.MockRouter) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    client = make_client(is_async)

    await resolve(client.account.get_package())

    assert client.base_url == "https://api.fish.audio"
    assert str(route.calls.last.request.url) == "https://api.fish.audio/wallet/self/package"


async def test_base_url_from_argument_keeps_its_path_prefix(is_async: bool, make_client: Any) -> None:
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get("http://proxy.internal:8080/fish/wallet/self/package").respond(200, json=PACKAGE)
        client = make_client(is_async, base_url="http://proxy.internal:8080/fish/")

        await resolve(client.account.get_package())

    assert route.call_count == 1


async def test_base_url_from_environment(
    is_async: bool, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FISH_BASE_URL", "http://localhost:9000")
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get("http://localhost:9000/wallet/self/package").respond(200, json=PACKAGE)
        client = make_client(is_async)

        await resolve(client.account.get_package())

    assert client.base_url == "http://localhost:9000"
    assert route.call_count == 1


async def test_base_url_argument_wins_over_environment(
    is_async: bool, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FISH_BASE_URL", "http://from-env:1")
    client = make_client(is_async, base_url="http://from-arg:2")

    assert client.base_url == "http://from-arg:2"


async def test_base_url_of_an_injected_client_is_used(is_async: bool, make_client: Any) -> None:
    injected = injected_client(is_async, base_url="http://gateway.local/fish")
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get("http://gateway.local/fish/wallet/self/package").respond(200, json=PACKAGE)
        client = make_client(is_async, httpx_client=injected)

        await resolve(client.account.get_package())

    assert route.call_count == 1
    await close(injected)


async def test_injected_client_without_base_url_goes_to_the_default(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    # The official SDK sends relative URLs through an injected client and fails with "unknown url type".
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    injected = injected_client(is_async)
    client = make_client(is_async, httpx_client=injected)

    await resolve(client.account.get_package())

    assert str(route.calls.last.request.url) == "https://api.fish.audio/wallet/self/package"
    await close(injected)


@pytest.mark.parametrize("cls", [FishAudio, AsyncFishAudio])
@pytest.mark.parametrize("base_url", ["ftp://api.fish.audio", "api.fish.audio", "ws://api.fish.audio"])
def test_base_url_without_http_scheme_is_rejected(cls: type[Any], base_url: str) -> None:
    with pytest.raises(ConfigurationError, match="http:// or https://"):
        cls(api_key=KEY, base_url=base_url)


@pytest.mark.parametrize("cls", [FishAudio, AsyncFishAudio])
@pytest.mark.parametrize(
    ("base_url", "complaint"),
    [
        ("http://[::1", "not a valid URL"),
        ("http://", "names no host"),
        ("https:///v1", "names no host"),
        ("http://127.0.0.1:99999", "port must be 1 to 65535"),
        ("http://127.0.0.1:0", "port must be 1 to 65535"),
    ],
)
def test_base_url_that_no_request_could_reach_is_rejected(
    cls: type[Any], base_url: str, complaint: str
) -> None:
    with pytest.raises(ConfigurationError, match=complaint):
        cls(api_key=KEY, base_url=base_url)


@pytest.mark.parametrize("cls", [FishAudio, AsyncFishAudio])
def test_invalid_base_url_from_environment_is_rejected(
    cls: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FISH_BASE_URL", "localhost:8080")

    with pytest.raises(ConfigurationError, match="localhost:8080"):
        cls(api_key=KEY)


# --- injected httpx client -----------------------------------------------------------------------------


async def test_injected_client_headers_are_kept_on_the_wire(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    injected = injected_client(is_async, headers={"X-Corp-Proxy": "team-a", "X-Tenant": "42"})
    client = make_client(is_async, api_key=KEY, httpx_client=injected)

    await resolve(client.account.get_package())

    headers = route.calls.last.request.headers
    assert headers["X-Corp-Proxy"] == "team-a"
    assert headers["X-Tenant"] == "42"
    assert headers["Authorization"] == f"Bearer {KEY}"
    assert headers["User-Agent"] == f"fishaudio-ext/{__version__}"
    await close(injected)


async def test_injected_client_timeout_applies_when_no_timeout_is_given(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    injected = injected_client(is_async, timeout=httpx.Timeout(7.0, connect=1.5))
    client = make_client(is_async, httpx_client=injected)

    await resolve(client.account.get_package())

    assert route.calls.last.request.extensions["timeout"] == {
        "connect": 1.5,
        "read": 7.0,
        "write": 7.0,
        "pool": 7.0,
    }
    await close(injected)


async def test_explicit_timeout_overrides_the_injected_client(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    injected = injected_client(is_async, timeout=httpx.Timeout(7.0))
    client = make_client(is_async, httpx_client=injected, timeout=httpx.Timeout(30.0, connect=2.0))

    await resolve(client.account.get_package())

    assert route.calls.last.request.extensions["timeout"] == {
        "connect": 2.0,
        "read": 30.0,
        "write": 30.0,
        "pool": 30.0,
    }
    await close(injected)


async def test_request_options_timeout_overrides_per_call(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    injected = injected_client(is_async, timeout=httpx.Timeout(7.0))
    client = make_client(is_async, httpx_client=injected, timeout=20.0)

    await resolve(client.account.get_package(request_options=RequestOptions(timeout=3)))
    await resolve(client.account.get_package())

    first, second = (call.request.extensions["timeout"] for call in route.calls)
    assert first == {"connect": 3, "read": 3, "write": 3, "pool": 3}
    assert second == {"connect": 20.0, "read": 20.0, "write": 20.0, "pool": 20.0}
    await close(injected)


async def test_injected_client_is_not_closed_by_close_or_the_context_manager(is_async: bool) -> None:
    injected = injected_client(is_async)
    client = client_class(is_async)(api_key=KEY, httpx_client=injected)  # type: ignore[arg-type]

    await resolve(client.close())
    if is_async:
        async with client:  # type: ignore[union-attr]
            pass
    else:
        with client:  # type: ignore[union-attr]
            pass

    assert not injected.is_closed
    await close(injected)


def test_async_httpx_client_given_to_the_sync_client_is_a_type_error() -> None:
    injected = httpx.AsyncClient()

    with pytest.raises(TypeError, match=r"httpx\.Client"):
        FishAudio(api_key=KEY, httpx_client=injected)  # type: ignore[arg-type]


async def test_sync_httpx_client_given_to_the_async_client_is_a_type_error() -> None:
    with httpx.Client() as injected, pytest.raises(TypeError, match=r"httpx\.AsyncClient"):
        AsyncFishAudio(api_key=KEY, httpx_client=injected)  # type: ignore[arg-type]


# --- timeouts ------------------------------------------------------------------------------------------


async def test_default_timeout_is_5_seconds_to_connect(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    client = make_client(is_async)

    await resolve(client.account.get_package())

    assert route.calls.last.request.extensions["timeout"] == DEFAULT_TIMEOUT


async def test_timeout_none_waits_forever(is_async: bool, make_client: Any, router: respx.MockRouter) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    client = make_client(is_async, timeout=None)

    await resolve(client.account.get_package())

    assert route.calls.last.request.extensions["timeout"] == {
        "connect": None,
        "read": None,
        "write": None,
        "pool": None,
    }


async def test_a_number_sets_every_phase(is_async: bool, make_client: Any, router: respx.MockRouter) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    client = make_client(is_async, timeout=12.5)

    await resolve(client.account.get_package())

    assert route.calls.last.request.extensions["timeout"] == {
        "connect": 12.5,
        "read": 12.5,
        "write": 12.5,
        "pool": 12.5,
    }


# --- headers -------------------------------------------------------------------------------------------


async def test_user_agent_names_this_library(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    client = make_client(is_async)

    await resolve(client.account.get_package())

    assert route.calls.last.request.headers.get_list("User-Agent") == [f"fishaudio-ext/{__version__}"]


async def test_default_headers_are_sent_on_every_request(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    client = make_client(is_async, default_headers={"X-App": "demo", "X-Env": "test"})

    await resolve(client.account.get_package())
    await resolve(client.account.get_package())

    for call in route.calls:
        assert call.request.headers["X-App"] == "demo"
        assert call.request.headers["X-Env"] == "test"


async def test_default_headers_cannot_replace_the_api_key(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    client = make_client(is_async, api_key=KEY, default_headers={"Authorization": "Bearer someone-else"})

    await resolve(client.account.get_package())

    assert route.calls.last.request.headers.get_list("Authorization") == [f"Bearer {KEY}"]


@pytest.mark.parametrize("name", ["user-agent", "USER-AGENT"])
async def test_a_default_header_differing_only_in_case_is_not_sent_twice(
    is_async: bool, make_client: Any, router: respx.MockRouter, name: str
) -> None:
    # HTTP header names are case-insensitive: a user's "user-agent" must replace ours, not add a second one.
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    client = make_client(is_async, default_headers={name: "my-app/2.0"})

    await resolve(client.account.get_package())

    assert len(route.calls.last.request.headers.get_list("User-Agent")) == 1


@pytest.mark.parametrize("name", ["authorization", "AUTHORIZATION"])
async def test_additional_headers_in_any_case_cannot_replace_the_api_key(
    is_async: bool, make_client: Any, router: respx.MockRouter, name: str
) -> None:
    route = router.get("/wallet/self/package").respond(200, json=PACKAGE)
    client = make_client(is_async, api_key=KEY)
    options = RequestOptions(additional_headers={name: "Bearer someone-else"})

    await resolve(client.account.get_package(request_options=options))

    assert route.calls.last.request.headers.get_list("Authorization") == [f"Bearer {KEY}"]


# --- ownership of the connection pool ------------------------------------------------------------------


def test_sync_context_manager_closes_the_owned_pool() -> None:
    with FishAudio(api_key=KEY) as client:
        pool = client._http.client
        assert not pool.is_closed

    assert pool.is_closed


async def test_async_context_manager_closes_the_owned_pool() -> None:
    async with AsyncFishAudio(api_key=KEY) as client:
        pool = client._http.client
        assert not pool.is_closed

    assert pool.is_closed


async def test_close_closes_the_owned_pool(is_async: bool) -> None:
    client = client_class(is_async)(api_key=KEY)

    await resolve(client.close())

    assert client._http.client.is_closed


# --- the API key stays secret --------------------------------------------------------------------------


async def test_repr_of_the_client_hides_the_key(is_async: bool, make_client: Any) -> None:
    client = make_client(is_async, api_key=KEY)

    assert KEY not in repr(client)
    assert KEY not in str(client)
    assert KEY not in repr(client._http.settings)


@pytest.mark.parametrize("name", ["Authorization", "authorization", "X-Api-Key", "Proxy-Authorization"])
def test_repr_of_request_options_hides_credentials(name: str) -> None:
    options = RequestOptions(additional_headers={name: f"Bearer {KEY}", "X-Trace": "visible"})

    assert KEY not in repr(options)
    assert KEY not in str(options)
    assert "visible" in repr(options)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"status": 401, "message": "Invalid API key"}'),
        ("application/json", b'{"detail": "Could not validate credentials"}'),
        ("text/plain", f"Unauthorized: Authorization: Bearer {KEY}".encode()),
        ("application/json", f'{{"message": "bad header", "reason": "Bearer {KEY}"}}'.encode()),
        ("text/html", f"<html><title>401 for Bearer {KEY}</title></html>".encode()),
        ("application/json", f'{{"message": "Invalid API key: {KEY}"}}'.encode()),
        ("text/plain", b""),
    ],
    ids=[
        "fish-json",
        "detail",
        "echoed-bearer-text",
        "echoed-bearer-json",
        "html",
        "echoed-raw-key",
        "empty",
    ],
)
async def test_a_401_error_never_shows_the_key(
    is_async: bool, make_client: Any, router: respx.MockRouter, content_type: str, body: bytes
) -> None:
    router.get("/wallet/self/package").respond(401, content=body, headers={"Content-Type": content_type})
    client = make_client(is_async, api_key=KEY)

    with pytest.raises(AuthenticationError) as caught:
        await resolve(client.account.get_package())

    error = caught.value
    shown = [str(error), repr(error), error.message, "".join(traceback.format_exception(error))]
    assert all(KEY not in text for text in shown)
    assert "authorization" not in {name.lower() for name in error.headers}


async def test_log_records_of_a_retried_call_never_show_the_key(
    is_async: bool, make_client: Any, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    router.get("/wallet/self/package").mock(
        side_effect=[httpx.Response(503), httpx.ConnectError("refused"), httpx.Response(200, json=PACKAGE)]
    )
    client = make_client(is_async, api_key=KEY)
    caplog.set_level(logging.DEBUG)

    await resolve(client.account.get_package())

    fishaudio_records = [r for r in caplog.records if r.name == "fishaudio_ext"]
    retry_records = [r for r in fishaudio_records if r.getMessage().startswith("Retrying")]
    assert len(retry_records) == 2
    for record in caplog.records:
        assert KEY not in record.getMessage()
        assert KEY not in repr(record.args)
    assert KEY not in caplog.text


async def test_a_key_with_a_trailing_newline_is_never_echoed_in_errors(is_async: bool) -> None:
    # A key read from a file often ends with a newline; h11 then refuses the header and quotes its value.
    key = KEY + "\n"
    raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
    # A real httpx transport over httpcore's in-memory network backend: h11 serialises the request, no socket.
    if is_async:
        transport: Any = httpx.AsyncHTTPTransport()
        transport._pool._network_backend = httpcore.AsyncMockBackend([raw])
    else:
        transport = httpx.HTTPTransport()
        transport._pool._network_backend = httpcore.MockBackend([raw])
    injected = injected_client(is_async, transport=transport)

    raised: FishAudioError | None = None
    try:
        client = client_class(is_async)(api_key=key, httpx_client=injected, max_retries=0)  # type: ignore[arg-type]
        await resolve(client.account.get_package())
    except FishAudioError as error:  # refusing the key, or any later error, is fine: echoing it is not
        raised = error
    finally:
        await close(injected)

    printed = "".join(traceback.format_exception(raised)) if raised is not None else ""
    assert KEY not in printed
