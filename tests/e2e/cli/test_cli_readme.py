"""The commands of the README's "Command line" section, run as written (one shell line each, in order)
against the local server, with the files they read made by it and a stand-in ffplay for ``--play``."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import srt
from cli_run import FISHAUDIO, audio, environment

from fishaudio_ext import FishAudio
from fishaudio_ext.server import LocalServer
from tests.support.player import install_fake_player

README = Path(__file__).resolve().parents[3] / "README.md"


def commands() -> list[str]:
    section = README.read_text(encoding="utf-8").split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"^```bash\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_s_commands_run_as_written(
    fish_audio_server: LocalServer,
    fish_audio_client: FishAudio,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "player").mkdir()
    played = install_fake_player(tmp_path / "player", monkeypatch)
    (tmp_path / "chapter-1.txt").write_text("A chapter, read aloud. " * 40, encoding="utf-8")
    for name, said in (("sample.wav", "A sample of my voice."), ("speech.mp3", "What the speech says.")):
        (tmp_path / name).write_bytes(bytes(fish_audio_client.tts.convert(text=said, format=name[-3:])))
    env = environment(fish_audio_server)
    env["PATH"] = f"{FISHAUDIO.parent}{os.pathsep}{env['PATH']}"  # as in an activated environment

    listed = commands()
    assert len(listed) >= 10
    printed = {}
    for line in listed:
        result = subprocess.run(["bash", "-c", line], capture_output=True, cwd=tmp_path, env=env, timeout=60)
        assert (result.returncode, result.stderr) == (0, b""), line
        printed[line.split("#")[0].strip()] = result.stdout.decode()

    for name in ("hello.mp3", "piped.wav", "clip.wav", "chapter-1.mp3", "reply.mp3"):
        assert audio((tmp_path / name).read_bytes()).duration > 0.5, name
    assert list(srt.parse((tmp_path / "clip.srt").read_text(encoding="utf-8")))
    assert sorted(path.name for path in (tmp_path / "designs").iterdir()) == [
        "candidate-1.wav",
        "candidate-2.wav",
    ]
    assert [cue.content for cue in srt.parse((tmp_path / "speech.srt").read_text())] == [
        "What the speech says."
    ]
    assert len(played()) == 1
    mine = json.loads(printed["fishaudio voices list --mine --json"])
    assert [voice["title"] for voice in mine] == ["My narrator"]
    assert printed["fishaudio credits"].startswith("credit: USD")
