"""Write audio to a file, from bytes or from a (sync or async) stream of chunks; see ``_output`` for what
happens to each kind of target."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterable, Iterable
from typing import overload

from .._background import run_in_background
from .._wav import WavSizes
from ._output import open_output

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
    A stream that yields nothing still produces a file, 0 bytes long. A WAV stream's placeholder sizes
    (the API streams its header before the length is known) are replaced by the real ones once the last
    chunk is written, before the file takes the place of ``filename``.

    An existing file keeps its permissions; a symlink's target is written and the link stays; a FIFO or a
    character device such as ``/dev/null`` is written directly and never replaced.

    Raises:
        TypeError: ``audio`` is a str or not audio at all.
        OSError: ``filename`` cannot be written (a missing or read-only directory, a directory, a block
            device); the error's ``filename`` is the path given, before any audio is read.
    """
    chunks = audio_chunks(audio)
    if isinstance(chunks, Iterable):
        with open_output(filename) as output:
            sizes = WavSizes()
            for chunk in chunks:
                output.file.write(chunk)
                sizes.add(chunk)
            if not output.direct:
                sizes.write_to(output.file)
        return None
    return run_in_background(_save_async(chunks, filename), "fishaudio_ext.save")


async def _save_async(chunks: AsyncIterable[bytes], filename: str | os.PathLike[str]) -> None:
    with contextlib.ExitStack() as stack:
        # Opening a FIFO, and writing to it, waits for its reader: not in the event loop's thread.
        output = await asyncio.to_thread(stack.enter_context, open_output(filename))
        sizes = WavSizes()
        async for chunk in chunks:
            if output.direct:
                await asyncio.to_thread(output.file.write, chunk)
            else:
                # Writing a chunk to local disk is quicker than handing it to a worker thread.
                output.file.write(chunk)
                sizes.add(chunk)
        if not output.direct:
            sizes.write_to(output.file)
