"""What the sync and async ``/v1/tts/live`` sessions share: where and how to connect, error translation,
and the state the sender hands to the receiver.

The transport is the ``websockets`` library (chosen by measurement: ``benchmarks/websocket_libraries.py``).
It speaks HTTP/1.1, which the API requires for the upgrade, and honours proxy environment variables.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import attrs
import httpx
from fishaudio_api.facts import LIVE_TTS_PATH
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from ._errors import error_from_response
from ._http import HTTPSettings, base_headers
from ._live import start_frame
from ._redact import remember_key
from ._response_info import ResponseInfo
from ._retry import Clock, retry_delay, retry_delay_for_status
from .exceptions import (
    APIConnectionError,
    APITimeoutError,
    FishAudioError,
    ValidationError,
    WebSocketError,
    WebSocketTimeoutError,
)
from .types import TTSConfig
from .types._websocket_options import WebSocketOptions

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


class SessionState:
    """What the sender and the reader of a session tell each other: why the session failed if the reader
    is not to blame (the text iterator's exception, or the server's silence), when ``stop`` went out, and
    whether the reader is closing the session.

    The receive timeout bounds each wait for the server's next message, but only once ``stop`` is sent:
    before that the server may rightly be silent, waiting for text the caller's iterator has not produced.
    Time the caller spends between chunks does not count.

    No lock, though the sync sender is another thread: each field is written by one side only and read
    with single attribute loads, which are atomic in CPython (with or without the GIL), and no reader needs
    two fields to agree. The failure is recorded before the connection is closed to wake the reader, so a
    reader woken that way always sees it.
    """

    def __init__(self, receive_timeout: float | None) -> None:
        self._timeout = receive_timeout
        self._stop_sent_at: float | None = None
        self._wait_started_at: float | None = None  # None while the reader is not waiting
        self._failure: BaseException | None = None
        self._closing = False

    def close(self) -> None:
        """The session is being closed by its reader: the sender must stop, and not report it."""
        self._closing = True

    @property
    def closing(self) -> bool:
        return self._closing

    def fail(self, error: BaseException) -> None:
        """Record the exception to raise to the caller: the text iterator's own, or a timeout."""
        self._failure = error

    def raise_failure(self) -> None:
        """Raise the exception recorded by :meth:`fail`, if any."""
        if self._failure is not None:
            raise self._failure

    def stop_sent(self) -> None:
        self._stop_sent_at = time.monotonic()

    def start_wait(self) -> None:
        """A wait for the server's next message begins."""
        self._wait_started_at = time.monotonic()

    def end_wait(self) -> None:
        """The wait is over: a message came, or the wait failed."""
        self._wait_started_at = None

    def wait_limit(self) -> float | None:
        """How long the server may stay silent from now on before the current wait times out (None: forever).

        Before ``stop`` is sent, or while the reader is not waiting, this is the whole timeout: only a
        wait after ``stop`` ever uses it up.
        """
        stop_sent_at, wait_started_at = self._stop_sent_at, self._wait_started_at
        if self._timeout is None or stop_sent_at is None or wait_started_at is None:
            return self._timeout
        waited = time.monotonic() - max(wait_started_at, stop_sent_at)
        return max(0.0, self._timeout - waited)

    def silence_error(self) -> WebSocketTimeoutError:
        """The error for a wait that lasted the whole receive timeout (:meth:`wait_limit` is 0)."""
        return WebSocketTimeoutError(
            f"The server sent nothing for {self._timeout:g} s after all text was sent"
            " (WebSocketOptions.receive_timeout_seconds)"
        )
