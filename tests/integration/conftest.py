"""Fixtures for end-to-end tests: the loopback Fish Audio API, and a fake ``ffplay`` on PATH."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.support.loopback_api import LoopbackAPI
from tests.support.player import install_fake_player


@pytest.fixture
def api() -> Iterator[LoopbackAPI]:
    """A fresh loopback API per test, on an ephemeral port of 127.0.0.1."""
    with LoopbackAPI() as server:
        yield server
    assert server.errors == [], "the loopback API failed while handling a request"


@pytest.fixture
def played(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], list[bytes]]:
    """Put a fake ``ffplay`` first on PATH, so ``play()`` streams into it instead of a speaker.

    Returns a function that lists what it received: one ``bytes`` per run, everything written to its stdin.
    """
    return install_fake_player(tmp_path_factory.mktemp("player"), monkeypatch)
