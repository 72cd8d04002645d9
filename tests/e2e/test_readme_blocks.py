"""Every Python block of the README, run as written against ``LocalServer``.

Each block runs in a fresh ``__main__`` namespace, in a temporary working directory, with
``FISH_API_KEY`` and ``FISH_BASE_URL`` set to the local server (as a reader's environment would hold
their key) and a stand-in ``ffplay`` first on PATH, so ``play()`` needs no audio device. The convention
for a block that builds on the one before it: its first line is the comment ``# continues the example
above``, and it runs in the namespace the previous block left. The working directory holds the files
the blocks read as the reader's own: ``script.txt``, ``chapter-1.txt``, and ``sample.wav`` and
``speech.mp3``, speech the server synthesized (so that it can transcribe them). A block that defines
pytest tests (``def test_...(fish_audio_client)``) has each of them called with the fixtures it names.

The README's shell blocks are covered elsewhere: ``scripts/demo`` by ``tests/e2e/test_demo.py``,
``fishaudio serve`` by ``tests/server/test_local_cli.py``, the "Command line" commands by
``tests/e2e/cli/test_cli_readme.py``, ``scripts/spec-drift`` by
``tests/conformance/test_upstream_drift.py``; ``scripts/test`` is the suite itself.
"""

from __future__ import annotations

import gc
import inspect
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fishaudio_ext import FishAudio
from fishaudio_ext.server import LocalServer
from tests.support.examples import run
from tests.support.player import install_fake_player

README = Path(__file__).resolve().parents[2] / "README.md"
CONTINUES = "# continues the example above"
FENCE = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
SPEECH = "What the sample says."


def chains() -> list[Any]:
    """The README's Python blocks, each with the blocks before it that it continues."""
    text = README.read_text(encoding="utf-8")
    found: list[list[tuple[int, str]]] = []
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if match[1].startswith(CONTINUES):
            assert found, f"README line {line} continues no block"
            found.append([*found[-1], (line, match[1])])
        else:
            found.append([(line, match[1])])
    return [pytest.param(chain, id=f"line {chain[-1][0]}") for chain in found]


CHAINS = chains()


def test_the_readme_has_python_blocks() -> None:
    assert len(CHAINS) >= 20


@pytest.fixture
def player(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[bytes]]:
    return install_fake_player(tmp_path, monkeypatch)


@pytest.fixture
def reader(fish_audio_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with the reader's files, and their key in the environment."""
    workdir = tmp_path / "work"
    workdir.mkdir()
    with FishAudio(base_url=fish_audio_server.url, api_key=fish_audio_server.api_key) as client:
        (workdir / "sample.wav").write_bytes(client.tts.convert(text=SPEECH, format="wav"))
        (workdir / "speech.mp3").write_bytes(client.tts.convert(text=SPEECH, format="mp3"))
    (workdir / "script.txt").write_text("Welcome to the show. Tonight, a story about the sea.\n")
    (workdir / "chapter-1.txt").write_text(
        "Chapter one. The tide came in slowly.\n\nBy morning the harbour was full of boats.\n"
    )
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("FISH_API_KEY", fish_audio_server.api_key)
    monkeypatch.setenv("FISH_BASE_URL", fish_audio_server.url)
    return workdir


def call_tests(namespace: dict[str, Any], request: pytest.FixtureRequest) -> int:
    """Call each ``test_*`` function the block defined with the fixtures its parameters name."""
    tests = [value for name, value in namespace.items() if name.startswith("test_") and callable(value)]
    for test in tests:
        test(**{name: request.getfixturevalue(name) for name in inspect.signature(test).parameters})
    return len(tests)


@pytest.mark.parametrize("chain", CHAINS)
def test_readme_block_runs(
    chain: list[tuple[int, str]],
    reader: Path,
    player: Callable[[], list[bytes]],
    request: pytest.FixtureRequest,
) -> None:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    # Like a short script, a block need not close what it opened; its sockets are collected here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        for line, code in chain:
            run(code, namespace, filename=f"README.md, block at line {line}")
        if "def test_" in chain[-1][1]:
            assert call_tests(namespace, request) >= 1
        namespace.clear()
        gc.collect()

    code = "".join(code for _, code in chain)
    if re.search(r"\bplay\(", code):
        assert player(), "the block played nothing"
        assert all(player()), "the player got no audio"
