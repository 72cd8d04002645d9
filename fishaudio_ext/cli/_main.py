"""``fishaudio``: the parser of every subcommand, and how a run ends (exit status, one-line errors)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from types import FrameType

from .._version import __version__
from ..server._cli import add_serve_command, serve
from . import _asr, _credits, _live, _tts, _voices
from ._context import turn_on_log
from ._errors import INTERRUPTED, READER_GONE, TERMINATED, one_line, status_of
from ._parser import Parser, global_options

Command = Callable[[argparse.Namespace], int]


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the command is, so that it unwinds as after Ctrl-C: no partial output file."""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="fishaudio",
        description="Speak text, caption it, manage voices, transcribe audio, check credit, speak a live"
        " stream of lines, serve the API locally. Exit status: 0 done, 1 an API or I/O error, 2 a usage"
        " error, 130 interrupted (143 terminated), 141 when the reader of stdout went away.",
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
    interrupted, 143 if terminated (output files are then left as they were)."""
    args = build_parser().parse_args(argv)
    command: Command = args.run
    turn_on_log(args.verbose)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return command(args)
    except Terminated:
        return TERMINATED
    except KeyboardInterrupt:
        return INTERRUPTED
    except BrokenPipeError:
        # The reader of stdout went away (`fishaudio tts ... | head -c 100`): stop quietly, as Unix tools
        # do, and keep Python from reporting the failed flush of stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return READER_GONE
    except Exception as error:  # every failure ends in one line, without a traceback
        name = " ".join(filter(None, ["fishaudio", args.command, getattr(args, "action", None)]))
        print(f"{name}: {one_line(error)}", file=sys.stderr)
        return status_of(error)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated
