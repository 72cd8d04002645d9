"""The ``fishaudio`` command: ``fishaudio serve`` runs the local server in the foreground.

Example::

    $ fishaudio serve --port 0
    Fish Audio local server listening on http://127.0.0.1:43117
    API key: local-2mXk...

The key is made up for the server unless ``--key`` gives one; ``$FISH_API_KEY`` is never used, since on a
developer's machine it is the real key of the hosted API. A bad argument ends in one line on stderr and
exit status 2. This module imports none of the server's dependencies until it serves, so ``fishaudio
--help`` works, and ``fishaudio serve`` says what to install, without the ``[server]`` extra.
"""

from __future__ import annotations

import argparse
import math
import signal
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from types import FrameType
from typing import TYPE_CHECKING, Final, NoReturn

from fishaudio_api.facts import LIVE_MAX_CONNECTION_SECONDS

from ..exceptions import DependencyError
from ._engines import ENGINE_NAMES
from ._limits import DEFAULT_CONCURRENCY
from ._origins import DEFAULT_HOST
from ._pricing import DEFAULT_CREDIT
from ._text_limit import DEFAULT_MAX_TEXT_LENGTH

if TYPE_CHECKING:
    from ._local import LocalServer

DEFAULT_PORT: Final = 8080
LOG_LEVELS: Final = ("critical", "error", "warning", "info", "debug", "trace")  # uvicorn's
USAGE_ERROR: Final = 2


class _Parser(argparse.ArgumentParser):
    """Reports a bad argument in one line (argparse prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _credit(value: str) -> Decimal:
    try:
        credit = Decimal(value)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number of USD: {value!r}") from None
    if not credit.is_finite() or credit < 0:
        raise argparse.ArgumentTypeError(f"the credit must be a number of USD, 0 or more: {value!r}")
    return credit


def _whole(value: str, low: int, high: int, what: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise argparse.ArgumentTypeError(f"{what}, not {value!r}")
    return number


def _port(value: str) -> int:
    return _whole(value, 0, 65535, "a port is 0 to 65535 (0 picks a free one)")


def _concurrency(value: str) -> int:
    return _whole(value, 1, 1_000_000, "the concurrency limit is a whole number, 1 or more")


def _text_length(value: str) -> int:
    return _whole(value, 1, 10**9, "the text limit is a whole number of characters, 1 or more")


def _seconds(value: str, *, zero_allowed: bool) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0 or (seconds == 0 and not zero_allowed):
        least = "0 or more" if zero_allowed else "more than 0"
        raise argparse.ArgumentTypeError(f"a number of seconds, {least}, not {value!r}")
    return seconds


def _connection_seconds(value: str) -> float:
    return _seconds(value, zero_allowed=False)


def _handshake_delay(value: str) -> float:
    return _seconds(value, zero_allowed=True)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="fishaudio", description="Tools for the Fish Audio API.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="run a local Fish Audio-compatible API server",
        description="Serve the Fish Audio API locally (offline) for development and tests.",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default %(default)s)")
    serve.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help="port; 0 picks a free one (default %(default)s)"
    )
    serve.add_argument(
        "--key",
        help="the API key clients (and the /_local/* routes) must send (default: a random one, printed at "
        "start; $FISH_API_KEY is never used)",
    )
    serve.add_argument(
        "--data-dir",
        help="keep voices, credit and transcripts in this directory across restarts (owner-only files)",
    )
    serve.add_argument(
        "--pacing",
        choices=("none", "realistic"),
        default="none",
        help="stream audio at once, or with realistic latency (default %(default)s)",
    )
    serve.add_argument(
        "--credit", type=_credit, default=DEFAULT_CREDIT, help="starting credit in USD (default %(default)s)"
    )
    serve.add_argument(
        "--concurrency",
        type=_concurrency,
        default=DEFAULT_CONCURRENCY,
        help="concurrent requests per key before 429 (default %(default)s)",
    )
    serve.add_argument(
        "--max-text-length",
        type=_text_length,
        default=DEFAULT_MAX_TEXT_LENGTH,
        help="characters of text one synthesis may have, a limit of this server (default %(default)s)",
    )
    serve.add_argument(
        "--engine",
        choices=ENGINE_NAMES,
        default=None,
        help="speech engine: real speech from espeak-ng (needs fishaudio-ext[speech], GPL-3.0), or the fast"
        " deterministic synthesizer (default: espeak when installed, else fast)",
    )
    serve.add_argument(
        "--live-max-connection-seconds",
        type=_connection_seconds,
        default=LIVE_MAX_CONNECTION_SECONDS,
        metavar="SECONDS",
        help="close a /v1/tts/live socket this long after its handshake, as the API does (default "
        "%(default)s)",
    )
    serve.add_argument(
        "--live-handshake-delay",
        type=_handshake_delay,
        default=0.0,
        metavar="SECONDS",
        help="hold each /v1/tts/live handshake this long, to emulate TLS and distance (default %(default)s)",
    )
    serve.add_argument(
        "--log-level", choices=LOG_LEVELS, default="info", help="uvicorn log level (default %(default)s)"
    )
    return parser


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _announce(server: LocalServer) -> None:
    # Flushed at once: scripts and tests read the URL from a pipe while the server runs.
    print(f"Fish Audio local server listening on {server.url}", flush=True)
    print(f"API key: {server.api_key}", flush=True)
    hint = "" if server.engine == "espeak" else " (real speech: pip install 'fishaudio-ext[speech]')"
    print(f"Speech engine: {server.engine}{hint}", flush=True)
    print(
        f'Use it: FishAudio(base_url="{server.url}", api_key="{server.api_key}"); stop with Ctrl+C',
        flush=True,
    )


def _fail(message: str, status: int) -> int:
    print(f"fishaudio serve: {message}", file=sys.stderr)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fishaudio`` command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        from . import require_dependencies

        require_dependencies()
        from ._espeak import EngineUnavailable, espeak_installed
        from ._local import LocalServer
    except DependencyError as exc:
        return _fail(str(exc), 1)
    try:
        server = LocalServer(
            api_key=args.key,
            host=args.host,
            port=args.port,
            data_dir=args.data_dir,
            pacing=args.pacing,
            credit=args.credit,
            concurrency_limit=args.concurrency,
            max_text_length=args.max_text_length,
            engine=args.engine or ("espeak" if espeak_installed() else "fast"),
            live_max_connection_seconds=args.live_max_connection_seconds,
            live_handshake_delay=args.live_handshake_delay,
            log_level=args.log_level,
        )
    except EngineUnavailable as exc:
        return _fail(str(exc), 1)
    except ValueError as exc:  # the only argument checked on use: the data directory
        return _fail(f"error: argument --data-dir: {exc}", USAGE_ERROR)
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal with the handler found at
    # start: make SIGTERM, like Ctrl+C, end in KeyboardInterrupt so the process exits cleanly with 0.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.run(on_started=_announce)
    except OSError as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc}", 1)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
