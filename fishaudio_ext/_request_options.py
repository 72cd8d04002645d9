"""Per-call overrides of the client's timeout, retries, headers and query parameters."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import attrs
import httpx
from fishaudio_api.settings_checks import check_encodable, quote

from .exceptions import ValidationError

QueryValue = str | int | float | bool | list[str]
"""A value accepted in ``RequestOptions.additional_query_params``; a list repeats the parameter."""

_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "cookie"})
# RFC 9110: a header name is a token; a value is visible ASCII, spaces and tabs (httpx sends str values
# as ASCII, so anything else would fail at the request instead of where the header was given).
_HEADER_NAME: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEADER_VALUE: Final = re.compile(r"[\t\x20-\x7e]*")


def _headers_repr(headers: Mapping[str, str] | None) -> str:
    # Options get logged and printed in tracebacks: credentials passed as headers must not show up there.
    if headers is None:
        return "None"
    return repr({k: "[redacted]" if k.lower() in _SECRET_HEADERS else v for k, v in headers.items()})


def header_problem(field: str, headers: object) -> tuple[str, str] | None:
    """The message and field of the first header in ``headers`` HTTP cannot carry, or None if all can.

    Example: ``header_problem("default_headers", {"X-App": "café"})`` names ``default_headers['X-App']``.
    """
    if headers is None:
        return None
    if not isinstance(headers, Mapping):
        return f"{field} must be a mapping of str to str, got {type(headers).__name__}.", field
    for name, value in headers.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            message = f"{field}: {quote(name)} is not a header name (letters, digits and !#$%&'*+-.^_`|~)."
            return message, field
        where = f"{field}[{name!r}]"
        if not isinstance(value, str):
            return f"{where} must be a str, got {type(value).__name__}.", where
        if not _HEADER_VALUE.fullmatch(value):
            # The value is not quoted: a header may hold a credential.
            message = (
                f"{where} holds characters an HTTP header cannot carry (only visible ASCII, spaces and"
                " tabs): encode other text first, for example with urllib.parse.quote."
            )
            return message, where
    return None


def _check_query_params(params: Mapping[str, object] | None) -> None:
    """Raise unless every name and str value can be encoded (as UTF-8) into a query string."""
    for name, value in (params or {}).items():
        where = f"additional_query_params[{name!r}]"
        check_encodable(where, str(name))
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                check_encodable(where, item)


def check_max_retries(max_retries: object) -> None:
    """Reject a retry count that is not a whole number, 0 or more (a bool is not a count)."""
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValidationError(field="max_retries", value=max_retries, allowed="a whole number, 0 or more")


def check_timeout(timeout: float | httpx.Timeout | None) -> None:
    """Reject a timeout, or a phase of an ``httpx.Timeout``, that is not a positive number of seconds."""
    if isinstance(timeout, httpx.Timeout):
        timeouts = {f"timeout.{phase}": seconds for phase, seconds in timeout.as_dict().items()}
    else:
        timeouts = {"timeout": timeout}
    for field, seconds in timeouts.items():
        if seconds is not None and not seconds > 0:  # "not >" also rejects NaN
            raise ValidationError(field=field, value=seconds, allowed="more than 0 seconds, or None")


@attrs.frozen(kw_only=True)
class RequestOptions:
    """Overrides for a single call; fields left as None keep the client's settings.

    Example: ``client.tts.convert(text="Hi", request_options=RequestOptions(timeout=30, max_retries=3))``.

    Attributes:
        timeout: seconds for the whole call as a number, or an ``httpx.Timeout`` for each phase.
        max_retries: how many times to retry a failed attempt (0 disables retries).
        additional_headers: extra HTTP headers, added to (and overriding) the client's.
        additional_query_params: extra query-string parameters.

    Raises:
        ValidationError: ``max_retries`` is negative, a timeout is not positive, or a header or query
            value is one the request could not carry.
    """

    timeout: float | httpx.Timeout | None = None
    max_retries: int | None = None
    additional_headers: Mapping[str, str] | None = attrs.field(default=None, repr=_headers_repr)
    additional_query_params: Mapping[str, QueryValue] | None = None

    def __attrs_post_init__(self) -> None:
        if self.max_retries is not None:
            check_max_retries(self.max_retries)
        check_timeout(self.timeout)
        problem = header_problem("additional_headers", self.additional_headers)
        if problem is not None:
            message, field = problem
            raise ValidationError(message, field=field)
        _check_query_params(self.additional_query_params)
