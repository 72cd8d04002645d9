"""The cheapest server that answers ``POST /v1/tts`` like the API: a fixed chunked body, for the benchmarks.

The benchmarks compare clients (raw httpx, raw aiohttp, the official SDK, fishaudio-ext) by how much time
they add to a request. Against ``LocalServer`` the server's own validation, synthesis and encoding (about
1.5 ms for a short sentence, far more for long ones) set the pace for every client alike; against the
scripted ``LoopbackAPI`` (a thread per connection, every request recorded) the server still caps at about
2,700 requests per second, a fifth of what raw aiohttp does here. This one is HTTP/1.1 on asyncio streams
and nothing else (keep-alive, the bearer key, a body sent from prebuilt chunks): a few tens of
microseconds a request, so that the clients, not the server, set the pace. Functional tests use
``LoopbackAPI`` or ``LocalServer``, which check what they receive.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable


async def serve_fixed_audio(
    *, body_bytes: int, chunk_bytes: int, spread: float | None, ready: Callable[[str, str], None]
) -> None:
    """Serve on an ephemeral port of 127.0.0.1 until cancelled; ``ready(url, api_key)`` once listening.

    Each ``POST /v1/tts`` with the key gets ``body_bytes`` of audio in ``chunk_bytes`` chunks: all at once,
    or the first at once and the rest evenly over ``spread`` seconds. Other paths get 404, other keys 401.
    """
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

    server = await asyncio.start_server(connection, "127.0.0.1", 0, backlog=4096)
    ready(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", api_key)
    async with server:
        await server.serve_forever()
