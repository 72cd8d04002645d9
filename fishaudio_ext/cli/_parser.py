"""The argument parser of every ``fishaudio`` command: one-line usage errors, and the global options
accepted before or after the subcommand's name."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable
from typing import Any, NoReturn, TypeAlias, TypeVar

USAGE: int = 2
Commands: TypeAlias = "argparse._SubParsersAction[Any]"
"""What ``add_subparsers`` returns: each command module adds its subcommand to it."""
_Number = TypeVar("_Number", int, float)


class UsageError(Exception):
    """A command line that cannot be acted on: exit status 2, nothing sent."""


class HelpFormatter(argparse.HelpFormatter):
    """Wraps each paragraph of a description to the terminal's width, but keeps indented lines (the
    examples of an epilog) as they are written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(
            indent + line
            if not line or line.startswith("  ")
            else textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent)
            for line in text.splitlines()
        )


class Parser(argparse.ArgumentParser):
    """Reports a bad argument in one line (argparse prints the whole usage first), and formats help
    with ``HelpFormatter``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def global_options(*, in_subcommand: bool) -> Parser:
    """The options every command takes. In a subcommand their defaults are left out (``SUPPRESS``), so
    that ``fishaudio --api-key K tts ...`` is not undone by the subcommand's own parsing."""
    parser = Parser(add_help=False)
    group = parser.add_argument_group("global options")

    def default(value: object) -> object:
        return argparse.SUPPRESS if in_subcommand else value

    group.add_argument(
        "--api-key", default=default(None), help="the API key (default: $FISH_API_KEY)", metavar="KEY"
    )
    group.add_argument(
        "--base-url",
        default=default(None),
        help="the API's address (default: $FISH_BASE_URL, else https://api.fish.audio)",
        metavar="URL",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=default(0),
        help="log each request on stderr (-vv: also each request sent and each frame)",
    )
    group.add_argument(
        "-q", "--quiet", action="store_true", default=default(False), help="no progress on stderr"
    )
    return parser


def add_json_option(parser: argparse.ArgumentParser, help: str = "print the result as JSON") -> None:
    parser.add_argument("--json", action="store_true", help=help)


def number(kind: Callable[[str], _Number], low: _Number, what: str) -> Callable[[str], _Number]:
    """An argparse ``type``: ``kind(value)`` if it is at least ``low``; ``what`` says what is expected."""

    def parse(value: str) -> _Number:
        try:
            parsed = kind(value)
        except ValueError:
            parsed = None
        if parsed is None or not parsed >= low:  # "not >=" also refuses nan
            raise argparse.ArgumentTypeError(f"{what}, not {value!r}")
        return parsed

    return parse
