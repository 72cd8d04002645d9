"""The one request path every call goes through: auth, headers, timeouts, retries, bounded bodies and
error mapping.

Resources describe a request as the keyword arguments of ``httpx.Client.build_request`` (built by the
generated layer's ``request_args``); :class:`SyncHTTP` and :class:`AsyncHTTP` send it. The decisions (what to
retry, how long to wait, which exception to raise) are shared functions; only the I/O differs.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeAlias, cast

import attrs
import httpx

from ._body import JSON_RESPONSE, BodyReader, accept_encoding, check_success
from ._errors import error_from_response
from ._logging import log, log_failure, log_request, log_response
from ._request_options import RequestOptions
from ._retry import Clock, retry_delay, retry_delay_for_status
from ._version import __version__
from .exceptions import APIConnectionError, APITimeoutError, ClientStateError, FishAudioError

if TYPE_CHECKING:
    import asyncio  # imported where used: importing the package need not cost asyncio's 15 ms


RequestArgs: TypeAlias = dict[str, Any]
"""Keyword arguments of ``httpx.Client.build_request``; ``url`` is a path below the base URL."""

USER_AGENT = f"fishaudio-ext/{__version__}"

# Errors worth another attempt: the request may never have reached the server, or the connection broke.
_RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
# Errors after which the server cannot have seen the request: no connection was made (refused, DNS, TLS,
# timed out) or none was free in the pool. Anything later (a write or read failing, a read timeout, the
# server hanging up) may come after the server acted on the request.
_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@attrs.frozen(kw_only=True)
class HTTPSettings:
    """What every request of one client shares."""

    api_key: str = attrs.field(repr=False)
    base_url: str
    timeout: httpx.Timeout | None
    """None leaves the timeout of an injected httpx client in charge."""
    max_retries: int
    headers: Mapping[str, str]
    clock: Clock = attrs.field(repr=False)


def base_headers(settings: HTTPSettings) -> httpx.Headers:
    """The headers every request of a client starts from: User-Agent, then the client's default headers."""
    # httpx.Headers merges names case-insensitively: "user-agent" replaces "User-Agent", never doubles it.
    headers = httpx.Headers({"User-Agent": USER_AGENT})
    headers.update(settings.headers)
    return headers


def build_request(
    client: httpx.Client | httpx.AsyncClient,
    settings: HTTPSettings,
    args: RequestArgs,
    options: RequestOptions | None,
    response_types: Sequence[str] = JSON_RESPONSE,
) -> httpx.Request:
    """Turn resource-level request arguments into a request with the client's settings applied."""
    args = dict(args)
    generated = httpx.Headers(args.pop("headers", {}))
    if "files" in args:
        # The generator fixes the boundary to "+++", which the data may contain; httpx draws a random one.
        generated.pop("Content-Type", None)
    headers = base_headers(settings)
    headers.update(generated)
    params = dict(args.pop("params", {}))
    timeout: httpx.Timeout | None = settings.timeout
    if options is not None:
        headers.update(options.additional_headers or {})
        params.update(options.additional_query_params or {})
        if options.timeout is not None:
            timeout = httpx.Timeout(options.timeout)
    # Set last so that no additional header can replace the key the client was built with, nor ask for an
    # encoding the request path cannot decode within its limits.
    headers["Authorization"] = f"Bearer {settings.api_key}"
    headers["Accept-Encoding"] = accept_encoding(response_types)
    url = settings.base_url.rstrip("/") + args.pop("url")
    extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
    return client.build_request(url=url, headers=headers, params=params or None, **args, **extra)


def max_retries(settings: HTTPSettings, options: RequestOptions | None) -> int:
    if options is not None and options.max_retries is not None:
        return options.max_retries
    return settings.max_retries


def retry_delay_after_error(
    error: httpx.HTTPError, retries_taken: int, retries: int, *, idempotent: bool = True
) -> float | None:
    """Seconds to wait before retrying after a transport error, or None to give up.

    A request that is not ``idempotent`` is retried only when it cannot have reached the server.
    """
    retryable = _RETRYABLE_ERRORS if idempotent else _NOT_SENT_ERRORS
    if retries_taken >= retries or not isinstance(error, retryable):
        return None
    return retry_delay(retries_taken, retry_after=None)


def connection_error(error: httpx.HTTPError, request: httpx.Request) -> FishAudioError:
    """The documented exception for a transport error (the httpx error stays as ``__cause__``)."""
    where = f"{request.method} {request.url.copy_with(query=None)}"
    if isinstance(error, httpx.TimeoutException):
        return APITimeoutError(f"{where} timed out ({type(error).__name__}).")
    detail = str(error) or type(error).__name__
    return APIConnectionError(f"{where} failed: {detail}")


