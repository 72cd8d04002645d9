"""Synthesize speech through fishaudio-ext (convert and stream) and report the files written."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from fishaudio_ext import FishAudio, FishAudioError
from fishaudio_ext.types import TTSConfig
from fishaudio_ext.utils import save

OUTPUT = Path("demo-output")
CONFIG = TTSConfig(format="wav", sample_rate=24000)
TEXT = (
    "Hello from fishaudio-ext. This sentence was synthesized through the typed client, "
    "streamed chunk by chunk, and saved without ever holding the whole file in memory."
)


def wav_seconds(path: Path) -> float:
    # Streamed WAV headers carry placeholder sizes, so the duration comes from the byte count:
    # 16-bit mono samples after the 44-byte header.
    return max(path.stat().st_size - 44, 0) / (2 * (CONFIG.sample_rate or 44100))


def main() -> int:
    if not os.environ.get("FISH_API_KEY"):
        print(
            "FISH_API_KEY is not set. Set it to synthesize speech with the hosted Fish Audio API;\n"
            "an embedded local server for running without a key is not part of this version yet."
        )
        return 0
    OUTPUT.mkdir(exist_ok=True)
    converted, streamed = OUTPUT / "convert.wav", OUTPUT / "stream.wav"
    with FishAudio() as client:
        print(f"Synthesizing with {client.base_url} ...")
        started = time.perf_counter()
        save(client.tts.convert(text=TEXT, config=CONFIG), converted)
        save(client.tts.stream(text=TEXT, config=CONFIG), streamed)
        elapsed = time.perf_counter() - started
    for path in (converted, streamed):
        print(f"  {path.resolve()}: {path.stat().st_size} bytes, {wav_seconds(path):.1f} s of audio")
    print(f"Done in {elapsed:.1f} s.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except FishAudioError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
