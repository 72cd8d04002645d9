"""The README's main job: scripts/demo synthesizes speech through the full stack on the local server."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from fishaudio_ext.server._codecs import probe
from tests.support.hearing import heard, word_error_rate

ROOT = Path(__file__).resolve().parents[2]
# What the demo says (scripts/demo.py), in words a recognizer knows: "fishaudio-ext" is none.
SAID = (
    "hello from this sentence was synthesized through the typed client streamed chunk by chunk "
    "and saved without ever holding the whole file in memory"
)
LIVE_SAID = "real time speech arrives while the text is still being written"
FILES = (("convert.mp3", 44100, SAID), ("stream.wav", 24000, SAID), ("live.opus", 48000, LIVE_SAID))


def _demo(output: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("FISH_API_KEY", "FISH_BASE_URL")}
    return subprocess.run(
        [str(ROOT / "scripts/demo"), "--output", str(output), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_demo_speaks_its_words_with_the_embedded_server(tmp_path: Path) -> None:
    result = _demo(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "embedded local server" in result.stdout
    assert "Speech engine: espeak" in result.stdout
    for name, sample_rate, said in FILES:
        path = tmp_path / name
        assert str(path) in result.stdout
        audio = path.read_bytes()
        info = probe(audio)
        assert info is not None, f"{name} does not decode"
        assert info.sample_rate == sample_rate
        hearing = heard(audio, said)
        assert word_error_rate(said, hearing) <= 0.5, f"{name}: heard {hearing!r}"


def test_the_check_hears_no_words_in_the_fast_engines_tones(tmp_path: Path) -> None:
    result = _demo(tmp_path, "--engine", "fast")
    assert result.returncode == 0, result.stderr
    assert "Speech engine: fast" in result.stdout
    for name, _, said in FILES:
        assert word_error_rate(said, heard((tmp_path / name).read_bytes(), said)) >= 0.9
