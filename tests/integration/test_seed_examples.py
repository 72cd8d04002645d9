"""The documented examples, run as written against the loopback API.

The Python code blocks of the SDK guide (``seeds/000_*.txt``) and the ``Example:`` blocks of the SDK
reference (``seeds/003_*.txt``) are read at run time from ``../shared``, beside the repository. Their
``fishaudio`` imports are pointed at ``fishaudio_ext`` and they run in a temporary working directory, with
``FISH_API_KEY`` and ``FISH_BASE_URL`` set to the loopback server and a fake ``ffplay`` first on PATH.
Each must complete, and the audio it plays or saves must be audio the server sent.

Not run here: blocks using ``stream_websocket`` (the WebSocket tests cover those), and blocks using
``aiofiles`` unless it is installed (it is not a dependency of fishaudio-ext).
"""

from __future__ import annotations

import ast
import asyncio
import gc
import importlib.util
import inspect
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from loopback_api import TEST_API_KEY, LoopbackAPI, audio_for, voice_entity

from fishaudio_ext import FishAudio

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
GUIDE = sorted(SEEDS.glob("000_*.txt"))
REFERENCE = sorted(SEEDS.glob("003_*.txt"))
if not GUIDE or not REFERENCE:
    pytest.skip(f"the documentation seeds are not in {SEEDS}", allow_module_level=True)

HAVE_AIOFILES = importlib.util.find_spec("aiofiles") is not None

# The reference's placeholder id stands for one of the reader's own voices; the guide's error-handling
# example keeps its unknown "voice_id", since the point there is the error.
PLACEHOLDER_VOICE_ID = "voice_id_here"
# Files the examples open for reading, as a reader would have them in their working directory.
INPUT_FILES = {
    "voice1.wav": b"RIFF-voice-one",
    "voice2.wav": b"RIFF-voice-two",
    "audio.mp3": b"ID3-some-speech",
}


@dataclass(frozen=True)
class Example:
    name: str
    source: str
    """The code, its imports pointed at fishaudio_ext."""

    @property
    def plays(self) -> bool:
        return re.search(r"\bplay\(", self.source) is not None

    @property
    def writes_audio(self) -> bool:
        return re.search(r"\bsave\(|open\([^)]*\"wb\"\)", self.source) is not None


# A fence opens with ```python (and maybe a label such as "Synchronous") and closes at the same indent.
_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```python(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)```", re.MULTILINE | re.DOTALL
)
_GUIDE_HEADING = re.compile(
    r"^#{2,4} (?P<heading>.+)$|<Accordion[^>]*\btitle=\"(?P<accordion>[^\"]+)\"", re.MULTILINE
)
_REFERENCE_ANCHOR = re.compile(r'<a id="fishaudio\.[\w.]*?\.(?P<name>\w+\.\w+)"></a>')
_IMPORT = re.compile(r"^(?P<head>[ \t]*(?:from|import)[ \t]+)fishaudio(?=[ \t.])", re.MULTILINE)
# The reference's snippets leave out the imports a reader of the page already has.
_REFERENCE_PRELUDE = "from fishaudio import AsyncFishAudio, FishAudio\n"


def _for_fishaudio_ext(code: str) -> str:
    """Point ``from fishaudio ...`` / ``import fishaudio ...`` lines, and only those, at fishaudio_ext."""
    return _IMPORT.sub(r"\g<head>fishaudio_ext", code)


def _dedent(body: str, indent: str) -> str:
    return "\n".join(line.removeprefix(indent) for line in body.splitlines()) + "\n"


def _flavour(info: str, code: str) -> str:
    label = info.split()[0] if info.split() else ""
    if label in ("Synchronous", "Asynchronous"):
        return "sync" if label == "Synchronous" else "async"
    return "async" if re.search(r"\bawait\b|asyncio\.run", code) else "sync"


def _guide_examples(text: str) -> list[tuple[str, str]]:
    found = []
    for fence in _FENCE.finditer(text):
        heading = list(_GUIDE_HEADING.finditer(text, 0, fence.start()))[-1]
        code = _dedent(fence["body"], fence["indent"])
        title = heading["heading"] or heading["accordion"]
        found.append((f"{title} - {_flavour(fence['info'], code)}", code))
    return found


def _reference_examples(text: str) -> list[tuple[str, str]]:
    found = []
    for fence in _FENCE.finditer(text):
        if not text[: fence.start()].rstrip().endswith("**Example**:"):
            continue
        anchor = list(_REFERENCE_ANCHOR.finditer(text, 0, fence.start()))[-1]
        code = _dedent(fence["body"], fence["indent"])
        code = _REFERENCE_PRELUDE + ("import aiofiles\n" if "aiofiles." in code else "") + code
        found.append((f"reference {anchor['name']} - {_flavour('', code)}", code))
    return found


def _collect() -> list[Any]:
    named = _guide_examples(GUIDE[0].read_text()) + _reference_examples(REFERENCE[0].read_text())
    params: list[Any] = []
    seen: dict[str, int] = {}
    for name, code in named:
        if "stream_websocket" in code:
            continue  # the WebSocket tests cover these
        seen[name] = seen.get(name, 0) + 1
        unique = name if seen[name] == 1 else f"{name} #{seen[name]}"
        marks = []
        if "aiofiles" in code and not HAVE_AIOFILES:
            reason = "uses aiofiles, which is not a dependency of fishaudio-ext and is not installed"
            marks.append(pytest.mark.skip(reason=reason))
        params.append(pytest.param(Example(unique, _for_fishaudio_ext(code)), id=unique, marks=marks))
    return params


EXAMPLES = _collect()


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
# Examples whose point is an API error: the server answers 400 for their placeholder voice id.
EXPECTED_ERRORS = {"Error Handling - sync": 400}


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


def run_example(example: Example, namespace: dict[str, Any]) -> None:
    """Run an example in ``namespace``; async examples (top-level await, a coroutine) to completion."""
    code = compile(example.source, f"<{example.name}>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, namespace)  # the reference's async examples use top-level await
    if inspect.iscoroutine(result):
        asyncio.run(result)


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
        run_example(example, namespace)
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
