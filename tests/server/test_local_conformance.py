"""``assert_conforms`` itself: what it accepts and what it refuses."""

from __future__ import annotations

import httpx
import pytest

from fishaudio_ext.server import assert_conforms


def _response(
    status: int, content: bytes = b"", content_type: str | None = None, **headers: str
) -> httpx.Response:
    if content_type is not None:
        headers["content-type"] = content_type
    return httpx.Response(status, content=content, headers=headers)


def test_accepts_documented_answers() -> None:
    assert_conforms(
        "GET",
        "/model/abc",
        _response(404, b'{"status": 404, "message": "Model not found"}', "application/json"),
    )
    assert_conforms("POST", "/v1/tts", _response(200, b"ID3...", "audio/mpeg"))
    assert_conforms(
        "POST", "/v1/tts", _response(503, b'{"status": 503, "message": "busy"}', "application/json")
    )
    assert_conforms("DELETE", "/model/abc", _response(200))
    too_many = _response(429, b'{"status": 429, "message": "x"}', "application/json", **{"retry-after": "1"})
    assert_conforms("GET", "/model", too_many)
    assert_conforms(
        "GET", "/model?page_size=3", _response(200, b'{"total": 0, "items": []}', "application/json")
    )
    event = (
        b'data: {"audio_base64": "", "content": "", "alignment": null, "chunk_seq": 0,'
        b' "chunk_audio_offset_sec": 0}\n\n'
    )
    assert_conforms("POST", "/v1/tts/stream/with-timestamp", _response(200, event, "text/event-stream"))


@pytest.mark.parametrize(
    ("method", "path", "response", "problem"),
    [
        ("GET", "/nowhere", _response(200), "not an operation"),
        ("GET", "/model/abc", _response(418), "does not document status 418"),
        ("GET", "/model/abc", _response(200, b"{}", "application/json"), "does not match the spec"),
        ("GET", "/model/abc", _response(200, b"{}", "text/html"), "documented as application/json"),
        ("GET", "/model/abc", _response(200, b"not json", "application/json"), "is not JSON"),
        ("DELETE", "/model/abc", _response(200, b"{}", "application/json"), "documents no body"),
        (
            "POST",
            "/v1/tts/stream/with-timestamp",
            _response(200, b'data: {"chunk_seq": -1}\n\n', "text/event-stream"),
            "event 0",
        ),
        ("GET", "/wallet/self/package", _response(200, b'{"user_id": 1}', "application/json"), "user_id"),
    ],
)
def test_refuses_what_the_spec_does_not_document(
    method: str, path: str, response: httpx.Response, problem: str
) -> None:
    with pytest.raises(AssertionError, match=problem):
        assert_conforms(method, path, response)
