"""``fishaudio``: the parser of every subcommand, and how a run ends (exit status, one-line errors)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from .._version import __version__
from ..server._cli import add_serve_command, serve
from . import _asr, _credits, _live, _tts, _voices
from ._context import turn_on_log
from ._errors import INTERRUPTED, one_line, status_of
from ._parser import Parser, global_options

Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="fishaudio",
        description="Speak text, caption it, manage voices, transcribe audio, check credit, speak a live"
        " stream of lines, serve the API locally. Exit status: 0 done, 1 an API or I/O error, 2 a usage"
        " error, 130 interrupted.",
        parents=[global_options(in_subcommand=False)],
    )
    parser.add_argument("--version", action="version", version=f"fishaudio-ext {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parents = [global_options(in_subcommand=True)]
    for module in (_tts, _voices, _asr, _credits, _live):
        module.add_command(commands, parents)
    add_serve_command(commands, parents).set_defaults(run=serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fishaudio`` command line ``argv`` (default: the process's); returns the exit status, 130 if
    interrupted (output files are then left as they were)."""
    args = build_parser().parse_args(argv)
    command: Command = args.run
    turn_on_log(args.verbose)
    try:
        return command(args)
    except KeyboardInterrupt:
        return INTERRUPTED
    except Exception as error:  # every failure ends in one line, without a traceback
        name = " ".join(filter(None, ["fishaudio", args.command, getattr(args, "action", None)]))
        print(f"{name}: {one_line(error)}", file=sys.stderr)
        return status_of(error)
