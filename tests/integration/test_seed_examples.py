"""The documented examples, run as written against the loopback API.

The Python code blocks of the SDK guide and reference (``tests/support/seeds.py`` reads them), their
``fishaudio`` imports pointed at ``fishaudio_ext``, run in a temporary working directory, with
``FISH_API_KEY`` and ``FISH_BASE_URL`` set to the loopback server and a fake ``ffplay`` first on PATH.
Each must complete, and the audio it plays or saves must be audio the server sent.

Not run here: blocks using ``stream_websocket`` (the WebSocket tests cover those), and blocks using
``aiofiles`` unless it is installed (it is not a dependency of fishaudio-ext).
"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fishaudio_ext import FishAudio
from tests.support.examples import run
from tests.support.loopback_api import TEST_API_KEY, LoopbackAPI, audio_for, voice_entity
from tests.support.seeds import (
    EXPECTED_ERRORS,
    INPUT_FILE_NAMES,
    PLACEHOLDER_VOICE_ID,
    Example,
    http_examples,
    require_seeds,
)

require_seeds()
EXAMPLES = http_examples()
# What the examples read, as the loopback API expects to receive it.
INPUT_FILES = {
    "voice1.wav": b"RIFF-voice-one",
    "voice2.wav": b"RIFF-voice-two",
    "audio.mp3": b"ID3-some-speech",
}
assert tuple(INPUT_FILES) == INPUT_FILE_NAMES


# Examples that only define a function: call it as the surrounding text suggests.
def _use_cache(namespace: dict[str, Any], api: LoopbackAPI) -> None:
    first = namespace["get_or_generate_speech"]("Hello from the cache", "cached.mp3")
    again = namespace["get_or_generate_speech"]("Hello from the cache", "cached.mp3")
    assert first == again == audio_for("Hello from the cache")
    assert len(api.requests_to("POST", "/v1/tts")) == 1, "the second call should have read the cache"


def _generate_with_retry(namespace: dict[str, Any], api: LoopbackAPI) -> None:
    assert namespace["generate_with_retry"]("Retry me") == audio_for("Retry me")


FOLLOW_UPS: dict[str, Callable[[dict[str, Any], LoopbackAPI], None]] = {
    "Cache frequently used audio - sync": _use_cache,
    "Handle rate limits gracefully - sync": _generate_with_retry,
}


# What some examples must have sent, beyond completing.
def _sent_two_voice_samples(api: LoopbackAPI) -> None:
    (request,) = api.requests_to("POST", "/model")
    form = request.form()
    assert [part.data for part in form if part.name == "voices"] == [b"RIFF-voice-one", b"RIFF-voice-two"]
    assert [part.text for part in form if part.name == "tags"] == ["custom", "english"]
    assert {part.name: part.text for part in form}["title"] == "My Voice"


def _sent_the_audio_file(api: LoopbackAPI) -> None:
    (request,) = api.requests_to("POST", "/v1/asr")
    form = {part.name: part for part in request.form()}
    assert form["audio"].data == INPUT_FILES["audio.mp3"]
    assert form["language"].text == "en"


def _filtered_the_voices(api: LoopbackAPI) -> None:
    (request,) = api.requests_to("GET", "/model")
    assert request.query["language"] == ["en"]
    assert request.query["tag"] == ["male"]
    (tts,) = api.requests_to("POST", "/v1/tts")
    assert tts.payload()["reference_id"] in api.voices


WIRE_CHECKS: dict[str, Callable[[LoopbackAPI], None]] = {
    "reference VoicesClient.create - sync": _sent_two_voice_samples,
    "reference ASRClient.transcribe - sync": _sent_the_audio_file,
    "reference AsyncASRClient.transcribe - async": _sent_the_audio_file,
    "Finding Voice Models - sync": _filtered_the_voices,
    "Finding Voice Models - async": _filtered_the_voices,
}


def _served_audio(api: LoopbackAPI) -> set[bytes]:
    return {
        audio_for(request.payload()["text"], request.payload().get("format", "mp3"))
        for request in api.requests_to("POST", "/v1/tts")
        if request.status == 200
    }


def test_every_seed_has_examples() -> None:
    """Guards the extraction itself: a change of markup must not silently leave nothing to run."""
    names = [param.id for param in EXAMPLES]
    assert len(names) >= 30
    assert "Basic Usage - sync" in names
    assert "Basic Usage - async" in names
    assert "reference VoicesClient.create - sync" in names
    assert not any("WebSocket" in name for name in names)


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_runs(
    example: Example,
    api: LoopbackAPI,
    played: Callable[[], list[bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    for name, data in INPUT_FILES.items():
        (workdir / name).write_bytes(data)
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("FISH_API_KEY", TEST_API_KEY)
    monkeypatch.setenv("FISH_BASE_URL", api.url)
    api.voices[PLACEHOLDER_VOICE_ID] = voice_entity(PLACEHOLDER_VOICE_ID, "My Voice", ["custom"])
    namespace: dict[str, Any] = {"__name__": "__main__"}
    if "client =" not in example.source:
        # "Use with any client": the block relies on the client of the examples before it.
        namespace["client"] = FishAudio()

    # The examples never close their clients, as a short script need not: the sockets they leave open
    # are collected here, where their ResourceWarnings are expected, rather than in a later test.
    # (test_http_streaming checks that fishaudio_ext itself releases the connections of its streams.)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        run(example.source, namespace, filename=f"<{example.name}>")
        if example.name in FOLLOW_UPS:
            FOLLOW_UPS[example.name](namespace, api)
        namespace.clear()
        gc.collect()

    assert api.requests, "the example never reached the API"
    expected_status = EXPECTED_ERRORS.get(example.name)
    for request in api.requests:
        assert request.status is not None
        if request.status != expected_status:
            assert 200 <= request.status < 300, f"{request.method} {request.path} answered {request.status}"
    if example.name in WIRE_CHECKS:
        WIRE_CHECKS[example.name](api)
    served = _served_audio(api)
    if example.plays:
        assert played(), "nothing reached the player"
        assert all(audio in served for audio in played())
    written = [path for path in workdir.iterdir() if path.name not in INPUT_FILES]
    if example.writes_audio:
        assert written, "no audio file was written"
    for path in written:
        assert path.read_bytes() in served, f"{path.name} is not audio the server sent"
