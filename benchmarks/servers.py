"""The servers the benchmarks talk to, each in a process of its own so that its CPU and memory stay out of
the client's measurements.

* :func:`local_server`: the project's ``LocalServer`` (``python -m benchmarks.servers http ...``), with the
  pacing, concurrency limit and credit a measure needs.
* :func:`stub_server`: a minimal HTTP/1.1 server on asyncio streams answering ``POST /v1/tts`` with a fixed
  body (``python -m benchmarks.servers stub ...``), chunked like ``LocalServer``'s audio but costing the
  server a few tens of microseconds per request, so that the clients, not the server, set the pace.
* :func:`live_server`: a minimal ``/v1/tts/live`` server on the ``websockets`` library
  (``python -m benchmarks.servers live ...``): it answers each ``text`` event with one ``audio`` frame and
  ``stop`` with ``finish``, and does nothing else, so that a session's time is the clients' own overhead.

Both print ``<url> <api key>`` on one line once they accept connections.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import msgpack

ROOT = Path(__file__).resolve().parent.parent
CREDIT_USD = "1000000000"  # enough for millions of requests: a 402 must never end a measure
NO_LIMIT = 1_000_000  # concurrent requests per key: the hosted limit (5) would throttle the clients
NO_TEXT_LIMIT = 10_000_000  # characters per request: the memory benchmark streams 512 MiB from one request


@attrs.frozen
class Server:
    """A running server process: where it listens, the key it accepts, and what was set up around it."""

    url: str
    api_key: str
    notes: tuple[str, ...] = ()

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
        if len(line) < 2:
            raise RuntimeError(f"the benchmark server did not start ({' '.join(args)})")
        yield Server(
            url=line[0], api_key=line[1], notes=tuple(" ".join(line[2:]).split("|")) if line[2:] else ()
        )
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def local_server(*, spread: float | None = None) -> contextlib.AbstractContextManager[Server]:
    """``LocalServer`` in a subprocess: no pacing, or the first chunk at once, the rest over ``spread`` s."""
    return _server_process(["http", *([] if spread is None else ["--spread", str(spread)])])


def stub_server(
    *, body_bytes: int, chunk_bytes: int, spread: float | None = None
) -> contextlib.AbstractContextManager[Server]:
    """The stub HTTP server in a subprocess: ``body_bytes`` of audio per request in ``chunk_bytes`` chunks,
    all at once or the first at once and the rest over ``spread`` seconds."""
    args = ["stub", "--body-bytes", str(body_bytes), "--chunk-bytes", str(chunk_bytes)]
    return _server_process([*args, *([] if spread is None else ["--spread", str(spread)])])


def live_server(*, audio_bytes: int) -> contextlib.AbstractContextManager[Server]:
    """The minimal ``/v1/tts/live`` server in a subprocess, with ``audio_bytes`` of audio per text event."""
    return _server_process(["live", "--audio-bytes", str(audio_bytes)])


# --- inside the server process ---------------------------------------------------------------------------


def _nodelay_listen(host: str, port: int) -> socket.socket:
    # asyncio turns Nagle's algorithm off (TCP_NODELAY) only on sockets whose ``proto`` is IPPROTO_TCP, and
    # the connections accepted from a ``socket.create_server`` socket have proto 0: each response, written
    # as headers + body + end of chunks, then waits for the client's delayed ACK (~40 ms on Linux).
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(socket.SOMAXCONN)
    sock.set_inheritable(True)
    return sock


def _serve_http(spread: float | None) -> None:
    from fishaudio_ext.server import LocalServer, Pacing, _local

    notes = []
    probe = _local._listen("127.0.0.1", 0)
    if probe.proto != socket.IPPROTO_TCP:
        # The shipped server would add ~40 ms to every response (see _nodelay_listen): that is the server's
        # cost, not the clients', so the benchmarks serve without it.
        _local._listen = _nodelay_listen
        notes.append("server: TCP_NODELAY workaround applied (LocalServer's listening socket has proto 0)")
    probe.close()
    server = LocalServer(
        api_key=secrets.token_urlsafe(16),
        pacing=Pacing.NONE if spread is None else Pacing(spread=spread),
        concurrency_limit=NO_LIMIT,
        max_text_length=NO_TEXT_LIMIT,
        credit=CREDIT_USD,
        log_level="error",
    )

    def announce(started: LocalServer) -> None:
        print(started.url, started.api_key, "|".join(notes), flush=True)

    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        server.run(on_started=announce)


def _serve_stub(body_bytes: int, chunk_bytes: int, spread: float | None) -> None:
    api_key = secrets.token_hex(16)  # lowercase: the header block is compared in lowercase
    authorization = f"authorization: bearer {api_key}".encode()
    chunks = [
        b"%x\r\n%s\r\n" % (size, bytes(size))
        for size in (min(chunk_bytes, body_bytes - start) for start in range(0, body_bytes, chunk_bytes))
    ]
    head = b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n"
    refused = b"HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"
    missing = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"

    async def respond(writer: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        writer.write(head)
        for index, chunk in enumerate(chunks):
            if spread and index:
                wait = started + spread * index / max(1, len(chunks) - 1) - loop.time()
                if wait > 0:
                    await writer.drain()  # a client gone meanwhile raises here, ending the response
                    await asyncio.sleep(wait)
            writer.write(chunk)
        writer.write(b"0\r\n\r\n")
        await writer.drain()

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head_bytes = await reader.readuntil(b"\r\n\r\n")
                request_line, _, header_block = head_bytes.partition(b"\r\n")
                headers = header_block.lower()
                length = 0
                for line in headers.split(b"\r\n"):
                    if line.startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                if not request_line.startswith(b"POST /v1/tts "):
                    writer.write(missing)
                elif authorization not in headers:
                    writer.write(refused)
                else:
                    await respond(writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(connection, "127.0.0.1", 0, backlog=4096)
        port = server.sockets[0].getsockname()[1]
        print(f"http://127.0.0.1:{port} {api_key}", flush=True)
        async with server:
            await server.serve_forever()

    signal.signal(signal.SIGTERM, _exit_now)
    asyncio.run(main())


def _exit_now(signum: int, frame: object) -> None:
    os._exit(0)  # nothing to clean up, and no tracebacks of connections cut short


def _serve_live(audio_bytes: int) -> None:
    import websockets.asyncio.server

    audio_frame = msgpack.packb({"event": "audio", "audio": bytes(audio_bytes), "time": 0.0})
    finish_frame = msgpack.packb({"event": "finish", "reason": "stop"})
    api_key = secrets.token_urlsafe(16)

    async def session(ws: websockets.asyncio.server.ServerConnection) -> None:
        async for message in ws:
            event: dict[str, Any] = msgpack.unpackb(message)
            kind = event.get("event")
            if kind == "text":
                await ws.send(audio_frame)
            elif kind == "stop":
                await ws.send(finish_frame)
                return

    async def main() -> None:
        async with websockets.asyncio.server.serve(
            session, "127.0.0.1", 0, compression=None, max_size=None, ping_interval=None
        ) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            print(f"http://127.0.0.1:{port} {api_key}", flush=True)
            await server.serve_forever()

    signal.signal(signal.SIGTERM, _exit_now)
    asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(
        description="A server for the benchmarks (started by benchmarks.runner)."
    )
    kinds = parser.add_subparsers(dest="kind", required=True)
    http = kinds.add_parser("http")
    http.add_argument("--spread", type=float, default=None)
    stub = kinds.add_parser("stub")
    stub.add_argument("--body-bytes", type=int, required=True)
    stub.add_argument("--chunk-bytes", type=int, required=True)
    stub.add_argument("--spread", type=float, default=None)
    live = kinds.add_parser("live")
    live.add_argument("--audio-bytes", type=int, default=4096)
    args = parser.parse_args()
    if args.kind == "http":
        _serve_http(args.spread)
    elif args.kind == "stub":
        _serve_stub(args.body_bytes, args.chunk_bytes, args.spread)
    else:
        _serve_live(args.audio_bytes)


if __name__ == "__main__":
    main()
