"""Fault injection: make the next requests fail, hang, or break off mid-stream, so tests can exercise a
client's error handling, retries and timeouts against a real server.

Faults are set from Python (``server.faults.fail(503)``) or over HTTP (``POST /_local/faults``) and are
consumed by the requests they match. Every method is thread-safe: tests set faults from their own
thread while the server's event loop consumes them.

Example::

    server.faults.fail(503, times=2, path="/v1/tts")   # the next two TTS requests get 503
    server.faults.delay(1.5)                           # every request waits 1.5 s, until cleared
    server.faults.drop(after_chunks=3)                 # the next stream breaks off after 3 chunks
    server.faults.clear()                              # forget all, and release waiting requests
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import math
import threading
from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs
from fishaudio_api.facts import LIVE_TTS_PATH

from ._errors import reason_phrase

FaultKind = Literal["fail", "delay", "drop", "websocket_finish_error"]
LIVE_PATH: Final = LIVE_TTS_PATH


@attrs.frozen
class Failure:
    """The response a ``fail`` fault answers with."""

    status: int
    body: Any
    retry_after: str | None

    @property
    def headers(self) -> dict[str, str]:
        """``Retry-After`` when one was asked for."""
        return {} if self.retry_after is None else {"Retry-After": self.retry_after}


@attrs.define
class Fault:
    """One injected fault: what it does, which requests it hits, and how many more times.

    ``path`` is a shell-style pattern (``/model/*``); None matches every path. ``times`` None means
    "until cleared".
    """

    kind: FaultKind
    path: str | None = None
    method: str | None = None
    times: int | None = 1
    status: int | None = None
    body: Any = None
    retry_after: str | None = None
    seconds: float | None = None
    after: int | None = None

    def matches(self, kind: FaultKind, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        return (
            self.kind == kind
            and (self.method is None or self.method.upper() == method.upper())
            and (self.path is None or fnmatch.fnmatchcase(path, self.path))
        )

    def to_dict(self) -> dict[str, Any]:
        """The fault as the admin endpoint lists it (unset fields left out)."""
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}


# Every field of a fault is checked before it is stored: a fault is consumed on the server's event loop and
# listed as JSON, where a bad value would fail every request it matches instead of the call that set it.


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_times(times: int | None) -> None:
    if times is not None and (not _is_whole(times) or times < 1):
        raise ValueError(f"times must be a positive whole number or None, got {times!r}")


def _check_count(name: str, value: object) -> None:
    if not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        raise ValueError(f"{name} must be a whole number, 0 or more, got {value!r}")


def _check_seconds(name: str, value: object) -> None:
    if (
        not isinstance(value, (int, float))
        or isinstance(value, bool)
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValueError(f"{name} must be a finite number of seconds, 0 or more, got {value!r}")


def _check_text(name: str, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string or None, got {value!r}")
    value.encode("utf-8")  # UnicodeEncodeError (a ValueError) for lone surrogates


def _check_target(path: str | None, method: str | None) -> None:
    _check_text("path", path)
    _check_text("method", method)


def _check_json(body: Any) -> None:
    try:
        json.dumps(body, allow_nan=False, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValueError(f"body must be JSON (finite numbers, valid strings): {exc}") from None


class Faults:
    """The fault registry of one server."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    # --- setting faults (tests, the admin endpoint) --------------------------------------------------

    def fail(
        self,
        status: int,
        *,
        times: int | None = 1,
        path: str | None = None,
        method: str | None = None,
        body: Any = None,
        retry_after: float | str | None = None,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` and ``body``.

        ``body`` defaults to ``{"status": status, "message": <reason phrase>}``; a ``str`` body is sent as
        plain text, anything else as JSON. ``retry_after`` adds a ``Retry-After`` header.
        """
        if not _is_whole(status) or not 400 <= status <= 599:
            raise ValueError(f"status must be an error status (400-599), got {status!r}")
        _check_times(times)
        _check_target(path, method)
        _check_json(body)
        if isinstance(retry_after, str):
            if not retry_after.isprintable() or not retry_after.isascii():
                raise ValueError(f"retry_after must be printable ASCII, got {retry_after!r}")
        elif retry_after is not None:
            _check_seconds("retry_after", retry_after)
        if body is None:
            body = {"status": status, "message": reason_phrase(status)}
        header = None if retry_after is None else _header_value(retry_after)
        self._add(Fault("fail", path, method, times, status=status, body=body, retry_after=header))

    def delay(
        self, seconds: float, *, times: int | None = None, path: str | None = None, method: str | None = None
    ) -> None:
        """Hold matching requests ``seconds`` before handling them (all of them until cleared, by default).

        A held request counts against the concurrency limit, so held requests make the next one get 429.
        :meth:`clear` releases the requests still waiting. On ``/v1/tts/live`` the handshake is answered at
        once and the session's first audio frame is held instead.
        """
        _check_seconds("seconds", seconds)
        _check_times(times)
        _check_target(path, method)
        self._add(Fault("delay", path, method, times, seconds=seconds))

    def drop(self, *, after_chunks: int, times: int | None = 1, path: str | None = None) -> None:
        """Break the connection of the next matching response after ``after_chunks`` body chunks.

        The chunked body is never terminated: the client sees the connection close mid-body (httpx raises
        ``RemoteProtocolError``), not a clean end. ``after_chunks=0`` closes right after the headers. On
        ``/v1/tts/live`` the chunks are audio frames, and the TCP connection closes without a close frame
        (at the end of the session at the latest).
        """
        _check_count("after_chunks", after_chunks)
        _check_times(times)
        _check_target(path, None)
        self._add(Fault("drop", path, None, times, after=after_chunks))

    def websocket_finish_error(
        self, *, after_frames: int, times: int | None = 1, path: str = LIVE_PATH
    ) -> None:
        """End the next WebSocket stream with ``{"event": "finish", "reason": "error"}`` after
        ``after_frames`` audio frames (read by the ``/v1/tts/live`` endpoint with
        :meth:`take_websocket_finish_error`)."""
        _check_count("after_frames", after_frames)
        _check_times(times)
        _check_target(path, None)
        self._add(Fault("websocket_finish_error", path, None, times, after=after_frames))

    def add(self, spec: Mapping[str, Any]) -> None:
        """Add a fault described as JSON, the admin endpoint's form::

        {"kind": "fail", "status": 503, "times": 2, "path": "/v1/tts", "retry_after": 1}
        {"kind": "delay", "seconds": 2}
        {"kind": "drop", "after_chunks": 3}
        {"kind": "websocket_finish_error", "after_frames": 2}

        Raises ValueError (or TypeError) for anything else, and then stores nothing.
        """
        if not isinstance(spec, Mapping):
            raise TypeError(f"a fault is a JSON object, not {type(spec).__name__}")
        options = dict(spec)
        kind = options.pop("kind", None)
        if kind == "fail":
            self.fail(options.pop("status", None), **options)
        elif kind == "delay":
            self.delay(options.pop("seconds", None), **options)
        elif kind == "drop":
            self.drop(**options)
        elif kind == "websocket_finish_error":
            self.websocket_finish_error(**options)
        else:
            raise ValueError(f"unknown fault kind {kind!r}: use fail, delay, drop or websocket_finish_error")

    def clear(self) -> None:
        """Remove every fault and wake the requests a delay is holding."""
        with self._lock:
            self._faults.clear()
            waiters = list(self._waiters)
        for loop, event in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)

    def active(self) -> list[Fault]:
        """The faults not used up yet, oldest first."""
        with self._lock:
            return [attrs.evolve(fault) for fault in self._faults]

    # --- consuming faults (the server) ---------------------------------------------------------------

    def take(self, kind: FaultKind, method: str, path: str) -> Fault | None:
        """Use up one application of the oldest fault of ``kind`` matching a request, if any."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(kind, method, path):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    return attrs.evolve(fault)
        return None

    def take_failure(self, method: str, path: str) -> Failure | None:
        """The failure to answer this request with, if a ``fail`` fault matches."""
        fault = self.take("fail", method, path)
        if fault is None or fault.status is None:
            return None
        return Failure(fault.status, fault.body, fault.retry_after)

    def take_delay(self, method: str, path: str) -> float | None:
        """Seconds to hold this request, if a ``delay`` fault matches."""
        fault = self.take("delay", method, path)
        return None if fault is None else fault.seconds

    def take_drop(self, method: str, path: str) -> int | None:
        """Body chunks to send before breaking this response off, if a ``drop`` fault matches."""
        fault = self.take("drop", method, path)
        return None if fault is None else fault.after

    def take_websocket_finish_error(self, path: str = LIVE_PATH) -> int | None:
        """Audio frames to send before ``finish``/``error`` on this WebSocket, if such a fault matches.

        For the ``/v1/tts/live`` endpoint: call once per session, when the ``start`` event arrives.
        """
        fault = self.take("websocket_finish_error", "GET", path)
        return None if fault is None else fault.after

    async def pause(self, seconds: float) -> None:
        """Wait ``seconds``, or less if :meth:`clear` is called meanwhile."""
        waiter = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter[1].wait(), seconds)
        except asyncio.TimeoutError:
            pass
        finally:
            with self._lock:
                self._waiters.discard(waiter)

    def _add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)


def _header_value(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)
