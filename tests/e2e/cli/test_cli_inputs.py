"""What careless users and scripts give ``fishaudio``: missing, binary or empty text files, stdin that is
closed, binary or a terminal, and ``--config`` files with flaws. Each is refused in one line with the
right exit status, before anything is sent (the server's credit is untouched) and without an output file."""

from __future__ import annotations

import json
import os
import pty
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_run import FISHAUDIO, Run, environment, failed, ok

from fishaudio_ext.server import LocalServer

NOT_UTF8 = "caf\u00e9".encode("latin-1")  # b"caf\xe9": Latin-1, not UTF-8


@pytest.fixture(autouse=True)
def nothing_is_sent_and_no_audio_file_is_left(
    fish_audio_server: LocalServer, tmp_path: Path
) -> Iterator[None]:
    credit = fish_audio_server.credit()
    yield
    assert fish_audio_server.credit() == credit
    assert sorted(path.name for path in tmp_path.iterdir() if path.suffix == ".mp3") == []


def run_with_stdin(server: LocalServer, cwd: Path, script: str) -> subprocess.CompletedProcess[bytes]:
    """``fishaudio`` run by the shell ``script`` (``$F`` is the command), for stdin set up by the shell."""
    env = {**environment(server), "F": str(FISHAUDIO)}
    return subprocess.run(["sh", "-c", script], capture_output=True, env=env, cwd=cwd, timeout=60)


