"""What every ``fishaudio`` command shares: help and version, the global options, one-line errors with
their exit status, the request log of ``-v``, progress on a terminal only; and ``asr`` and ``credits``."""

from __future__ import annotations

import json
import os
import pty
import subprocess
from decimal import Decimal
from pathlib import Path

import srt
import webvtt
from cli_run import FISHAUDIO, Run, environment, failed, ok

from fishaudio_ext import FishAudio, __version__
from fishaudio_ext.server import LocalServer

KEY_HINT = "set FISH_API_KEY or pass --api-key"
COMMANDS = ("tts", "voices", "asr", "credits", "live", "serve")
# Loaded at interpreter start (PYTHONPATH): what an install without extras lacks cannot be imported.
WITHOUT_EXTRAS = """
import sys

class _Missing:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {missing!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, _Missing())
"""
EXTRAS = ("starlette", "uvicorn", "python_multipart", "av", "jsonschema", "yaml", "sounddevice", "soundfile")
EXTRAS += ("espeakng_loader", "pocketsphinx", "click", "rich", "pygments", "aiohttp")


def test_help_and_version_work_without_any_extra(tmp_path: Path, fish_audio_server: LocalServer) -> None:
    (tmp_path / "sitecustomize.py").write_text(WITHOUT_EXTRAS.format(missing=EXTRAS), encoding="utf-8")
    env = environment(fish_audio_server, PYTHONPATH=str(tmp_path))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(FISHAUDIO), *args], capture_output=True, text=True, env=env, timeout=60)

    shown = run("--help")
    assert (shown.returncode, shown.stderr) == (0, "")
    for command in COMMANDS:
        assert f"    {command} " in shown.stdout
    for args in (["tts", "--help"], ["voices", "create", "--help"], ["serve", "--help"]):
        assert run(*args).returncode == 0, args
    assert run("--version").stdout == f"fishaudio-ext {__version__}\n"
    assert run("credits").returncode == 0  # the commands that talk to the API need no extra either


def test_a_usage_error_is_one_line_and_exit_2(fishaudio: Run) -> None:
    assert "invalid choice: 'speak'" in failed(fishaudio("speak"), 2)
    assert "the following arguments are required: --title" in failed(fishaudio("voices", "create"), 2)
    assert "argument -n: a whole number, 1 or more" in failed(
        fishaudio("voices", "design", "x", "-n", "0"), 2
    )


def test_the_key_and_address_come_from_the_options_before_or_after_the_command(
    fishaudio: Run, fish_audio_server: LocalServer
) -> None:
    wrong = {"FISH_API_KEY": "not-the-key", "FISH_BASE_URL": "http://127.0.0.1:9"}
    key, url = fish_audio_server.api_key, fish_audio_server.url
    for args in (
        ["--api-key", key, "--base-url", url, "credits"],
        ["credits", "--api-key", key, "--base-url", url],
    ):
        assert ok(fishaudio(*args, env=wrong)).startswith("credit: USD")

    line = failed(fishaudio("credits", env={"FISH_API_KEY": "not-the-key"}), 1)
    assert line == "fishaudio credits: AuthenticationError: HTTP 401: Invalid API key — " + KEY_HINT
    missing = failed(fishaudio("credits", env={"FISH_API_KEY": ""}), 2)
    assert missing.startswith("fishaudio credits: ConfigurationError: No API key")
    assert missing.endswith(f"— {KEY_HINT}")


def test_an_address_no_request_could_reach_is_a_usage_error_with_a_hint(fishaudio: Run) -> None:
    for address in ("http://[::1", "http://127.0.0.1:99999", "ftp://example.com"):
        line = failed(fishaudio("credits", env={"FISH_BASE_URL": address}), 2)
        assert line.startswith("fishaudio credits: ConfigurationError: base_url"), address
        assert line.endswith(f"{address!r}. — check --base-url or FISH_BASE_URL"), line


def test_api_and_connection_errors_are_one_line_with_a_hint(
    fishaudio: Run, fish_audio_server: LocalServer
) -> None:
    fish_audio_server.set_credit(0)
    unpaid = failed(fishaudio("tts", "Hello.", "-o", "x.mp3"), 1)
    assert unpaid.startswith("fishaudio tts: PaymentRequiredError: HTTP 402")
    assert unpaid.endswith("— check the balance with `fishaudio credits`")
    closed = failed(fishaudio("tts", "Hello.", "-o", "x.mp3", "--base-url", "http://127.0.0.1:9"), 1)
    assert closed.startswith("fishaudio tts: APIConnectionError: ")
    assert closed.endswith("— check the network and --base-url")


def test_verbose_shows_the_request_log(fishaudio: Run, fish_audio_server: LocalServer) -> None:
    info = fishaudio("-v", "credits").stderr.decode()
    debug = fishaudio("credits", "-vv").stderr.decode()
    assert ok(fishaudio("credits")).startswith("credit")  # quiet without -v

    assert f"HTTP GET {fish_audio_server.url}/wallet/self/api-credit -> 200" in info
    assert " sent (retry 0)" not in info
    assert " sent (retry 0)" in debug
    assert fish_audio_server.api_key not in info + debug


