"""Where ``save()`` writes, keeping what the target is.

- A regular file (or none yet) is replaced atomically: the audio goes to a temporary file in the same
  directory, is flushed to disk, and is renamed over the target once complete, with the target's
  permission bits (and owner, where allowed). A failed stream leaves the old file as it was.
- A symbolic link is followed: its target is what gets written, in that target's directory; the link
  stays. A dangling link creates its target.
- A FIFO or a character device (``/dev/null``, a terminal) is opened and written directly, like a shell
  redirection: it is never replaced, and what was written before a failure has been written.
- A directory, a block device or a socket is refused before any audio is read.

Every error names the path the caller gave, never the temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from typing import IO

import attrs


@attrs.frozen
class Output:
    """An open destination: ``file`` to write to, and whether writes go straight to the target."""

    file: IO[bytes]
    direct: bool
    """True for a FIFO or a device: a write may block until a reader takes the data."""


@contextlib.contextmanager
def open_output(filename: str | os.PathLike[str]) -> Iterator[Output]:
    """Open where ``filename`` points for writing; the block's writes land there only if it completes.

    Raises:
        OSError: the target cannot be written (a missing or read-only directory, a directory, a block
            device, a socket, a symlink loop); ``filename`` is the path given.
    """
    path = os.fspath(filename)
    try:
        status: os.stat_result | None = os.stat(path)  # follows symlinks, as writing does
    except FileNotFoundError:
        status = None  # a new file, or the target of a dangling link
    except OSError as error:
        raise _naming(error, path) from error
    if status is None or stat.S_ISREG(status.st_mode):
        with _replacement(path, status) as file:
            yield Output(file, direct=False)
    elif stat.S_ISFIFO(status.st_mode) or stat.S_ISCHR(status.st_mode):
        with _direct(path) as file:
            yield Output(file, direct=True)
    else:
        kind = (
            "a directory" if stat.S_ISDIR(status.st_mode) else "neither a file, a FIFO nor a character device"
        )
        code = errno.EISDIR if stat.S_ISDIR(status.st_mode) else errno.EINVAL
        raise OSError(code, f"Cannot save audio to {kind}", path)


@contextlib.contextmanager
def _replacement(path: str, existing: os.stat_result | None) -> Iterator[IO[bytes]]:
    """A temporary file next to the real target, renamed over it when the block completes."""
    target = os.path.realpath(path)  # a symlink's target is replaced, not the link
    directory, name = os.path.split(target)
    # Same directory, so os.replace is an atomic rename rather than a copy across file systems.
    temporary = os.path.join(directory, f".{name}.{secrets.token_hex(4)}.part")
    try:
        file = open(temporary, "xb")  # noqa: SIM115 - closed below, before the rename
    except OSError as error:
        raise _naming(error, path) from error
    try:
        with file:
            if existing is not None:
                _keep_permissions(temporary, existing)
            yield file
            # On disk before the rename, so a crash right after it cannot leave a truncated file in place.
            file.flush()
            os.fsync(file.fileno())
        try:
            os.replace(temporary, target)
        except OSError as error:
            raise _naming(error, path) from error
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


def _keep_permissions(temporary: str, existing: os.stat_result) -> None:
    os.chmod(temporary, stat.S_IMODE(existing.st_mode))
    if hasattr(os, "chown") and (existing.st_uid, existing.st_gid) != (os.getuid(), os.getgid()):
        # Only root may give a file away; anyone else keeps the file as theirs, like any rewrite.
        with contextlib.suppress(PermissionError):
            os.chown(temporary, existing.st_uid, existing.st_gid)


@contextlib.contextmanager
def _direct(path: str) -> Iterator[IO[bytes]]:
    """The FIFO or device itself. Opening a FIFO waits for a reader, as a shell redirection does."""
    try:
        # No O_CREAT and no O_TRUNC: the target exists and is not a file to truncate.
        descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise _naming(error, path) from error
    with open(descriptor, "wb") as file:
        yield file


def _naming(error: OSError, path: str) -> OSError:
    """The same kind of error, about ``path`` (the caller's) instead of a temporary file's name."""
    if error.errno is None:
        return error
    return type(error)(error.errno, error.strerror, path)
