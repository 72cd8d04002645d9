"""What commands read: text files and stdin, refused in one line when they cannot hold text."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from ._parser import UsageError


def read_file(option: str | None, filename: str) -> bytes:
    """The bytes of ``filename``; an OSError (missing, a directory, unreadable) names ``option`` too
    (None: a positional argument, named by the file alone)."""
    try:
        return Path(filename).read_bytes()
    except OSError as error:
        if error.errno is None:
            raise
        named = filename if option is None else f"{option} {filename}"
        raise type(error)(error.errno, error.strerror, named) from None


def read_text_file(option: str, filename: str) -> str:
    """The UTF-8 text of ``filename``, given as ``option``."""
    return decoded(read_file(option, filename), f"{option} {filename}")


def read_stdin_text(example: str) -> str:
    """All of stdin, as UTF-8 text. A terminal is refused rather than waited on: ``example`` shows how
    to pipe the text in instead."""
    stdin = stdin_bytes()
    if stdin.isatty():
        raise UsageError(f"- reads the text from stdin, which is a terminal: pipe it in ({example})")
    return decoded(stdin.read(), "stdin")


def stdin_bytes() -> BinaryIO:
    """Stdin as bytes; refused when the process was started with it closed."""
    if sys.stdin is None:
        raise UsageError("stdin is closed: pipe the text in, or redirect it from a file")
    return sys.stdin.buffer


def decoded(data: bytes, source: str) -> str:
    """``data`` as UTF-8 (a leading byte-order mark dropped), or a UsageError saying where it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{source}: not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None
