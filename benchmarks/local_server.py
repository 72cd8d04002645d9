"""The local server itself: how soon audio starts, how fast it is made, how much memory a long text takes.

* Time to first byte and total time of ``POST /v1/tts`` for 1k, 20k and 100k characters, per engine
  (``espeak``, ``fast``) and format, the server with ``Pacing.NONE`` in a child process of its own.
* Synthesis throughput: seconds of audio made (synthesized and encoded) per wall-clock second, per engine
  and format, in process; and the encoders alone on ready samples (mp3, opus).
* Peak RSS growth of the server's process for one 300k-character WAV request, per engine.
* The recognizer's word error rate (pocketsphinx, the server's ASR for audio it did not make) on the
  espeak engine's speech: a few everyday sentences in the default voice and each library voice.

Targets: first byte < 0.5 s for 20k characters with either engine; peak RSS growth < 100 MB for 300k
characters; mp3 and opus encoding at least 50x real time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from fishaudio_ext.server._library import LIBRARY_VOICES

from .runner import Check, Measure, Plan, Series

ENGINES = ("espeak", "fast")
FORMATS = ("mp3", "opus", "wav", "pcm")
TEXT = "The quick brown fox jumps over the lazy dog, and then it runs away into the woods. "

_CHILD = """
import json, resource, sys, time, httpx
from fishaudio_ext.server import LocalServer
engine, cases, rss_chars = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
text = {text!r}
def words(n):
    return (text * (n // len(text) + 1))[:n]
def request(http, n, fmt):
    started = time.perf_counter()
    first, size = None, 0
    with http.stream("POST", "/v1/tts", json={{"text": words(n), "format": fmt}}) as response:
        response.raise_for_status()
        for chunk in response.iter_raw():
            first = time.perf_counter() - started if first is None else first
            size += len(chunk)
    return first, time.perf_counter() - started, size
results = []
with LocalServer(api_key="k", engine=engine, max_text_length=max(rss_chars, 100_000), credit=10**6) as server:
    with httpx.Client(base_url=server.url, headers={{"Authorization": "Bearer k"}}, timeout=3600) as http:
        for fmt in {formats!r}:
            request(http, 200, fmt)  # warm-up: encoders, caches, the engine's library
        if rss_chars:
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            request(http, rss_chars, "wav")
            results.append(("rss", (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024))
        for n, fmt in cases:
            results.append(((n, fmt), request(http, n, fmt)))
print(json.dumps(results))
"""

_THROUGHPUT = """
import json, sys, time
from fishaudio_ext.server._engines import engine
from fishaudio_ext.server._synthesis import AudioSettings, SynthesisSession
from fishaudio_ext.server._codecs import encoder, default_sample_rate
name, chars = sys.argv[1], int(sys.argv[2])
text = ({text!r} * (chars // len({text!r}) + 1))[:chars]
made, encoding = {{}}, {{}}
for fmt in {formats!r}:
    rate = default_sample_rate(fmt)
    settings = AudioSettings(fmt, rate, 128, -1000, 1.0, 0.0, "normal", 300, 50)
    session = SynthesisSession(settings, engine(name))
    started = time.perf_counter()
    for _ in session.chunks(text):
        pass
    session.finish()
    made[fmt] = session.transcript.duration / (time.perf_counter() - started)
    if fmt in ("mp3", "opus"):
        pcm = engine(name).synthesize(text[:3000], sample_rate=rate).pcm
        enc = encoder(fmt, sample_rate=rate)
        started = time.perf_counter()
        for offset in range(0, len(pcm), 2 * rate // 5):
            enc.encode(pcm[offset : offset + 2 * rate // 5])
        enc.finish()
        encoding[fmt] = len(pcm) / 2 / rate / (time.perf_counter() - started)
print(json.dumps([made, encoding]))
"""


SENTENCES = (
    "Please call Stella and ask her to bring these things with her from the store.",
    "The quick brown fox jumps over the lazy dog.",
    "We will meet at the station at nine in the morning.",
    "She sells fresh bread and coffee at the market every day.",
    "Open the window because it is very warm in this room.",
)

_RECOGNITION = """
import json, sys
from fishaudio_ext.server._espeak import EspeakEngine, LIBRARY_STYLES
from fishaudio_ext.server._codecs import encoder
from fishaudio_ext.server._recognizer import recognize
sentences = {sentences!r}
def wav(pcm):
    enc = encoder("wav", sample_rate=16000)
    return enc.encode(pcm) + enc.finish()
def errors(reference, heard):
    ref = [w.strip(".,").lower() for w in reference.split()]
    hyp = heard.split()
    row = list(range(len(hyp) + 1))
    for i, expected in enumerate(ref, 1):
        diagonal, row[0] = row[0], i
        for j, got in enumerate(hyp, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (expected != got))
    return row[len(hyp)], len(ref)
engine = EspeakEngine()
result = {{}}
for voice in ["", *LIBRARY_STYLES]:
    wrong = total = 0
    for sentence in sentences:
        pcm = engine.synthesize(sentence, sample_rate=16000, voices=[voice] if voice else []).pcm
        e, n = errors(sentence, recognize(wav(pcm)).text)
        wrong, total = wrong + e, total + n
    result[voice or "default"] = 100 * wrong / total
print(json.dumps(result))
"""


def _child(code: str, *args: str) -> Any:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"the measuring process failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def run(plan: Plan) -> list[Measure]:
    sizes = (1_000, 2_000) if plan.quick else (1_000, 20_000, 100_000)
    rss_chars = 10_000 if plan.quick else 300_000
    key_size = sizes[1]
    ttfb: dict[str, Series] = {}
    total: dict[str, Series] = {}
    made: dict[str, Series] = {}
    encoding: dict[str, Series] = {}
    rss: dict[str, Series] = {}
    cases = [(n, fmt) for n in sizes for fmt in FORMATS]
    for name in ENGINES:
        code = _CHILD.format(text=TEXT, formats=FORMATS)
        for case, value in _child(code, name, json.dumps(cases), str(rss_chars)):
            if case == "rss":
                rss[f"{name}, {rss_chars // 1000}k characters (wav)"] = Series([value])
                continue
            n, fmt = case
            label = f"{name} {fmt} {n // 1000}k"
            ttfb[label] = Series([value[0]])
            total[label] = Series([value[1]])
        throughput, encoders = _child(_THROUGHPUT.format(text=TEXT, formats=FORMATS), name, "3000")
        for fmt, value in throughput.items():
            made[f"{name} {fmt}"] = Series([value])
        for fmt, value in encoders.items():
            encoding[f"{fmt} encoder ({name} speech)"] = Series([value])
    names = {voice.id: voice.title for voice in LIBRARY_VOICES}
    recognition = {
        f"voice {names.get(voice, voice)}": Series([value])
        for voice, value in _child(
            _RECOGNITION.format(sentences=SENTENCES[: 2 if plan.quick else None])
        ).items()
    }
    first_checks = [
        Check(f"{name} {fmt} first byte, {key_size // 1000}k chars", f"{name} {fmt} {key_size // 1000}k", 0.5)
        for name in ENGINES
        for fmt in FORMATS
    ]
    rss_checks = [Check(f"{label} peak RSS growth", label, 100) for label in rss]
    encoder_checks = [Check(f"{label} x real time", label, 50, at_most=False) for label in encoding]
    note = "LocalServer(pacing none) in a child process; one request per cell, after a warm-up per format"
    return [
        Measure(
            "server_ttfb", "local server: time to first audio byte", "s", "lower", ttfb, first_checks, [note]
        ),
        Measure("server_total", "local server: time to the last byte", "s", "lower", total, [], [note]),
        Measure(
            "server_throughput",
            "local server: audio made (synthesized + encoded) per second",
            "x real time",
            "higher",
            made,
            [],
            ["in process: SynthesisSession over 3,000 characters, default sample rate of each format"],
        ),
        Measure(
            "server_encoding",
            "local server: encoders alone on ready samples",
            "x real time",
            "higher",
            encoding,
            encoder_checks,
            ["0.2 s pieces, as the server feeds them"],
        ),
        Measure(
            "server_asr_wer",
            "local server: recognizer's word error rate on espeak-ng speech (pocketsphinx, en-us model)",
            "%",
            "lower",
            recognition,
            [],
            [f"{len(SENTENCES)} everyday sentences per voice, 16 kHz WAV; no target: reported as measured"],
        ),
        Measure(
            "server_rss", "local server: peak RSS growth for one long request", "MB", "lower", rss, rss_checks
        ),
    ]
