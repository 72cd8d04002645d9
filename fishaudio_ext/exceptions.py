"""Every error fishaudio_ext raises, under one base class, :class:`FishAudioError`.

HTTP errors get one class per status family, so callers can write::

    try:
        client.tts.convert(text="Hello")
    except RateLimitError as err:
        wait(err.retry_after)
    except APIError as err:
        print(err.status, err.message, err.request_id)

No message, repr or attribute ever contains an API key a client of this process was built with, nor a
bearer token: errors carry the *response* headers, never the request's, and what a server echoes back
(in a body, a header, an event or a close reason) is redacted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import httpx

from ._redact import redact, redact_text
from ._response_info import REQUEST_ID_HEADERS, ResponseInfo, redacted_headers

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "DependencyError",
    "FishAudioError",
    "InsufficientCreditError",
    "LiveSessionBusyError",
    "NotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PlaybackError",
    "RateLimitError",
    "ReferenceNotFoundError",
    "ResponseTooLargeError",
    "ServerError",
    "StreamConsumedError",
    "UnprocessableEntityError",
    "ValidationError",
    "ValidationIssue",
    "WebSocketError",
    "WebSocketTimeoutError",
]


class FishAudioError(Exception):
    """Base class of every error raised by fishaudio_ext; ``except FishAudioError`` catches them all.

    ``response`` is the status and headers of the answer the error came from (for a WebSocket session,
    the handshake's), or None when there was none (no connection, a check before sending).
    """

    response: ResponseInfo | None = None

    def __init__(self, *args: object) -> None:
        # Messages quote what servers and libraries said (a connection error, a handshake header).
        super().__init__(*(redact_text(arg) if isinstance(arg, str) else arg for arg in args))

    def __reduce__(self) -> tuple[Any, ...]:
        # The default pickling replays cls(*args), which keyword-only constructors reject; errors must
        # survive the trip back from a worker process (multiprocessing, ProcessPoolExecutor).
        return _restore, (type(self), self.args, self.__dict__)


def _restore(cls: type[FishAudioError], args: tuple[object, ...], state: dict[str, Any]) -> FishAudioError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class ValidationError(FishAudioError):
    """The request is invalid.

    Raised before any network traffic when a parameter is out of range, for example
    ``ValidationError(field="prosody.speed", value=3.0, allowed="0.5 to 2.0")`` reads
    ``prosody.speed=3.0 is out of range: allowed 0.5 to 2.0``. The server's own 422 answer is
    :class:`UnprocessableEntityError`, also a ``ValidationError``.
    """

    field: str | None
    value: object
    allowed: str | None

    def __init__(
        self,
        message: str | None = None,
        *,
        field: str | None = None,
        value: object = None,
        allowed: str | None = None,
    ) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        if message is None:
            message = f"{field}={value!r} is out of range: allowed {allowed}"
        super().__init__(message)


class APIError(FishAudioError):
    """The API answered with a non-2xx HTTP status.

    Attributes:
        status: the HTTP status code.
        message: a readable one-line explanation taken from the response body.
        body: the parsed JSON body, else the body text, else None.
        headers: the response headers.
        request_id: the server's request id, quote it when reporting a problem to Fish Audio.
        generation_id: the ``X-Generation-Id`` of the failed synthesis or transcription, if sent.
        response: ``status`` and ``headers`` as a :class:`~fishaudio_ext.ResponseInfo`.

    ``str(err)`` reads like ``HTTP 404: Voice not found (request id: abc)``.
    """

    status: int
    message: str
    body: object
    headers: httpx.Headers
    request_id: str | None

    def __init__(
        self,
        status: int,
        message: str,
        body: object = None,
        *,
        headers: Mapping[str, str] | None = None,
        request_id: str | None = None,
    ) -> None:
        self.status = status
        self.message = message = redact_text(message)
        self.body = redact(body)
        self.headers = redacted_headers(headers)
        self.response = ResponseInfo(status, self.headers)
        if request_id is None:
            request_id = next((self.headers[h] for h in REQUEST_ID_HEADERS if h in self.headers), None)
        self.request_id = None if request_id is None else redact_text(request_id)
        text = f"HTTP {status}: {message}"
        super().__init__(f"{text} (request id: {self.request_id})" if self.request_id else text)

    @property
    def generation_id(self) -> str | None:
        """The ``X-Generation-Id`` header of the answer, if the server sent one."""
        return self.response.generation_id if self.response is not None else None


class BadRequestError(APIError):
    """HTTP 400: the server rejected the request's parameters (for example an unknown ``reference_id``)."""


class AuthenticationError(APIError):
    """HTTP 401: the API key is missing or invalid."""


class PaymentRequiredError(APIError):
    """HTTP 402: the account has run out of credit."""


InsufficientCreditError = PaymentRequiredError
"""Alias of :class:`PaymentRequiredError`, named after what it means for the account."""


class PermissionDeniedError(APIError):
    """HTTP 403: the API key is valid but not allowed to do this."""


class NotFoundError(APIError):
    """HTTP 404: the voice, model or other resource does not exist."""


class ConflictError(APIError):
    """HTTP 409: the request conflicts with the resource's current state."""


class RateLimitError(APIError):
    """HTTP 429: too many requests; ``retry_after`` is the wait in seconds the server asked for, if any."""

    retry_after: float | None

    def __init__(
        self,
        status: int,
        message: str,
        body: object = None,
        *,
        headers: Mapping[str, str] | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(status, message, body, headers=headers, request_id=request_id)


class ServerError(APIError):
    """HTTP 5xx: the server failed; usually temporary, and retried automatically."""


@attrs.frozen
class ValidationIssue:
    """One problem the server found in the request, for example ``body.prosody.speed: Input should be ...``.

    Attributes:
        loc: where the problem is, such as ``("body", "prosody", "speed")``.
        msg: what is wrong with it.
        type: a machine-readable kind of error, such as ``"missing"`` (empty when the server gave none).
    """

    loc: tuple[str | int, ...]
    msg: str
    type: str

    def __str__(self) -> str:
        """Return ``"dotted.location: message"``, or just the message when there is no location."""
        return f"{'.'.join(map(str, self.loc))}: {self.msg}" if self.loc else self.msg


class UnprocessableEntityError(APIError, ValidationError):
    """HTTP 422: the server found the request invalid; ``issues`` lists each problem.

    It is both an :class:`APIError` and a :class:`ValidationError`, so either ``except`` catches it.
    ``field`` is the location of the first issue inside the request body, like ``"prosody.speed"``.
    """

    issues: list[ValidationIssue]

    def __init__(
        self,
        status: int,
        message: str,
        body: object = None,
        *,
        headers: Mapping[str, str] | None = None,
        request_id: str | None = None,
        issues: Iterable[ValidationIssue] = (),
    ) -> None:
        super().__init__(status, message, body, headers=headers, request_id=request_id)
        self.issues = [_redacted_issue(issue) for issue in issues]
        if self.issues:
            loc = self.issues[0].loc
            # Match the client-side ValidationError, whose field names are relative to the body.
            self.field = ".".join(map(str, loc[1:] if loc[:1] == ("body",) else loc)) or None


def _redacted_issue(issue: ValidationIssue) -> ValidationIssue:
    loc = tuple(redact_text(part) if isinstance(part, str) else part for part in issue.loc)
    return ValidationIssue(loc=loc, msg=redact_text(issue.msg), type=redact_text(issue.type))


class APIResponseValidationError(APIError):
    """A successful response whose body is not what the spec describes (not JSON, an array, a missing field).

    ``status`` is the (2xx) status of that response and ``body`` what it carried.
    """


class ResponseTooLargeError(APIResponseValidationError):
    """A successful JSON response larger than the client reads (``limit`` bytes once decompressed).

    The body is measured while it is decoded, so a compressed "bomb" costs no more memory than the limit;
    ``body`` is None.
    """

    limit: int

    def __init__(
        self, status: int, message: str, *, headers: Mapping[str, str] | None = None, limit: int
    ) -> None:
        self.limit = limit
        super().__init__(status, message, None, headers=headers)


class ConfigurationError(FishAudioError, ValueError):
    """The client cannot be built as configured, e.g. no API key was given or found in ``FISH_API_KEY``."""


class ClientStateError(FishAudioError, RuntimeError):
    """The client cannot send requests as it is: it was closed, or (``AsyncFishAudio``) its connections belong
    to another event loop. The message says what to do instead."""


class APIConnectionError(FishAudioError):
    """The request got no HTTP answer (DNS failure, refused or reset connection); see ``__cause__``."""

    def __init__(self, message: str = "Connection error.") -> None:
        super().__init__(message)


class APITimeoutError(APIConnectionError):
    """The request timed out before the server answered."""

    def __init__(self, message: str = "Request timed out.") -> None:
        super().__init__(message)


class WebSocketError(FishAudioError):
    """The real-time WebSocket session failed.

    Attributes:
        close_code: the WebSocket close code, when the connection was closed.
        close_reason: the close reason sent by the server, if any.
        event: the server event that reported the failure, if any.
    """

    close_code: int | None
    close_reason: str | None
    event: object

    def __init__(
        self,
        message: str,
        *,
        close_code: int | None = None,
        close_reason: str | None = None,
        event: object = None,
    ) -> None:
        message = redact_text(message)
        self.close_code = close_code
        self.close_reason = None if close_reason is None else redact_text(close_reason)
        self.event = redact(event)
        if close_code is not None:
            message += (
                f" (close code {close_code}: {self.close_reason})"
                if self.close_reason
                else f" (close code {close_code})"
            )
        super().__init__(message)


class ReferenceNotFoundError(BadRequestError, NotFoundError, WebSocketError):
    """The ``reference_id`` names no voice: the API's 400 "Reference not found", over HTTP and WebSocket.

    One class whichever way the voice was asked for: a :class:`BadRequestError` (the status the API
    answers with) and a :class:`NotFoundError` (what it means), so ``except NotFoundError`` catches it; and
    a :class:`WebSocketError`, so handlers written for a live session's failures (as with the official
    SDK) still catch it there. From a WebSocket session ``status`` is 400 too, and ``body`` and ``event``
    are the server's ``finish`` event.
    """


class WebSocketTimeoutError(WebSocketError, APITimeoutError):
    """The server sent nothing for ``WebSocketOptions.receive_timeout_seconds`` after all text was sent.

    Both a :class:`WebSocketError` and an :class:`APITimeoutError`, so either ``except`` catches it.
    """


class DependencyError(FishAudioError):
    """An optional dependency is missing; the message says exactly what to install.

    Attributes:
        dependency: what is missing, such as ``"IPython"``.
        install_hint: how to install it, such as ``"run `pip install ipython`"``.
    """

    dependency: str
    install_hint: str

    def __init__(self, dependency: str, install_hint: str) -> None:
        self.dependency = dependency
        self.install_hint = install_hint
        super().__init__(f"{dependency} is required but was not found: {install_hint}")

    @property
    def install_command(self) -> str:
        """The official SDK's name for :attr:`install_hint`."""
        return self.install_hint


class PlaybackError(FishAudioError):
    """The audio player failed or stopped before all audio was played.

    Attributes:
        player: the player's name, such as ``"ffplay"``.
        returncode: its exit status.
        stderr: the end of what it printed on stderr.
    """

    player: str
    returncode: int
    stderr: str

    def __init__(self, message: str, *, player: str, returncode: int, stderr: str = "") -> None:
        self.player = player
        self.returncode = returncode
        self.stderr = stderr
        super().__init__(f"{message}: {stderr}" if stderr else message)


class LiveSessionBusyError(FishAudioError, RuntimeError):
    """A live session was asked to speak while its previous utterance is still running: one utterance at a
    time per session; read the previous stream to its end, close it, or ``cancel()`` it first."""

    def __init__(
        self,
        message: str = (
            "The live session is still speaking its previous utterance; read that stream to its end,"
            " close it, or call session.cancel() first."
        ),
    ) -> None:
        super().__init__(message)


class StreamConsumedError(FishAudioError, RuntimeError):
    """An audio stream was iterated a second time; streams are single-use, collect the bytes to reuse them."""

    def __init__(
        self, message: str = "This audio stream was already consumed; it can only be iterated once."
    ) -> None:
        super().__init__(message)


# Same name as the official SDK's 403 error so code written for it keeps working.
PermissionError = PermissionDeniedError
"""Alias of :class:`PermissionDeniedError` for drop-in compatibility with the official SDK."""
