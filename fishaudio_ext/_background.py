"""Tasks that ``asyncio.run()`` lets finish: ``play(stream)`` and ``save(stream)`` not awaited, and the
sender task of the WebSocket stream they read.

The docs' real-time examples end ``main()`` with ``play(audio_stream)``, without ``await``. Once ``main()``
returns, ``asyncio.run()`` cancels every task still pending, calling ``cancel()`` while its loop is stopped,
then runs the loop until they are done: the audio would never play. A task made here declines that one
cancel when its starter returned normally (not on an error or Ctrl-C), so ``asyncio.run()`` waits for it
instead. ``task.cancel()`` from code running in the loop works as usual.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

_T = TypeVar("_T")

log = logging.getLogger("fishaudio_ext")

SHUTDOWN_GRACE_SECONDS = 300.0
"""How long ``asyncio.run()`` waits for such a task at the most: what it waits for may never come (the task
feeding its text may have been cancelled already), and a program must not hang on its way out."""


class OutlivingTask(asyncio.Task[_T]):
    """A task that declines ``asyncio.run()``'s final cancel while ``outlives()`` says so."""

    def __init__(
        self, coroutine: Coroutine[Any, Any, _T], *, name: str, outlives: Callable[[], bool]
    ) -> None:
        self._outlives = outlives  # set first: the task may be asked to cancel as soon as it exists
        self._deadline_set = False
        super().__init__(coroutine, loop=asyncio.get_running_loop(), name=name)

    def outlives_shutdown(self) -> bool:
        """Whether this task goes on when ``asyncio.run()`` cleans up."""
        return self._outlives()

    def cancel(self, msg: Any | None = None) -> bool:
        # Only a clean-up such as asyncio.run()'s cancels tasks while their loop is stopped.
        if not self.get_loop().is_running() and self._outlives():
            if not self._deadline_set:
                self._deadline_set = True
                log.warning(
                    "%s was not awaited; the program waits up to %g s for it to finish",
                    self.get_name(),
                    SHUTDOWN_GRACE_SECONDS,
                )
                self.get_loop().call_later(SHUTDOWN_GRACE_SECONDS, asyncio.Task.cancel, self)
            return False
        return super().cancel(msg)


def run_in_background(coroutine: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    """Start ``coroutine`` as a task of the running event loop (see :func:`detach`) and return it.

    Without a running loop it runs to its end with ``asyncio.run()`` first, raising what it raises, and
    the finished task is returned: awaiting it later is harmless too.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_run_to_end(coroutine, name))
    return detach(coroutine, name)


async def _run_to_end(coroutine: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    task = asyncio.create_task(coroutine, name=name)
    await task
    return task


def detach(coroutine: Coroutine[Any, Any, None], name: str) -> OutlivingTask[None]:
    """Start ``coroutine`` as a task that completes even if the current task returns without awaiting it."""
    starter = asyncio.current_task()

    def starter_returned() -> bool:
        return (
            starter is not None and starter.done() and not starter.cancelled() and starter.exception() is None
        )

    return OutlivingTask(_after_this_step(coroutine), name=name, outlives=starter_returned)


def helper_task(coroutine: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    """Start a task that works for the current one, and so outlives ``asyncio.run()`` exactly when it does."""
    leader = asyncio.current_task()

    def leader_outlives() -> bool:
        return isinstance(leader, OutlivingTask) and not leader.done() and leader.outlives_shutdown()

    return OutlivingTask(coroutine, name=name, outlives=leader_outlives)


async def _after_this_step(coroutine: Coroutine[Any, Any, None]) -> None:
    # Wait one loop iteration. If the starter is main() about to return, asyncio.run() then takes its list
    # of tasks to cancel before the coroutine creates helper tasks (asyncio's subprocess plumbing has
    # some) that would be on that list.
    try:
        await asyncio.sleep(0)
    except BaseException:
        coroutine.close()  # cancelled before it started: it must not be reported as never awaited
        raise
    await coroutine