def log_retry(request: httpx.Request, reason: str, delay: float, retries_taken: int, retries: int) -> None:
    log.info(
        "Retrying %s %s in %.2f s (retry %d of %d) after %s",
        request.method,
        request.url.copy_with(query=None),
        delay,
        retries_taken + 1,
        retries,
        reason,
    )


def read_body(response: httpx.Response, response_types: Sequence[str]) -> None:
    """Read the body into ``response.content`` as ``response.read()`` would, but bounded and decoded as
    it arrives (:class:`BodyReader`), then release the connection."""
    if response.is_stream_consumed:
        _keep_body(response, _read_already(response, response_types))
        return
    reader = BodyReader(response, response_types)
    for raw in response.iter_raw():
        if not reader.feed(raw):
            break
    response.close()
    _keep_body(response, reader.body())


async def aread_body(response: httpx.Response, response_types: Sequence[str]) -> None:
    """The async twin of :func:`read_body`."""
    if response.is_stream_consumed:
        _keep_body(response, _read_already(response, response_types))
        return
    reader = BodyReader(response, response_types)
    # httpx returns an async generator: close it now rather than whenever it is collected.
    raw_chunks = cast(AsyncGenerator[bytes, None], response.aiter_raw())
    async with contextlib.aclosing(raw_chunks):
        async for raw in raw_chunks:
            if not reader.feed(raw):
                break
    await response.aclose()
    _keep_body(response, reader.body())


def _read_already(response: httpx.Response, response_types: Sequence[str]) -> bytes:
    """The body of a response httpx has read already (built in memory, as by ``httpx.MockTransport``, or
    read by an event hook): decoded by httpx, so only the byte limit applies."""
    reader = BodyReader(response, response_types, decoded=True)
    reader.feed(response.content)
    return reader.body()


def _keep_body(response: httpx.Response, body: bytes) -> None:
    # httpx keeps a read body in the attribute read() fills: callers go on using response.content.
    response._content = body


def api_error(response: httpx.Response, api_key: str) -> FishAudioError:
    return error_from_response(response.status_code, response.headers, response.content, secrets=(api_key,))


# --- the lifetime of a client's connection pool ---------------------------------------------------------
#
# The pool's users are the requests in flight and the streamed responses not yet closed; every namespace
# and stream keeps its SyncHTTP / AsyncHTTP alive by holding it, and a streamed response holds it through
# the _Held*Stream that replaces its body. The pool is released when the client is closed and its last
# user ends, or when nothing references it any more: never under a user, whether or not the FishAudio
# object itself is still referenced.

_P = ParamSpec("_P")

_CLOSED_MESSAGE = (
    "This client is closed: create a new FishAudio / AsyncFishAudio for more requests"
    " (streams opened before close() still read to their end)."
)
_OTHER_LOOP_MESSAGE = (
    "This AsyncFishAudio sent its first request from another event loop (an earlier asyncio.run()?)"
    " and its connections belong to that loop. Create the client inside the coroutine that uses it"
    " (async with AsyncFishAudio() as client: ...), once per asyncio.run()."
)


class _HeldStream(httpx.SyncByteStream):
    """A streamed response body that counts as a user of its client's pool until it is closed."""

    def __init__(self, body: httpx.SyncByteStream, http: SyncHTTP) -> None:
        self._body = body
        self._http: SyncHTTP | None = http

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        try:
            self._body.close()
        finally:
            self._let_go()

    def _let_go(self) -> None:
        http, self._http = self._http, None
        if http is not None:
            http.end_use()

    def __del__(self) -> None:
        self._let_go()  # a body dropped unclosed must not keep a closed client's pool open for ever


class _HeldAsyncStream(httpx.AsyncByteStream):
    """The async twin of :class:`_HeldStream`."""

    def __init__(self, body: httpx.AsyncByteStream, http: AsyncHTTP) -> None:
        self._body = body
        self._http: AsyncHTTP | None = http

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._body.__aiter__()

    async def aclose(self) -> None:
        try:
            await self._body.aclose()
        finally:
            http, self._http = self._http, None
            if http is not None and http.end_use():
                await http.release_pool()

    def __del__(self) -> None:
        http, self._http = self._http, None
        if http is not None and http.end_use():
            http.release_pool_soon()


def _in_use(
    send: Callable[Concatenate[SyncHTTP, _P], httpx.Response],
) -> Callable[Concatenate[SyncHTTP, _P], httpx.Response]:
    """Count a request as a user of the pool while it runs, and a streamed response until it is closed."""

    @functools.wraps(send)
    def request(http: SyncHTTP, /, *args: _P.args, **kwargs: _P.kwargs) -> httpx.Response:
        http.begin_use()
        try:
            response = send(http, *args, **kwargs)
        except BaseException:
            http.end_use()
            raise
        if response.is_closed:
            http.end_use()
        else:
            assert isinstance(response.stream, httpx.SyncByteStream)  # a sync client's body is
            response.stream = _HeldStream(response.stream, http)
        return response

    return request


