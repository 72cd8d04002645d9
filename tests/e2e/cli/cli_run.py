"""Running the installed ``fishaudio`` script against a ``LocalServer``, and reading what it wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Protocol

from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._codecs import AudioInfo, probe

FISHAUDIO = Path(sys.executable).with_name("fishaudio")


class Run(Protocol):
    def __call__(
        self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]: ...


def environment(server: LocalServer, **extra: str) -> dict[str, str]:
    """The caller's environment with the server's address and key, no FISH_* settings, no warning filters."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("FISH_")}
    return {**env, "FISH_API_KEY": server.api_key, "FISH_BASE_URL": server.url, "PYTHONWARNINGS": "", **extra}


def ok(result: subprocess.CompletedProcess[bytes]) -> str:
    """stdout of a run that succeeded and printed nothing on stderr."""
    assert (result.returncode, result.stderr.decode()) == (0, "")
    return result.stdout.decode()


def failed(result: subprocess.CompletedProcess[bytes], status: int) -> str:
    """The one line a failed run printed on stderr (it printed nothing on stdout, and no traceback)."""
    stderr = result.stderr.decode()
    assert result.returncode == status, stderr
    assert result.stdout == b""
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1, stderr
    return stderr.strip()


def audio(data: bytes) -> AudioInfo:
    """What ``data`` decodes to; fails if it is not audio."""
    info = probe(data)
    assert info is not None, f"not audio: {data[:16]!r}"
    return info


def leftovers(directory: Path) -> list[str]:
    """Files in ``directory`` that a complete or interrupted write should not leave: temporary ones."""
    return sorted(path.name for path in directory.iterdir() if path.name.endswith(".part"))