def test_a_text_file_that_cannot_be_read_names_the_option(fishaudio: Run, tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes(NOT_UTF8)
    (tmp_path / "folder").mkdir()

    assert failed(fishaudio("tts", "--file", "missing.txt", "-o", "x.mp3"), 1) == (
        "fishaudio tts: FileNotFoundError: --file missing.txt: No such file or directory"
    )
    assert failed(fishaudio("tts", "--file", "folder", "-o", "x.mp3"), 1) == (
        "fishaudio tts: IsADirectoryError: --file folder: Is a directory"
    )
    assert failed(fishaudio("tts", "--file", "latin.txt", "-o", "x.mp3"), 2) == (
        "fishaudio tts: error: --file latin.txt: not UTF-8 text (byte 0xe9 at offset 3)"
    )
    assert failed(fishaudio("asr", "missing.wav"), 1) == (
        "fishaudio asr: FileNotFoundError: missing.wav: No such file or directory"
    )
    assert failed(fishaudio("voices", "create", "--title", "Me", "--sample", "missing.wav"), 1) == (
        "fishaudio voices create: FileNotFoundError: --sample missing.wav: No such file or directory"
    )


def test_a_byte_order_mark_is_not_part_of_the_text(fishaudio: Run, tmp_path: Path) -> None:
    marked = "\ufeffHello.".encode()  # how Windows editors save UTF-8
    (tmp_path / "notepad.txt").write_bytes(marked)
    from_file = json.loads(ok(fishaudio("tts", "--file", "notepad.txt", "--estimate", "--json")))
    from_stdin = json.loads(ok(fishaudio("tts", "-", "--estimate", "--json", input=marked)))
    assert from_file["utf8_bytes"] == from_stdin["utf8_bytes"] == len("Hello.")


def test_empty_or_blank_text_is_refused(fishaudio: Run, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    for args, stdin in [(["--file", "empty.txt"], b""), (["-"], b""), (["-"], b" \n\t\n"), (["  "], b"")]:
        line = failed(fishaudio("tts", *args, "-o", "x.mp3", input=stdin), 2)
        assert line.startswith("fishaudio tts: ValidationError: text must be a non-empty string"), args


def test_stdin_that_is_closed_or_not_text_is_refused(
    fishaudio: Run, fish_audio_server: LocalServer, tmp_path: Path
) -> None:
    closed = run_with_stdin(fish_audio_server, tmp_path, '"$F" tts - -o x.mp3 <&-')
    assert failed(closed, 2) == (
        "fishaudio tts: error: stdin is closed: pipe the text in, or redirect it from a file"
    )
    live = run_with_stdin(fish_audio_server, tmp_path, '"$F" live -o x.mp3 <&-')
    assert failed(live, 2) == (
        "fishaudio live: error: stdin is closed: pipe the text in, or redirect it from a file"
    )
    assert failed(fishaudio("tts", "-", "-o", "x.mp3", input=NOT_UTF8), 2) == (
        "fishaudio tts: error: stdin: not UTF-8 text (byte 0xe9 at offset 3)"
    )
    assert failed(fishaudio("live", "-o", "x.mp3", input=b"\n" + NOT_UTF8 + b"\n"), 2) == (
        "fishaudio live: error: stdin line 2: not UTF-8 text (byte 0xe9 at offset 3)"
    )


def test_text_from_a_terminal_is_refused_with_how_to_pipe_it(
    fish_audio_server: LocalServer, tmp_path: Path
) -> None:
    controller, terminal = pty.openpty()
    try:
        refused = subprocess.run(
            [str(FISHAUDIO), "tts", "-", "-o", "x.mp3"],
            stdin=terminal,
            capture_output=True,
            env=environment(fish_audio_server),
            cwd=tmp_path,
            timeout=60,  # it used to wait here for someone to type
        )
    finally:
        os.close(terminal)
        os.close(controller)
    assert failed(refused, 2) == (
        "fishaudio tts: error: - reads the text from stdin, which is a terminal:"
        " pipe it in (echo 'Hello.' | fishaudio tts -)"
    )


def test_live_without_any_text_writes_no_file(fishaudio: Run) -> None:
    for stdin in (b"", b"\n  \n\n"):
        assert failed(fishaudio("live", "-o", "x.mp3", input=stdin), 2) == (
            "fishaudio live: error: stdin held no text to speak"
        )


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("c.json", "{bad", "--config c.json: not valid json: Expecting property name"),
        ("c.toml", "speed = ", "--config c.toml: not valid toml: Invalid value"),
        ("c.yaml", "temperature: 0.5", "--config c.yaml: give a .toml or .json file of TTSConfig settings"),
        ("c.json", "[0.5]", "--config c.json: expected a table of TTSConfig settings"),
        ("c.json", '{"temprature": 0.5}', "--config c.json: unknown setting 'temprature'; TTSConfig has"),
        ("c.toml", "prosody = {sped = 1.2}", "--config c.toml: prosody: unknown setting 'sped'; Prosody has"),
        ("c.json", '{"temperature": "hot"}', "--config c.json: temperature='hot' must be a number"),
        ("c.toml", "temperature = 5", "--config c.toml: temperature=5 is out of range: allowed 0 to 1"),
        ("c.toml", "prosody = {speed = 9}", "--config c.toml: prosody.speed=9 is out of range"),
        ("c.json", '{"chunk_length": 1}', "--config c.json: chunk_length=1 is out of range"),
    ],
)
def test_a_flawed_config_file_is_one_line_naming_the_file_and_setting(
    fishaudio: Run, tmp_path: Path, name: str, content: str, line: str
) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    assert failed(fishaudio("tts", "Hello.", "--config", name, "-o", "x.mp3"), 2).startswith(
        f"fishaudio tts: error: {line}"
    )


def test_a_config_file_that_cannot_be_read_names_the_option(fishaudio: Run, tmp_path: Path) -> None:
    (tmp_path / "latin.json").write_bytes(b'{"x": "' + NOT_UTF8 + b'"}')
    assert failed(fishaudio("tts", "Hello.", "--config", "none.toml", "-o", "x.mp3"), 1) == (
        "fishaudio tts: FileNotFoundError: --config none.toml: No such file or directory"
    )
    assert failed(fishaudio("tts", "Hello.", "--config", "latin.json", "-o", "x.mp3"), 2) == (
        "fishaudio tts: error: --config latin.json: not UTF-8 text (byte 0xe9 at offset 10)"
    )
