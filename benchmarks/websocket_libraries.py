"""Compare WebSocket client libraries for ``/v1/tts/live``: websockets vs httpx-ws, sync and async.

One process, one loopback server (a ``websockets`` asyncio server in a thread, compression off), and the
clients interleaved A/B over several repetitions, in a rotating order, so that warm-up, CPU frequency
and background noise spread evenly over the contenders. Per client it reports:

* round-trip latency (p50/p99) of a small MessagePack ``text`` event and of a 16 KiB ``audio`` frame,
  each sent and echoed back one at a time;
* throughput: messages per second received while the server streams a burst of 16 KiB audio frames,
  the direction that matters for TTS;
* threads the client adds to the process during a session;
* connect time (TCP + WebSocket handshake; the httpx client is built once and reused, as the SDK does).

Run (httpx-ws is needed only here: ``pip install httpx-ws``)::

    .venv/bin/python benchmarks/websocket_libraries.py [--repetitions 7] [--round-trips 300] [--burst 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field

import httpx
import httpx_ws
import msgpack
import websockets.asyncio.client
import websockets.asyncio.server
import websockets.sync.client

TEXT_EVENT = msgpack.packb({"event": "text", "text": "Hello, world! "})
AUDIO_EVENT = msgpack.packb({"event": "audio", "audio": bytes(16 * 1024)})
MAX_SIZE = 16 * 1024 * 1024


def burst_request(count: int) -> bytes:
    return b"burst %d" % count


async def _handler(connection: websockets.asyncio.server.ServerConnection) -> None:
    """Echo every message, except ``burst N``, answered with N audio frames."""
    async for message in connection:
        assert isinstance(message, bytes)
        if message.startswith(b"burst "):
            for _ in range(int(message.split()[1])):
                await connection.send(AUDIO_EVENT)
        else:
            await connection.send(message)


@contextlib.contextmanager
def loopback_server() -> Iterator[str]:
    """Run the server on 127.0.0.1 in a thread of its own; yield its ws:// URL."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    stop = loop.create_future()
    url: list[str] = []

    async def serve() -> None:
        async with websockets.asyncio.server.serve(
            _handler, "127.0.0.1", 0, compression=None, max_size=MAX_SIZE
        ) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            url.append(f"ws://127.0.0.1:{port}/v1/tts/live")
            ready.set()
            await stop

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), name="bench-server")
    thread.start()
    ready.wait(10)
    try:
        yield url[0]
    finally:
        loop.call_soon_threadsafe(stop.set_result, None)
        thread.join(10)
        loop.close()


@dataclass
class Samples:
    """Everything measured for one client, over all repetitions."""

    text_rtt: list[float] = field(default_factory=list)
    audio_rtt: list[float] = field(default_factory=list)
    throughput: list[float] = field(default_factory=list)
    threads: list[int] = field(default_factory=list)
    connect: list[float] = field(default_factory=list)


@dataclass
class Plan:
    round_trips: int
    burst: int
    connects: int


# A session as the measurements see it: send bytes, receive a message.
SyncSession = tuple[Callable[[bytes], object], Callable[[], object]]
AsyncSession = tuple[Callable[[bytes], Awaitable[object]], Callable[[], Awaitable[object]]]


def _run_sync(session: contextlib.AbstractContextManager[SyncSession], plan: Plan, out: Samples) -> None:
    before = threading.active_count()
    with session as (send, receive):
        out.threads.append(threading.active_count() - before)
        for message, samples in ((TEXT_EVENT, out.text_rtt), (AUDIO_EVENT, out.audio_rtt)):
            for _ in range(plan.round_trips):
                started = time.perf_counter()
                send(message)
                receive()
                samples.append(time.perf_counter() - started)
        started = time.perf_counter()
        send(burst_request(plan.burst))
        for _ in range(plan.burst):
            receive()
        out.throughput.append(plan.burst / (time.perf_counter() - started))


async def _run_async(
    session: contextlib.AbstractAsyncContextManager[AsyncSession], plan: Plan, out: Samples
) -> None:
    before = threading.active_count()
    async with session as (send, receive):
        out.threads.append(threading.active_count() - before)
        for message, samples in ((TEXT_EVENT, out.text_rtt), (AUDIO_EVENT, out.audio_rtt)):
            for _ in range(plan.round_trips):
                started = time.perf_counter()
                await send(message)
                await receive()
                samples.append(time.perf_counter() - started)
        started = time.perf_counter()
        await send(burst_request(plan.burst))
        for _ in range(plan.burst):
            await receive()
        out.throughput.append(plan.burst / (time.perf_counter() - started))


@contextlib.contextmanager
def websockets_sync(url: str) -> Iterator[SyncSession]:
    with websockets.sync.client.connect(url, compression=None, max_size=MAX_SIZE) as ws:
        yield ws.send, ws.recv


