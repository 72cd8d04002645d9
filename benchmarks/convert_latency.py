"""Per-call ``tts.convert`` time for a short text, sync and async: one call at a time on a warm connection.

Against ``LocalServer`` (no pacing; the targets are judged here) the figure is what a user sees on
loopback: the server's own ~1-2 ms per request included. Against the stub server (the same audio, chunked
the same way, ~50 µs of server time) nearly all that is left is client overhead, so the ratios there show
the clients' own cost undiluted.

Targets: fishaudio-ext at most 1.1x raw httpx, and never slower than the official SDK.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Callable, Iterator

from .contenders import Speech, async_converts, sync_converts
from .runner import OFFICIAL, OURS, RAW_HTTPX, Check, Measure, Plan, Series, rotations
from .servers import Server, local_server, stub_server

SPEECH = Speech("Hello world.", "pcm", 8000)
# What LocalServer sends for SPEECH: 17,680 bytes in chunks of 0.2 s of audio (3,200 bytes).
STUB_BODY, STUB_CHUNK = 17_680, 3_200
WARM_UP = 20


def _checks() -> list[Check]:
    return [
        Check("fishaudio-ext / raw httpx", OURS, 1.1, reference=RAW_HTTPX),
        Check("fishaudio-ext / official SDK", OURS, 1.0, reference=OFFICIAL),
    ]


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    # A collection landing inside one contender's batch would be charged to it alone.
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _sync(server: Server, plan: Plan, key: str, title: str) -> Measure:
    series = {name: Series() for name in (RAW_HTTPX, OURS, OFFICIAL)}
    batch, repetitions = plan.pick(5, 100), plan.pick(2, 15)
    with sync_converts(server, SPEECH) as calls:
        expected = len(calls[RAW_HTTPX]())
        for call in calls.values():
            for _ in range(plan.pick(2, WARM_UP)):
                call()
        for _, name in rotations(list(calls), repetitions):
            call, out = calls[name], series[name]
            with _gc_paused():
                for _ in range(batch):
                    started = time.perf_counter()
                    try:
                        audio = call()
                    except Exception:
                        out.errors += 1
                        continue
                    out.values.append((time.perf_counter() - started) * 1e3)
                    if len(audio) != expected:
                        out.errors += 1
    return Measure(key, title, "ms per call", "lower", series)


def _async(server: Server, plan: Plan, key: str, title: str) -> Measure:
    series = {name: Series() for name in (RAW_HTTPX, OURS, OFFICIAL)}
    batch, repetitions = plan.pick(5, 100), plan.pick(2, 15)

    async def main() -> None:
        async with async_converts(server, SPEECH) as calls:
            expected = len(await calls[RAW_HTTPX]())
            for call in calls.values():
                for _ in range(plan.pick(2, WARM_UP)):
                    await call()
            for _, name in rotations(list(calls), repetitions):
                call, out = calls[name], series[name]
                with _gc_paused():
                    for _ in range(batch):
                        started = time.perf_counter()
                        try:
                            audio = await call()
                        except Exception:
                            out.errors += 1
                            continue
                        out.values.append((time.perf_counter() - started) * 1e3)
                        if len(audio) != expected:
                            out.errors += 1

    asyncio.run(main())
    return Measure(key, title, "ms per call", "lower", series)


def run(plan: Plan) -> list[Measure]:
    measures: list[Measure] = []
    servers: list[tuple[str, str, Callable[[], contextlib.AbstractContextManager[Server]]]] = [
        ("local", "LocalServer", local_server),
        ("stub", "stub server", lambda: stub_server(body_bytes=STUB_BODY, chunk_bytes=STUB_CHUNK)),
    ]
    for short, label, start in servers:
        with start() as server:
            for mode, measure in (("sync", _sync), ("async", _async)):
                result = measure(
                    server,
                    plan,
                    f"convert_{mode}_{short}",
                    f"convert() per call, {mode}, {label}: {SPEECH.text!r} as {SPEECH.format} "
                    f"{SPEECH.sample_rate} Hz",
                )
                if short == "local":
                    result.checks = _checks()
                else:
                    result.notes.append("client overhead isolated (server ~50 us/request); informative")
                measures.append(result)
    return measures
