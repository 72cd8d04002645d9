"""``fishaudio live``: stdin spoken line by line as it arrives through one live session, to a file, stdout
or the player; Ctrl-C leaves no partial file."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest
from cli_run import FISHAUDIO, Run, audio, environment, failed, leftovers, ok

from fishaudio_ext import FishAudio
from fishaudio_ext.server import LocalServer, Pacing
from tests.support.player import install_fake_player

LINES = ["Hello there, this is the first line.", "", "And here is the second one."]


def read_some(stream: IO[bytes], timeout: float = 30.0) -> bytes:
    """What ``stream`` has once it has something; fails instead of waiting past ``timeout``."""
    ready, _, _ = select.select([stream], [], [], timeout)
    assert ready, "nothing came"
    return stream.read1(65536)  # type: ignore[attr-defined]


def test_each_line_is_spoken_into_the_file_with_its_metrics(
    fishaudio: Run, fish_audio_client: FishAudio, tmp_path: Path
) -> None:
    sample = fish_audio_client.tts.convert(text="A sample of my voice.", format="wav")
    mine = fish_audio_client.voices.create(title="Narrator", voices=[bytes(sample)])
    stdin = "\n".join(LINES).encode() + b"\n"
    printed = ok(fishaudio("live", "-o", "session.mp3", "--json", "--voice", "narrator", input=stdin))

    metrics = [json.loads(line) for line in printed.splitlines()]
    assert [(m["line"], m["text"], m["finish_reason"]) for m in metrics] == [
        (1, LINES[0], "stop"),
        (3, LINES[2], "stop"),
    ]
    assert [m["characters_sent"] for m in metrics] == [len(LINES[0]), len(LINES[2])]
    data = (tmp_path / "session.mp3").read_bytes()
    assert len(data) == sum(m["audio_bytes"] for m in metrics)
    assert audio(data).duration > 3
    assert fish_audio_client.voices.get(mine.id).task_count == 2  # both lines in the voice --voice named
    assert leftovers(tmp_path) == []


def test_stdout_gets_each_line_s_audio_before_the_next_line_comes(
    fish_audio_server: LocalServer, tmp_path: Path
) -> None:
    command = [str(FISHAUDIO), "live", "--format", "pcm", "--sample-rate", "16000"]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
        env=environment(fish_audio_server),
    ) as process:  # fmt: skip
        assert process.stdin is not None
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdin.write(f"{LINES[0]}\n".encode())
        process.stdin.flush()
        first = read_some(process.stdout)  # while stdin is still open
        process.stdin.write(f"{LINES[2]}\n".encode())
        process.stdin.close()
        rest = process.stdout.read()
        assert process.wait(timeout=30) == 0
        assert process.stderr.read() == b""
    pcm = first + rest
    assert len(pcm) % 2 == 0
    assert len(pcm) / 2 / 16000 > 3  # 16-bit mono samples at 16 kHz: seconds of speech


def test_play_plays_the_session(fishaudio: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "player").mkdir()
    played = install_fake_player(tmp_path / "player", monkeypatch)
    ok(fishaudio("live", "--play", input=f"{LINES[0]}\n".encode()))
    (heard,) = played()
    assert audio(heard).duration > 1


def test_wav_and_json_on_the_audio_s_stdout_are_usage_errors(fishaudio: Run) -> None:
    assert "not wav" in failed(fishaudio("live", "-o", "session.wav", input=b"Hi.\n"), 2)
    assert "--json prints on stdout" in failed(fishaudio("live", "--json", input=b"Hi.\n"), 2)


@pytest.mark.parametrize(
    ("stop", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"]
)
def test_stopping_live_between_lines_leaves_no_file(
    fish_audio_server: LocalServer, tmp_path: Path, stop: signal.Signals, status: int
) -> None:
    (tmp_path / "session.mp3").write_bytes(b"the previous version")
    command = [str(FISHAUDIO), "live", "-o", "session.mp3", "--json"]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
        env=environment(fish_audio_server),
    ) as process:  # fmt: skip
        assert process.stdin is not None
        assert process.stdout is not None
        assert process.stderr is not None
        try:
            process.stdin.write(f"{LINES[0]}\n".encode())
            process.stdin.flush()
            assert (
                json.loads(read_some(process.stdout))["finish_reason"] == "stop"
            )  # spoken, stdin still open
            assert leftovers(tmp_path) != []  # the file is being written
            process.send_signal(stop)
            assert process.wait(timeout=30) == status
        finally:
            process.kill()
        assert process.stderr.read() == b""
    assert leftovers(tmp_path) == []
    assert (tmp_path / "session.mp3").read_bytes() == b"the previous version"


def test_ctrl_c_in_the_middle_of_an_utterance_leaves_no_file(
    fish_audio_server: LocalServer, tmp_path: Path
) -> None:
    fish_audio_server.pacing = Pacing(spread=120.0)  # the first chunk at once, the rest over two minutes
    (tmp_path / "session.mp3").write_bytes(b"the previous version")
    command = [str(FISHAUDIO), "live", "-o", "session.mp3"]
    with subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=environment(fish_audio_server),
    ) as process:
        assert process.stdin is not None
        assert process.stderr is not None
        try:
            process.stdin.write(f"{LINES[0]}\n".encode())
            process.stdin.flush()
            wait_for(lambda: any(path.stat().st_size for path in parts(tmp_path)))  # the first audio came
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=30) == 130
        finally:
            process.kill()
        assert process.stderr.read() == b""
    assert leftovers(tmp_path) == []
    assert (tmp_path / "session.mp3").read_bytes() == b"the previous version"


def parts(directory: Path) -> list[Path]:
    return [directory / name for name in leftovers(directory)]


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll ``condition()``, an observable state, until it holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the command never got there"
        time.sleep(0.01)


def test_lines_typed_at_a_terminal_are_spoken_until_ctrl_d(
    fish_audio_server: LocalServer, tmp_path: Path
) -> None:
    controller, terminal = pty.openpty()
    command = [str(FISHAUDIO), "live", "-o", "typed.mp3", "--json"]
    with subprocess.Popen(
        command, stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
        env=environment(fish_audio_server),
    ) as process:  # fmt: skip
        assert process.stdout is not None
        assert process.stderr is not None
        try:
            assert read_some(process.stderr) == b"Type a line to speak it; Ctrl-D ends.\n"
            os.write(controller, f"{LINES[0]}\n".encode())
            assert json.loads(read_some(process.stdout))["text"] == LINES[0]
            os.write(controller, b"\x04")  # Ctrl-D: the end of the input
            assert process.wait(timeout=30) == 0
        finally:
            process.kill()
            os.close(terminal)
            os.close(controller)
        assert process.stderr.read() == b""
    assert audio((tmp_path / "typed.mp3").read_bytes()).duration > 0
