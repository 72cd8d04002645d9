"""mypy --strict sees ``client.api``'s real types: the generated signatures and the generated models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNIPPET = """
from fishaudio_api.models import TTSRequest
from fishaudio_ext import AsyncFishAudio, FishAudio

client = FishAudio(api_key="k")
reveal_type(client.api.list_models(page_size=5))
reveal_type(client.api.text_to_speech(body=TTSRequest(text="hi")))
reveal_type(client.api.text_to_speech_with_timestamps(body=TTSRequest(text="hi")))
client.api.get_model(5)
client.api.list_models(page_sise=5)


async def main() -> None:
    async_client = AsyncFishAudio(api_key="k")
    reveal_type(await async_client.api.get_model("x"))
    reveal_type(await async_client.api.text_to_speech(body=TTSRequest(text="hi")))
"""


def test_mypy_sees_generated_signatures_and_models(tmp_path: Path) -> None:
    snippet = tmp_path / "uses_api.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(ROOT / ".mypy_cache"), str(snippet)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = {
        line.split(":", 2)[1]: line.split(": ", 1)[1] for line in result.stdout.splitlines() if ":" in line
    }
    assert lines["6"] == 'note: Revealed type is "fishaudio_api.models.model_list.ModelList"', result.stdout
    assert lines["7"] == 'note: Revealed type is "fishaudio_ext._streaming.AudioStream"'
    assert (
        "EventStream[fishaudio_api.models.tts_timestamp_stream_event.TTSTimestampStreamEvent]" in lines["8"]
    )
    assert 'incompatible type "int"; expected "str"' in lines["9"]
    assert 'Unexpected keyword argument "page_sise"' in result.stdout
    assert "fishaudio_api.models.model_entity.ModelEntity" in lines["15"]
    assert "fishaudio_ext._streaming.AsyncAudioStream" in lines["16"]
