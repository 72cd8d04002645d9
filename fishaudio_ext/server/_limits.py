"""The per-key concurrency limit of the hosted API (the spec's ``TooManyRequests`` ``x-concurrent-requests``).

The limit counts requests in progress, streamed responses until their last byte; it is not a rate.
"""

from __future__ import annotations

import threading
from typing import Final

from fishaudio_api.facts import CONCURRENT_REQUESTS_PER_KEY

DEFAULT_CONCURRENCY: Final = CONCURRENT_REQUESTS_PER_KEY


class ConcurrencyLimiter:
    """Counts each key's requests in flight and refuses those beyond ``limit``.

    Thread-safe; :meth:`wait_for` lets a test block until the server holds a given number of requests.
    """

    def __init__(self, limit: int = DEFAULT_CONCURRENCY) -> None:
        self.limit = limit
        self._counts: dict[str, int] = {}
        self._changed = threading.Condition()

    def try_acquire(self, key: str) -> bool:
        """Take a slot for ``key``; False when it already has ``limit`` requests in flight."""
        with self._changed:
            if self._counts.get(key, 0) >= self.limit:
                return False
            self._counts[key] = self._counts.get(key, 0) + 1
            self._changed.notify_all()
            return True

    def release(self, key: str) -> None:
        """Give back a slot taken by :meth:`try_acquire`."""
        with self._changed:
            left = self._counts.get(key, 0) - 1
            if left > 0:
                self._counts[key] = left
            else:
                self._counts.pop(key, None)
            self._changed.notify_all()

    def in_flight(self, key: str | None = None) -> int:
        """Requests in flight for ``key``, or for all keys."""
        with self._changed:
            return self._counts.get(key, 0) if key is not None else sum(self._counts.values())

    def wait_for(self, count: int, *, key: str | None = None, timeout: float = 10.0) -> bool:
        """Block until ``count`` requests are in flight (for ``key``, or in all); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self._in_flight(key) >= count, timeout)

    def wait_for_idle(self, *, key: str | None = None, timeout: float = 10.0) -> bool:
        """Block until no request is in flight (for ``key``, or in all); False on timeout.

        A client can read a whole response before the server has released its slot, so this, not an
        immediate :meth:`in_flight`, tells a test that the server is done.
        """
        with self._changed:
            return self._changed.wait_for(lambda: self._in_flight(key) == 0, timeout)

    def _in_flight(self, key: str | None) -> int:
        return self._counts.get(key, 0) if key is not None else sum(self._counts.values())
