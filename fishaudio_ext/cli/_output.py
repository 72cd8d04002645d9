"""What commands print: JSON, aligned tables, progress on stderr, and text files written atomically."""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from .._wav import WavSizes
from ._parser import UsageError


def print_json(data: Any) -> None:
    """``data`` as indented JSON on stdout; dates and decimals as strings."""
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Rows in columns padded to their widest cell; the last column is not padded."""
    cells = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[column]) for row in cells) for column in range(len(headers))]
    for row in cells:
        padded = [cell.ljust(width) for cell, width in zip(row[:-1], widths[:-1], strict=True)]
        print("  ".join([*padded, row[-1]]).rstrip())


def deliver_audio(chunks: Iterable[bytes], output: str | None, play: bool) -> None:
    """Write audio to ``output`` (complete or not at all, like ``save()``), else to stdout as it arrives;
    with ``play``, play it as it arrives too (the file is then written once it has played)."""
    from ..utils import save, stream

    if play:
        audio = stream(chunks)
        if output is not None:
            save(audio, output)
    elif output is not None:
        save(chunks, output)
    else:
        out = sys.stdout.buffer
        sizes = WavSizes() if _rewritable(out) else None
        for chunk in chunks:
            out.write(chunk)
            out.flush()  # a reader down the pipe gets each chunk as it comes
            if sizes is not None:
                sizes.add(chunk)
        if sizes is not None:  # `> file.wav`: the header can get the real sizes, as save() gives them
            sizes.write_to(out)
            out.flush()


def _rewritable(out: BinaryIO) -> bool:
    """Whether stdout is a regular file written from its start, not appended to: its header can be fixed."""
    if sys.platform == "win32":  # no portable way to tell `>>` there: the header stays as streamed
        return False
    import fcntl

    try:
        fd = out.fileno()
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
        return regular and out.tell() == 0 and not fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_APPEND
    except (OSError, ValueError):
        return False


def check_stdout_for_audio() -> None:
    """Refuse stdout as the audio's destination when it is a terminal (noise, and a garbled screen) or
    closed (the audio would be lost)."""
    if sys.stdout is None:
        raise UsageError("stdout is closed: give -o FILE or --play, or redirect stdout")
    if sys.stdout.isatty():
        raise UsageError("not writing audio to a terminal: give -o FILE or --play, or redirect stdout")


def check_destination(option: str, filename: str) -> None:
    """Refuse, before anything is sent, an output file that cannot be written: one in a directory that
    does not exist, or a directory itself. (What else fails, such as a read-only directory, fails when
    written, leaving no partial file.)"""
    path = Path(filename)
    where = f"{option} {filename}"
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "Is a directory", where)
    if not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"No such directory: {path.parent}", where)


def write_text(text: str, filename: str | os.PathLike[str]) -> None:
    """Write ``text`` (UTF-8) to ``filename`` the way ``save()`` writes audio: complete or not at all."""
    from ..utils._output import open_output

    with open_output(filename) as output:
        output.file.write(text.encode())


class Progress:
    """One status line on stderr, rewritten in place; silent unless stderr is a terminal and not quiet."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self._shown = False

    def show(self, text: str) -> None:
        if self.enabled:
            sys.stderr.write(f"\r\x1b[K{text}")
            sys.stderr.flush()
            self._shown = True

    def done(self) -> None:
        """End the line, so that what follows starts on a new one."""
        if self._shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self._shown = False
