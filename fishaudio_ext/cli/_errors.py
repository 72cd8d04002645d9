"""How a failed command ends: one line on stderr, ``ClassName: message — hint``, and its exit status."""

from __future__ import annotations

from typing import Final

from ..exceptions import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ValidationError,
)
from ._parser import USAGE, UsageError

FAILED: Final = 1
# 128 + the signal's number, as a shell reports a command the signal stopped.
INTERRUPTED: Final = 130  # SIGINT: Ctrl-C
TERMINATED: Final = 143  # SIGTERM: `kill`, a CI runner's or a service manager's stop
READER_GONE: Final = 141  # SIGPIPE: stdout's reader closed the pipe
_KEY_HINT: Final = "set FISH_API_KEY or pass --api-key"
# The first class that matches gives the hint (a ReferenceNotFoundError is a NotFoundError too).
_HINTS: Final[tuple[tuple[type[BaseException], str], ...]] = (
    (AuthenticationError, _KEY_HINT),
    (PaymentRequiredError, "check the balance with `fishaudio credits`"),
    (PermissionDeniedError, "the key may not do this; check the voice's owner and visibility"),
    (NotFoundError, "check the id (`fishaudio voices list --mine` lists your voices)"),
    (RateLimitError, "too many requests at once for this key; wait, or lower --concurrency"),
    (APIConnectionError, "check the network and --base-url"),
)


def hint(error: BaseException) -> str | None:
    """What to do about ``error``, when the command line can say more than the message."""
    if isinstance(error, ConfigurationError) and "API key" in str(error):
        return _KEY_HINT
    if isinstance(error, ConfigurationError) and "base_url" in str(error):
        return "check --base-url or FISH_BASE_URL"
    return next((text for kind, text in _HINTS if isinstance(error, kind)), None)


def status_of(error: BaseException) -> int:
    """2 for what the command line asked wrongly (checked before sending), 1 for the rest."""
    if isinstance(error, UsageError | ConfigurationError):
        return USAGE
    if isinstance(error, ValidationError) and not isinstance(error, APIError):
        return USAGE
    return FAILED


def one_line(error: BaseException) -> str:
    """``ClassName: message — hint``, on one line whatever the message holds."""
    message = " ".join(_message(error).split()) or "failed"
    if isinstance(error, UsageError):
        return f"error: {message}"
    advice = hint(error)
    line = f"{type(error).__name__}: {message}"
    return f"{line} — {advice}" if advice else line


def _message(error: BaseException) -> str:
    """An OSError as ``file: reason``, without its ``[Errno N]``; any other error as it says."""
    if isinstance(error, OSError) and error.strerror and error.filename is not None:
        return f"{error.filename}: {error.strerror}"
    return str(error)
