"""``fishaudio``: argument errors are one line and exit 2, the key is the server's own and kept as a digest
in owner-only files, and ``fishaudio --help`` works where the server extra is not installed."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from fishaudio_ext.server import assert_conforms

FISHAUDIO = Path(sys.executable).with_name("fishaudio")
SERVER_MODULES = ("starlette", "uvicorn", "python_multipart", "av", "jsonschema", "yaml")
# Loaded at interpreter start (PYTHONPATH): the server's dependencies cannot be imported, as on an
# installation without the [server] extra.
BLOCKER = f"""
import sys

class _Missing:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {SERVER_MODULES!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, _Missing())
"""


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONWARNINGS": "", **(env or {})}
    return subprocess.run(
        [str(FISHAUDIO), *args], capture_output=True, text=True, env=environment, timeout=60
    )


@pytest.fixture
def without_server_extra(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}


def test_help_works_without_the_server_extra(without_server_extra: dict[str, str]) -> None:
    blocked = run("--no-such-option", env=without_server_extra)
    assert blocked.returncode == 2
    assert "Traceback" not in blocked.stderr
    for args in (["--help"], ["serve", "--help"]):
        shown = run(*args, env=without_server_extra)
        assert shown.returncode == 0, shown.stderr
        assert "serve" in shown.stdout
        assert shown.stderr == ""
    serving = run("serve", env=without_server_extra)
    assert serving.returncode == 1
    assert "Traceback" not in serving.stderr
    assert serving.stderr.count("\n") == 1
    assert "pip install 'fishaudio-ext[server]'" in serving.stderr


def test_the_blocker_really_hides_the_server(without_server_extra: dict[str, str]) -> None:
    code = "import importlib.util, uvicorn"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **without_server_extra},
    )
    assert "No module named 'uvicorn'" in result.stderr


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--port", "99999"], "argument --port"),
        (["--port", "http"], "argument --port"),
        (["--concurrency", "0"], "argument --concurrency"),
        (["--max-text-length", "0"], "argument --max-text-length"),
        (["--credit", "-1"], "argument --credit"),
        (["--log-level", "loud"], "argument --log-level"),
        (["--data-dir", "/proc/version/data"], "--data-dir"),
        (["--data-dir", __file__], "--data-dir"),
        (["--live-max-connection-seconds", "0"], "argument --live-max-connection-seconds"),
        (["--live-max-connection-seconds", "an hour"], "argument --live-max-connection-seconds"),
        (["--live-handshake-delay", "-1"], "argument --live-handshake-delay"),
        (["--live-handshake-delay", "nan"], "argument --live-handshake-delay"),
    ],
)
def test_bad_arguments_end_in_one_line_and_exit_2(args: list[str], complaint: str) -> None:
    result = run("serve", "--port", "0", *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("fishaudio serve: error: ")
    assert complaint in result.stderr
    assert result.stdout == ""


def test_serve_makes_up_its_key_and_keeps_only_a_digest(tmp_path: Path) -> None:
    data = tmp_path / "data"
    command = [str(FISHAUDIO), "serve", "--port", "0", "--data-dir", str(data), "--log-level", "warning"]
    environment = {**os.environ, "PYTHONWARNINGS": "", "FISH_API_KEY": "sk-real-hosted-key"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=environment) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().rsplit(" ", 1)[1].strip()
            key = process.stdout.readline().removeprefix("API key: ").strip()
            assert key.startswith("local-")
            auth = {"Authorization": f"Bearer {key}"}
            assert (
                httpx.get(f"{url}/model", headers={"Authorization": "Bearer sk-real-hosted-key"}).status_code
                == 401
            )
            response = httpx.get(f"{url}/wallet/self/api-credit", headers=auth)
            assert response.status_code == 200
            assert_conforms("GET", "/wallet/self/api-credit", response)
        finally:
            process.terminate()
            assert process.wait(timeout=10) == 0
    database = data / "fishaudio-local.sqlite3"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    content = database.read_bytes()
    assert key.encode() not in content
    assert b"sk-real-hosted-key" not in content


def test_serve_delays_live_handshakes_and_closes_live_sockets_at_the_limit() -> None:
    command = [str(FISHAUDIO), "serve", "--port", "0", "--log-level", "warning", "--engine", "fast"]
    command += ["--live-handshake-delay", "0.3", "--live-max-connection-seconds", "1.5"]
    environment = {**os.environ, "PYTHONWARNINGS": ""}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=environment) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().rsplit(" ", 1)[1].strip()
            key = process.stdout.readline().removeprefix("API key: ").strip()
            began = time.monotonic()
            live = url.replace("http", "ws", 1) + "/v1/tts/live"
            with connect(live, additional_headers={"Authorization": f"Bearer {key}"}) as ws:
                assert time.monotonic() - began >= 0.3
                with pytest.raises(ConnectionClosed):
                    ws.recv(timeout=10)
                assert ws.close_code == 1001
            assert time.monotonic() - began >= 1.5
        finally:
            process.terminate()
            assert process.wait(timeout=10) == 0


def test_a_database_of_an_earlier_version_forgets_its_plaintext_keys(tmp_path: Path) -> None:
    from fishaudio_ext.server import LocalServer

    database = tmp_path / "fishaudio-local.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute(
            "CREATE TABLE accounts (api_key TEXT PRIMARY KEY, id TEXT NOT NULL, user_id TEXT NOT NULL UNIQUE,"
            " credit INTEGER NOT NULL, top_up INTEGER NOT NULL, synthesized_bytes INTEGER NOT NULL DEFAULT 0,"
            " created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
        )
        db.execute("INSERT INTO accounts VALUES ('sk-old-plaintext', 'a', 'u', 1234, 5000, 0, 't', 't')")
    database.chmod(0o644)
    with LocalServer(api_key="sk-old-plaintext", data_dir=tmp_path) as server:
        assert server.credit() == Decimal("0.001234")  # the account is kept
    assert b"sk-old-plaintext" not in database.read_bytes()
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


@pytest.mark.parametrize(("args", "engine"), [([], "espeak"), (["--engine", "fast"], "fast")])
def test_serve_speaks_with_espeak_unless_told_otherwise(args: list[str], engine: str) -> None:
    command = [str(FISHAUDIO), "serve", "--port", "0", "--log-level", "warning", *args]
    environment = {**os.environ, "PYTHONWARNINGS": ""}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=environment) as process:
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline() for _ in range(3)]
            assert lines[2].startswith(f"Speech engine: {engine}"), lines
        finally:
            process.terminate()
            assert process.wait(timeout=10) == 0


def test_serve_without_espeak_says_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['espeakng_loader'] = None\n")
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    result = run("serve", "--engine", "espeak", env=env)
    assert result.returncode == 1
    assert "pip install 'fishaudio-ext[speech]'" in result.stderr
