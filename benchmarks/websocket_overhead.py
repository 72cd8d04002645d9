"""WebSocket per-frame overhead: a ``/v1/tts/live`` session of 500 ``text`` events and 500 ``audio`` frames.

The server (``benchmarks.servers.live_server``: the tests' scripted ``LiveServer``, in its own process)
speaks the protocol and nothing more: each ``text`` event is answered at once with one 4 KiB ``audio``
frame, ``stop`` with ``finish``. So a session's time is the clients' own work: connect and handshake,
encoding and sending the text events, receiving, decoding and handing over the audio. The figure is the
session time divided by the 1,000 frames. It measures client overhead without the local server's
synthesis, which is also why it does not need ``LocalServer``'s ``/v1/tts/live`` endpoint.

* bare websockets: the same protocol written directly on ``websockets`` (asyncio; sync with a sender
  thread): msgpack ``start``, one ``text`` frame per item, ``stop``; decode until ``finish``.
* fishaudio-ext: ``tts.stream_websocket(texts)`` of ``AsyncFishAudio`` / ``FishAudio``.
* official SDK: ``tts.stream_websocket(texts)`` (httpx-ws; the sync one sends from a thread pool).

Target: fishaudio-ext within 1.2x the bare client.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import msgpack
import websockets.asyncio.client
import websockets.sync.client

from .contenders import MODEL
from .runner import BARE_WS, OFFICIAL, OURS, Check, Measure, Plan, Series, rotations
from .servers import Server, live_server

AUDIO_BYTES = 4096
LIVE_PATH = "/v1/tts/live"


def _texts(count: int) -> list[str]:
    return [f"token {index} " for index in range(count)]


def _start_frame() -> bytes:
    request = {"text": "", "format": "pcm", "sample_rate": 8000, "latency": "balanced"}
    frame: bytes = msgpack.packb({"event": "start", "request": request})
    return frame


def _bare_headers(server: Server) -> list[tuple[str, str]]:
    return [("Authorization", f"Bearer {server.api_key}"), ("model", MODEL)]


def _check(received: int, count: int) -> None:
    if received != count * AUDIO_BYTES:
        raise RuntimeError(f"received {received} bytes of audio, expected {count * AUDIO_BYTES}")


def _sync_sessions(server: Server, count: int) -> dict[str, Callable[[], None]]:
    import fishaudio

    import fishaudio_ext

    texts = _texts(count)
    url = server.ws_url + LIVE_PATH
    ours = fishaudio_ext.FishAudio(api_key=server.api_key, base_url=server.url)
    official = fishaudio.FishAudio(api_key=server.api_key, base_url=server.url)

    def bare() -> None:
        with websockets.sync.client.connect(
            url, additional_headers=_bare_headers(server), compression=None, max_size=None
        ) as ws:

            def send_all() -> None:
                ws.send(_start_frame())
                for text in texts:
                    ws.send(msgpack.packb({"event": "text", "text": text}))
                ws.send(msgpack.packb({"event": "stop"}))

            sender = threading.Thread(target=send_all)
            sender.start()
            received = 0
            while True:
                event: dict[str, Any] = msgpack.unpackb(ws.recv())
                if event["event"] == "audio":
                    received += len(event["audio"])
                elif event["event"] == "finish":
                    break
            sender.join()
        _check(received, count)

    def run_ours() -> None:
        with ours.tts.stream_websocket(texts, format="pcm", model=MODEL) as audio:
            _check(sum(len(chunk) for chunk in audio), count)

    def run_official() -> None:
        _check(
            sum(len(chunk) for chunk in official.tts.stream_websocket(texts, format="pcm", model=MODEL)),
            count,
        )

    return {BARE_WS: bare, OURS: run_ours, OFFICIAL: run_official}


def _async_sessions(server: Server, count: int) -> dict[str, Callable[[], Any]]:
    import fishaudio

    import fishaudio_ext

    texts = _texts(count)
    url = server.ws_url + LIVE_PATH

    async def text_stream() -> AsyncIterator[str]:
        for text in texts:
            yield text

    async def bare() -> None:
        async with websockets.asyncio.client.connect(
            url, additional_headers=_bare_headers(server), compression=None, max_size=None
        ) as ws:

            async def send_all() -> None:
                await ws.send(_start_frame())
                for text in texts:
                    await ws.send(msgpack.packb({"event": "text", "text": text}))
                await ws.send(msgpack.packb({"event": "stop"}))

            sender = asyncio.create_task(send_all())
            received = 0
            while True:
                event: dict[str, Any] = msgpack.unpackb(await ws.recv())
                if event["event"] == "audio":
                    received += len(event["audio"])
                elif event["event"] == "finish":
                    break
            await sender
        _check(received, count)

    # Built once, as applications do (an httpx client costs ~20 ms of SSL set-up); the official SDK's is
    # built here too, inside the running loop, where it will be used.
    ours = fishaudio_ext.AsyncFishAudio(api_key=server.api_key, base_url=server.url)
    official = fishaudio.AsyncFishAudio(api_key=server.api_key, base_url=server.url)

    async def run_ours() -> None:
        received = 0
        async with ours.tts.stream_websocket(text_stream(), format="pcm", model=MODEL) as audio:
            async for chunk in audio:
                received += len(chunk)
        _check(received, count)

    async def run_official() -> None:
        received = 0
        async for chunk in official.tts.stream_websocket(text_stream(), format="pcm", model=MODEL):
            received += len(chunk)
        _check(received, count)

    return {BARE_WS: bare, OURS: run_ours, OFFICIAL: run_official}


def _sample(series: Series, run: Callable[[], None], frames: int) -> None:
    started = time.perf_counter()
    try:
        run()
    except Exception:
        series.errors += 1
        return
    series.values.append((time.perf_counter() - started) / frames * 1e6)


def run(plan: Plan) -> list[Measure]:
    count = plan.pick(50, 500)
    sessions = plan.pick(2, 40)
    frames = 2 * count
    measures = []
    with live_server(audio_bytes=AUDIO_BYTES) as server:
        sync_series = {name: Series() for name in (BARE_WS, OURS, OFFICIAL)}
        sync_runs = _sync_sessions(server, count)
        for run_session in sync_runs.values():  # warm-up
            run_session()
        for _, name in rotations(list(sync_runs), sessions):
            _sample(sync_series[name], sync_runs[name], frames)

        async_series = {name: Series() for name in (BARE_WS, OURS, OFFICIAL)}

        async def main() -> None:
            async_runs = _async_sessions(server, count)
            for run_session in async_runs.values():
                await run_session()
            for _, name in rotations(list(async_runs), sessions):
                started = time.perf_counter()
                try:
                    await async_runs[name]()
                except Exception:
                    async_series[name].errors += 1
                    continue
                async_series[name].values.append((time.perf_counter() - started) / frames * 1e6)

        asyncio.run(main())
    for mode, series in (("async", async_series), ("sync", sync_series)):
        measures.append(
            Measure(
                f"websocket_{mode}",
                f"WebSocket session, {mode}: {count} text events + {count} audio frames of {AUDIO_BYTES} B",
                "us per frame",
                "lower",
                series,
                checks=[Check("fishaudio-ext / bare websockets", OURS, 1.2, reference=BARE_WS)],
                notes=["session time (connect to finish) / frames; protocol-only server in its own process"],
                details={"baseline": BARE_WS, "text_events": count, "audio_frames": count},
            )
        )
    return measures
