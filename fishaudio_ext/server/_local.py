"""``LocalServer``: the Fish Audio-compatible server on 127.0.0.1, in a background thread or the foreground.

Example::

    with LocalServer() as server:
        client = FishAudio(base_url=server.url, api_key=server.api_key)
        audio = client.tts.convert(text="Hello!")

The listening socket is bound before uvicorn starts, so the port is known at once (port 0 picks a free
one) and ``start()`` returns only after uvicorn has finished starting up and accepts connections.
"""

from __future__ import annotations

import math
import os
import secrets
import socket
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import TracebackType

import anyio.to_thread
import uvicorn
from fishaudio_api.facts import LIVE_MAX_CONNECTION_SECONDS

from . import _engines as engines
from ._app import create_app
from ._context import ServerContext
from ._engines import DEFAULT_ENGINE, Engine
from ._faults import Faults
from ._gateway import quiet_dropped_connections
from ._limits import DEFAULT_CONCURRENCY, ConcurrencyLimiter
from ._origins import DEFAULT_HOST
from ._pacing import Pacing
from ._pricing import DEFAULT_CREDIT, to_micros, to_usd_text
from ._spec import load_spec
from ._state import Store, key_digest
from ._text_limit import DEFAULT_MAX_TEXT_LENGTH

# How long stop() lets responses still streaming finish before closing their connections.
_GRACEFUL_SHUTDOWN_SECONDS = 2