def _in_use_async(
    send: Callable[Concatenate[AsyncHTTP, _P], Awaitable[httpx.Response]],
) -> Callable[Concatenate[AsyncHTTP, _P], Awaitable[httpx.Response]]:
    """The async twin of :func:`_in_use`."""

    @functools.wraps(send)
    async def request(http: AsyncHTTP, /, *args: _P.args, **kwargs: _P.kwargs) -> httpx.Response:
        http.begin_use()
        try:
            response = await send(http, *args, **kwargs)
        except BaseException:
            if http.end_use():
                await http.release_pool()
            raise
        if response.is_closed:
            if http.end_use():
                await http.release_pool()
        else:
            assert isinstance(response.stream, httpx.AsyncByteStream)  # an async client's body is
            response.stream = _HeldAsyncStream(response.stream, http)
        return response

    return request


class SyncHTTP:
    """Sends requests for :class:`~fishaudio_ext.FishAudio`."""

    def __init__(self, client: httpx.Client, settings: HTTPSettings, *, owns_client: bool) -> None:
        self.client = client
        self.settings = settings
        self._owns_client = owns_client
        self._closed = False  # close() was called: no new requests
        self._users = 0  # requests in flight and streamed responses not yet closed
        self._lock = threading.Lock()  # a client may be shared by threads

    def check_open(self) -> None:
        """Raise if close() was called: a closed client starts nothing new (WebSocket sessions included)."""
        if self._closed:
            raise ClientStateError(_CLOSED_MESSAGE)

    def begin_use(self) -> None:
        with self._lock:
            self.check_open()
            self._users += 1

    def end_use(self) -> None:
        with self._lock:
            self._users -= 1
            idle = self._closed and self._users == 0
        if idle:
            self._release_pool()

    @_in_use
    def request(
        self,
        args: RequestArgs,
        options: RequestOptions | None = None,
        *,
        stream: bool = False,
        idempotent: bool = True,
        response_types: Sequence[str] = JSON_RESPONSE,
    ) -> httpx.Response:
        """Send with retries; return a successful response (body unread when ``stream``) or raise.

        Without ``stream`` the body is read inside the retry loop, so a connection lost mid-body is retried:
        nothing has reached the caller yet. A streamed body is never retried once it is handed over.
        A request that is not ``idempotent`` (it creates, changes or deletes something) is retried only
        when it cannot have been acted on: no connection was made, or the server answered 408, 429 or 503.
        ``response_types`` are the media types the operation declares for its successful answer (none:
        no content); a successful answer of another type is an APIResponseValidationError.
        """
        retries = max_retries(self.settings, options)
        retries_taken = 0
        while True:
            request = build_request(self.client, self.settings, args, options, response_types)
            response: httpx.Response | None = None
            start = log_request(request, retries_taken)
            try:
                response = self.client.send(request, stream=True)
                log_response(request, response, start, retries_taken)
                if response.is_success:
                    check_success(response, response_types)
                if not stream or not response.is_success:
                    read_body(response, response_types)
            except httpx.HTTPError as error:
                log_failure(request, error, start, retries_taken)
                if response is not None:
                    response.close()
                delay = retry_delay_after_error(error, retries_taken, retries, idempotent=idempotent)
                if delay is None:
                    raise connection_error(error, request) from error
                log_retry(request, type(error).__name__, delay, retries_taken, retries)
            except BaseException:
                if response is not None:
                    response.close()
                raise
            else:
                if response.is_success:
                    return response
                response.close()
                delay = retry_delay_for_status(
                    response.status_code, response.headers, retries_taken, retries, idempotent=idempotent
                )
                if delay is None:
                    raise api_error(response, self.settings.api_key)
                log_retry(request, f"HTTP {response.status_code}", delay, retries_taken, retries)
            self.settings.clock.sleep(delay)
            retries_taken += 1

    def close(self) -> None:
        """Refuse new requests; release the pool now, or when the last stream still open ends."""
        with self._lock:
            self._closed = True
            idle = self._users == 0
        if idle:
            self._release_pool()

    def _release_pool(self) -> None:
        # Unless the httpx client was injected: that one is its owner's to close.
        if self._owns_client:
            self.client.close()

    def __del__(self) -> None:
        # Nothing references this pool any more (no client, namespace or stream): release its sockets.
        if getattr(self, "_owns_client", False):
            self.client.close()


