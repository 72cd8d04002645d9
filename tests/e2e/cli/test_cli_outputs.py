"""Where careless users and scripts send ``fishaudio``'s output: a pipe whose reader stops early, a file in a
directory that does not exist or onto a directory, an extension that names another format. Each ends
quietly or in one line with the right exit status, and a refused command sends nothing."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_run import FISHAUDIO, Run, audio, environment, failed, leftovers, ok

from fishaudio_ext.server import LocalServer

SENTENCE = "The quick brown fox jumps over the lazy dog."
# Several pieces of long-form audio: far more than a pipe holds, so the command is still writing when the
# reader goes away.
CHAPTER = " ".join(f"Sentence number {n} of a chapter that is read aloud." for n in range(1, 25))
READER_GONE = 128 + signal.SIGPIPE


@pytest.fixture
def unpaid(fish_audio_server: LocalServer) -> Iterator[None]:
    """The test's commands send nothing: the credit stays as it was."""
    credit = fish_audio_server.credit()
    yield
    assert fish_audio_server.credit() == credit


def test_a_reader_that_stops_early_ends_tts_quietly(fish_audio_server: LocalServer, tmp_path: Path) -> None:
    command = [str(FISHAUDIO), "tts", CHAPTER, "--format", "wav"]
    env = environment(fish_audio_server)
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.read(4) == b"RIFF"  # `| head -c 4`
        process.stdout.close()
        assert process.wait(timeout=60) == READER_GONE
        assert process.stderr.read() == b""


def test_a_reader_that_stops_early_ends_live_quietly(fish_audio_server: LocalServer, tmp_path: Path) -> None:
    command = [str(FISHAUDIO), "live", "--format", "pcm"]
    env = environment(fish_audio_server)
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path
    ) as process:
        assert process.stdin is not None
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdin.write(f"{SENTENCE}\n".encode())
        process.stdin.flush()
        assert process.stdout.read(2)  # the first line's audio came
        process.stdout.close()
        process.stdin.write(f"{CHAPTER}\n".encode())  # its audio has nowhere to go
        process.stdin.close()
        assert process.wait(timeout=60) == READER_GONE
        assert process.stderr.read() == b""


@pytest.mark.usefixtures("unpaid")
def test_an_output_that_cannot_be_written_is_refused_before_sending(fishaudio: Run, tmp_path: Path) -> None:
    (tmp_path / "folder.mp3").mkdir()
    assert failed(fishaudio("tts", SENTENCE, "-o", "nowhere/x.mp3"), 1) == (
        "fishaudio tts: FileNotFoundError: -o nowhere/x.mp3: No such directory: nowhere"
    )
    assert failed(fishaudio("tts", SENTENCE, "-o", "folder.mp3"), 1) == (
        "fishaudio tts: IsADirectoryError: -o folder.mp3: Is a directory"
    )
    # Not the audio written and then the captions failing: neither is written.
    assert failed(fishaudio("tts", SENTENCE, "-o", "x.mp3", "--subtitles", "nowhere/x.srt"), 1) == (
        "fishaudio tts: FileNotFoundError: --subtitles nowhere/x.srt: No such directory: nowhere"
    )
    assert failed(fishaudio("live", "-o", "nowhere/x.mp3", input=f"{SENTENCE}\n".encode()), 1) == (
        "fishaudio live: FileNotFoundError: -o nowhere/x.mp3: No such directory: nowhere"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["folder.mp3"]


@pytest.mark.usefixtures("unpaid")
def test_an_extension_that_names_another_format_than_format_is_refused(
    fishaudio: Run, tmp_path: Path
) -> None:
    assert failed(fishaudio("tts", SENTENCE, "-o", "x.wav", "--format", "mp3"), 2) == (
        "fishaudio tts: error: -o x.wav names wav audio, not --format mp3: make them agree"
    )
    assert failed(fishaudio("live", "-o", "x.mp3", "--format", "opus", input=b"Hi.\n"), 2) == (
        "fishaudio live: error: -o x.mp3 names mp3 audio, not --format opus: make them agree"
    )
    assert list(tmp_path.iterdir()) == []


def test_an_extension_that_agrees_with_format_is_written(fishaudio: Run, tmp_path: Path) -> None:
    ok(fishaudio("tts", SENTENCE, "-o", "x.ogg", "--format", "opus"))
    assert audio((tmp_path / "x.ogg").read_bytes()).format == "ogg"
    assert leftovers(tmp_path) == []


@pytest.mark.usefixtures("unpaid")
def test_json_without_estimate_is_refused(fishaudio: Run, tmp_path: Path) -> None:
    assert failed(fishaudio("tts", SENTENCE, "-o", "x.mp3", "--json"), 2) == (
        "fishaudio tts: error: --json prints the price of --estimate; the audio itself is not JSON"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("unpaid")
def test_audio_to_a_closed_stdout_is_refused(fish_audio_server: LocalServer, tmp_path: Path) -> None:
    env = {**environment(fish_audio_server), "F": str(FISHAUDIO)}
    for script, command in [('"$F" tts Hello. >&-', "tts"), ('echo Hello. | "$F" live >&-', "live")]:
        closed = subprocess.run(["sh", "-c", script], capture_output=True, env=env, cwd=tmp_path, timeout=60)
        assert failed(closed, 2) == (
            f"fishaudio {command}: error: stdout is closed: give -o FILE or --play, or redirect stdout"
        )
