"""Fixtures for end-to-end tests: the loopback Fish Audio API, and a fake ``ffplay`` on PATH."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator

import pytest
from loopback_api import LoopbackAPI


@pytest.fixture
def api() -> Iterator[LoopbackAPI]:
    """A fresh loopback API per test, on an ephemeral port of 127.0.0.1."""
    with LoopbackAPI() as server:
        yield server
    assert server.errors == [], "the loopback API failed while handling a request"


# Copies stdin to a new file, as ffplay would consume it, and exits 0 like ffplay -autoexit.
_FAKE_FFPLAY = """#!/bin/sh
exec cat > "$(mktemp "{directory}/played-XXXXXX")"
"""


@pytest.fixture
def played(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], list[bytes]]:
    """Put a fake ``ffplay`` first on PATH, so ``play()`` streams into it instead of a speaker.

    Returns a function that lists what it received: one ``bytes`` per run, everything written to its stdin.
    """
    bin_dir = tmp_path_factory.mktemp("bin")
    out_dir = tmp_path_factory.mktemp("played")
    ffplay = bin_dir / "ffplay"
    ffplay.write_text(_FAKE_FFPLAY.format(directory=out_dir))
    ffplay.chmod(ffplay.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return lambda: [path.read_bytes() for path in sorted(out_dir.glob("played-*"))]
