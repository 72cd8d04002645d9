"""Time to the first audio byte of a paced stream: the server sends the first chunk at once and spreads the
rest over 2 s (``Pacing(spread=2.0)``), so a client that buffers anything before yielding shows it at once.

Each sample starts the request and stops the clock when the first non-empty chunk reaches the caller;
the stream is then closed, which drops its connection, so every sample of every contender opens a fresh
connection (the same TCP setup for all). The official SDK 1.3.0 reads the whole body before its
``stream()`` returns, so its first byte comes after the full 2 s: it gets a few samples only.

Judged against ``LocalServer`` (``Pacing(spread=2.0)``); the stub server (same chunks, same pacing) shows
the clients' overhead without the server's ~1 ms of validation and synthesis.

Target: fishaudio-ext within 1.05x raw httpx.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable

from .contenders import MODEL, Speech, open_async_clients, open_clients, raw_request
from .runner import OFFICIAL, OURS, RAW_HTTPX, Check, Measure, Plan, Series, rotations
from .servers import Server, local_server, stub_server

SPREAD = 2.0
QUICK_SPREAD = 0.25  # --quick: the same shape, shorter, so the official SDK's samples take less time
SPEECH = Speech("Hello world, this is a test.", "pcm", 44100)
# What LocalServer sends for SPEECH: 200,620 bytes in pieces of 0.2 s (17,640 bytes).
STUB_BODY, STUB_CHUNK = 200_620, 17_640


def _limits(plan: Plan) -> tuple[int, int]:
    """Samples per contender, and for the official SDK (2 s each)."""
    return plan.pick(2, 40), plan.pick(1, 3)


def _sync(server: Server, plan: Plan) -> dict[str, Series]:

    url, body, headers = raw_request(server, SPEECH)
    series = {name: Series() for name in (RAW_HTTPX, OURS, OFFICIAL)}
    with contextlib.ExitStack() as stack:
        raw, ours, official, ours_config, official_config = open_clients(stack, server, SPEECH.sample_rate)

        def first_raw() -> float:
            started = time.perf_counter()
            with raw.stream("POST", url, content=body(), headers=headers) as response:
                response.raise_for_status()
                for chunk in response.iter_bytes():
                    if chunk:
                        return time.perf_counter() - started
            raise RuntimeError("no audio")

        def first_ours() -> float:
            started = time.perf_counter()
            with ours.tts.stream(text=SPEECH.text, format="pcm", config=ours_config, model=MODEL) as audio:
                # Hold the iterator, as a ``for`` loop does: a discarded one closes the stream at once, and
                # that close would be timed.
                chunks = iter(audio)
                next(chunks)
                return time.perf_counter() - started

        def first_official() -> float:
            started = time.perf_counter()
            audio = official.tts.stream(
                text=SPEECH.text,
                format="pcm",
                config=official_config,
                model=MODEL,
            )
            chunks = iter(audio)
            next(chunks)
            elapsed = time.perf_counter() - started
            for _ in chunks:
                pass
            return elapsed

        firsts: dict[str, Callable[[], float]] = {
            RAW_HTTPX: first_raw,
            OURS: first_ours,
            OFFICIAL: first_official,
        }
        _sample_sync(firsts, series, plan)
    return series


def _sample_sync(firsts: dict[str, Callable[[], float]], series: dict[str, Series], plan: Plan) -> None:
    samples, official_samples = _limits(plan)
    for name, first in firsts.items():  # warm-up: imports, lazy set-up, the server's caches
        if name != OFFICIAL:  # it has nothing to warm that its seconds-long samples would notice
            first()
    for rep, name in rotations(list(firsts), samples):
        if name == OFFICIAL and rep >= official_samples:
            continue
        try:
            series[name].values.append(firsts[name]() * 1e3)
        except Exception:
            series[name].errors += 1


def _async(server: Server, plan: Plan) -> dict[str, Series]:

    url, body, headers = raw_request(server, SPEECH)
    series = {name: Series() for name in (RAW_HTTPX, OURS, OFFICIAL)}
    samples, official_samples = _limits(plan)

    async def main() -> None:
        async with contextlib.AsyncExitStack() as stack:
            raw, ours, official, ours_config, official_config = await open_async_clients(
                stack, server, SPEECH.sample_rate
            )

            async def first_raw() -> float:
                started = time.perf_counter()
                async with raw.stream("POST", url, content=body(), headers=headers) as response:
                    response.raise_for_status()
                    async for chunk in response.aiter_bytes():
                        if chunk:
                            return time.perf_counter() - started
                raise RuntimeError("no audio")

            async def first_ours() -> float:
                started = time.perf_counter()
                audio = await ours.tts.stream(text=SPEECH.text, format="pcm", config=ours_config, model=MODEL)
                async with audio:
                    chunks = audio.__aiter__()
                    await chunks.__anext__()
                    return time.perf_counter() - started

            async def first_official() -> float:
                started = time.perf_counter()
                audio = await official.tts.stream(
                    text=SPEECH.text,
                    format="pcm",
                    config=official_config,
                    model=MODEL,
                )
                iterator = audio.__aiter__()
                await iterator.__anext__()
                elapsed = time.perf_counter() - started
                async for _ in iterator:
                    pass
                return elapsed

            firsts: dict[str, Callable[[], Awaitable[float]]] = {
                RAW_HTTPX: first_raw,
                OURS: first_ours,
                OFFICIAL: first_official,
            }
            for name, first in firsts.items():
                if name != OFFICIAL:
                    await first()
            for rep, name in rotations(list(firsts), samples):
                if name == OFFICIAL and rep >= official_samples:
                    continue
                try:
                    series[name].values.append(await firsts[name]() * 1e3)
                except Exception:
                    series[name].errors += 1

    asyncio.run(main())
    return series


def run(plan: Plan) -> list[Measure]:
    measures = []
    spread = QUICK_SPREAD if plan.quick else SPREAD
    servers = [
        ("local", f"LocalServer Pacing(spread={spread:g})", lambda: local_server(spread=spread)),
        (
            "stub",
            f"stub server, spread {spread:g} s",
            lambda: stub_server(body_bytes=STUB_BODY, chunk_bytes=STUB_CHUNK, spread=spread),
        ),
    ]
    for short, label, start in servers:
        with start() as server:
            for mode, sample in (("sync", _sync), ("async", _async)):
                measure = Measure(
                    f"ttfb_{mode}_{short}",
                    f"time to first audio byte, {mode}, {label}",
                    "ms",
                    "lower",
                    sample(server, plan),
                    notes=[
                        "a fresh connection per sample (the stream is closed after its first chunk)",
                    ],
                )
                measure.series[OFFICIAL].note = "stream() reads the whole body before returning"
                if short == "local":
                    measure.checks = [Check("fishaudio-ext / raw httpx", OURS, 1.05, reference=RAW_HTTPX)]
                else:
                    measure.notes.append("client overhead isolated; informative")
                measures.append(measure)
    return measures
