"""Async throughput: 200 ``convert`` calls started at once with ``asyncio.gather`` on one client, in rounds.

Every contender keeps its client (and connection pool) for the whole measure; a round's figure is 200
divided by the time until the last call returned. Errors (exceptions, short audio) are counted.

``LocalServer`` cannot be the judge here: on this machine it serves a few hundred requests per second
(validation, synthesis, SQLite, uvicorn on h11), so every fast client would just measure the server.
The stub server answers the same request with the same chunked audio in ~50 µs, and the raw aiohttp row
shows how far a client can go against it. Both servers are reported; the target is judged on the stub.

Besides the three usual contenders: raw aiohttp, and both SDKs given an aiohttp-backed httpx client
(``httpx_aiohttp.HttpxAiohttpClient``) through their ``httpx_client`` argument, the fix for httpx's slow
async pool (encode/httpx#3215) that openai-python ships as ``DefaultAioHttpClient``. These rows need
``pip install aiohttp httpx-aiohttp`` and are skipped without them.

Target: fishaudio-ext at least 3x the official SDK, with zero errors.
"""

from __future__ import annotations

import asyncio
import time

from .contenders import (
    AIOHTTP_RAW,
    OFFICIAL_AIOHTTP,
    OURS_AIOHTTP,
    Speech,
    aiohttp_missing,
    async_converts,
)
from .runner import OFFICIAL, OURS, RAW_HTTPX, Check, Measure, Plan, Series, rotations
from .servers import Server, local_server, stub_server

SPEECH = Speech("Hello world.", "pcm", 8000)
STUB_BODY, STUB_CHUNK = 17_680, 3_200  # what LocalServer sends for SPEECH
NAMES = (RAW_HTTPX, OURS, OFFICIAL, AIOHTTP_RAW, OURS_AIOHTTP, OFFICIAL_AIOHTTP)


def _measure(server: Server, plan: Plan, concurrency: int) -> dict[str, Series]:
    series = {name: Series() for name in NAMES}
    missing = aiohttp_missing()
    if missing is not None:
        for name in (AIOHTTP_RAW, OURS_AIOHTTP, OFFICIAL_AIOHTTP):
            series[name].skipped = missing

    async def main() -> None:
        async with async_converts(server, SPEECH, aiohttp=True) as calls:
            expected = len(await calls[RAW_HTTPX]())

            async def round_of(name: str) -> tuple[float, int]:
                call = calls[name]
                started = time.perf_counter()
                results = await asyncio.gather(*(call() for _ in range(concurrency)), return_exceptions=True)
                elapsed = time.perf_counter() - started
                errors = sum(1 for r in results if isinstance(r, BaseException) or len(r) != expected)
                return concurrency / elapsed, errors

            for name in calls:  # warm-up: connections opened, lazy set-up done
                await round_of(name)
            for _, name in rotations(list(calls), plan.pick(1, 6)):
                rate, errors = await round_of(name)
                series[name].values.append(rate)
                series[name].errors += errors

    asyncio.run(main())
    return series


def run(plan: Plan) -> list[Measure]:
    concurrency = plan.pick(20, 200)
    measures = []
    servers = [
        ("stub", "stub server", lambda: stub_server(body_bytes=STUB_BODY, chunk_bytes=STUB_CHUNK)),
        ("local", "LocalServer", local_server),
    ]
    for short, label, start in servers:
        with start() as server:
            measure = Measure(
                f"throughput_{short}",
                f"async throughput, {concurrency} concurrent convert() calls, {label}",
                "req/s",
                "higher",
                _measure(server, plan, concurrency),
                details={"baseline": RAW_HTTPX, "concurrency": concurrency},
            )
        if short == "stub":
            measure.checks = [
                Check("fishaudio-ext / official SDK", OURS, 3.0, reference=OFFICIAL, at_most=False)
            ]
            proposed = measure.series[OURS_AIOHTTP].median
            official = measure.series[OFFICIAL].median
            if proposed and official:
                ratio = proposed / official
                measure.notes.append(
                    f"with the aiohttp transport fishaudio-ext reaches {ratio:.2f}x the official SDK"
                )
        else:
            measure.notes.append("server-bound: LocalServer's own capacity caps every client; informative")
        measures.append(measure)
    return measures
