"""What the ``fishaudio_ext`` logger says about requests and WebSocket sessions, against the local server:
one line per request and response, per retry, per session; never the key, never audio."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest
from local_wire import KEY

from fishaudio_ext import AsyncFishAudio, FishAudio, NotFoundError, WebSocketError
from fishaudio_ext._logging import loggable_url
from fishaudio_ext.server import LocalServer

TEXT = "Every request and every session leaves one line in the log."
RESPONSE = re.compile(
    r"^HTTP (?P<method>[A-Z]+) (?P<url>\S+) -> (?P<status>\d{3}) in (?P<ms>\d+) ms"
    r" \(generation (?P<generation>\S+), retry (?P<retry>\d+)\)$"
)
SESSION_END = re.compile(
    r"^WebSocket (?P<url>\S+) closed with code (?P<code>\S+) after (?P<frames>\d+) frames"
    r" \((?P<audio>\d+) audio bytes\) in \d+ ms \(finish reason (?P<reason>\S+), retry (?P<retry>\d+)\)"
    r"(: (?P<error>\w+))?$"
)


def messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "fishaudio_ext"]


def matches(pattern: re.Pattern[str], caplog: pytest.LogCaptureFixture) -> list[re.Match[str]]:
    return [m for m in map(pattern.match, messages(caplog)) if m]


def assert_clean(caplog: pytest.LogCaptureFixture, audio: bytes) -> None:
    """No record carries the key or any audio."""
    for record in caplog.records:
        text = record.getMessage()
        assert KEY not in text
        assert "Bearer" not in text
        assert len(text) < 300  # lines, not payloads
        assert audio[100:116].hex() not in text
        assert repr(audio[100:116])[2:-1] not in text


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="fishaudio_ext")
    return caplog


def test_one_line_per_request_and_response(
    client: FishAudio, server: LocalServer, debug_log: pytest.LogCaptureFixture
) -> None:
    audio = client.tts.convert(text=TEXT)
    client.voices.list(page_size=3)

    responses = matches(RESPONSE, debug_log)
    assert [(m["method"], m["url"], m["status"], m["retry"]) for m in responses] == [
        ("POST", f"{server.url}/v1/tts", "200", "0"),
        ("GET", f"{server.url}/model?page_size=3&page_number=1&self=false&sort_by=task_count", "200", "0"),
    ]
    assert re.fullmatch(r"[0-9a-f]{32}", responses[0]["generation"])  # from X-Generation-Id
    assert responses[1]["generation"] == "-"  # listing voices generates nothing
    assert f"HTTP POST {server.url}/v1/tts sent (retry 0)" in messages(debug_log)
    assert_clean(debug_log, audio)


async def test_async_requests_are_logged_the_same_way(
    async_client: AsyncFishAudio, server: LocalServer, debug_log: pytest.LogCaptureFixture
) -> None:
    audio = await async_client.tts.convert(text=TEXT)
    (response,) = matches(RESPONSE, debug_log)
    assert (response["method"], response["url"], response["status"]) == (
        "POST",
        f"{server.url}/v1/tts",
        "200",
    )
    assert_clean(debug_log, audio)


def test_each_attempt_has_its_retry_number(server: LocalServer, debug_log: pytest.LogCaptureFixture) -> None:
    server.faults.fail(503, times=1, path="/v1/tts", retry_after=0)
    with FishAudio(api_key=KEY, base_url=server.url, max_retries=2) as client:
        audio = client.tts.convert(text=TEXT)
    assert [(m["status"], m["retry"]) for m in matches(RESPONSE, debug_log)] == [("503", "0"), ("200", "1")]
    assert any(line.startswith("Retrying POST") for line in messages(debug_log))
    assert_clean(debug_log, audio)


def test_an_error_answer_is_logged_before_it_is_raised(
    client: FishAudio, server: LocalServer, debug_log: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(NotFoundError):
        client.voices.get("0" * 32)
    ((status, url),) = [(m["status"], m["url"]) for m in matches(RESPONSE, debug_log)]
    assert (status, url) == ("404", f"{server.url}/model/{'0' * 32}")


def test_a_websocket_session_logs_open_frames_finish_and_close(
    client: FishAudio, debug_log: pytest.LogCaptureFixture
) -> None:
    chunks = list(client.tts.stream_websocket(iter([TEXT])))
    audio = b"".join(chunks)

    lines = messages(debug_log)
    assert any(
        re.match(r"WebSocket ws://\S+/v1/tts/live opened in \d+ ms \(retry 0\)$", line) for line in lines
    )
    audio_frames = [line for line in lines if re.search(r" frame \d+: audio, \d+ bytes$", line)]
    assert len(audio_frames) == len(chunks)
    (end,) = matches(SESSION_END, debug_log)
    assert (end["code"], end["reason"], end["retry"]) == ("1000", "stop", "0")
    assert int(end["frames"]) == len(chunks) + 1  # and the finish event
    assert int(end["audio"]) == len(audio)
    assert_clean(debug_log, audio)


def test_a_retried_websocket_handshake_has_its_retry_number(
    server: LocalServer, debug_log: pytest.LogCaptureFixture
) -> None:
    server.faults.fail(503, times=1, path="/v1/tts/live", retry_after=0)
    with FishAudio(api_key=KEY, base_url=server.url, max_retries=2) as client:
        client.tts.stream_websocket(iter([TEXT])).collect()
    (end,) = matches(SESSION_END, debug_log)
    assert (end["code"], end["reason"], end["retry"]) == ("1000", "stop", "1")
    assert any(line.startswith("Retrying the WebSocket handshake") for line in messages(debug_log))


async def test_an_async_websocket_session_that_fails_logs_why(
    async_client: AsyncFishAudio, debug_log: pytest.LogCaptureFixture
) -> None:
    async def text() -> AsyncIterator[str]:
        yield TEXT

    with pytest.raises(WebSocketError):
        await async_client.tts.stream_websocket(text(), reference_id="f" * 32).collect()
    (end,) = matches(SESSION_END, debug_log)
    # The unknown voice is named by its own class, a WebSocketError like every failed session.
    assert (end["code"], end["reason"], end["error"]) == ("1008", "error", "ReferenceNotFoundError")


async def test_an_async_websocket_session_logs_its_end(
    async_client: AsyncFishAudio, debug_log: pytest.LogCaptureFixture
) -> None:
    async def text() -> AsyncIterator[str]:
        yield TEXT

    audio = await async_client.tts.stream_websocket(text()).collect()
    (end,) = matches(SESSION_END, debug_log)
    assert (end["code"], end["reason"], end["error"]) == ("1000", "stop", None)
    assert int(end["audio"]) == len(audio)
    assert_clean(debug_log, audio)


def test_query_values_that_look_like_secrets_are_hidden() -> None:
    url = "https://proxy.example/model?api_key=abc&access_token=t0k&author_id=me&X-Amz-Signature=s1g&apiKey=k"
    assert loggable_url(url) == (
        "https://proxy.example/model?api_key=[redacted]&access_token=[redacted]&author_id=me"
        "&X-Amz-Signature=[redacted]&apiKey=[redacted]"
    )
    assert loggable_url("https://api.fish.audio/v1/tts") == "https://api.fish.audio/v1/tts"


_PROGRAM = """
import sys
from fishaudio_ext import FishAudio
with FishAudio(api_key=sys.argv[1], base_url=sys.argv[2]) as client:
    client.tts.stream_websocket(iter(["Logged without a line of logging code."])).collect()
    client.tts.convert(text="Logged without a line of logging code.")