@contextlib.asynccontextmanager
async def websockets_async(url: str) -> AsyncIterator[AsyncSession]:
    async with websockets.asyncio.client.connect(url, compression=None, max_size=MAX_SIZE) as ws:
        yield ws.send, ws.recv


@contextlib.contextmanager
def httpx_ws_sync(url: str, client: httpx.Client) -> Iterator[SyncSession]:
    ws: httpx_ws.WebSocketSession
    with httpx_ws.connect_ws(url, client) as ws:
        yield ws.send_bytes, ws.receive_bytes


@contextlib.asynccontextmanager
async def httpx_ws_async(url: str, client: httpx.AsyncClient) -> AsyncIterator[AsyncSession]:
    ws: httpx_ws.AsyncWebSocketSession
    async with httpx_ws.aconnect_ws(url, client) as ws:
        yield ws.send_bytes, ws.receive_bytes


def _time_connects_sync(
    open_session: Callable[[], contextlib.AbstractContextManager[object]], n: int
) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        with open_session():
            times.append(time.perf_counter() - started)
    return times


async def _time_connects_async(
    open_session: Callable[[], contextlib.AbstractAsyncContextManager[object]], n: int
) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        async with open_session():
            times.append(time.perf_counter() - started)
    return times


def run(repetitions: int, plan: Plan) -> dict[str, Samples]:
    results = {name: Samples() for name in CLIENTS}
    with loopback_server() as url, httpx.Client() as sync_client:
        for rep in range(repetitions):
            names = list(CLIENTS)
            names = names[rep % len(names) :] + names[: rep % len(names)]  # rotate who goes first
            for name in names:
                CLIENTS[name](url, sync_client, plan, results[name])
    return results


def _bench_websockets_sync(url: str, _client: httpx.Client, plan: Plan, out: Samples) -> None:
    _run_sync(websockets_sync(url), plan, out)
    out.connect += _time_connects_sync(lambda: websockets_sync(url), plan.connects)


def _bench_httpx_ws_sync(url: str, client: httpx.Client, plan: Plan, out: Samples) -> None:
    _run_sync(httpx_ws_sync(url, client), plan, out)
    out.connect += _time_connects_sync(lambda: httpx_ws_sync(url, client), plan.connects)


def _bench_websockets_async(url: str, _client: httpx.Client, plan: Plan, out: Samples) -> None:
    async def main() -> None:
        await _run_async(websockets_async(url), plan, out)
        out.connect += await _time_connects_async(lambda: websockets_async(url), plan.connects)

    asyncio.run(main())


def _bench_httpx_ws_async(url: str, _client: httpx.Client, plan: Plan, out: Samples) -> None:
    async def main() -> None:
        async with httpx.AsyncClient() as client:
            await _run_async(httpx_ws_async(url, client), plan, out)
            out.connect += await _time_connects_async(lambda: httpx_ws_async(url, client), plan.connects)

    asyncio.run(main())


CLIENTS: dict[str, Callable[[str, httpx.Client, Plan, Samples], None]] = {
    "websockets sync": _bench_websockets_sync,
    "httpx-ws sync": _bench_httpx_ws_sync,
    "websockets asyncio": _bench_websockets_async,
    "httpx-ws async": _bench_httpx_ws_async,
}


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(results: dict[str, Samples]) -> str:
    header = (
        f"{'client':<20} {'text p50/p99 µs':>17} {'16KiB p50/p99 µs':>18} {'msgs/s':>9} "
        f"{'threads':>8} {'connect p50 ms':>15}"
    )
    lines = [header, "-" * len(header)]
    for name, s in results.items():
        text = f"{_percentile(s.text_rtt, 0.5) * 1e6:.0f}/{_percentile(s.text_rtt, 0.99) * 1e6:.0f}"
        audio = f"{_percentile(s.audio_rtt, 0.5) * 1e6:.0f}/{_percentile(s.audio_rtt, 0.99) * 1e6:.0f}"
        lines.append(
            f"{name:<20} {text:>17} {audio:>18} {statistics.median(s.throughput):>9.0f} "
            f"{max(s.threads):>8} {statistics.median(s.connect) * 1e3:>15.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--round-trips", type=int, default=300, help="per message size and repetition")
    parser.add_argument("--burst", type=int, default=2000, help="16 KiB frames streamed per repetition")
    parser.add_argument("--connects", type=int, default=20, help="timed connects per repetition")
    args = parser.parse_args()
    plan = Plan(round_trips=args.round_trips, burst=args.burst, connects=args.connects)
    results = run(args.repetitions, plan)
    print(
        f"{args.repetitions} repetitions x {plan.round_trips} round trips per size, burst of {plan.burst} "
        f"16 KiB frames, {plan.connects} connects; loopback, compression off\n"
    )
    print(report(results))


if __name__ == "__main__":
    main()
