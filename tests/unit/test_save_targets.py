"""save() keeps what the target is: FIFOs and devices are written, never replaced; symlinks are followed;
an existing file keeps its mode; and every error names the path given, not a temporary file."""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import stat
import subprocess
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fishaudio_ext import AsyncFishAudio, FishAudio
from fishaudio_ext.utils import save

AUDIO = b"ID3" + bytes(range(256)) * 1024  # 256 KiB: more than a pipe's buffer, so the reader must drain it
WAIT = 10  # seconds: the bound on every wait for the reader thread


def chunks() -> Iterator[bytes]:
    for start in range(0, len(AUDIO), 10_000):
        yield AUDIO[start : start + 10_000]


async def async_chunks() -> AsyncIterator[bytes]:
    for chunk in chunks():
        yield chunk


def audio_response(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=chunks(), headers={"Content-Type": "audio/mpeg"})


async def async_audio_response(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=async_chunks(), headers={"Content-Type": "audio/mpeg"})


def save_bytes(target: Path) -> None:
    save(AUDIO, target)


def save_generator(target: Path) -> None:
    save(chunks(), target)


def save_http_stream(target: Path) -> None:
    http = httpx.Client(transport=httpx.MockTransport(audio_response))
    with http, FishAudio(api_key="test-key", base_url="http://127.0.0.1:9", httpx_client=http) as client:
        save(client.tts.stream(text="Hello"), target)


async def save_async_http_stream(target: Path) -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(async_audio_response))
    async with (
        http,
        AsyncFishAudio(api_key="test-key", base_url="http://127.0.0.1:9", httpx_client=http) as client,
    ):
        await save(await client.tts.stream(text="Hello"), target)


async def save_async_generator(target: Path) -> None:
    await save(async_chunks(), target)


SYNC_SOURCES = [save_bytes, save_generator, save_http_stream]
ASYNC_SOURCES = [save_async_generator, save_async_http_stream]


def files_in(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


class FifoReader:
    """Reads everything written to a FIFO in a thread; opened first, so that save() never waits for it.

    A second writer end is held open until :meth:`result`: if save() replaced the FIFO instead of writing
    to it, the reader still sees the end of the data and the test fails instead of hanging.
    """

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self._fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        os.set_blocking(self._fd, True)
        self._keeper = os.open(path, os.O_WRONLY)
        self.data = b""
        self._thread = threading.Thread(target=self._read, name="fifo-reader")
        self._thread.start()

    def _read(self) -> None:
        with open(self._fd, "rb") as pipe:
            self.data = pipe.read()

    def result(self) -> bytes:
        os.close(self._keeper)
        self._thread.join(WAIT)
        assert not self._thread.is_alive(), "the FIFO reader never saw the end of the data"
        return self.data


@pytest.mark.parametrize("write", SYNC_SOURCES)
def test_a_fifo_is_written_and_kept(tmp_path: Path, write: Callable[[Path], None]) -> None:
    target = tmp_path / "audio.fifo"
    reader = FifoReader(target)

    write(target)

    assert reader.result() == AUDIO
    assert stat.S_ISFIFO(os.lstat(target).st_mode)
    assert files_in(tmp_path) == ["audio.fifo"]


@pytest.mark.parametrize("write", ASYNC_SOURCES)
async def test_a_fifo_is_written_and_kept_async(tmp_path: Path, write: Callable[[Path], Any]) -> None:
    target = tmp_path / "audio.fifo"
    reader = FifoReader(target)

    await write(target)

    assert reader.result() == AUDIO
    assert stat.S_ISFIFO(os.lstat(target).st_mode)
    assert files_in(tmp_path) == ["audio.fifo"]


@pytest.fixture
def null_device(tmp_path: Path) -> Path:
    """A character device that discards what it is given.

    As root, a node of its own (the same device as /dev/null): were save() to replace it, the machine's
    /dev/null is spared. Anyone else cannot replace /dev/null, so it is used itself.
    """
    if os.geteuid() != 0:
        return Path(os.devnull)
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return node


@pytest.mark.parametrize("write", SYNC_SOURCES)
def test_a_character_device_is_written_and_kept(null_device: Path, write: Callable[[Path], None]) -> None:
    before = os.lstat(null_device)

    write(null_device)

    after = os.lstat(null_device)
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev, after.st_mode) == (before.st_ino, before.st_rdev, before.st_mode)
    assert [name for name in os.listdir(null_device.parent) if name.endswith(".part")] == []


@pytest.mark.parametrize("write", ASYNC_SOURCES)
async def test_a_character_device_is_written_and_kept_async(
    null_device: Path, write: Callable[[Path], Any]
) -> None:
    before = os.lstat(null_device)

    await write(null_device)

    after = os.lstat(null_device)
    assert (after.st_ino, after.st_rdev, after.st_mode) == (before.st_ino, before.st_rdev, before.st_mode)


@pytest.mark.parametrize("write", SYNC_SOURCES)
def test_a_symlink_stays_and_its_target_is_written(tmp_path: Path, write: Callable[[Path], None]) -> None:
    target = tmp_path / "take-3.mp3"
    target.write_bytes(b"old")
    link = tmp_path / "latest.mp3"
    link.symlink_to(target.name)

    write(link)

    assert link.is_symlink()
    assert os.readlink(link) == "take-3.mp3"
    assert target.read_bytes() == AUDIO
    assert files_in(tmp_path) == ["latest.mp3", "take-3.mp3"]


