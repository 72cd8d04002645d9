"""The retry policy: which answers to retry and how long to wait. Pure functions, no I/O.

The request path asks :func:`is_retryable_status` (stricter for requests that change something), reads
the server's wish with :func:`parse_retry_after`, waits :func:`retry_delay` seconds on a :class:`Clock`
and tries again, at most ``max_retries`` times.
"""

from __future__ import annotations

import email.utils
import math
import random
import re
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Protocol

import httpx

from ._constants import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY

# Plain decimal seconds only: float() would also accept "inf", "nan", "1e9" and "1_0".
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


def is_retryable_status(status: int, *, idempotent: bool = True) -> bool:
    """Return whether a response with this status is worth retrying.

    A request that may be repeated (``idempotent``) is retried on 408, 409, 429 and 5xx. One that creates,
    changes or deletes something only on the statuses by which the server says it did not act on the
    request: 408 (it did not receive the whole request, RFC 9110 15.5.9), 429 (it refused the request
    before doing anything, RFC 6585 section 4) and 503 (it was unable to handle the request, RFC 9110
    15.6.4). A 500, 502 or 504 may come after the work was done, and a 409 says the state changed.

    Example: ``is_retryable_status(503)`` is True, ``is_retryable_status(502, idempotent=False)`` False.
    """
    if not idempotent:
        return status in _NOT_ACTED_ON
    return status in (408, 409, 429) or status >= 500


_NOT_ACTED_ON = frozenset({408, 429, 503})


def parse_retry_after(
    headers: Mapping[str, str] | httpx.Headers,
    *,
    now: Callable[[], float] = time.time,
    limit: float = MAX_RETRY_AFTER,
) -> float | None:
    """Return how many seconds the server asked us to wait, or None if it did not say so sensibly.

    Reads ``retry-after-ms`` (milliseconds) first, then ``retry-after`` as seconds or as an HTTP date
    (compared with ``now()``). Only waits between 0 and ``limit`` seconds (60 by default) are returned;
    anything else (garbage, negative, past dates, longer waits) gives None.
    """
    headers = httpx.Headers(headers)  # case-insensitive lookups even for a plain dict
    seconds: float | None = None
    milliseconds = headers.get("retry-after-ms", "").strip()
    value = headers.get("retry-after", "").strip()
    if _DECIMAL.fullmatch(milliseconds):
        seconds = float(milliseconds) / 1000
    elif _DECIMAL.fullmatch(value):
        seconds = float(value)
    elif value:
        seconds = _seconds_until(value, now)
    if seconds is None or not (math.isfinite(seconds) and 0 <= seconds <= limit):
        return None
    return seconds


def retry_delay_for_status(
    status: int,
    headers: Mapping[str, str] | httpx.Headers,
    retries_taken: int,
    retries: int,
    *,
    idempotent: bool = True,
) -> float | None:
    """Seconds to wait before retrying after an error answer with ``status``, or None to give up.

    ``idempotent`` is as for :func:`is_retryable_status`. The server's ``Retry-After`` is honoured up to
    60 s. A longer one ends the retries at once: the caller gets the error (``RateLimitError.retry_after``
    says how long) rather than a call that stalls for minutes.
    """
    headers = httpx.Headers(headers)
    if retries_taken >= retries or not is_retryable_status(status, idempotent=idempotent):
        return None
    if headers.get("x-should-retry", "").lower() == "false":
        return None
    retry_after = parse_retry_after(headers, limit=math.inf)
    if retry_after is not None and retry_after > MAX_RETRY_AFTER:
        return None
    return retry_delay(retries_taken, retry_after=retry_after)


def _seconds_until(http_date: str, now: Callable[[], float]) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(http_date)
    except (TypeError, ValueError, IndexError, OverflowError):  # the exception type varies by Python version
        return None
    if when.tzinfo is None:  # RFC 5322 "-0000" means UTC with no further information
        when = when.replace(tzinfo=timezone.utc)
    return (when - datetime.fromtimestamp(now(), timezone.utc)).total_seconds()


def retry_delay(
    retries_taken: int, *, retry_after: float | None, random: Callable[[], float] = random.random
) -> float:
    """Return the seconds to wait before the next attempt.

    The server's ``retry_after`` wins when given; otherwise exponential backoff from 0.5 s, capped at
    8 s, shortened by up to 25 % at random so that many clients do not retry in lockstep.
    Example: ``retry_delay(0, retry_after=None)`` is between 0.375 and 0.5.
    """
    if retry_after is not None:
        return retry_after
    # The cap is reached after a few retries; clamping the exponent keeps 2.0**n from overflowing.
    exponent = min(max(retries_taken, 0), 32)
    return min(INITIAL_RETRY_DELAY * 2.0**exponent, MAX_RETRY_DELAY) * (1 - 0.25 * random())


class Clock(Protocol):
    """Something that can wait; tests pass a fake one so that retries never really sleep."""

    def sleep(self, seconds: float) -> None:
        """Block the current thread for ``seconds``."""

    async def async_sleep(self, seconds: float) -> None:
        """Suspend the current task for ``seconds``."""


class _SystemClock:
    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    async def async_sleep(self, seconds: float) -> None:
        import asyncio  # here, not at the top: importing the package need not cost asyncio's 15 ms

        await asyncio.sleep(seconds)


SYSTEM_CLOCK: Clock = _SystemClock()
"""The real clock, backed by :func:`time.sleep` and :func:`asyncio.sleep`."""
