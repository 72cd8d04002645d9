"""A stand-in for ``ffplay``: ``play()`` finds it first on PATH and it keeps what it was given."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

FAKE_FFPLAY = """#!{python}
import os, sys, tempfile
fd, _ = tempfile.mkstemp(prefix="played-", dir={out_dir!r})
with os.fdopen(fd, "wb") as out:
    out.write(sys.stdin.buffer.read())
"""


def install_fake_player(directory: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[bytes]]:
    """Put a fake ffplay in ``directory`` first on PATH; returns what each of its runs was given."""
    if sys.platform == "win32":
        pytest.skip("the fake player is a POSIX script")
    bin_dir, out_dir = directory / "bin", directory / "played"
    bin_dir.mkdir()
    out_dir.mkdir()
    script = bin_dir / "ffplay"
    script.write_text(FAKE_FFPLAY.format(python=sys.executable, out_dir=str(out_dir)))
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return lambda: [path.read_bytes() for path in out_dir.iterdir()]
