"""Connecting to ``/v1/tts/live``: the URL, the handshake headers, ``websockets``' connect arguments, the one
retry policy for failed handshakes, and the errors a failed or lost connection maps to.

The transport is the ``websockets`` library (chosen by measurement: ``benchmarks/websocket_libraries.py``).
It speaks HTTP/1.1, which the API requires for the upgrade, and honours proxy environment variables.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

import attrs
import httpx
from fishaudio_api.facts import LIVE_TTS_PATH
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from .._errors import error_from_response
from .._http import HTTPSettings, base_headers
from .._logging import SessionLog
from .._redact import remember_key
from .._response_info import ResponseInfo
from .._retry import Clock, retry_delay, retry_delay_for_status
from ..exceptions import (
    APIConnectionError,
    APITimeoutError,
    FishAudioError,
    ValidationError,
    WebSocketError,
)
from ..types import TTSConfig
from ..types._websocket_options import WebSocketOptions
from .protocol import start_frame

LIVE_PATH = LIVE_TTS_PATH
SENDER_NAME = "fishaudio-ext-live-sender"
"""The name of the sender thread (sync) or task (async), to spot it in a debugger or thread dump."""

DEFAULT_OPTIONS = WebSocketOptions()

_NO_CLOSE_FRAME = 1006  # RFC 6455: the connection was lost without a closing handshake

log = logging.getLogger("fishaudio_ext")


@attrs.frozen
class LiveRequest:
    """Everything needed to open a session, checked and encoded before any network traffic."""

    url: str
    headers: list[tuple[str, str]] = attrs.field(repr=False)  # holds the API key
    start: bytes = attrs.field(repr=False)
    config: TTSConfig = attrs.field(repr=False)  # what the start frame asks for (the audio format)
    options: WebSocketOptions
    max_retries: int
    clock: Clock = attrs.field(repr=False)
    api_key: str = attrs.field(repr=False)  # to keep it out of error messages


def live_request(
    settings: HTTPSettings, config: TTSConfig, model: str, options: WebSocketOptions | None
) -> LiveRequest:
    """The session for ``config`` and ``model`` with this client's address, headers and key.

    Raises:
        ValidationError: ``options`` is not a WebSocketOptions.
    """
    if options is not None and not isinstance(options, WebSocketOptions):
        raise ValidationError(
            f"ws_options must be a WebSocketOptions, not {type(options).__name__}",
            field="ws_options",
            value=options,
            allowed="a WebSocketOptions or None",
        )
    request = LiveRequest(
        url=live_url(settings),
        headers=handshake_headers(settings, model),
        start=start_frame(config),
        config=config,
        options=options or DEFAULT_OPTIONS,
        max_retries=settings.max_retries,
        clock=settings.clock,
        api_key=settings.api_key,
    )
    # The session may outlive its client: its key stays redacted from the websockets logs until it ends.
    remember_key(settings.api_key, owner=request)
    return request


def live_url(settings: HTTPSettings) -> str:
    """``ws://`` or ``wss://`` with the client's base URL (and any path prefix it has) + ``/v1/tts/live``."""
    # base_url is checked to start with http:// or https:// when the client is built.
    return "ws" + settings.base_url.rstrip("/").removeprefix("http") + LIVE_PATH


def handshake_headers(settings: HTTPSettings, model: str) -> list[tuple[str, str]]:
    """The headers of an HTTP request by the same client: User-Agent, default headers, ``model``, the key."""
    headers = base_headers(settings)
    headers["model"] = model
    # Set last so that no default header can replace the key the client was built with.
    headers["Authorization"] = f"Bearer {settings.api_key}"
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers.raw]


def connect_kwargs(options: WebSocketOptions) -> dict[str, Any]:
    """Keyword arguments of ``websockets``' ``connect`` (sync and asyncio take the same ones)."""
    return {
        "open_timeout": options.open_timeout_seconds,
        "ping_interval": options.keepalive_ping_interval_seconds,
        "ping_timeout": options.keepalive_ping_timeout_seconds,
        "close_timeout": options.close_timeout_seconds,
        "max_size": options.max_message_size_bytes,
        "max_queue": options.queue_size,
        # Audio is already compressed; deflate would only cost CPU and 50 KiB of memory per connection.
        "compression": None,
        "user_agent_header": None,  # ours is among the headers
    }


