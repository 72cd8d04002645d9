"""The documented examples, run as written against ``LocalServer`` instead of a scripted stand-in.

The examples are those of ``tests/support/seeds.py`` (skipped when the seeds are absent).
The server needs real audio where the examples read files: ``voice1.wav``, ``voice2.wav`` and
``audio.mp3`` in the working directory are speech it synthesized. The reference's placeholder voice id
becomes a voice cloned for the test, and its ``api_key="..."`` is a key the server accepts, the same one
``FISH_API_KEY`` holds, so that all examples act for one reader. Whatever an example plays or saves must
be exactly audio the server sent.
"""

from __future__ import annotations

import gc
import re
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from e2e_samples import Samples

from fishaudio_ext import FishAudio
from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._codecs import probe
from tests.support.examples import run
from tests.support.player import install_fake_player
from tests.support.seeds import (
    EXPECTED_ERRORS,
    INPUT_FILE_NAMES,
    PLACEHOLDER_VOICE_ID,
    Example,
    http_examples,
    require_seeds,
    websocket_examples,
)

require_seeds()
EXAMPLES = http_examples()

READER_KEY = "..."
"""The key the reference's examples pass; accepted by the server for these tests."""
SPEECH = "Speech in the audio file, for the transcription examples."


@pytest.fixture
def player(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[bytes]]:
    """A fake ffplay first on PATH; returns what each of its runs was given."""
    return install_fake_player(tmp_path, monkeypatch)


@pytest.fixture
def reader(
    fish_audio_server: LocalServer, samples: Samples, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A working directory with the reader's files and environment; returns the placeholder voice's id."""
    fish_audio_server.add_api_key(READER_KEY)
    workdir = tmp_path / "work"
    workdir.mkdir()
    with FishAudio(base_url=fish_audio_server.url, api_key=READER_KEY) as client:
        voice = client.voices.create(title="My Voice", voices=[samples.first_wav], tags=["custom"])
        speech = client.tts.convert(text=SPEECH, format="mp3")
    inputs = {"voice1.wav": samples.first_wav, "voice2.wav": samples.second_wav, "audio.mp3": speech}
    assert set(inputs) == set(INPUT_FILE_NAMES), "the examples read other files now"
    for name, data in inputs.items():
        (workdir / name).write_bytes(data)
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("FISH_API_KEY", READER_KEY)
    monkeypatch.setenv("FISH_BASE_URL", fish_audio_server.url)
    return voice.id


def served(server: LocalServer, audio: bytes) -> bool:
    return server.context.recall_audio(audio) is not None


def check_output(server: LocalServer, played: list[bytes], plays: bool, writes: bool) -> None:
    """What reached the player and the files written must be audio the server sent, whole."""
    if plays:
        assert played, "nothing reached the player"
    assert all(served(server, audio) for audio in played), "the player got audio the server did not send"
    written = [path for path in Path.cwd().iterdir() if path.name not in INPUT_FILE_NAMES]
    if writes:
        assert written, "no audio file was written"
    for path in written:
        assert served(server, path.read_bytes()), f"{path.name} is not audio the server sent"


# What some examples must have done on the server, beyond completing.
def _cached(namespace: dict[str, Any], server: LocalServer) -> None:
    before = server.credit(READER_KEY)
    first = namespace["get_or_generate_speech"]("Hello from the cache", "cached.mp3")
    again = namespace["get_or_generate_speech"]("Hello from the cache", "cached.mp3")
    assert first == again
    assert before - server.credit(READER_KEY) == Decimal("0.000015") * len("Hello from the cache")


def _retried(namespace: dict[str, Any], server: LocalServer) -> None:
    assert served(server, namespace["generate_with_retry"]("Retry me"))


def _created_the_clone(namespace: dict[str, Any], server: LocalServer) -> None:
    with FishAudio(base_url=server.url, api_key=READER_KEY) as client:
        voice = client.voices.get(namespace["voice"].id)
    assert (voice.title, voice.tags, voice.description) == (
        "My Voice",
        ["custom", "english"],
        "Custom voice clone",
    )
    assert len(voice.samples) == 2


def _transcribed(namespace: dict[str, Any], server: LocalServer) -> None:
    assert namespace["result"].text == SPEECH
    assert [segment.text for segment in namespace["result"].segments] == SPEECH.split()


FOLLOW_UPS: dict[str, Callable[[dict[str, Any], LocalServer], None]] = {
    "Cache frequently used audio - sync": _cached,
    "Handle rate limits gracefully - sync": _retried,
    "reference VoicesClient.create - sync": _created_the_clone,
    "reference ASRClient.transcribe - sync": _transcribed,
    "reference AsyncASRClient.transcribe - async": _transcribed,
}


def test_follow_ups_name_existing_examples() -> None:
    names = {param.id for param in EXAMPLES}
    assert set(FOLLOW_UPS) <= names
    assert set(EXPECTED_ERRORS) <= names


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_runs_locally(
    example: Example,
    reader: str,
    fish_audio_server: LocalServer,
    player: Callable[[], list[bytes]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = example.source.replace(PLACEHOLDER_VOICE_ID, reader)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    if "client =" not in source:
        namespace["client"] = FishAudio()  # "Use with any client": the client of the examples before it
    # The examples never close their clients, as a short script need not; their sockets are collected here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        run(source, namespace, filename=f"<{example.name}>")
        if example.name in FOLLOW_UPS:
            FOLLOW_UPS[example.name](namespace, fish_audio_server)
        namespace.clear()
        gc.collect()

    if example.name in EXPECTED_ERRORS:
        # The server's 400 "Reference not found" reached the example's `except NotFoundError:` handler.
        assert "Voice model not found" in capsys.readouterr().out
    check_output(fish_audio_server, player(), example.plays, example.writes_audio)


@pytest.mark.parametrize("code", list(websocket_examples()))
def test_websocket_example_runs_locally(
    code: str,
    reader: str,
    fish_audio_server: LocalServer,
    player: Callable[[], list[bytes]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(code)

    plays = re.search(r"\bplay\(", code) is not None
    check_output(fish_audio_server, player(), plays, writes=False)
    if "print(" in code:
        assert "Received audio chunk" in capsys.readouterr().out
    for path in Path.cwd().glob("output.*"):
        info = probe(path.read_bytes())
        assert info is not None
        assert info.format == {".mp3": "mp3", ".wav": "wav"}[path.suffix]