async def test_a_symlink_stays_and_its_target_is_written_async(tmp_path: Path) -> None:
    target = tmp_path / "take-3.mp3"
    target.write_bytes(b"old")
    link = tmp_path / "latest.mp3"
    link.symlink_to(target)

    await save_async_http_stream(link)

    assert link.is_symlink()
    assert target.read_bytes() == AUDIO


@pytest.mark.parametrize("write", [save_generator, save_async_generator])
async def test_a_symlink_into_another_directory_writes_there(
    tmp_path: Path, write: Callable[[Path], Any]
) -> None:
    elsewhere, here = tmp_path / "elsewhere", tmp_path / "here"
    elsewhere.mkdir()
    here.mkdir()
    link = here / "out.mp3"
    link.symlink_to(elsewhere / "real.mp3")

    result = write(link)
    if result is not None:
        await result

    assert (elsewhere / "real.mp3").read_bytes() == AUDIO
    assert link.is_symlink()
    assert files_in(elsewhere) == ["real.mp3"]
    assert files_in(here) == ["out.mp3"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "out.mp3"
    link.symlink_to("not-yet.mp3")

    save(AUDIO, link)

    assert link.is_symlink()
    assert (tmp_path / "not-yet.mp3").read_bytes() == AUDIO


def test_a_symlink_to_a_fifo_writes_the_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "audio.fifo"
    reader = FifoReader(fifo)
    link = tmp_path / "out.mp3"
    link.symlink_to(fifo)

    save(chunks(), link)

    assert reader.result() == AUDIO
    assert link.is_symlink()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444])
@pytest.mark.parametrize("write", [save_bytes, save_http_stream, save_async_generator])
async def test_an_existing_file_keeps_its_mode(
    tmp_path: Path, mode: int, write: Callable[[Path], Any]
) -> None:
    target = tmp_path / "out.mp3"
    target.write_bytes(b"old")
    target.chmod(mode)

    result = write(target)
    if result is not None:
        await result

    assert stat.S_IMODE(os.stat(target).st_mode) == mode
    assert target.read_bytes() == AUDIO


def test_a_new_file_gets_the_usual_mode(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    target = tmp_path / "out.mp3"

    save(AUDIO, target)

    assert stat.S_IMODE(os.stat(target).st_mode) == 0o666 & ~umask


def tracked_chunks(consumed: list[bool]) -> Iterator[bytes]:
    consumed.append(True)
    yield AUDIO


def test_a_directory_is_refused_by_its_name(tmp_path: Path) -> None:
    consumed: list[bool] = []
    target = tmp_path / "out.mp3"
    target.mkdir()

    with pytest.raises(IsADirectoryError) as caught:
        save(tracked_chunks(consumed), target)

    assert caught.value.filename == str(target)
    assert consumed == []
    assert files_in(tmp_path) == ["out.mp3"]


async def test_a_directory_is_refused_by_its_name_async(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError) as caught:
        await save(async_chunks(), tmp_path)

    assert caught.value.filename == str(tmp_path)


def test_a_missing_directory_is_named_by_the_path_given(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.mp3"

    with pytest.raises(FileNotFoundError) as caught:
        save(AUDIO, target)

    assert caught.value.filename == str(target)
    assert ".part" not in str(caught.value)


async def test_a_missing_directory_is_named_by_the_path_given_async(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.mp3"

    with pytest.raises(FileNotFoundError) as caught:
        await save(async_chunks(), target)

    assert caught.value.filename == str(target)


@contextlib.contextmanager
def read_only(directory: Path) -> Iterator[None]:
    """No new entry can be made in ``directory``: by its mode, or for root (whom modes do not stop) by the
    file system's immutable flag."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(directory)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(directory)], check=True)
    else:
        directory.chmod(0o555)
        try:
            yield
        finally:
            directory.chmod(0o755)


@pytest.mark.parametrize("existing", [False, True], ids=["new-file", "existing-file"])
def test_a_read_only_directory_is_named_and_the_file_kept(tmp_path: Path, existing: bool) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    target = directory / "out.mp3"
    if existing:
        target.write_bytes(b"previous take")

    with read_only(directory), pytest.raises(PermissionError) as caught:
        save(AUDIO, target)

    assert caught.value.filename == str(target)
    assert files_in(directory) == (["out.mp3"] if existing else [])
    if existing:
        assert target.read_bytes() == b"previous take"


def test_a_socket_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "player.sock"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(target))
        consumed: list[bool] = []

        with pytest.raises(OSError, match="neither a file, a FIFO nor a character device") as caught:
            save(tracked_chunks(consumed), target)

        assert caught.value.errno == errno.EINVAL
        assert caught.value.filename == str(target)
        assert consumed == []
        assert stat.S_ISSOCK(os.lstat(target).st_mode)


def test_a_symlink_loop_is_named_by_the_path_given(tmp_path: Path) -> None:
    link = tmp_path / "out.mp3"
    link.symlink_to("out.mp3")

    with pytest.raises(OSError, match="symbolic links") as caught:
        save(AUDIO, link)

    assert caught.value.errno == errno.ELOOP
    assert caught.value.filename == str(link)
    assert link.is_symlink()