# A URL that carries the key (a misconfigured proxy path): the line is logged, the key is not.
with FishAudio(api_key=sys.argv[1], base_url=f"{sys.argv[2]}/{sys.argv[1]}", max_retries=0) as client:
    try:
        client.voices.list()
    except Exception:
        pass
"""


@pytest.mark.parametrize(("level", "debug_lines"), [("info", False), ("DEBUG", True)])
def test_fish_log_turns_the_logger_on_without_code(
    server: LocalServer, level: str, debug_lines: bool
) -> None:
    environment = {**os.environ, "FISH_LOG": level}
    run = subprocess.run(
        [sys.executable, "-c", _PROGRAM, KEY, server.url],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    stderr = run.stderr.splitlines()
    assert any(f"INFO] HTTP POST {server.url}/v1/tts -> 200 in " in line for line in stderr)
    assert any("INFO] WebSocket ws://" in line and "closed with code 1000" in line for line in stderr)
    assert any("DEBUG]" in line for line in stderr) is debug_lines
    assert any(f"INFO] HTTP GET {server.url}/[redacted]/model?" in line for line in stderr)
    assert KEY not in run.stderr


def test_without_fish_log_nothing_is_written(server: LocalServer) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "FISH_LOG"}
    run = subprocess.run(
        [sys.executable, "-c", _PROGRAM, KEY, server.url],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert run.stderr == ""


def test_an_unknown_fish_log_value_is_reported() -> None:
    run = subprocess.run(
        [sys.executable, "-c", "import fishaudio_ext"],
        env={**os.environ, "FISH_LOG": "verbose"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert run.stderr == "fishaudio_ext: ignoring FISH_LOG='verbose': use 'debug' or 'info'\n"
