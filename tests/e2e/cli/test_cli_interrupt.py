"""Ctrl-C (SIGINT) or ``kill`` (SIGTERM): a command stopped while it writes leaves no partial output file
and exits with status 130 or 143 (128 + the signal's number, as a shell reports it)."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from cli_run import FISHAUDIO, environment, leftovers

from fishaudio_ext.server import LocalServer

CHAPTER = " ".join(f"Sentence number {n} of a chapter that is read aloud." for n in range(1, 25))


def wait_for(condition: object, timeout: float = 30.0) -> None:
    """Poll ``condition()`` (an observable state, not a guess of how long it takes) until it holds."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the command never got there"
        time.sleep(0.01)


@pytest.mark.parametrize(
    ("stop", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"]
)
def test_stopping_a_long_tts_leaves_no_file(
    fish_audio_server: LocalServer, tmp_path: Path, stop: signal.Signals, status: int
) -> None:
    # The first piece is synthesized and written, the second is held: Ctrl-C comes half way.
    fish_audio_server.faults.delay(0.0, times=1, path="/v1/tts")
    fish_audio_server.faults.delay(120.0, path="/v1/tts")
    credit = fish_audio_server.credit()
    (tmp_path / "chapter.mp3").write_bytes(b"the previous version")
    command = [str(FISHAUDIO), "tts", CHAPTER, "-o", "chapter.mp3", "--concurrency", "1"]
    with subprocess.Popen(
        command, cwd=tmp_path, env=environment(fish_audio_server), stderr=subprocess.PIPE
    ) as process:
        try:
            wait_for(
                lambda: (
                    leftovers(tmp_path)
                    and fish_audio_server.credit() < credit  # the first piece was paid for
                    and fish_audio_server.in_flight() == 1
                )
            )
            process.send_signal(stop)
            assert process.wait(timeout=30) == status
        finally:
            process.kill()
            fish_audio_server.faults.clear()
        assert process.stderr is not None
        assert b"Traceback" not in process.stderr.read()
    assert leftovers(tmp_path) == []
    assert (tmp_path / "chapter.mp3").read_bytes() == b"the previous version"
