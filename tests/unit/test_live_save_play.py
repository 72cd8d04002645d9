"""save() and play() with async streams: they return an asyncio.Task that completes even when not awaited.

That is what the docs' real-time examples rely on: ``play(audio_stream)`` as the last line of ``main()``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from fishaudio_ext.utils import play, save
from tests.support.player import install_fake_player

Played = Callable[[], list[bytes]]


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        await asyncio.sleep(0)  # a real stream suspends between chunks
        yield part


@pytest.fixture
def played(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Played:
    """A fake ffplay first on PATH; returns what each of its runs was given to play."""
    return install_fake_player(tmp_path, monkeypatch)


async def test_save_returns_a_task_to_await(tmp_path: Path) -> None:
    target = tmp_path / "out.mp3"

    task = save(chunks(b"a", b"b"), target)

    assert isinstance(task, asyncio.Task)
    await task
    assert target.read_bytes() == b"ab"


async def test_play_returns_a_task_to_await(played: Played) -> None:
    task = play(chunks(b"a", b"b"))

    assert isinstance(task, asyncio.Task)
    await task
    assert played() == [b"ab"]


def test_not_awaited_they_still_finish_when_main_returns(tmp_path: Path, played: Played) -> None:
    target = tmp_path / "out.mp3"

    async def main() -> None:
        save(chunks(b"saved"), target)
        play(chunks(b"played"))
        # main() returns at once: asyncio.run() then cancels leftover tasks, which these decline

    asyncio.run(main())

    assert target.read_bytes() == b"saved"
    assert played() == [b"played"]


async def test_cancelling_the_task_from_the_loop_still_stops_it(tmp_path: Path) -> None:
    target = tmp_path / "out.mp3"
    first = asyncio.Event()
    more = asyncio.Event()

    async def slow() -> AsyncIterator[bytes]:
        yield b"first"
        first.set()
        await more.wait()
        yield b"never"

    task = save(slow(), target)
    await first.wait()
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task
    assert not target.exists()


def test_without_a_running_loop_the_stream_is_consumed_first(tmp_path: Path, played: Played) -> None:
    target = tmp_path / "out.mp3"

    saved = save(chunks(b"x", b"y"), target)
    playback = play(chunks(b"z"))

    assert saved.done()
    assert playback.done()
    assert target.read_bytes() == b"xy"
    assert played() == [b"z"]


def test_without_a_running_loop_errors_are_raised_at_once(tmp_path: Path) -> None:
    async def failing() -> AsyncIterator[bytes]:
        yield b"partial"
        raise ConnectionError("stream broke")

    with pytest.raises(ConnectionError, match="stream broke"):
        save(failing(), tmp_path / "out.mp3")

    assert list(tmp_path.iterdir()) == []


def test_a_finished_task_can_be_awaited_later(tmp_path: Path) -> None:
    task = save(chunks(b"x"), tmp_path / "out.mp3")

    async def main() -> None:
        await task  # done already: awaiting it from another loop just returns

    asyncio.run(main())


def test_not_awaited_they_are_cancelled_when_main_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.mp3"

    async def main() -> None:
        save(chunks(b"saved"), target)
        raise RuntimeError("main failed")

    with pytest.raises(RuntimeError, match="main failed"):
        asyncio.run(main())

    assert not target.exists()
