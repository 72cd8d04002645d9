"""A 2xx answer that is not what the spec declares is an APIResponseValidationError, never a result.

Over real sockets: a captive portal's login page or a JSON error sent with 200 where audio belongs, and
JSON objects whose values have the wrong JSON type or break the spec's bounds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fishaudio_ext import APIResponseValidationError
from fishaudio_ext.utils import save
from tests.support.calls import close, make_client, resolve
from tests.support.hostile_http import HostileHTTPServer, Reply, answer, json_answer
from tests.support.samples import PACKAGE, VOICE

LOGIN_PAGE = b"<!doctype html><html><head><title>Sign in to the Wi-Fi</title></head><body>...</body></html>"
AUDIO = b"ID3\x04\x00" + bytes(range(256)) * 8
AUDIO_CALLS: dict[str, Callable[[Any], Any]] = {
    "tts.convert": lambda client: client.tts.convert(text="Hello"),
    "tts.stream": lambda client: client.tts.stream(text="Hello"),
}


async def outcome(is_async: bool, reply: Reply, call: Callable[[Any], Any]) -> Any:
    """What ``call`` returned, or the exception it raised, against a server answering ``reply``."""
    with HostileHTTPServer(reply) as server:
        client = make_client(is_async, base_url=server.url, max_retries=0)
        try:
            return await resolve(call(client))
        except Exception as error:
            return error
        finally:
            await close(client)


# --- audio ---------------------------------------------------------------------------------------------

NOT_AUDIO = {
    "login page": answer(200, LOGIN_PAGE, headers={"Content-Type": "text/html; charset=utf-8"}),
    "json error": json_answer(200, {"status": 402, "message": "Insufficient credit"}),
    "plain text": answer(200, b"Service temporarily unavailable", headers={"Content-Type": "text/plain"}),
}


@pytest.mark.parametrize("operation", sorted(AUDIO_CALLS))
@pytest.mark.parametrize("case", sorted(NOT_AUDIO))
async def test_a_200_that_is_not_audio_is_refused(is_async: bool, operation: str, case: str) -> None:
    error = await outcome(is_async, NOT_AUDIO[case], AUDIO_CALLS[operation])

    assert isinstance(error, APIResponseValidationError), error
    assert error.status == 200
    assert "/v1/tts" in str(error)
    assert "audio/mpeg" in str(error)


@pytest.mark.parametrize("operation", sorted(AUDIO_CALLS))
async def test_a_login_page_is_never_saved_as_audio(is_async: bool, operation: str, tmp_path: Path) -> None:
    target = tmp_path / "hello.mp3"

    async def save_audio(client: Any) -> None:
        save(await resolve(AUDIO_CALLS[operation](client)), target)

    error = await outcome(is_async, NOT_AUDIO["login page"], save_audio)

    assert isinstance(error, APIResponseValidationError)
    assert files_in(tmp_path) == []  # neither the target nor a temporary file


def files_in(directory: Path) -> list[Path]:
    return list(directory.iterdir())


AUDIO_TYPES = [
    "audio/mpeg",
    "audio/mpeg; charset=binary",
    "AUDIO/WAV",
    "audio/ogg",
    "application/octet-stream",
    "audio/x-wav",
    "audio/opus",
]


@pytest.mark.parametrize("operation", sorted(AUDIO_CALLS))
@pytest.mark.parametrize("content_type", [*AUDIO_TYPES, None])
async def test_audio_of_a_declared_type_or_unlabelled_is_accepted(
    is_async: bool, operation: str, content_type: str | None
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    audio = await outcome(is_async, answer(200, AUDIO, headers=headers), AUDIO_CALLS[operation])

    assert audio == AUDIO


# --- JSON ----------------------------------------------------------------------------------------------

JSON_CALLS: dict[str, tuple[Callable[[Any], Any], dict[str, Any]]] = {
    "voices.list": (lambda client: client.voices.list(), {"total": 1, "items": [VOICE], "has_more": False}),
    "voices.get": (lambda client: client.voices.get("v1"), VOICE),
    "account.get_package": (lambda client: client.account.get_package(), PACKAGE),
}
WRONG_VALUES: dict[str, tuple[str, dict[str, Any], str]] = {
    "negative total": ("voices.list", {"total": -1}, "total is -1, below the minimum 0"),
    "NaN total": ("voices.list", {"total": math.nan}, "not JSON"),
    "infinite total": ("voices.list", {"total": math.inf}, "not JSON"),
    "boolean total": ("voices.list", {"total": True}, "total is true, expected integer"),
    "fractional total": ("voices.list", {"total": 1.5}, "total is 1.5, expected integer"),
    "text has_more": ("voices.list", {"has_more": "yes"}, 'has_more is "yes", expected boolean or null'),
    "numeric has_more": ("voices.list", {"has_more": 1}, "has_more is 1, expected boolean or null"),
    "negative count in an item": (
        "voices.list",
        {"items": [{**VOICE, "like_count": -3}]},
        "items[0].like_count is -3, below the minimum 0",
    ),
    "boolean count": ("voices.get", {"task_count": False}, "task_count is false, expected integer"),
    "numeric title": ("voices.get", {"title": 7}, "title is 7, expected string"),
    "tags not a list": ("voices.get", {"tags": "male"}, 'tags is "male", expected array'),
    "numeric tag": ("voices.get", {"tags": ["en", 1]}, "tags[1] is 1, expected string"),
    "boolean package total": ("account.get_package", {"total": True}, "total is true, expected integer"),
    "negative package total": ("account.get_package", {"total": -5}, "total is -5, below the minimum 0"),
}


@pytest.mark.parametrize("case", sorted(WRONG_VALUES))
async def test_a_json_value_the_spec_does_not_allow_is_refused(is_async: bool, case: str) -> None:
    operation, change, expected = WRONG_VALUES[case]
    call, body = JSON_CALLS[operation]
    error = await outcome(is_async, json_answer(200, {**body, **change}), call)

    assert isinstance(error, APIResponseValidationError), error
    assert expected in str(error)
    assert len(str(error)) < 600


@pytest.mark.parametrize("operation", sorted(JSON_CALLS))
async def test_json_sent_as_a_web_page_is_refused(is_async: bool, operation: str) -> None:
    call, body = JSON_CALLS[operation]
    reply = json_answer(200, body, headers={"Content-Type": "text/html"})
    error = await outcome(is_async, reply, call)

    assert isinstance(error, APIResponseValidationError)
    assert "text/html" in str(error)


@pytest.mark.parametrize("operation", sorted(JSON_CALLS))
async def test_a_body_of_the_spec_is_accepted(is_async: bool, operation: str) -> None:
    call, body = JSON_CALLS[operation]
    result = await outcome(is_async, json_answer(200, body), call)

    assert not isinstance(result, Exception), result