def run_on_a_terminal(
    args: list[str], env: dict[str, str], cwd: Path, *, stdout_too: bool = False
) -> tuple[int, str]:
    """Run with stderr (and stdout) on a pseudo-terminal; its exit status and what it showed there."""
    controller, terminal = pty.openpty()
    stdout = terminal if stdout_too else subprocess.DEVNULL
    with subprocess.Popen(args, stderr=terminal, stdout=stdout, env=env, cwd=cwd) as process:
        os.close(terminal)
        shown = b""
        while True:
            try:
                data = os.read(controller, 4096)
            except OSError:  # the terminal is closed once the process ends
                break
            if not data:
                break
            shown += data
    os.close(controller)
    return process.returncode, shown.decode()


def test_progress_shows_on_a_terminal_unless_quiet(fish_audio_server: LocalServer, tmp_path: Path) -> None:
    chapter = " ".join(f"Sentence number {n} of a chapter that is read aloud." for n in range(1, 25))
    env = environment(fish_audio_server)
    command = [str(FISHAUDIO), "tts", chapter, "-o", "chapter.mp3"]

    status, shown = run_on_a_terminal(command, env, tmp_path)
    assert status == 0
    assert "pieces" in shown
    assert shown.rstrip().endswith("s of audio")
    status, shown = run_on_a_terminal([*command, "--quiet"], env, tmp_path)
    assert (status, shown) == (0, "")

    create = [str(FISHAUDIO), "voices", "create", "--title", "Me", "--sample", "chapter.mp3"]
    status, shown = run_on_a_terminal(create, env, tmp_path)
    assert status == 0
    assert shown.startswith("\r\x1b[Kuploading 1 sample(s)")


def test_audio_is_not_written_to_a_terminal(fish_audio_server: LocalServer, tmp_path: Path) -> None:
    command = [str(FISHAUDIO), "tts", "Hello."]
    status, shown = run_on_a_terminal(command, environment(fish_audio_server), tmp_path, stdout_too=True)
    assert status == 2
    assert shown.strip() == (
        "fishaudio tts: error: not writing audio to a terminal: give -o FILE or --play, or redirect stdout"
    )


def test_credits_shows_the_credit_and_the_package(
    fishaudio: Run, fish_audio_server: LocalServer, fish_audio_client: FishAudio
) -> None:
    fish_audio_server.set_credit("12.5")
    package = fish_audio_client.account.get_package()
    lines = ok(fishaudio("credits")).splitlines()
    as_json = json.loads(ok(fishaudio("credits", "--json")))

    assert lines == [
        f"credit: USD {fish_audio_client.account.get_credits().credit}",
        f"package: {package.type_}, {package.balance} of {package.total} left",
    ]
    assert Decimal(as_json["credit"]) == Decimal("12.5")
    assert as_json["package"]["balance"] == package.balance


def test_asr_prints_text_captions_or_json(
    fishaudio: Run, fish_audio_client: FishAudio, tmp_path: Path
) -> None:
    said = "Transcribe this sentence. Then this one."
    (tmp_path / "said.wav").write_bytes(bytes(fish_audio_client.tts.convert(text=said, format="wav")))

    assert ok(fishaudio("asr", "said.wav")) == f"{said}\n"
    cues = list(srt.parse(ok(fishaudio("asr", "said.wav", "--srt"))))
    assert " ".join(cue.content.replace("\n", " ") for cue in cues) == said
    vtt = webvtt.from_string(ok(fishaudio("asr", "said.wav", "--vtt", "--language", "en")))
    assert [cue.start for cue in vtt] == [
        f"{srt.timedelta_to_srt_timestamp(cue.start).replace(',', '.')}" for cue in cues
    ]
    result = json.loads(ok(fishaudio("asr", "said.wav", "--json")))
    assert result["text"] == said
    assert result["segments"]

    missing = failed(fishaudio("asr", "nowhere.wav"), 1)
    assert missing == "fishaudio asr: FileNotFoundError: nowhere.wav: No such file or directory"
    assert "not allowed with argument" in failed(fishaudio("asr", "said.wav", "--srt", "--json"), 2)


def test_serve_serves_the_other_commands(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FISH_")}
    command = [str(FISHAUDIO), "serve", "--port", "0", "--key", "served-key", "--engine", "fast"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    ) as server:
        try:
            assert server.stdout is not None
            url = server.stdout.readline().split()[-1]  # "Fish Audio local server listening on URL"
            args = [
                str(FISHAUDIO),
                "tts",
                "Served.",
                "-o",
                "served.mp3",
                "--base-url",
                url,
                "--api-key",
                "served-key",
            ]
            spoken = subprocess.run(args, capture_output=True, env=env, cwd=tmp_path, timeout=60)
            assert (spoken.returncode, spoken.stderr) == (0, b"")
            assert (tmp_path / "served.mp3").stat().st_size > 1000
        finally:
            server.send_signal(2)  # Ctrl-C
            assert server.wait(timeout=30) == 0


# Every command's help, formatted as `fishaudio ... --help` formats it, in a fresh interpreter.
EVERY_HELP = """
import argparse
from fishaudio_ext.cli._main import build_parser

def helps(parser, name):
    yield name, parser.format_help()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command, sub in action.choices.items():
                yield from helps(sub, f"{name} {command}")

for name, text in helps(build_parser(), "fishaudio"):
    for line in text.splitlines():
        if len(line) > 80:
            print(f"{name}: {line}")
"""


def test_every_help_fits_an_80_column_terminal(fish_audio_server: LocalServer) -> None:
    env = environment(fish_audio_server, COLUMNS="80")
    python = str(FISHAUDIO.with_name("python"))
    shown = subprocess.run([python, "-c", EVERY_HELP], capture_output=True, text=True, env=env, timeout=60)
    assert (shown.returncode, shown.stderr, shown.stdout) == (0, "", "")
