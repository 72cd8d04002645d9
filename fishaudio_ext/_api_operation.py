"""One row of the operations table (``_api_operations.py``, generated from the spec)."""

from __future__ import annotations

from typing import Literal, NamedTuple

ResponseKind = Literal["json", "audio", "events", "empty"]


class Operation(NamedTuple):
    """One operation of the spec: where it goes, what it sends and answers, and whether a replay is safe."""

    id: str
    method: str
    path: str
    request_media_type: str | None
    """The body type the client sends, or None when the operation takes no body."""
    response: ResponseKind
    """What a success carries: a JSON document, audio bytes, Server-Sent Events, or nothing."""
    idempotent: bool
    """Safe to send again after a lost response: a GET, or an operation the spec marks ``x-replay-safe``."""
