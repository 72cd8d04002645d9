"""Response bodies shaped like the API's, and a helper to finish any client call, for the client tests."""

from __future__ import annotations

import inspect
from typing import Any

from fishaudio_ext import AsyncAudioStream, AudioStream

STAMP = {"created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-02T00:00:00Z"}
VOICE = {
    "_id": "v1",
    "type": "tts",
    "title": "Adrian",
    "state": "trained",
    "tags": [],
    "visibility": "public",
    "like_count": 0,
    "mark_count": 0,
    "shared_count": 0,
    "task_count": 0,
    "author": {"_id": "u1", "nickname": "fish", "avatar": ""},
    **STAMP,
}
PACKAGE = {"user_id": "u1", "type": "pro", "total": 100, "balance": 42, **STAMP}


async def resolve(value: Any) -> Any:
    """Await the async twin's result; read a stream to the end so that the call is complete."""
    value = await value if inspect.isawaitable(value) else value
    if isinstance(value, AudioStream):
        return value.collect()
    if isinstance(value, AsyncAudioStream):
        return await value.collect()
    return value
