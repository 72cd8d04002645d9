"""The id that every synthesis and transcription response carries in its ``X-Generation-Id`` header."""

from __future__ import annotations

import uuid

from fishaudio_api.facts import GENERATION_ID_HEADER


def generation_headers() -> dict[str, str]:
    """Response headers naming one new generation (users quote the id in support requests)."""
    return {GENERATION_ID_HEADER: uuid.uuid4().hex}
