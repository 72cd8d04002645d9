"""A 50,000-character text through ``client.tts.convert_long`` at concurrency 1 and 5.

The server is ``LocalServer`` with realistic pacing (first audio after 0.5 s, then three seconds of audio
per second) and the hosted starter tier's limit of 5 concurrent requests, in its own process. Each sample
is a fresh client process (``python -m benchmarks.long_text child ...``) that makes a warm-up request,
resets its peak RSS, synthesizes the whole text as MP3 and reports the wall time, the peak resident
memory above idle (``VmHWM``) and the requests it sent (counted by an httpx event hook).

Target: at least 4x faster at concurrency 5 than at 1. ``--quick`` speaks 300 characters in pieces of 100.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from fishaudio_ext.longform import DEFAULT_MAX_CHARS

from .runner import OURS, Check, Measure, Plan, Series
from .servers import ROOT, child_env

PARAGRAPH = (
    "The lighthouse keeper climbed the narrow stairs at dusk, as he had done for thirty years. "
    "He trimmed the wick, wound the clockwork, and polished the great lens until it shone. "
    "Far out at sea the ships passed by, their lights small and steady against the dark water. "
)
CONCURRENCY = (1, 5)
MIB = 1024 * 1024


def _text(characters: int) -> str:
    paragraphs = []
    while sum(len(p) + 2 for p in paragraphs) < characters:
        paragraphs.append(PARAGRAPH.strip())
    return "\n\n".join(paragraphs)[:characters]


@contextlib.contextmanager
def _paced_server() -> Iterator[tuple[str, str]]:
    key = f"bench-{secrets.token_urlsafe(12)}"
    command = [sys.executable, "-m", "fishaudio_ext.cli"]
    args = ["serve", "--port", "0", "--key", key, "--pacing", "realistic", "--concurrency", "5"]
    args += ["--credit", "1000000", "--log-level", "warning"]
    process = subprocess.Popen(
        [*command, *args], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=child_env()
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        if "listening on" not in first:
            raise RuntimeError("the local server did not start")
        yield first.split("listening on", 1)[1].strip(), key
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _child(url: str, api_key: str, characters: int, max_chars: int, concurrency: int) -> dict[str, float]:
    import httpx

    from fishaudio_ext import FishAudio

    sent = [0]

    def count(request: httpx.Request) -> None:
        if request.url.path == "/v1/tts":
            sent[0] += 1

    http = httpx.Client(event_hooks={"request": [count]}, timeout=600)
    client = FishAudio(api_key=api_key, base_url=url, httpx_client=http)
    client.tts.convert_long(text="Warm up.")
    sent[0] = 0
    idle = _status("VmRSS")
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
    started = time.perf_counter()
    text = _text(characters)
    audio = client.tts.convert_long(text=text, format="mp3", max_chars=max_chars, max_concurrency=concurrency)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak": _status("VmHWM") - idle, "requests": sent[0], "bytes": len(audio)}


def run(plan: Plan) -> list[Measure]:
    characters = plan.pick(300, 50_000)
    max_chars = plan.pick(100, DEFAULT_MAX_CHARS)  # a quick run still has pieces to overlap
    names = {1: "concurrency 1", 5: OURS}
    series = {name: Series() for name in names.values()}
    samples: dict[str, dict[str, float]] = {}
    with _paced_server() as (url, key):
        for concurrency, name in names.items():
            command = [sys.executable, "-m", "benchmarks.long_text", "child", url, key]
            try:
                result = subprocess.run(
                    [*command, str(characters), str(max_chars), str(concurrency)],
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                    env=child_env(),
                    timeout=3600,
                    check=True,
                )
            except subprocess.SubprocessError:
                series[name].errors += 1
                continue
            sample = json.loads(result.stdout.strip().splitlines()[-1])
            samples[name] = sample
            series[name].values.append(sample["seconds"])
            series[name].note = f"peak RSS +{sample['peak'] / MIB:.0f} MiB, {sample['requests']} requests"
    measure = Measure(
        "long_text",
        f"wall time of convert_long on {characters:,} characters, realistic pacing (ours: concurrency 5)",
        "s",
        "lower",
        series,
        # At least 4x faster at concurrency 5: its wall time at most a quarter of the time at 1.
        checks=[Check("time at concurrency 5 / at 1", OURS, 0.25, reference=names[1])],
        notes=[
            "LocalServer in its own process: realistic pacing, 5 concurrent requests per key",
            "a fresh client process per sample; MP3; peak RSS above the idle client",
        ],
        details={"characters": characters, "samples": samples},
    )
    return [measure]


def main() -> None:
    parser = argparse.ArgumentParser(description="One convert_long sample (run by benchmarks.long_text).")
    parser.add_argument("mode", choices=["child"])
    parser.add_argument("url")
    parser.add_argument("api_key")
    parser.add_argument("characters", type=int)
    parser.add_argument("max_chars", type=int)
    parser.add_argument("concurrency", type=int)
    args = parser.parse_args()
    print(json.dumps(_child(args.url, args.api_key, args.characters, args.max_chars, args.concurrency)))


if __name__ == "__main__":
    main()
