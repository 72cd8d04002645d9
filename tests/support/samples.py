"""Response bodies shaped like the API's, for tests that play the server."""

from __future__ import annotations

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
