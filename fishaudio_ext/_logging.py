"""The ``fishaudio_ext`` logger: what it says about each request and WebSocket session, and ``FISH_LOG``.

``FISH_LOG=info`` (or ``debug``) in the environment attaches a handler writing to stderr when the package is
imported, as ``OPENAI_LOG`` does for the OpenAI client, so no code is needed to see what a program sends.
Without it the logger is left to the application (``logging.getLogger("fishaudio_ext")``).

At INFO: one line per HTTP response (method, URL, status, elapsed milliseconds, the ``X-Generation-Id``,
the retry number), one per retry, and one per WebSocket session when it ends (frames, finish reason, close
code). At DEBUG also one line per request as it is sent, per WebSocket open, per frame received and per
utterance of a live session as it ends (time to first audio, audio, characters sent, finish reason).
Never the API key (the key filter of ``_redact`` cleans every record), never audio: frames are counted and
measured, and URL query values with secret-looking names are replaced.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from typing import TYPE_CHECKING, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from ._redact import REDACTED, KeyFilter

if TYPE_CHECKING:
    from ._live.state import UtteranceMetrics

log: Final = logging.getLogger("fishaudio_ext")

ENVIRONMENT_VARIABLE: Final = "FISH_LOG"
_LEVELS: Final = {"debug": logging.DEBUG, "info": logging.INFO}
_FORMAT: Final = "[%(asctime)s - %(name)s - %(levelname)s] %(message)s"
# Words that make a query parameter's value a secret, matched against the words of its name, so that
# "api_key", "access_token" and "X-Amz-Signature" are hidden and "author_id" or "page_size" are not.
_SECRET_WORDS: Final = frozenset(
    {
        "key",
        "apikey",
        "token",
        "secret",
        "signature",
        "sig",
        "password",
        "auth",
        "authorization",
        "credential",
    }
)
GENERATION_ID_HEADER: Final = "X-Generation-Id"


def setup_logging() -> None:
    """Turn the logger on at the level ``FISH_LOG`` names (``debug`` or ``info``); do nothing without it.

    Called once, when the package is imported. Another value is reported on stderr and otherwise ignored.
    """
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower()
    if not value:
        return
    level = _LEVELS.get(value)
    if level is None:
        print(
            f"fishaudio_ext: ignoring {ENVIRONMENT_VARIABLE}={value!r}: use 'debug' or 'info'",
            file=sys.stderr,
        )
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(KeyFilter())  # also before any client has registered its key
    log.addHandler(handler)
    log.setLevel(level)


def loggable_url(url: httpx.URL | str) -> str:
    """``url`` with the values of query parameters that look like secrets (``key``, ``token``...) replaced."""
    parts = urlsplit(str(url))
    if not parts.query:
        return str(url)
    query = [
        (name, REDACTED if _SECRET_WORDS.intersection(re.split(r"[^a-z]+", name.lower())) else value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query, safe="[]")))


def milliseconds_since(start: float) -> int:
    """Whole milliseconds since ``start``, a :func:`time.monotonic` reading."""
    return round((time.monotonic() - start) * 1000)


def log_request(request: httpx.Request, retries_taken: int) -> float:
    """Log a request about to be sent; returns the time to measure its answer from."""
    if log.isEnabledFor(logging.DEBUG):
        log.debug("HTTP %s %s sent (retry %d)", request.method, loggable_url(request.url), retries_taken)
    return time.monotonic()


def log_response(request: httpx.Request, response: httpx.Response, start: float, retries_taken: int) -> None:
    """Log the answer to ``request``: its status, how long it took and its generation id."""
    if log.isEnabledFor(logging.INFO):
        log.info(
            "HTTP %s %s -> %d in %d ms (generation %s, retry %d)",
            request.method,
            loggable_url(request.url),
            response.status_code,
            milliseconds_since(start),
            response.headers.get(GENERATION_ID_HEADER, "-"),
            retries_taken,
        )


def log_failure(request: httpx.Request, error: Exception, start: float, retries_taken: int) -> None:
    """Log a request that got no answer (the connection failed or timed out)."""
    if log.isEnabledFor(logging.INFO):
        log.info(
            "HTTP %s %s failed in %d ms: %s (retry %d)",
            request.method,
            loggable_url(request.url),
            milliseconds_since(start),
            type(error).__name__,
            retries_taken,
        )


class SessionLog:
    """What one WebSocket session logs: its opening, each frame received, and its end."""

    def __init__(self, url: str) -> None:
        self._url = loggable_url(url)
        self._start = time.monotonic()
        self._frames = 0
        self._audio_bytes = 0
        self._finish = "-"
        self._error = ""
        self._retries = 0

    def opened(self, retries_taken: int) -> None:
        """The handshake succeeded, after ``retries_taken`` failed attempts."""
        self._retries = retries_taken
        if log.isEnabledFor(logging.DEBUG):
            took = milliseconds_since(self._start)
            log.debug("WebSocket %s opened in %d ms (retry %d)", self._url, took, retries_taken)

    def received(self, event: object) -> None:
        """Count a frame, as ``read_frame`` decoded it: audio bytes, the finish event, or None."""
        self._frames += 1
        if isinstance(event, bytes):
            self._audio_bytes += len(event)
            kind = f"audio, {len(event)} bytes"
        elif event is not None:
            self._finish = str(getattr(event, "reason", "?"))
            kind = f"finish, reason {self._finish}"
        else:
            kind = "no audio"
        if log.isEnabledFor(logging.DEBUG):
            log.debug("WebSocket %s frame %d: %s", self._url, self._frames, kind)

    def failed(self, error: BaseException) -> None:
        """The session ends with ``error``; a finish event with another reason than ``stop`` is one."""
        event = getattr(error, "event", None)
        if isinstance(event, dict) and isinstance(event.get("reason"), str):
            self._frames += 1
            self._finish = event["reason"]
        self._error = f": {type(error).__name__}"

    def closed(self, close_code: int | None) -> None:
        """The connection is closed (``close_code`` None: it never completed a closing handshake)."""
        if log.isEnabledFor(logging.INFO):
            log.info(
                "WebSocket %s closed with code %s after %d frames (%d audio bytes) in %d ms"
                " (finish reason %s, retry %d)%s",
                self._url,
                "-" if close_code is None else close_code,
                self._frames,
                self._audio_bytes,
                milliseconds_since(self._start),
                self._finish,
                self._retries,
                self._error,
            )


def log_utterance(url: str, metrics: UtteranceMetrics) -> None:
    """Log what one utterance of a live session measured, at DEBUG."""
    if log.isEnabledFor(logging.DEBUG):
        first, seconds = metrics.time_to_first_audio_seconds, metrics.audio_seconds
        log.debug(
            "WebSocket %s utterance: first audio in %s, %s of audio (%d bytes), %d characters sent,"
            " finish reason %s%s",
            loggable_url(url),
            "-" if first is None else f"{round(first * 1000)} ms",
            "-" if seconds is None else f"{seconds:.2f} s",
            metrics.audio_bytes,
            metrics.characters_sent,
            metrics.finish_reason or "-",
            ", reused connection" if metrics.reused_connection else "",
        )
