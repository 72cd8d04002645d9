"""save() of a WebSocket stream keeps what the target is: a FIFO is written, a symlink followed."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import AsyncIterator
from pathlib import Path

from fishaudio_ext import AsyncFishAudio, FishAudio
from fishaudio_ext.utils import save
from tests.support.live_server import LiveServer, spoken

TEXT = ["Hello ", "from ", "a live stream."]


class FifoReader:
    """A FIFO at ``path`` read to the end by a thread, opened before save() runs.

    A writer end of its own is held until :meth:`result`, so the reader sees the end of the data only
    then: a save() that replaced the FIFO instead makes the test fail, not hang.
    """

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self._fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        os.set_blocking(self._fd, True)
        self._keeper = os.open(path, os.O_WRONLY)
        self._data = b""
        self._thread = threading.Thread(target=self._read, name="fifo-reader")
        self._thread.start()

    def _read(self) -> None:
        with open(self._fd, "rb") as pipe:
            self._data = pipe.read()

    def result(self) -> bytes:
        os.close(self._keeper)
        self._thread.join(10)
        assert not self._thread.is_alive(), "the FIFO reader never saw the end of the data"
        return self._data


def test_a_websocket_stream_is_saved_into_a_fifo(live_server: LiveServer, tmp_path: Path) -> None:
    fifo = tmp_path / "live.fifo"
    reader = FifoReader(fifo)
    with FishAudio(api_key="test-key", base_url=live_server.base_url) as client:
        save(client.tts.stream_websocket(TEXT), fifo)

    assert reader.result() == spoken(live_server.received)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


async def test_an_async_websocket_stream_is_saved_through_a_symlink(
    live_server: LiveServer, tmp_path: Path
) -> None:
    async def text() -> AsyncIterator[str]:
        for item in TEXT:
            yield item

    target = tmp_path / "take.mp3"
    target.write_bytes(b"old")
    target.chmod(0o600)
    link = tmp_path / "latest.mp3"
    link.symlink_to(target)
    async with AsyncFishAudio(api_key="test-key", base_url=live_server.base_url) as client:
        await save(client.tts.stream_websocket(text()), link)

    assert link.is_symlink()
    assert target.read_bytes() == spoken(live_server.received)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


async def test_an_async_websocket_stream_is_saved_into_a_fifo(
    live_server: LiveServer, tmp_path: Path
) -> None:
    async def text() -> AsyncIterator[str]:
        for item in TEXT:
            yield item

    fifo = tmp_path / "live.fifo"
    reader = FifoReader(fifo)
    async with AsyncFishAudio(api_key="test-key", base_url=live_server.base_url) as client:
        await save(client.tts.stream_websocket(text()), fifo)

    assert reader.result() == spoken(live_server.received)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
