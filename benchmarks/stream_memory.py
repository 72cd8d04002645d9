"""Peak memory while streaming 512 MiB of audio from ``LocalServer`` to a file.

Each sample is a fresh child process (``python -m benchmarks.stream_memory child ...``) that imports its
client, builds it and makes one short warm-up request; its resident memory then is the idle figure. It
resets the peak (``/proc/self/clear_refs``), streams the audio to a temporary file, and reports the peak
(``VmHWM``) minus the idle RSS. The server runs in its own process, so its memory (it renders the whole
audio at once) is not counted. The audio is a long repeated sentence as 16-bit PCM at 44.1 kHz: the
server produces it at several hundred MB/s, so synthesis is not the bottleneck.

* raw httpx: ``client.stream(...)`` and ``iter_bytes()`` written chunk by chunk;
* fishaudio-ext: ``save(client.tts.stream(...), path)``;
* official SDK: iterating ``client.tts.stream(...)`` into the file (it reads the whole body first).

Target: fishaudio-ext under 50 MB above the idle process.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .runner import OFFICIAL, OURS, RAW_HTTPX, Check, Measure, Plan, Series, rotations
from .servers import ROOT, Server, child_env, local_server

SENTENCE = "Hello world, this is a test. "
BYTES_PER_SENTENCE = 203_000  # PCM 44.1 kHz produced per SENTENCE, a little under the real ~203.5 kB
SAMPLE_RATE = 44100
MIB = 1024 * 1024
CONTENDERS = {"raw": RAW_HTTPX, "ours": OURS, "official": OFFICIAL}


def _status(field: str) -> int:
    """A ``/proc/self/status`` field in bytes (VmRSS, VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak() -> bool:
    """Make VmHWM start again from the current RSS (Linux >= 4.0); False where that is not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _child(contender: str, url: str, api_key: str, size: int, out: str) -> dict[str, float]:
    text = SENTENCE * math.ceil(size / BYTES_PER_SENTENCE)
    if contender == "raw":
        import httpx
        import msgpack

        client = httpx.Client(timeout=600)
        headers = {
            "Authorization": f"Bearer {api_key}",
            "Content-Type": "application/msgpack",
            "model": "s2-pro",
        }

        def stream(text: str, path: str) -> None:
            body = msgpack.packb({"text": text, "format": "pcm", "sample_rate": SAMPLE_RATE})
            with (
                client.stream("POST", url + "/v1/tts", content=body, headers=headers) as response,
                open(path, "wb") as file,
            ):
                response.raise_for_status()
                for chunk in response.iter_bytes():
                    file.write(chunk)

    elif contender == "ours":
        from fishaudio_ext import FishAudio, TTSConfig
        from fishaudio_ext.utils import save

        ours = FishAudio(api_key=api_key, base_url=url)
        config = TTSConfig(sample_rate=SAMPLE_RATE)

        def stream(text: str, path: str) -> None:
            save(ours.tts.stream(text=text, format="pcm", config=config, model="s2-pro"), path)

    else:
        import fishaudio

        official = fishaudio.FishAudio(api_key=api_key, base_url=url, timeout=600)
        official_config = fishaudio.TTSConfig(sample_rate=SAMPLE_RATE)

        def stream(text: str, path: str) -> None:
            audio = official.tts.stream(text=text, format="pcm", config=official_config, model="s2-pro")
            with open(path, "wb") as file:
                for chunk in audio:
                    file.write(chunk)

    stream("Warm up.", out)  # connection open, lazy imports done: the idle state of a working client
    idle = _status("VmRSS")
    reset = _reset_peak()
    started = time.perf_counter()
    stream(text, out)
    seconds = time.perf_counter() - started
    peak = _status("VmHWM")
    written = os.path.getsize(out)
    return {"idle": idle, "peak": peak, "reset": reset, "bytes": written, "seconds": seconds}


def _sample(server: Server, contender: str, size: int, directory: str) -> dict[str, float]:
    out = os.path.join(directory, f"{contender}.pcm")
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.stream_memory",
                "child",
                contender,
                server.url,
                server.api_key,
                str(size),
                out,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=child_env(),
            timeout=600,
            check=True,
        )
    finally:
        if os.path.exists(out):
            os.remove(out)
    sample: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return sample


def run(plan: Plan) -> list[Measure]:
    size = plan.pick(4, 512) * MIB
    repetitions = plan.pick(1, 2)
    series = {name: Series() for name in CONTENDERS.values()}
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in CONTENDERS.values()}
    with local_server() as server, tempfile.TemporaryDirectory(prefix="fishaudio-bench-") as directory:
        for _, contender in rotations(list(CONTENDERS), repetitions):
            name = CONTENDERS[contender]
            try:
                sample = _sample(server, contender, size, directory)
            except (subprocess.SubprocessError, ValueError, IndexError):
                series[name].errors += 1
                continue
            samples[name].append(sample)
            series[name].values.append((sample["peak"] - sample["idle"]) / MIB)
            if sample["bytes"] < size:
                series[name].errors += 1
    for name, runs in samples.items():
        if runs:
            idle = sum(run["idle"] for run in runs) / len(runs) / MIB
            speed = sum(run["bytes"] / run["seconds"] for run in runs) / len(runs) / MIB
            series[name].note = f"idle RSS {idle:.0f} MiB, {speed:.0f} MiB/s"
    measure = Measure(
        "stream_memory",
        f"peak RSS above idle while streaming {size // MIB} MiB of PCM to a file",
        "MiB",
        "lower",
        series,
        checks=[Check("fishaudio-ext peak above idle (MiB)", OURS, 50.0)],
        notes=["server in its own process; a fresh client process per sample"],
        details={"bytes": size, "samples": samples},
    )
    return [measure]


def main() -> None:
    parser = argparse.ArgumentParser(
        description="One stream-to-file sample (run by benchmarks.stream_memory)."
    )
    parser.add_argument("mode", choices=["child"])
    parser.add_argument("contender", choices=sorted(CONTENDERS))
    parser.add_argument("url")
    parser.add_argument("api_key")
    parser.add_argument("bytes", type=int)
    parser.add_argument("out")
    args = parser.parse_args()
    print(json.dumps(_child(args.contender, args.url, args.api_key, args.bytes, args.out)))


if __name__ == "__main__":
    main()
