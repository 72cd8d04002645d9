"""Write audio to a file atomically, from bytes or from a (sync or async) stream of chunks."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from collections.abc import AsyncIterable, Iterable, Iterator
from typing import IO, overload

from .._background import run_in_background

AudioBytes = bytes | bytearray | memoryview
"""Audio already held in memory."""


def audio_chunks(audio: object) -> Iterable[bytes] | AsyncIterable[bytes]:
    """Return ``audio`` as an iterable of chunks, or raise TypeError if it is not audio.

    Shared by :func:`save` and :func:`play`. A sync iterable wins over an async one, so that a sync call
    never returns a task nobody awaits.
    """
    if isinstance(audio, str):
        # A str is iterable, and would otherwise fail chunk by chunk with a confusing message.
        raise TypeError("audio must be bytes or an iterable of bytes chunks, not str (text is not audio)")
    if isinstance(audio, (bytes, bytearray, memoryview)):
        return (bytes(audio),)
    if isinstance(audio, (Iterable, AsyncIterable)):
        return audio
    raise TypeError(f"audio must be bytes or an iterable of bytes chunks, not {type(audio).__name__}")


@contextlib.contextmanager
def _atomic_file(filename: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Yield a temporary file next to ``filename`` that replaces it only if the block completes."""
    path = os.fspath(filename)
    directory, name = os.path.split(os.path.abspath(path))
    # Same directory, so os.replace is an atomic rename rather than a copy across file systems.
    temporary = os.path.join(directory, f".{name}.{secrets.token_hex(4)}.part")
    try:
        with open(temporary, "xb") as file:
            yield file
            # On disk before the rename, so a crash right after it cannot leave a truncated file in place.
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


@overload
def save(audio: AudioBytes | Iterable[bytes], filename: str | os.PathLike[str]) -> None: ...
@overload
def save(audio: AsyncIterable[bytes], filename: str | os.PathLike[str]) -> asyncio.Task[None]: ...
def save(
    audio: AudioBytes | Iterable[bytes] | AsyncIterable[bytes], filename: str | os.PathLike[str]
) -> asyncio.Task[None] | None:
    """Write audio to ``filename`` chunk by chunk, replacing the file only once all audio has arrived.

    ``audio`` is bytes, an iterable of bytes chunks, or an async iterable of them. For the last one
    ``save`` starts writing in an ``asyncio.Task`` and returns it: ``await`` it to wait for the end
    (``await save(stream, "hello.mp3")``); not awaited, it still completes, even after ``asyncio.run``'s
    main coroutine has returned. Called where no event loop runs, it writes everything before returning.
    If the stream fails, no partial file is left and an existing ``filename`` is untouched.
    A stream that yields nothing still produces a file, 0 bytes long.

    Raises:
        TypeError: ``audio`` is a str or not audio at all.
    """
    chunks = audio_chunks(audio)
    if isinstance(chunks, Iterable):
        with _atomic_file(filename) as file:
            for chunk in chunks:
                file.write(chunk)
        return None
    return run_in_background(_save_async(chunks, filename), "fishaudio_ext.save")


async def _save_async(chunks: AsyncIterable[bytes], filename: str | os.PathLike[str]) -> None:
    # Writing a chunk to local disk is quicker than handing it to a worker thread, so it stays inline.
    with _atomic_file(filename) as file:
        async for chunk in chunks:
            file.write(chunk)
