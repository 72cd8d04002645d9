"""An HTTP/1.1 server on raw sockets that answers each request however a test scripts it, lies included.

Each request is answered by the next *reply* (the last one repeats): a function given the connection,
free to send anything — a cut body, a Content-Length that lies, an endless gzip bomb, a page that drips
a byte at a time, or nothing at all. The server records every request, so tests can count attempts.
Leaving the ``with`` block stops it: open connections are closed (ending any drip or stall) and every
thread is joined.

Example::

    with HostileHTTPServer(stall()) as server:
        client = FishAudio(api_key="k", base_url=server.url, timeout=0.2)
        with pytest.raises(APITimeoutError):
            client.voices.create(title="t", voices=[b"v"])
    assert len(server.requests) == 1
"""

from __future__ import annotations

import contextlib
import functools
import json
import socket
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import TracebackType

_HEAD_LIMIT = 64 * 1024


@dataclass
class RawRequest:
    """One request as the server read it; header names are lower case."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Connection:
    """The server's side of one request, as a reply sees it."""

    request: RawRequest
    _socket: socket.socket
    _stopping: threading.Event = field(repr=False)

    def send(self, data: bytes) -> bool:
        """Send ``data``; False once the client has gone (or the server is stopping)."""
        if self._stopping.is_set():
            return False
        try:
            self._socket.sendall(data)
        except OSError:
            return False
        return True

    def recv(self) -> bytes:
        """The next bytes the client sends after its request; b"" once it has gone."""
        try:
            return self._socket.recv(65536)
        except OSError:
            return b""

    def send_head(self, status: int, headers: dict[str, str]) -> bool:
        """The status line and headers; ``Connection: close`` unless given, as the server closes anyway."""
        headers = {"Connection": "close", **headers}
        lines = [f"HTTP/1.1 {status} Hostile", *(f"{name}: {value}" for name, value in headers.items())]
        return self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def send_chunk(self, data: bytes) -> bool:
        """Send one chunk of a ``Transfer-Encoding: chunked`` body."""
        return self.send(b"%x\r\n%s\r\n" % (len(data), data))

    def wait(self, seconds: float | None = None) -> bool:
        """Wait ``seconds`` (None: until the server stops); False when the server is stopping."""
        return not self._stopping.wait(seconds)


Reply = Callable[[Connection], None]


def answer(status: int = 200, body: bytes = b"", *, headers: dict[str, str] | None = None) -> Reply:
    """A well-formed answer (which may still be a lie about its content)."""

    def reply(conn: Connection) -> None:
        head = {"Content-Length": str(len(body)), **(headers or {})}
        if conn.send_head(status, head):
            conn.send(body)

    return reply


def json_answer(status: int, value: object, *, headers: dict[str, str] | None = None) -> Reply:
    """A JSON answer; NaN and Infinity are written as Python's json module writes them."""
    return answer(
        status, json.dumps(value).encode(), headers={"Content-Type": "application/json", **(headers or {})}
    )


def cut_body(status: int, body: bytes, *, declared: int, headers: dict[str, str] | None = None) -> Reply:
    """Announce ``declared`` bytes, send ``body`` (fewer), then close the connection."""

    def reply(conn: Connection) -> None:
        if conn.send_head(status, {"Content-Length": str(declared), **(headers or {})}):
            conn.send(body)

    return reply


def endless(
    status: int,
    chunks: Callable[[], Iterator[bytes]],
    *,
    headers: dict[str, str] | None = None,
    interval: float | None = None,
) -> Reply:
    """A chunked body that never ends: the chunks of ``chunks()``, one every ``interval`` seconds (None:
    as fast as the client reads), until the client goes away or the server stops."""

    def reply(conn: Connection) -> None:
        if not conn.send_head(status, {"Transfer-Encoding": "chunked", **(headers or {})}):
            return
        for chunk in chunks():
            if not conn.send_chunk(chunk) or (interval is not None and not conn.wait(interval)):
                return

    return reply


