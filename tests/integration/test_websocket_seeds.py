"""The documented ``stream_websocket`` examples, run as written against a loopback ``/v1/tts/live``.

The code blocks of the SDK guide and reference that call ``stream_websocket`` (``tests/support/seeds.py``
reads them; skipped when absent), their ``fishaudio`` imports pointed at ``fishaudio_ext``. Each runs in
a temporary directory with ``FISH_API_KEY`` and ``FISH_BASE_URL`` aimed at the loopback server and a fake
``ffplay`` first on PATH.
A reference snippet written for an async context (a bare ``async with``) runs as a coroutine. Each must
complete; a block that plays must have delivered each session's audio to the player, including
the async ones that end ``main()`` with ``play(audio_stream)`` not awaited.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.examples import run
from tests.support.live_server import LiveServer, spoken
from tests.support.player import install_fake_player
from tests.support.seeds import require_seeds, websocket_examples

require_seeds()


@pytest.fixture
def player(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[bytes]]:
    return install_fake_player(tmp_path, monkeypatch)


@pytest.mark.parametrize("code", list(websocket_examples()))
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
