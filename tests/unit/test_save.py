"""save(): every audio source, atomic replacement, and failures that leave no partial file."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from fishaudio_ext.utils import save


def chunks() -> Iterator[bytes]:
    yield b"ID3"
    yield b""
    yield b"-audio-"
    yield b"end"


async def async_chunks() -> AsyncIterator[bytes]:
    for chunk in chunks():
        yield chunk


def failing_chunks() -> Iterator[bytes]:
    yield b"partial"
    raise ConnectionError("stream broke")


async def failing_async_chunks() -> AsyncIterator[bytes]:
    yield b"partial"
    raise ConnectionError("stream broke")


def files_in(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


@pytest.mark.parametrize(
    "audio",
    [
        b"ID3-audio-end",
        bytearray(b"ID3-audio-end"),
        memoryview(b"ID3-audio-end"),
        [b"ID3", b"-audio-", b"end"],
    ],
    ids=["bytes", "bytearray", "memoryview", "list"],
)
def test_save_in_memory_audio(tmp_path: Path, audio: bytes) -> None:
    target = tmp_path / "out.mp3"

    assert save(audio, target) is None

    assert target.read_bytes() == b"ID3-audio-end"
    assert files_in(tmp_path) == ["out.mp3"]


def test_save_generator_to_a_str_path(tmp_path: Path) -> None:
    target = tmp_path / "out.mp3"

    save(chunks(), str(target))

    assert target.read_bytes() == b"ID3-audio-end"


async def test_save_async_generator(tmp_path: Path) -> None:
    target = tmp_path / "out.mp3"

    pending = save(async_chunks(), target)
    assert not target.exists()  # nothing happens until awaited
    await pending

    assert target.read_bytes() == b"ID3-audio-end"
    assert files_in(tmp_path) == ["out.mp3"]


def test_save_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.mp3"
    target.write_bytes(b"old audio that is longer")

    save(b"new", target)

    assert target.read_bytes() == b"new"


def test_empty_audio_still_writes_an_empty_file(tmp_path: Path) -> None:
    target = tmp_path / "out.mp3"

    save(iter([]), target)

    assert target.read_bytes() == b""


def test_failing_stream_leaves_no_partial_file(tmp_path: Path) -> None:
    with pytest.raises(ConnectionError, match="stream broke"):
        save(failing_chunks(), tmp_path / "out.mp3")

    assert files_in(tmp_path) == []


def test_failing_stream_keeps_the_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.mp3"
    target.write_bytes(b"previous take")

    with pytest.raises(ConnectionError):
        save(failing_chunks(), target)

    assert target.read_bytes() == b"previous take"
    assert files_in(tmp_path) == ["out.mp3"]


async def test_failing_async_stream_keeps_the_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.mp3"
    target.write_bytes(b"previous take")

    with pytest.raises(ConnectionError):
        await save(failing_async_chunks(), target)

    assert target.read_bytes() == b"previous take"
    assert files_in(tmp_path) == ["out.mp3"]


def test_non_bytes_chunk_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        save(["text chunk"], tmp_path / "out.mp3")  # type: ignore[list-item]

    assert files_in(tmp_path) == []


def test_str_is_rejected_as_audio(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="not str"):
        save("hello", tmp_path / "out.mp3")  # type: ignore[arg-type]

    assert files_in(tmp_path) == []


def test_non_audio_object_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="not int"):
        save(42, tmp_path / "out.mp3")  # type: ignore[call-overload]


def test_missing_directory_raises_before_reading_the_stream(tmp_path: Path) -> None:
    consumed = []

    def tracked() -> Iterator[bytes]:
        consumed.append(True)
        yield b"x"

    with pytest.raises(FileNotFoundError):
        save(tracked(), tmp_path / "missing" / "out.mp3")

    assert consumed == []