def gzip_bomb(
    status: int = 200,
    *,
    decoded_bytes: int | None = None,
    content_type: str = "application/json",
    fill: bytes = b" ",
) -> Reply:
    """A gzip body of ``decoded_bytes`` (None: endless) ``fill`` bytes, about 1,000:1 compressed; spaces
    are valid JSON whitespace. An endless one is compressed as it is sent, so the server only does the
    work the client reads.
    """
    headers = {"Content-Type": content_type, "Content-Encoding": "gzip"}
    if decoded_bytes is None:
        return endless(status, lambda: _gzip_chunks(fill, None), headers=headers)
    return answer(status, _gzipped(fill, decoded_bytes), headers=headers)


def _gzip_chunks(fill: bytes, decoded_bytes: int | None) -> Iterator[bytes]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = fill * (1024 * 1024)
    left = decoded_bytes
    while left is None or left > 0:
        data = block if left is None else block[:left]
        if left is not None:
            left -= len(data)
        yield compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    yield compressor.flush()


@functools.cache
def _gzipped(fill: bytes, decoded_bytes: int) -> bytes:
    # Compressing hundreds of MiB takes a while: once per test session is enough.
    return b"".join(_gzip_chunks(fill, decoded_bytes))


def drip(status: int = 200, *, content_type: str = "audio/mpeg", interval: float = 0.01) -> Reply:
    """An endless body that sends one byte every ``interval`` seconds: each read succeeds, none ends it."""

    def chunks() -> Iterator[bytes]:
        while True:
            yield b"\0"

    return endless(status, chunks, headers={"Content-Type": content_type}, interval=interval)


def stall() -> Reply:
    """Read the request and never answer (until the server stops): the client's read timeout must act."""

    def reply(conn: Connection) -> None:
        conn.wait()

    return reply


def hang_up() -> Reply:
    """Read the request, then close the connection without a word."""

    def reply(conn: Connection) -> None:
        pass

    return reply


class HostileHTTPServer:
    """The server: start it with ``with``; ``url`` is its address, ``requests`` what it was sent."""

    def __init__(self, *replies: Reply) -> None:
        if not replies:
            raise ValueError("give at least one reply")
        self._replies = list(replies)
        self.requests: list[RawRequest] = []
        self.errors: list[BaseException] = []
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        host, port = self._listener.getsockname()[:2]
        self.url = f"http://{host}:{port}"

    def __enter__(self) -> HostileHTTPServer:
        self._spawn(self._accept_loop)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        if exc_type is None:
            assert self.errors == [], f"a reply of the hostile server failed: {self.errors!r}"

    def stop(self) -> None:
        self._stopping.set()
        # shutdown() wakes a thread blocked in accept() or recv() on these sockets; close() alone may not.
        with self._lock:
            sockets = [self._listener, *self._sockets]
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        for thread in self._threads:
            thread.join(10)
        alive = [thread.name for thread in self._threads if thread.is_alive()]
        assert not alive, f"hostile server threads still running: {alive}"

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name="hostile-http", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                if self._stopping.is_set():
                    sock.close()
                    return
                self._sockets.add(sock)
                self._spawn(self._serve, sock)

    def _serve(self, sock: socket.socket) -> None:
        try:
            request = _read_request(sock)
            if request is None:
                return
            with self._lock:
                self.requests.append(request)
                reply = self._replies.pop(0) if len(self._replies) > 1 else self._replies[0]
            reply(Connection(request, sock, self._stopping))
        except Exception as error:  # a broken reply is the test's bug: report it at the end of the test
            if not self._stopping.is_set():
                self.errors.append(error)
        finally:
            with self._lock:
                self._sockets.discard(sock)
            # Connection: close semantics for every answer; the client sees the end of the body, or a cut.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def _read_request(sock: socket.socket) -> RawRequest | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk or len(data) > _HEAD_LIMIT:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, path, _ = request_line.split(" ", 2)
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    return RawRequest(method, path, headers, body)
