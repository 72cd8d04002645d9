"""The ``fishaudio`` command run as users run it: its installed script in a subprocess, against the session's
``LocalServer`` (the ``fish_audio_server`` fixture, reset before each test), in a directory of its own."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_run import FISHAUDIO, Run, environment

from fishaudio_ext.server import LocalServer


@pytest.fixture
def fishaudio(fish_audio_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run ``fishaudio ARGS`` in ``tmp_path`` (also the test's working directory) against the server."""
    monkeypatch.chdir(tmp_path)

    def run(
        *args: str, input: bytes | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [str(FISHAUDIO), *args],
            input=b"" if input is None else input,
            capture_output=True,
            cwd=tmp_path,
            env=environment(fish_audio_server, **(env or {})),
            timeout=60,
        )

    return run
