"""The servers the benchmarks talk to, each in a process of its own so that its CPU and memory stay out of
the client's measurements. Every contender of a measure talks to the same server.

* :func:`local_server`: the project's ``LocalServer`` (``python -m benchmarks.servers http ...``), with the
  pacing, concurrency limit and credit a measure needs.
* :func:`stub_server`: ``tests.support.minimal_api`` (``python -m benchmarks.servers stub ...``), answering
  ``POST /v1/tts`` with a fixed body chunked like ``LocalServer``'s audio at a few tens of microseconds a
  request, so that the clients, not the server, set the pace (its docstring says why neither
  ``LocalServer`` nor the tests' scripted API can do that).
* :func:`live_server`: the tests' scripted ``/v1/tts/live``, ``tests.support.live_server.LiveServer``
  (``python -m benchmarks.servers live ...``), answering each ``text`` event with one ``audio`` frame and
  ``stop`` with ``finish``, and nothing else, so that a session's time is the clients' own overhead, not
  the local server's synthesis.

Each prints ``<url> <api key>`` on one line once it accepts connections.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent
CREDIT_USD = "1000000000"  # enough for millions of requests: a 402 must never end a measure
NO_LIMIT = 1_000_000  # concurrent requests per key: the hosted limit (5) would throttle the clients
NO_TEXT_LIMIT = 10_000_000  # characters per request: the memory benchmark streams 512 MiB from one request


@attrs.frozen
class Server:
    """A running server process: where it listens and the key it accepts."""

    url: str
    api_key: str

    @property
    def ws_url(self) -> str:
        return "ws" + self.url.removeprefix("http")


def child_env() -> dict[str, str]:
    """The environment of a benchmark subprocess: ``benchmarks`` importable, output unbuffered."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


@contextlib.contextmanager
def _server_process(args: Sequence[str]) -> Iterator[Server]:
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.servers", *args],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=child_env(),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().split()
        if len(line) != 2:
            raise RuntimeError(f"the benchmark server did not start ({' '.join(args)})")
        yield Server(url=line[0], api_key=line[1])
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def local_server(
    *, spread: float | None = None, live_handshake_delay: float = 0.0
) -> contextlib.AbstractContextManager[Server]:
    """``LocalServer`` in a subprocess: no pacing, or the first chunk at once, the rest over ``spread`` s;
    each ``/v1/tts/live`` handshake held ``live_handshake_delay`` s."""
    args = ["http", "--live-handshake-delay", str(live_handshake_delay)]
    return _server_process([*args, *([] if spread is None else ["--spread", str(spread)])])


def stub_server(
    *, body_bytes: int, chunk_bytes: int, spread: float | None = None
) -> contextlib.AbstractContextManager[Server]:
    """The scripted API in a subprocess: ``body_bytes`` of audio per request in ``chunk_bytes`` chunks,
    all at once or the first at once and the rest over ``spread`` seconds."""
    args = ["stub", "--body-bytes", str(body_bytes), "--chunk-bytes", str(chunk_bytes)]
    return _server_process([*args, *([] if spread is None else ["--spread", str(spread)])])


def live_server(*, audio_bytes: int) -> contextlib.AbstractContextManager[Server]:
    """The scripted ``/v1/tts/live`` server in a subprocess, with ``audio_bytes`` of audio per text event."""
    return _server_process(["live", "--audio-bytes", str(audio_bytes)])


# --- inside the server process ---------------------------------------------------------------------------


def _serve_http(spread: float | None, live_handshake_delay: float) -> None:
    from fishaudio_ext.server import LocalServer, Pacing

    server = LocalServer(
        api_key=secrets.token_urlsafe(16),
        pacing=Pacing.NONE if spread is None else Pacing(spread=spread),
        concurrency_limit=NO_LIMIT,
        max_text_length=NO_TEXT_LIMIT,
        credit=CREDIT_USD,
        log_level="error",
        live_handshake_delay=live_handshake_delay,
    )

    def announce(started: LocalServer) -> None:
        print(started.url, started.api_key, flush=True)

    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        server.run(on_started=announce)


def _serve_stub(body_bytes: int, chunk_bytes: int, spread: float | None) -> None:
    from tests.support.minimal_api import serve_fixed_audio

    def announce(url: str, api_key: str) -> None:
        print(url, api_key, flush=True)

    signal.signal(signal.SIGTERM, _exit_now)
    asyncio.run(
        serve_fixed_audio(body_bytes=body_bytes, chunk_bytes=chunk_bytes, spread=spread, ready=announce)
    )


def _serve_live(audio_bytes: int) -> None:
    from tests.support.live_server import LiveServer, audio_for_each_text

    server = LiveServer()
    server.scenario = audio_for_each_text(audio_bytes)
    with server.running():
        print(server.base_url, "any-key", flush=True)  # the scripted server accepts any key
        _serve_until_terminated()


def _serve_until_terminated() -> None:
    signal.signal(signal.SIGTERM, _exit_now)
    threading.Event().wait()  # the server runs in its own thread until the process is terminated


def _exit_now(signum: int, frame: object) -> None:
    os._exit(0)  # nothing to clean up, and no tracebacks of connections cut short


def main() -> None:
    parser = argparse.ArgumentParser(
        description="A server for the benchmarks (started by benchmarks.runner)."
    )
    kinds = parser.add_subparsers(dest="kind", required=True)
    http = kinds.add_parser("http")
    http.add_argument("--spread", type=float, default=None)
    http.add_argument("--live-handshake-delay", type=float, default=0.0)
    stub = kinds.add_parser("stub")
    stub.add_argument("--body-bytes", type=int, required=True)
    stub.add_argument("--chunk-bytes", type=int, required=True)
    stub.add_argument("--spread", type=float, default=None)
    live = kinds.add_parser("live")
    live.add_argument("--audio-bytes", type=int, default=4096)
    args = parser.parse_args()
    if args.kind == "http":
        _serve_http(args.spread, args.live_handshake_delay)
    elif args.kind == "stub":
        _serve_stub(args.body_bytes, args.chunk_bytes, args.spread)
    else:
        _serve_live(args.audio_bytes)


if __name__ == "__main__":
    main()
