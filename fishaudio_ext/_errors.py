"""Map a non-2xx HTTP response to the matching exception class, with a readable message for any body."""

from __future__ import annotations

import html
import json
import math
import re

import httpx
from fishaudio_api.facts import REFERENCE_NOT_FOUND_MESSAGE

from ._constants import MAX_ERROR_BODY_BYTES
from ._redact import redact, redact_text
from ._retry import parse_retry_after
from .exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ReferenceNotFoundError,
    ServerError,
    UnprocessableEntityError,
    ValidationIssue,
)

_STATUS_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
}
# Messages end up in logs and tracebacks: keep them to a few lines whatever the server sent.
MAX_MESSAGE_CHARS = 500
_MAX_LISTED_ISSUES = 5
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def error_from_response(
    status: int, headers: httpx.Headers, content: bytes, *, secrets: tuple[str, ...] = ()
) -> APIError:
    """Build the exception for a non-2xx response; never raises, whatever the body holds.

    Example: ``error_from_response(401, headers, b'{"status":401,"message":"Invalid API key"}')``
    returns ``AuthenticationError("HTTP 401: Invalid API key")``.

    A proxy or debug page could echo the request's credentials back: ``secrets`` (and every key of this
    process's clients, and any bearer token) are redacted from the body, the headers and the message.
    """
    reason = httpx.codes.get_reason_phrase(status) or "Unknown error"
    # The HTTP request path reads no more than this; a WebSocket handshake's refusal may carry more.
    content = content[:MAX_ERROR_BODY_BYTES]
    body, message, issues = _read_body(content, headers.get("content-type", ""), reason, secrets)
    headers = httpx.Headers([(name, redact_text(value, secrets)) for name, value in headers.multi_items()])
    # Again, as a whole: an HTML title is unescaped after the body was redacted. Before the cut, so
    # that no cut-off part of a key remains.
    message = shorten(redact_text(message, secrets))
    if status == 422:
        return UnprocessableEntityError(status, message, body, headers=headers, issues=issues)
    if status == 429:
        retry_after = parse_retry_after(headers, limit=math.inf)
        return RateLimitError(status, message, body, headers=headers, retry_after=retry_after)
    if status == 400 and isinstance(body, dict) and body.get("message") == REFERENCE_NOT_FOUND_MESSAGE:
        return ReferenceNotFoundError(status, message, body, headers=headers)
    error_class = _STATUS_CLASSES.get(status, ServerError if status >= 500 else APIError)
    return error_class(status, message, body, headers=headers)


def shorten(message: str) -> str:
    """A server-supplied message cut to a few lines (:data:`MAX_MESSAGE_CHARS`), whatever its length."""
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return message[:MAX_MESSAGE_CHARS].rstrip() + "…"


def _read_body(
    content: bytes, content_type: str, reason: str, secrets: tuple[str, ...]
) -> tuple[object, str, list[ValidationIssue]]:
    """Return the body (JSON value, text or None) with secrets redacted, a message describing it, and any
    validation issues."""
    if not content.strip():
        return None, reason, []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return (
            redact_text(content.decode("utf-8", "replace"), secrets),
            f"{reason} (the response body is not UTF-8 text: {len(content)} bytes)",
            [],
        )
    try:
        # Redacted once parsed: in the JSON text a key may be spelt with escapes.
        data = redact(json.loads(text), secrets)
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to parse
        text = redact_text(text, secrets)
        return text, _describe_text(text, content_type, reason), []
    try:
        issues = _issues(data)
        message = _describe_json(data, issues)
    except RecursionError:  # JSON that parsed but is too deep to print back
        issues, message = [], None
    return data, message or reason, issues


def _describe_text(text: str, content_type: str, reason: str) -> str:
    if "html" in content_type.lower() or text.lstrip()[:14].lower().startswith(("<!doctype html", "<html")):
        # An error page from a proxy or load balancer: its title says all that is useful.
        match = _HTML_TITLE.search(text)
        title = " ".join(html.unescape(match.group(1)).split()) if match else ""
        return (
            f'{reason} (the server returned an HTML page: "{title}")'
            if title
            else f"{reason} (the server returned an HTML page)"
        )
    return " ".join(text.split())


def _describe_json(data: object, issues: list[ValidationIssue]) -> str | None:
    if isinstance(data, dict):
        message = _as_text(data.get("message"))
        if message:
            extra = _as_text(data.get("reason"))
            return f"{message} (reason: {extra})" if extra else message
    if issues:
        listed = "; ".join(map(str, issues[:_MAX_LISTED_ISSUES]))
        hidden = len(issues) - _MAX_LISTED_ISSUES
        return f"{listed}; and {hidden} more" if hidden > 0 else listed
    if isinstance(data, dict) and "detail" in data:
        return _as_text(data["detail"])
    return _as_text(data)


def _issues(data: object) -> list[ValidationIssue]:
    """Read validation issues from a top-level JSON array or a ``{"detail": [...]}`` object."""
    if isinstance(data, dict):
        data = data.get("detail")
    if not isinstance(data, list):
        return []
    return [_issue(item) for item in data]


def _issue(item: object) -> ValidationIssue:
    if not isinstance(item, dict):
        return ValidationIssue(loc=(), msg=_as_text(item) or "Invalid request", type="")
    raw_loc = item.get("loc")
    parts = raw_loc if isinstance(raw_loc, list) else [] if raw_loc is None else [raw_loc]
    loc = tuple(p if isinstance(p, (str, int)) and not isinstance(p, bool) else str(p) for p in parts)
    msg = _as_text(item.get("msg")) or _as_text(item.get("message")) or "Invalid value"
    return ValidationIssue(loc=loc, msg=msg, type=_as_text(item.get("type")) or "")


def _as_text(value: object) -> str | None:
    """Return a JSON value as a one-line string, or None when it is null, blank or an empty container."""
    if value in (None, [], {}):
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return " ".join(text.split()) or None
