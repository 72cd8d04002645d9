"""The documented ``stream_websocket`` examples, run as written against a loopback ``/v1/tts/live``.

The code blocks that call ``stream_websocket`` are read at run time from the SDK guide and reference
(``../shared/seeds/000_*.txt`` and ``003_*.txt``, beside the repository; skipped when absent), their
``fishaudio`` imports pointed at ``fishaudio_ext``. Each runs in a temporary directory with
``FISH_API_KEY`` and ``FISH_BASE_URL`` aimed at the loopback server and a fake ``ffplay`` first on PATH.
A reference snippet written for an async context (a bare ``async with``) runs as a coroutine. Each must
complete; a block that plays must have delivered each session's audio to the player, including
the async ones that end ``main()`` with ``play(audio_stream)`` not awaited.
"""

from __future__ import annotations

import importlib.util
import re
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import LiveServer, spoken

from tests.support.examples import run
from tests.support.player import install_fake_player

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SOURCES = sorted(SEEDS.glob("000_*.txt")) + sorted(SEEDS.glob("003_*.txt"))
if not SOURCES:
    pytest.skip(f"the documentation seeds are not in {SEEDS}", allow_module_level=True)

# A fenced block, possibly indented (inside <CodeGroup> or a reference's Example section).
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```python[^\n]*\n(?P<code>.*?)^(?P=indent)```", re.MULTILINE | re.DOTALL
)


def examples() -> Iterator[Any]:
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        for number, match in enumerate(FENCE.finditer(text)):
            code = textwrap.dedent(match["code"])
            if "stream_websocket(" not in code or "def stream_websocket" in code:
                continue  # not an example of it, or a signature
            line = text.count("\n", 0, match.start()) + 1
            marks = []
            if "aiofiles" in code and importlib.util.find_spec("aiofiles") is None:
                marks.append(
                    pytest.mark.skip(reason="needs aiofiles, which fishaudio-ext does not depend on")
                )
            if "aiofiles." in code and "import aiofiles" not in code:
                code = "import aiofiles\n" + code  # the reference leaves it out
            code = re.sub(r"\bfishaudio\b", "fishaudio_ext", code)
            yield pytest.param(code, id=f"{source.name[:3]}-line{line}-block{number}", marks=marks)


@pytest.fixture
def player(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[bytes]]:
    return install_fake_player(tmp_path, monkeypatch)


@pytest.mark.parametrize("code", list(examples()))
def test_seed_example_runs(
    code: str,
    player: Callable[[], list[bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    with LiveServer().running() as server:
        monkeypatch.setenv("FISH_API_KEY", "seed-key")
        monkeypatch.setenv("FISH_BASE_URL", server.base_url)

        run(code)

    sessions = server.sessions
    if re.search(r"\bplay\(", code):
        assert sessions, "the example played nothing"
        assert sorted(player()) == sorted(spoken(session) for session in sessions)
    if "print(" in code:
        assert "Received audio chunk" in capsys.readouterr().out
    for session in sessions:
        assert session[0]["event"] == "start"
        assert session[-1] == {"event": "stop"}
    for headers in server.handshakes:  # the key from FISH_API_KEY, or the one the example passes
        assert headers["Authorization"] in ("Bearer seed-key", "Bearer ...")
    written = [path.read_bytes() for path in work.glob("output.*")]
    if written:
        assert sorted(written) == sorted(spoken(session) for session in sessions)
