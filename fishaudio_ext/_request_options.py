"""Per-call overrides of the client's timeout, retries, headers and query parameters."""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import httpx

from .exceptions import ValidationError

QueryValue = str | int | float | bool | list[str]
"""A value accepted in ``RequestOptions.additional_query_params``; a list repeats the parameter."""

_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "cookie"})


def _headers_repr(headers: Mapping[str, str] | None) -> str:
    # Options get logged and printed in tracebacks: credentials passed as headers must not show up there.
    if headers is None:
        return "None"
    return repr({k: "[redacted]" if k.lower() in _SECRET_HEADERS else v for k, v in headers.items()})


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
        ValidationError: ``max_retries`` is negative or a timeout is not positive.
    """

    timeout: float | httpx.Timeout | None = None
    max_retries: int | None = None
    additional_headers: Mapping[str, str] | None = attrs.field(default=None, repr=_headers_repr)
    additional_query_params: Mapping[str, QueryValue] | None = None

    def __attrs_post_init__(self) -> None:
        if self.max_retries is not None:
            check_max_retries(self.max_retries)
        check_timeout(self.timeout)