class _Uvicorn(uvicorn.Server):
    """uvicorn's server, announcing the moment it accepts connections."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_started()


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio turns Nagle's algorithm off only on sockets whose proto says TCP, and
    # socket.create_server() leaves it 0, which stalls each small response ~40 ms on a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen()
    sock.set_inheritable(True)
    return sock


def _check_seconds(name: str, value: float, *, zero_allowed: bool) -> None:
    number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if number and (value > 0 or (zero_allowed and value == 0)):
        return
    least = "0 or more" if zero_allowed else "more than 0"
    raise ValueError(f"{name} must be a number of seconds, {least}; got {value!r}")


def _digest(api_key: str | None) -> str | None:
    return None if api_key is None else key_digest(api_key)


class LocalServer:
    """A local Fish Audio API: every operation of the spec, with real audio, state, limits and faults.

    Args:
        api_key: the key clients must send, and the one the ``/_local/*`` routes ask for; a random one made
            up for this server by default (``server.api_key``). ``FISH_API_KEY`` is never adopted: it may
            be a real key of the hosted API.
        host: the address to listen on; 127.0.0.1 by default.
        port: the port; 0 (the default) picks a free one (``server.port``).
        data_dir: keep the state in ``<data_dir>/fishaudio-local.sqlite3`` across restarts (readable by
            its owner only; keys kept as digests); in memory if None. ValueError if it cannot be used.
        pacing: how audio streams: ``"none"`` (the default: everything at once, for tests), ``"realistic"``,
            or a :class:`Pacing`.
        credit: the credit in USD each key starts with (default 10).
        concurrency_limit: concurrent requests per key before 429 (default 5, the hosted starter tier).
        max_text_length: characters of text one synthesis may have (default 500,000), the local server's
            own limit (audio streams in bounded memory; word timings grow with the text); a longer text
            gets a 422.
        engine: the speech engine, ``"fast"`` (the default: a deterministic synthesizer, speech-shaped
            tones without words, for fast reproducible tests) or ``"espeak"`` (real speech from espeak-ng,
            which needs ``pip install 'fishaudio-ext[speech]'``; :class:`EngineUnavailable` without it).
        live_max_connection_seconds: how long a ``/v1/tts/live`` socket may stay open before the server
            closes it (close code 1001), mid-session or not; the API's 3,600 s by default, less to test
            how a client renews its socket.
        live_handshake_delay: seconds each ``/v1/tts/live`` handshake is held before it is answered (0 by
            default), to emulate what TLS and the distance to the hosted API add, e.g. 0.15.
        log_level: uvicorn's log level.

    Raises:
        ValueError: ``live_max_connection_seconds`` is not more than 0, or ``live_handshake_delay`` is less
            than 0.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        host: str = DEFAULT_HOST,
        port: int = 0,
        data_dir: str | os.PathLike[str] | None = None,
        pacing: Pacing | str = Pacing.NONE,
        credit: Decimal | float | str = DEFAULT_CREDIT,
        concurrency_limit: int = DEFAULT_CONCURRENCY,
        max_text_length: int = DEFAULT_MAX_TEXT_LENGTH,
        engine: str | Engine = DEFAULT_ENGINE,
        live_max_connection_seconds: float = LIVE_MAX_CONNECTION_SECONDS,
        live_handshake_delay: float = 0.0,
        log_level: str = "warning",
    ) -> None:
        _check_seconds("live_max_connection_seconds", live_max_connection_seconds, zero_allowed=False)
        _check_seconds("live_handshake_delay", live_handshake_delay, zero_allowed=True)
        self.api_key = api_key or f"local-{secrets.token_urlsafe(24)}"
        self.host = host
        self._port = port
        self._log_level = log_level
        self.context = ServerContext(
            spec=load_spec(),
            store=Store(None if data_dir is None else Path(data_dir)),
            faults=Faults(),
            limiter=ConcurrencyLimiter(concurrency_limit),
            pacing=Pacing.named(pacing) if isinstance(pacing, str) else pacing,
            credit=to_micros(credit),
            admin_key_hash=key_digest(self.api_key),
            listen_host=host,
            max_text_length=max_text_length,
            engine=engines.engine(engine) if isinstance(engine, str) else engine,
            live_max_connection_seconds=live_max_connection_seconds,
            live_handshake_delay=live_handshake_delay,
        )
        self.context.add_api_key(self.api_key)
        self._initial_pacing = self.context.pacing
        self._initial_limit = concurrency_limit
        self.app = create_app(self.context)
        self._socket: socket.socket | None = None
        self._server: _Uvicorn | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopped = False

    # --- addresses -----------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port listened on (known once started)."""
        return self._port

    @property
    def url(self) -> str:
        """The base URL for clients, e.g. ``http://127.0.0.1:54321``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def websocket_url(self) -> str:
        """The base URL for WebSocket clients, e.g. ``ws://127.0.0.1:54321``."""
        return "ws" + self.url[len("http") :]

    # --- shared state --------------------------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        """Inject failures, delays and dropped connections; see :class:`Faults`."""
        return self.context.faults

    @property
    def engine(self) -> str:
        """The name of the speech engine: ``"fast"`` or ``"espeak"``."""
        return self.context.engine.name

    @property
    def pacing(self) -> Pacing:
        """How streamed audio is paced; assign a new :class:`Pacing` (or its name) to change it."""
        return self.context.pacing

    @pacing.setter
    def pacing(self, value: Pacing | str) -> None:
        self.context.pacing = Pacing.named(value) if isinstance(value, str) else value

    @property
    def concurrency_limit(self) -> int:
        """Concurrent requests allowed per key."""
        return self.context.limiter.limit

    @concurrency_limit.setter
    def concurrency_limit(self, value: int) -> None:
        self.context.limiter.limit = value

    def add_api_key(self, api_key: str, *, credit: Decimal | float | str | None = None) -> str:
        """Accept another key, with its own account (and voices); returns the key."""
        self.context.add_api_key(api_key, credit=None if credit is None else to_micros(credit))
        return api_key

    def credit(self, api_key: str | None = None) -> Decimal:
        """The remaining credit of a key (the server's own by default), in USD."""
        account = self.context.store.account(key_digest(api_key or self.api_key))
        if account is None:
            raise KeyError("unknown API key")
        return Decimal(to_usd_text(account.credit))

    def set_credit(self, usd: Decimal | float | str, api_key: str | None = None) -> None:
        """Set the credit of a key (the server's own by default), in USD; 0 makes requests fail with 402."""
        self.context.store.set_credit(key_digest(api_key or self.api_key), to_micros(usd))

    def in_flight(self, api_key: str | None = None) -> int:
        """Requests being handled now, for one key or for all."""
        return self.context.limiter.in_flight(_digest(api_key))

    def wait_for_in_flight(self, count: int, *, api_key: str | None = None, timeout: float = 10.0) -> bool:
        """Block until ``count`` requests are being handled (e.g. held by a delay fault); False on timeout."""
        return self.context.limiter.wait_for(count, key=_digest(api_key), timeout=timeout)

    def wait_for_idle(self, *, api_key: str | None = None, timeout: float = 10.0) -> bool:
        """Block until the server handles no request (of ``api_key``, or at all); False on timeout."""
        return self.context.limiter.wait_for_idle(key=_digest(api_key), timeout=timeout)

    def reset(self) -> None:
        """Back to the initial state: library voices only, starting credit, no faults, and the pacing and
        concurrency limit given to the constructor."""
        self.context.reset()
        self.context.pacing = self._initial_pacing
        self.context.limiter.limit = self._initial_limit

    # --- running -------------------------------------------------------------------------------------

    def _config(self) -> uvicorn.Config:
        return uvicorn.Config(
            self.app,
            log_level=self._log_level,
            lifespan="off",
            # The sans-I/O implementation: uvicorn < 0.50 would otherwise pick the legacy one, which
            # websockets >= 14 deprecates (and deprecation warnings are errors in tests).
            ws="websockets-sansio",
            timeout_graceful_shutdown=_GRACEFUL_SHUTDOWN_SECONDS,
        )

    def start(self) -> LocalServer:
        """Serve in a background thread; returns once connections are accepted."""
        if self._thread is not None:
            raise RuntimeError("the server is already running")
        if self._stopped:
            raise RuntimeError("a stopped LocalServer cannot start again: create a new one (same data_dir)")
        quiet_dropped_connections()
        self._socket = _listen(self.host, self._port)
        self._port = self._socket.getsockname()[1]
        self._ready.clear()
        self._server = _Uvicorn(self._config(), self._ready.set)
        server, sock = self._server, self._socket

        def serve() -> None:
            try:
                server.run(sockets=[sock])
            finally:
                self._ready.set()  # also when startup failed, so start() does not wait forever

        self._thread = threading.Thread(target=serve, name=f"fishaudio-local-server:{self.port}", daemon=True)
        self._thread.start()
        self._ready.wait()
        if not server.started:
            self.stop()
            raise RuntimeError("the local server failed to start; see the log above")
        return self

    def run(self, on_started: Callable[[LocalServer], None] | None = None) -> None:
        """Serve in this thread until interrupted (Ctrl+C or SIGTERM); ``on_started`` runs once listening."""
        quiet_dropped_connections()
        self._socket = _listen(self.host, self._port)
        self._port = self._socket.getsockname()[1]
        callback = on_started or (lambda server: None)
        self._server = _Uvicorn(self._config(), lambda: callback(self))
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self._socket.close()
            self.context.store.close()

    def stop(self) -> None:
        """Stop serving and wait for the thread to end; the database is closed (a file one is kept)."""
        self.context.faults.clear()  # wake requests a delay fault holds, so they can finish
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join()
        if self._socket is not None:
            self._socket.close()
        self._thread = self._server = None
        self._stopped = True
        self.context.store.close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> LocalServer:
        # Starting is quick, but it blocks: keep the caller's event loop free meanwhile.
        return await anyio.to_thread.run_sync(self.start)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await anyio.to_thread.run_sync(self.stop)

    def __repr__(self) -> str:
        return f"LocalServer(url={self.url!r})"
