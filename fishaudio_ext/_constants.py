"""Library-wide defaults: where requests go, how long they may take and how often they are retried."""

from __future__ import annotations

from typing import Final

from fishaudio_api.facts import SERVER_URL

DEFAULT_BASE_URL: Final = SERVER_URL

# Connecting should be quick; reading may legitimately take minutes for long syntheses, so the read
# timeout matches the generous 10-minute default of the SDKs users compare us with.
DEFAULT_CONNECT_TIMEOUT: Final = 5.0
DEFAULT_READ_TIMEOUT: Final = 600.0

DEFAULT_MAX_RETRIES: Final = 2
INITIAL_RETRY_DELAY: Final = 0.5
MAX_RETRY_DELAY: Final = 8.0
# A server asking us to wait longer than this is better answered with an error than a silent stall.
MAX_RETRY_AFTER: Final = 60.0

# Bodies are measured as they are decoded. JSON answers are small (a page of 100 voices is some 100 KiB);
# the largest legitimate ones carry base64 audio (voice design), well under this. Past it the call fails.
MAX_JSON_BODY_BYTES: Final = 32 * 1024 * 1024
# Of an error answer only this much is read (enough to parse a JSON error with a long message, whose
# message is then cut to a few lines).
MAX_ERROR_BODY_BYTES: Final = 1024 * 1024
