"""The README's main job: scripts/demo synthesizes speech through the full stack on the local server."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from fishaudio_ext.server._codecs import probe

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_writes_playable_audio_with_the_embedded_server(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("FISH_API_KEY", "FISH_BASE_URL")}
    result = subprocess.run(
        [str(ROOT / "scripts/demo"), "--output", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "embedded local server" in result.stdout
    for name, sample_rate in (("convert.mp3", 44100), ("stream.wav", 24000), ("live.opus", 48000)):
        path = tmp_path / name
        assert str(path) in result.stdout
        info = probe(path.read_bytes())
        assert info is not None, f"{name} does not decode"
        assert info.sample_rate == sample_rate
        assert info.duration > 2.0
