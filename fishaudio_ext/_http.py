"""The one request path every call goes through: auth, headers, timeouts, retries, bounded bodies and
error mapping.

Resources describe a request as the keyword arguments of ``httpx.Client.build_request`` (built by the
generated layer's ``request_args``); :class:`SyncHTTP` and :class:`AsyncHTTP` send it. The decisions (what to
retry, how long to wait, which exception to raise) are shared functions; only the I/O differs.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import Any, TypeAlias, cast

import attrs
import httpx

from ._body import JSON_RESPONSE, BodyReader, accept_encoding, check_success
from ._errors import error_from_response
from ._request_options import RequestOptions
from ._retry import Clock, retry_delay, retry_delay_for_status
from ._version import __version__
from .exceptions import APIConnectionError, APITimeoutError, FishAudioError

log = logging.getLogger("fishaudio_ext")

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


class SyncHTTP:
    """Sends requests for :class:`~fishaudio_ext.FishAudio`."""

    def __init__(self, client: httpx.Client, settings: HTTPSettings, *, owns_client: bool) -> None:
        self.client = client
        self.settings = settings
        self._owns_client = owns_client

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
            try:
                response = self.client.send(request, stream=True)
                if response.is_success:
                    check_success(response, response_types)
                if not stream or not response.is_success:
                    read_body(response, response_types)
            except httpx.HTTPError as error:
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
        """Close the connection pool, unless the httpx client was injected by the caller."""
        if self._owns_client:
            self.client.close()


class AsyncHTTP:
    """Sends requests for :class:`~fishaudio_ext.AsyncFishAudio`; the twin of :class:`SyncHTTP`."""

    def __init__(self, client: httpx.AsyncClient, settings: HTTPSettings, *, owns_client: bool) -> None:
        self.client = client
        self.settings = settings
        self._owns_client = owns_client

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
            try:
                response = await self.client.send(request, stream=True)
                if response.is_success:
                    check_success(response, response_types)
                if not stream or not response.is_success:
                    await aread_body(response, response_types)
            except httpx.HTTPError as error:
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
        """Close the connection pool, unless the httpx client was injected by the caller."""
        if self._owns_client:
            await self.client.aclose()
