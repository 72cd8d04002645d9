"""AudioBytes: convert()'s result is bytes, and also iterates as one chunk like a stream."""

from __future__ import annotations

from fishaudio_ext import AudioBytes


def test_it_is_bytes_in_every_other_way() -> None:
    audio = AudioBytes(b"RIFF1234")
    assert isinstance(audio, bytes)
    assert audio == b"RIFF1234"
    assert audio[0] == ord("R")
    assert audio[:4] == b"RIFF"
    assert len(audio) == 8


def test_iterating_yields_the_whole_audio_as_one_chunk() -> None:
    audio = AudioBytes(b"abc")
    assert list(audio) == [b"abc"]
    assert b"".join(audio) == b"abc"
    assert type(next(iter(audio))) is bytes


async def test_async_iterating_yields_the_whole_audio_as_one_chunk() -> None:
    assert [chunk async for chunk in AudioBytes(b"abc")] == [b"abc"]
