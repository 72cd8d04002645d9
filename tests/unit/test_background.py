"""A task not awaited that ``asyncio.run()`` lets finish cannot hang the program on its way out."""

from __future__ import annotations

import asyncio
import logging

import pytest

import fishaudio_ext._background as background


def test_a_task_waiting_for_what_never_comes_is_cancelled_after_the_grace(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(background, "SHUTDOWN_GRACE_SECONDS", 0.05)
    finished: list[str] = []

    async def consumer(queue: asyncio.Queue[str]) -> None:
        try:
            await queue.get()  # its producer is cancelled by asyncio.run(): nothing ever arrives
        finally:
            finished.append("consumer")

    async def main() -> None:
        queue: asyncio.Queue[str] = asyncio.Queue()
        background.run_in_background(consumer(queue), "play(stream)")

    with caplog.at_level(logging.WARNING, logger="fishaudio_ext"):
        asyncio.run(main())

    assert finished == ["consumer"]
    assert "play(stream) was not awaited" in caplog.text


def test_a_task_that_finishes_in_time_is_not_cut_short(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "SHUTDOWN_GRACE_SECONDS", 60)
    done: list[int] = []

    async def work() -> None:
        for step in range(3):
            await asyncio.sleep(0)
            done.append(step)

    async def main() -> None:
        background.run_in_background(work(), "save(stream)")

    asyncio.run(main())
    assert done == [0, 1, 2]
