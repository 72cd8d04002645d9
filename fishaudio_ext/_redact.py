"""Keep API keys out of logs and errors.

Every key a live client holds is remembered here. The log records of the libraries the client drives
(httpx, httpcore, websockets, aiohttp, asyncio, and this package's own) pass through :class:`KeyFilter`
before any handler sees them, and every exception built from what a server sent is cleaned with
:func:`redact` — a server may echo the ``Authorization`` header in a body, a header or a close reason.
"""

from __future__ import annotations

import logging
import re
import threading
import weakref
from collections.abc import Iterable
from typing import Final

REDACTED: Final = "[redacted]"

# Credentials of any origin (a proxy's, a key this process never saw) in an Authorization-style value.
_BEARER_TOKEN: Final = re.compile(r"\bbearer\s+[^\s\"',;\\]+", re.IGNORECASE)

# The loggers of every library a client drives. A filter on a logger sees each record created on it,
# before the record propagates to any handler, wherever that handler is attached.
LIBRARY_LOGGERS: Final = (
    "fishaudio_ext",
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "hpack",
    "h2",
    "websockets.client",
    "aiohttp.client",
    "aiohttp.internal",
    "aiohttp.websocket",
    "asyncio",
)

# Real keys are 32 characters long. A shorter one (a test's "k") is redacted only where it stands alone,
# so that it does not blot out every "k" of every message.
_MIN_ANYWHERE_LENGTH: Final = 8

# Reentrant: a garbage collection inside the lock may run a finalizer that forgets a key.
_lock = threading.RLock()
_owners: dict[str, int] = {}
"""How many live objects (client settings, WebSocket sessions) hold each key."""
_known_pattern: re.Pattern[str] | None = None


def _pattern(keys: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = [
        re.escape(key) if len(key) >= _MIN_ANYWHERE_LENGTH else rf"(?<![\w.-]){re.escape(key)}(?![\w.-])"
        for key in sorted(set(keys), key=len, reverse=True)  # longest first: a key may contain another
        if key
    ]
    return re.compile("|".join(alternatives)) if alternatives else None


def remember_key(api_key: str, owner: object) -> None:
    """Redact ``api_key`` from every log record of :data:`LIBRARY_LOGGERS` and every error while ``owner``
    (or another owner of the same key) is alive.

    Keys are forgotten with their owners, so that a process making a client per tenant does not make
    every log record slower with each key it ever used.
    """
    global _owners, _known_pattern
    with _lock:
        count = _owners.get(api_key, 0)
        # Replaced whole, never changed in place: a filter on another thread may be using them.
        _owners = {**_owners, api_key: count + 1}
        if count == 0:
            _known_pattern = _pattern(_owners)
            if len(_owners) == 1:
                for name in LIBRARY_LOGGERS:
                    logging.getLogger(name).addFilter(_FILTER)  # once: a filter is added only once
    weakref.finalize(owner, _forget_key, api_key)


def _forget_key(api_key: str) -> None:
    global _owners, _known_pattern
    with _lock:
        count = _owners.get(api_key, 0) - 1
        if count > 0:
            _owners = {**_owners, api_key: count}
            return
        _owners = {key: n for key, n in _owners.items() if key != api_key}
        _known_pattern = _pattern(_owners)


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every known key, every one of ``secrets`` and every bearer token replaced."""
    return _redacted_text(text, _pattern(secrets))


def _redacted_text(text: str, secrets: re.Pattern[str] | None) -> str:
    text = _BEARER_TOKEN.sub(f"Bearer {REDACTED}", text)
    for pattern in (_known_pattern, secrets):
        if pattern is not None:
            text = pattern.sub(REDACTED, text)
    return text


def redact(value: object, secrets: Iterable[str] = ()) -> object:
    """``value`` with :func:`redact_text` applied to every string (and bytes) inside lists, tuples and dicts.

    Used on decoded JSON and MessagePack, so dict keys are cleaned too; other objects are left as they are.
    A value with nothing to redact is returned itself, not a copy.
    """
    cleaned = _redacted(value, _pattern(secrets))
    return value if cleaned == value else cleaned


def _redacted(value: object, secrets: re.Pattern[str] | None) -> object:
    if isinstance(value, str):
        return _redacted_text(value, secrets)
    if isinstance(value, bytes):
        cleaned = _redacted_text(value.decode("utf-8", "surrogateescape"), secrets)
        return cleaned.encode("utf-8", "surrogateescape")
    if isinstance(value, dict):
        return {_redacted(key, secrets): _redacted(item, secrets) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_redacted(item, secrets) for item in value)
    return value


class KeyFilter(logging.Filter):
    """Rewrites a record that carries a key: its message is formatted and redacted, its traceback too."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it for the handler to report, as logging does
            return True
        cleaned = redact_text(message)
        if cleaned != message or _args_may_carry_key(record.args):
            # Handlers that keep the arguments (structured logging) must not find the key there either.
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Handlers format the traceback from exc_text when it is set: fill it in, cleaned.
            record.exc_text = redact_text(self._formatter.formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        return True


def _args_may_carry_key(args: object) -> bool:
    """Whether an argument holds a key, or is an object that might (a websockets frame holds the bytes
    the server sent, megabytes of audio that are not worth a repr just to look)."""
    values = args.values() if isinstance(args, dict) else args if isinstance(args, tuple) else ()
    for value in values:
        if isinstance(value, str):
            if redact_text(value) != value:
                return True
        elif value is not None and not isinstance(value, (int, float)):
            return True
    return False


_FILTER: Final = KeyFilter()
