"""LocalServer itself: starting and stopping, persistence with a data directory, the CLI, the pytest
fixtures, the missing-extra error, and the bundled spec."""

from __future__ import annotations

import importlib.resources
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from fishaudio_ext import AsyncFishAudio, FishAudio
from fishaudio_ext.server import LocalServer, assert_conforms

ROOT = Path(__file__).resolve().parents[2]


def test_bundled_spec_is_the_project_spec() -> None:
    bundled = importlib.resources.files("fishaudio_ext.server").joinpath("openapi.yaml").read_text("utf-8")
    assert yaml.safe_load(bundled) == yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text("utf-8"))


def test_start_and_stop() -> None:
    server = LocalServer(api_key="k")
    with server:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.port != 0
        response = httpx.get(f"{server.url}/model", headers={"Authorization": "Bearer k"})
        assert response.status_code == 200
        assert_conforms("GET", "/model", response)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.url}/model")
    with pytest.raises(RuntimeError, match="cannot start again"):
        server.start()


async def test_async_context_manager() -> None:
    async with LocalServer() as server, AsyncFishAudio(base_url=server.url, api_key=server.api_key) as client:
        assert (await client.voices.list()).total == 7


def test_the_key_is_made_up_never_taken_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FISH_API_KEY", "a-real-hosted-key")  # a developer's machine
    first, second = LocalServer(), LocalServer()
    assert first.api_key.startswith("local-")
    assert first.api_key != second.api_key
    assert "a-real-hosted-key" not in (first.api_key, second.api_key)
    assert LocalServer(api_key="given").api_key == "given"


def test_state_persists_in_the_data_dir(tmp_path: Path) -> None:
    with (
        LocalServer(api_key="k", data_dir=tmp_path, credit="1") as first,
        FishAudio(base_url=first.url, api_key="k") as client,
    ):
        audio = client.tts.convert(text="Remember this sentence after a restart.", format="wav")
        voice = client.voices.create(title="Kept", voices=[audio])
        credit = client.account.get_credits().credit

    with (
        LocalServer(api_key="k", data_dir=tmp_path, credit="1") as second,
        FishAudio(base_url=second.url, api_key="k") as client,
    ):
        assert client.voices.get(voice.id).title == "Kept"
        assert client.account.get_credits().credit == credit
        assert client.asr.transcribe(audio=audio).text == "Remember this sentence after a restart."
    assert (tmp_path / "fishaudio-local.sqlite3").is_file()


def test_cli_serves_until_terminated(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "fishaudio_ext.server._cli", "serve", "--port", "0", "--key", "cli-key"]
    command += ["--data-dir", str(tmp_path), "--log-level", "warning"]
    environment = {**os.environ, "PYTHONWARNINGS": ""}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=environment) as process:
        try:
            assert process.stdout is not None
            first_line = process.stdout.readline()
            assert first_line.startswith("Fish Audio local server listening on http://127.0.0.1:")
            url = first_line.rsplit(" ", 1)[1].strip()
            assert process.stdout.readline().strip() == "API key: cli-key"
            response = httpx.get(f"{url}/wallet/self/api-credit", headers={"Authorization": "Bearer cli-key"})
            assert response.status_code == 200
            assert_conforms("GET", "/wallet/self/api-credit", response)
        finally:
            process.terminate()
            assert process.wait(timeout=10) == 0


def test_missing_extra_names_the_install_command() -> None:
    code = (
        "import sys; sys.modules['uvicorn'] = None\n"
        "from fishaudio_ext import DependencyError\n"
        "try:\n"
        "    from fishaudio_ext.server import LocalServer\n"
        "except DependencyError as e:\n"
        "    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'fishaudio-ext[server]'" in result.stdout
    assert "uvicorn" in result.stdout


# The plugin's fixtures as users get them: through the entry point pytest loads, not imported here.
def test_plugin_fixtures(fish_audio_server: LocalServer, fish_audio_client: FishAudio) -> None:
    fish_audio_server.faults.fail(503, times=1)
    fish_audio_server.set_credit(0)
    assert fish_audio_client.voices.list().total == 7  # retried after the 503


def test_plugin_resets_between_tests(fish_audio_server: LocalServer) -> None:
    assert fish_audio_server.faults.active() == []
    assert fish_audio_server.credit() == 10


async def test_plugin_async_client(async_fish_audio_client: AsyncFishAudio) -> None:
    assert (await async_fish_audio_client.voices.list()).total == 7