class AsyncHTTP:
    """Sends requests for :class:`~fishaudio_ext.AsyncFishAudio`; the twin of :class:`SyncHTTP`."""

    def __init__(self, client: httpx.AsyncClient, settings: HTTPSettings, *, owns_client: bool) -> None:
        self.client = client
        self.settings = settings
        self._owns_client = owns_client
        self._closed = False  # close() was called: no new requests
        self._users = 0  # requests in flight and streamed responses not yet closed
        # The event loop of the first request: the pool's connections are bound to it.
        self._loop: weakref.ref[asyncio.AbstractEventLoop] | None = None

    def check_open(self) -> None:
        """Raise if close() was called: a closed client starts nothing new (WebSocket sessions included)."""
        if self._closed:
            raise ClientStateError(_CLOSED_MESSAGE)

    def begin_use(self) -> None:
        self.check_open()
        self._check_loop()
        self._users += 1

    def _check_loop(self) -> None:
        loop = _running_asyncio_loop()
        if loop is not None:
            if self._loop is None:
                self._loop = weakref.ref(loop)
            elif self._loop() is not loop:
                raise ClientStateError(_OTHER_LOOP_MESSAGE)

    def end_use(self) -> bool:
        """Count one user less; return whether the pool is now to be released."""
        self._users -= 1
        return self._closed and self._users == 0

    @_in_use_async
    async def request(
        self,
        args: RequestArgs,
        options: RequestOptions | None = None,
        *,
        stream: bool = False,
        idempotent: bool = True,
        response_types: Sequence[str] = JSON_RESPONSE,
    ) -> httpx.Response:
        """Send with retries; see :meth:`SyncHTTP.request`."""
        retries = max_retries(self.settings, options)
        retries_taken = 0
        while True:
            request = build_request(self.client, self.settings, args, options, response_types)
            response: httpx.Response | None = None
            start = log_request(request, retries_taken)
            try:
                response = await self.client.send(request, stream=True)
                log_response(request, response, start, retries_taken)
                if response.is_success:
                    check_success(response, response_types)
                if not stream or not response.is_success:
                    await aread_body(response, response_types)
            except httpx.HTTPError as error:
                log_failure(request, error, start, retries_taken)
                if response is not None:
                    await response.aclose()
                delay = retry_delay_after_error(error, retries_taken, retries, idempotent=idempotent)
                if delay is None:
                    raise connection_error(error, request) from error
                log_retry(request, type(error).__name__, delay, retries_taken, retries)
            except BaseException:
                if response is not None:
                    await response.aclose()
                raise
            else:
                if response.is_success:
                    return response
                await response.aclose()
                delay = retry_delay_for_status(
                    response.status_code, response.headers, retries_taken, retries, idempotent=idempotent
                )
                if delay is None:
                    raise api_error(response, self.settings.api_key)
                log_retry(request, f"HTTP {response.status_code}", delay, retries_taken, retries)
            await self.settings.clock.async_sleep(delay)
            retries_taken += 1

    async def close(self) -> None:
        """Refuse new requests; release the pool now, or when the last stream still open ends."""
        self._closed = True
        self._check_loop()  # the connections of another loop cannot be closed from this one
        if self._users == 0:
            await self.release_pool()

    async def release_pool(self) -> None:
        # Unless the httpx client was injected: that one is its owner's to close.
        if self._owns_client:
            await self.client.aclose()

    def release_pool_soon(self) -> None:
        """Release the pool from a finalizer: in a task of the pool's event loop if it is running here."""
        if self._owns_client and not self.client.is_closed:
            _close_soon(self.client, self._loop)

    def __del__(self) -> None:
        # Nothing references this pool any more (no client, namespace or stream): release its sockets.
        if getattr(self, "_owns_client", False):
            self.release_pool_soon()


# Keeps the tasks closing abandoned async pools alive until they finish.
_CLOSING: set[asyncio.Task[None]] = set()


def _running_asyncio_loop() -> asyncio.AbstractEventLoop | None:
    """The running asyncio loop, or None (under trio, or outside any loop)."""
    try:
        import asyncio  # loaded by now: an async client is used in a running loop

        return asyncio.get_running_loop()
    except (RuntimeError, ImportError):  # ImportError: a finalizer run while the interpreter shuts down
        return None


def _close_soon(client: httpx.AsyncClient, bound: weakref.ref[asyncio.AbstractEventLoop] | None) -> None:
    loop = _running_asyncio_loop()
    if loop is None or (bound is not None and bound() is not loop):
        return  # the pool's loop is gone or elsewhere: its sockets close with their transports
    task = loop.create_task(client.aclose())
    _CLOSING.add(task)
    task.add_done_callback(_CLOSING.discard)
