"""Running a long-form job: the sync driver (a thread per piece in flight) and the async one (a task per
piece in flight). Both follow :class:`~fishaudio_ext._longform.Job`; only the waiting differs."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from ._join import Joiner, joiner_for
from ._longform import Checkpoint, Job, Progress
from ._split import Piece
from ._wav import complete_wav

if TYPE_CHECKING:
    import asyncio
    import threading
    from concurrent.futures import Future

    from ._streaming import AudioStream


class Plan:
    """One job with where its audio goes: the joiner, the pauses, the checkpoint files."""

    def __init__(
        self,
        pieces: Sequence[Piece],
        *,
        format: str,
        sample_rate: int,
        limit: int,
        max_retries: int,
        pause: float,
        on_progress: Callable[[Progress], None] | None,
        checkpoint: str | os.PathLike[str] | None,
        keys: Sequence[bytes],
        regenerate: Iterable[int],
    ) -> None:
        self.joiner: Joiner = joiner_for(format, sample_rate)
        self.pause = pause
        self._checkpoint = None if checkpoint is None else Checkpoint(checkpoint, format)
        self._paths = [] if self._checkpoint is None else [self._checkpoint.path(key) for key in keys]
        redo = set(regenerate)
        kept = [i for i, path in enumerate(self._paths) if i not in redo and path.is_file()]
        self.job = Job(
            pieces,
            limit=limit,
            max_retries=max_retries,
            format=format,
            sample_rate=sample_rate,
            on_progress=on_progress,
            done=kept,
        )
        for index in kept:
            self.job.done_from_checkpoint(index, self._paths[index].read_bytes())

    def succeeded(self, index: int, audio: bytes) -> None:
        if self._checkpoint is not None:
            self._checkpoint.save(self._paths[index], audio)
        self.job.succeeded(index, audio)

    def ready(self) -> Iterator[bytes]:
        """The joined bytes of the pieces that are next in order and finished."""
        pieces = self.job.pieces
        for index, audio in self.job.take_ready():
            if audio is None:
                audio = self._paths[index].read_bytes()
            new_paragraph = index > 0 and pieces[index].paragraph != pieces[index - 1].paragraph
            yield self.joiner.add(audio, silence_before=self.pause if new_paragraph else 0.0)


class _Abandoned(Exception):
    """The job ended (closed, interrupted or failed) while this piece was being read."""


def _read(open_piece: Callable[[Piece], AudioStream], piece: Piece, abandoned: threading.Event) -> bytes:
    """One piece's audio, its stream closed at the next chunk once the job is abandoned: a thread cannot
    be interrupted, and reading each piece to its end would hold up the program's exit for seconds."""
    with open_piece(piece) as audio:
        parts = []
        for chunk in audio:
            if abandoned.is_set():
                raise _Abandoned()
            parts.append(chunk)
    return complete_wav(b"".join(parts))


def run_sync(plan: Plan, open_piece: Callable[[Piece], AudioStream]) -> Iterator[bytes]:
    """Yield the joined audio in order, reading the pieces' streams from a pool of threads."""
    import threading
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    job = plan.job
    pool = ThreadPoolExecutor(max_workers=job.limit, thread_name_prefix="fishaudio-long")
    abandoned = threading.Event()
    futures: dict[Future[bytes], int] = {}
    try:
        while True:
            yield from plan.ready()
            if job.is_done():
                break
            for index in job.to_send(time.monotonic()):
                futures[pool.submit(_read, open_piece, job.pieces[index], abandoned)] = index
            timeout = job.wake_in(time.monotonic())
            if not futures:
                time.sleep(timeout or 0.0)  # only retries are left, waiting for their time
                continue
            done, _ = wait(futures, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                index = futures.pop(future)
                error = future.exception()
                if error is None:
                    plan.succeeded(index, future.result())
                elif isinstance(error, Exception):
                    job.failed(index, error, time.monotonic())
                else:
                    raise error
        yield plan.joiner.finish()
    finally:
        abandoned.set()
        pool.shutdown(wait=False, cancel_futures=True)


async def run_async(plan: Plan, send: Callable[[Piece], Awaitable[bytes]]) -> AsyncIterator[bytes]:
    """Yield the joined audio in order, sending the pieces from tasks of the running loop."""
    import asyncio

    job = plan.job
    tasks: dict[asyncio.Task[bytes], int] = {}

    async def call(piece: Piece) -> bytes:
        return await send(piece)

    try:
        while True:
            for chunk in plan.ready():
                yield chunk
            if job.is_done():
                break
            for index in job.to_send(time.monotonic()):
                tasks[asyncio.ensure_future(call(job.pieces[index]))] = index
            timeout = job.wake_in(time.monotonic())
            if not tasks:
                await asyncio.sleep(timeout or 0.0)
                continue
            done, _ = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                index = tasks.pop(task)
                error = task.exception()
                if error is None:
                    plan.succeeded(index, task.result())
                elif isinstance(error, Exception):
                    job.failed(index, error, time.monotonic())
                else:
                    raise error
        yield plan.joiner.finish()
    finally:
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
