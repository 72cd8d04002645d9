"""Synthesize speech through the full fishaudio-ext stack and report the files written.

With FISH_API_KEY set, the hosted Fish Audio API answers; without it, the embedded local server does,
speaking with espeak-ng when the [speech] extra is installed (scripts/bootstrap installs it), else with
its fast synthesizer (tones, no words).
Usage: scripts/demo [--output DIR] [--engine espeak|fast]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from fishaudio_ext import DependencyError, FishAudio, FishAudioError
from fishaudio_ext.types import FlushEvent, TextEvent, TTSConfig
from fishaudio_ext.utils import save

TEXT = (
    "Hello from fishaudio-ext. This sentence was synthesized through the typed client, "
    "streamed chunk by chunk, and saved without ever holding the whole file in memory."
)
ENGINE_NAMES = {
    "espeak": "espeak (espeak-ng, real speech; GPL-3.0, from the [speech] extra)",
    "fast": "fast (deterministic tones, no words: pip install 'fishaudio-ext[speech]' for real speech)",
}
LIVE_TEXT = ["Real-time speech ", "arrives while the text ", "is still being written. ", FlushEvent()]


@contextlib.contextmanager
def fish_audio(engine: str | None) -> Iterator[FishAudio]:
    """The hosted API when FISH_API_KEY is set, else a client of the embedded local server."""
    if os.environ.get("FISH_API_KEY"):
        with FishAudio() as client:
            yield client
        return
    from fishaudio_ext.server import LocalServer
    from fishaudio_ext.server._espeak import espeak_installed

    engine = engine or ("espeak" if espeak_installed() else "fast")
    with (
        LocalServer(engine=engine) as server,
        FishAudio(base_url=server.url, api_key=server.api_key) as client,
    ):
        print(f"Speech engine: {ENGINE_NAMES[server.engine]}")
        yield client


def live_text() -> Iterator[str | TextEvent | FlushEvent]:
    yield from LIVE_TEXT


def describe(path: Path) -> str:
    size = f"{path.stat().st_size:,} bytes"
    try:
        from fishaudio_ext.server._codecs import probe
    except (ImportError, DependencyError):  # without the server extra there is no decoder
        return size
    info = probe(path.read_bytes())
    return f"{size}, plays {info.duration:.1f} s at {info.sample_rate} Hz" if info else size


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--output", type=Path, default=Path("demo-output"), help="where to write the audio")
    parser.add_argument("--engine", choices=sorted(ENGINE_NAMES), help="the local server's speech engine")
    args = parser.parse_args()
    output = args.output
    output.mkdir(parents=True, exist_ok=True)
    files = {
        "convert.mp3": "tts.convert, whole audio, mp3",
        "stream.wav": "tts.stream, chunk by chunk, wav at 24 kHz",
        "live.opus": "tts.stream_websocket, text streamed in, opus",
    }
    with fish_audio(args.engine) as client:
        where = "the embedded local server" if "FISH_API_KEY" not in os.environ else "the hosted API"
        print(f"Synthesizing with {where} at {client.base_url}")
        started = time.perf_counter()
        save(client.tts.convert(text=TEXT, format="mp3"), output / "convert.mp3")
        wav = TTSConfig(format="wav", sample_rate=24000)
        save(client.tts.stream(text=TEXT, config=wav), output / "stream.wav")
        save(client.tts.stream_websocket(live_text(), format="opus"), output / "live.opus")
        elapsed = time.perf_counter() - started
    print(f"Wrote {len(files)} files in {elapsed:.1f} s:")
    for name, how in files.items():
        path = (output / name).resolve()
        print(f"  {path}  ({how}; {describe(path)})")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except FishAudioError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
