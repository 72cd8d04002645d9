"""The ``fishaudio`` command: ``fishaudio serve`` runs the local server in the foreground.

Example::

    $ fishaudio serve --port 0 --key test-key
    Fish Audio local server listening on http://127.0.0.1:43117
    API key: test-key
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from types import FrameType

from ._limits import DEFAULT_CONCURRENCY
from ._local import DEFAULT_HOST, LocalServer
from ._pricing import DEFAULT_CREDIT

DEFAULT_PORT = 8080


def _credit(value: str) -> Decimal:
    try:
        credit = Decimal(value)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number of USD: {value!r}") from None
    if credit < 0:
        raise argparse.ArgumentTypeError("the credit cannot be negative")
    return credit


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fishaudio", description="Tools for the Fish Audio API.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="run a local Fish Audio-compatible API server",
        description="Serve the Fish Audio API locally (offline) for development and tests.",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default %(default)s)")
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="port; 0 picks a free one (default %(default)s)"
    )
    serve.add_argument(
        "--key", help="the API key clients must send (default: $FISH_API_KEY, else a random one)"
    )
    serve.add_argument(
        "--data-dir", help="keep voices, credit and transcripts in this directory across restarts"
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
        type=int,
        default=DEFAULT_CONCURRENCY,
        help="concurrent requests per key before 429 (default %(default)s)",
    )
    serve.add_argument("--log-level", default="info", help="uvicorn log level (default %(default)s)")
    return parser


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _announce(server: LocalServer) -> None:
    # Flushed at once: scripts and tests read the URL from a pipe while the server runs.
    print(f"Fish Audio local server listening on {server.url}", flush=True)
    print(f"API key: {server.api_key}", flush=True)
    print(
        f'Use it: FishAudio(base_url="{server.url}", api_key="{server.api_key}"); stop with Ctrl+C',
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fishaudio`` command; returns the exit status."""
    args = _parser().parse_args(argv)
    server = LocalServer(
        api_key=args.key or os.environ.get("FISH_API_KEY") or None,
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        pacing=args.pacing,
        credit=args.credit,
        concurrency_limit=args.concurrency,
        log_level=args.log_level,
    )
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal with the handler found at
    # start: make SIGTERM, like Ctrl+C, end in KeyboardInterrupt so the process exits cleanly with 0.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.run(on_started=_announce)
    except OSError as exc:
        print(f"fishaudio serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