def connect_error(error: Exception, request: LiveRequest) -> FishAudioError | None:
    """The documented exception for a failed connection attempt, or None for an unexpected error.

    A refused handshake is an HTTP error response and maps to the same classes as for ``POST /v1/tts``.
    """
    if isinstance(error, InvalidStatus):
        response = error.response
        headers = httpx.Headers(list(response.headers.raw_items()))
        return error_from_response(
            response.status_code, headers, bytes(response.body), secrets=(request.api_key,)
        )
    if isinstance(error, (TimeoutError, asyncio.TimeoutError)):  # not yet the same class on Python 3.10
        timeout = request.options.open_timeout_seconds
        return APITimeoutError(f"Connecting to {request.url} timed out after {timeout:g} s.")
    if isinstance(error, InvalidHandshake):
        return WebSocketError(f"The WebSocket handshake with {request.url} failed: {error}")
    if isinstance(error, OSError):
        return APIConnectionError(f"Connecting to {request.url} failed: {error}")
    return None


def retry_delay_or_raise(error: Exception, request: LiveRequest, retries_taken: int) -> float:
    """Seconds to wait before connecting again after a failed attempt; raises the mapped error to give up.

    The same policy as HTTP requests: connection errors, timeouts, 408, 409, 429 and 5xx are retried, with
    the server's Retry-After honoured. Retrying is safe: no text has been read from the caller yet.
    """
    delay: float | None = None
    if isinstance(error, InvalidStatus):
        status = error.response.status_code
        headers = httpx.Headers(list(error.response.headers.raw_items()))
        delay = retry_delay_for_status(status, headers, retries_taken, request.max_retries)
        reason = f"HTTP {status}"
    elif (
        isinstance(error, (OSError, TimeoutError, asyncio.TimeoutError))
        and retries_taken < request.max_retries
    ):
        delay = retry_delay(retries_taken, retry_after=None)
        reason = type(error).__name__
    if delay is None:
        mapped = connect_error(error, request)
        if mapped is None:
            raise error
        raise mapped from error
    log.info(
        "Retrying the WebSocket handshake with %s in %.2f s (retry %d of %d) after %s",
        request.url,
        delay,
        retries_taken + 1,
        request.max_retries,
        reason,
    )
    return delay


_Connection = TypeVar("_Connection")


class HandshakeAttempts(Generic[_Connection]):
    """The one retry loop of the handshake, driven alike by the sync and async sessions (only the sleeping
    and connecting differ)::

        attempts = HandshakeAttempts(request, session_log)
        for delay in attempts:  # 0 before the first attempt, then each retry's backoff
            sleep(delay)
            with attempts.attempt():  # a retryable failure is noted; any other is raised, mapped
                attempts.connection = connect(...)
        return attempts.opened()

    The policy is that of HTTP requests: see :func:`retry_delay_or_raise`.
    """

    def __init__(self, request: LiveRequest, session_log: SessionLog) -> None:
        self._request = request
        self._log = session_log
        self._retries_taken = 0
        self._delay = 0.0
        self.connection: _Connection | None = None

    def __iter__(self) -> Iterator[float]:
        while self.connection is None:
            yield self._delay

    @contextlib.contextmanager
    def attempt(self) -> Iterator[None]:
        try:
            yield
        except Exception as error:
            self._delay = retry_delay_or_raise(error, self._request, self._retries_taken)
            self._retries_taken += 1
        else:
            self._log.opened(self._retries_taken)

    def opened(self) -> _Connection:
        """The connection the last attempt opened."""
        if self.connection is None:
            raise RuntimeError("no attempt has opened a connection")
        return self.connection


class Handshake:
    """Where a session keeps its handshake's answer for its stream to read.

    A holder of its own, not the stream: a session referring to its stream would make a cycle, and a
    stream dropped mid-way would then wait for the garbage collector to close its connection.
    """

    def __init__(self) -> None:
        self.info: ResponseInfo | None = None

    def opened(self, response: Any) -> ResponseInfo:
        """Keep a ``websockets`` handshake response as the stream and its errors carry it."""
        self.info = ResponseInfo(response.status_code, list(response.headers.raw_items()))
        return self.info


def with_response(error: FishAudioError, info: ResponseInfo) -> None:
    """Give ``error`` the session's handshake answer as ``response``, unless it has its own."""
    if error.response is None:
        error.response = info


def closed_error(error: ConnectionClosed) -> WebSocketError:
    """The error for a connection that closed before the server's ``finish`` event."""
    if error.rcvd is not None:
        return WebSocketError(
            "The server closed the connection before the session finished",
            close_code=error.rcvd.code,
            close_reason=error.rcvd.reason or None,
        )
    if error.sent is not None and error.sent.code != 1000:
        # Closed by this side for a reason of its own: typically 1011 "keepalive ping timeout".
        hint = (
            " (WebSocketOptions.keepalive_ping_timeout_seconds)" if "keepalive" in error.sent.reason else ""
        )
        return WebSocketError(
            f"The connection failed{hint}", close_code=error.sent.code, close_reason=error.sent.reason or None
        )
    return WebSocketError("The connection to the server was lost", close_code=_NO_CLOSE_FRAME)
