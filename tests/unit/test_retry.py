"""The pure retry policy: retryable statuses, Retry-After parsing, backoff delays, the clock."""

from __future__ import annotations

import time

import httpx
import pytest

from fishaudio_ext._constants import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY
from fishaudio_ext._retry import SYSTEM_CLOCK, Clock, is_retryable_status, parse_retry_after, retry_delay
from tests.support.clock import FakeClock

# Sun, 06 Nov 1994 08:49:37 GMT, the example date of RFC 9110.
NOW = 784111777.0


def fixed_now() -> float:
    return NOW


@pytest.mark.parametrize(
    ("status", "retryable"),
    [
        (400, False),
        (401, False),
        (402, False),
        (403, False),
        (404, False),
        (408, True),
        (409, True),
        (422, False),
        (429, True),
        (499, False),
        (500, True),
        (502, True),
        (503, True),
        (504, True),
        (599, True),
    ],
)
def test_is_retryable_status(status: int, retryable: bool) -> None:
    assert is_retryable_status(status) is retryable


@pytest.mark.parametrize("status", [400, 404, 409, 422, 500, 501, 502, 504, 599])
def test_a_change_is_not_retried_after_a_status_that_may_follow_the_work(status: int) -> None:
    assert is_retryable_status(status, idempotent=False) is False


@pytest.mark.parametrize("status", [408, 429, 503])
def test_a_change_is_retried_after_a_status_by_which_the_server_did_not_act(status: int) -> None:
    assert is_retryable_status(status, idempotent=False) is True


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250.5"}, 0.2505),
        ({"retry-after-ms": "0"}, 0.0),
        ({"retry-after-ms": "2000", "retry-after": "9"}, 2.0),  # milliseconds win
        ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),  # garbage milliseconds are skipped
        ({"Retry-After": "3"}, 3.0),  # any header case, even in a plain dict
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "1.25"}, 1.25),
        ({"retry-after": " 7 "}, 7.0),
        ({"retry-after": "60"}, 60.0),
        ({"retry-after": "Sun, 06 Nov 1994 08:50:07 GMT"}, 30.0),  # 30 s in the future
        ({"retry-after": "Sun, 06 Nov 1994 08:49:37 GMT"}, 0.0),  # now
        ({"retry-after": "Sun, 06 Nov 1994 08:49:47 -0000"}, 10.0),  # no zone information: UTC
        ({"retry-after": "Sun, 06 Nov 1994 09:49:47 +0100"}, 10.0),
        ({"retry-after": "Sun, 06 Nov 1994 08:49:07 GMT"}, None),  # in the past
        ({"retry-after": "Sun, 06 Nov 1994 08:55:00 GMT"}, None),  # too far in the future
        ({"retry-after": "Mon, 32 Nov 1994 08:49:37 GMT"}, None),  # no such day
        ({"retry-after": "Sun, 06 Nov 99999 08:49:37 GMT"}, None),
        ({"retry-after": "61"}, None),
        ({"retry-after": "3600"}, None),
        ({"retry-after": "1" + "0" * 400}, None),
        ({"retry-after": "-1"}, None),
        ({"retry-after": ""}, None),
        ({"retry-after": "abc"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "1e1"}, None),
        ({"retry-after": "1_0"}, None),
        ({"retry-after-ms": "-5"}, None),
        ({"retry-after-ms": "60001"}, None),
        ({"retry-after-ms": "Infinity"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers, now=fixed_now) == expected
    assert parse_retry_after(httpx.Headers(headers), now=fixed_now) == expected


def test_parse_retry_after_uses_the_wall_clock_by_default() -> None:
    in_ten_seconds = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 10))

    seconds = parse_retry_after({"retry-after": in_ten_seconds})

    assert seconds is not None
    assert 8 <= seconds <= 10


def test_retry_after_wins_over_backoff() -> None:
    assert retry_delay(5, retry_after=12.5, random=lambda: 0.9) == 12.5
    assert retry_delay(0, retry_after=0.0) == 0.0


@pytest.mark.parametrize(
    ("retries_taken", "base"),
    [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 8.0), (60, 8.0), (10**9, 8.0), (-3, 0.5)],
)
def test_backoff_doubles_up_to_the_cap_with_bounded_jitter(retries_taken: int, base: float) -> None:
    assert retry_delay(retries_taken, retry_after=None, random=lambda: 0.0) == base
    assert retry_delay(retries_taken, retry_after=None, random=lambda: 0.5) == base * 0.875
    assert retry_delay(retries_taken, retry_after=None, random=lambda: 0.999999) == pytest.approx(base * 0.75)


def test_backoff_with_real_randomness_stays_in_bounds() -> None:
    for retries_taken in range(10):
        delay = retry_delay(retries_taken, retry_after=None)
        assert 0.75 * INITIAL_RETRY_DELAY <= delay <= MAX_RETRY_DELAY


def test_constants() -> None:
    assert (INITIAL_RETRY_DELAY, MAX_RETRY_DELAY, MAX_RETRY_AFTER) == (0.5, 8.0, 60.0)


async def test_a_fake_clock_satisfies_the_protocol() -> None:
    clock: Clock = FakeClock()

    clock.sleep(1.5)
    await clock.async_sleep(2.5)

    assert isinstance(clock, FakeClock)
    assert clock.delays == [1.5, 2.5]


async def test_system_clock_sleeps() -> None:
    SYSTEM_CLOCK.sleep(0)
    await SYSTEM_CLOCK.async_sleep(0)
