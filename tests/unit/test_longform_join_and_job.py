"""Joining pieces whose files carry metadata, and the scheduling decisions of a long-form job."""

from __future__ import annotations

import httpx
import pytest

from fishaudio_ext import BadRequestError, RateLimitError, ServerError
from fishaudio_ext._join import Mp3Joiner, WavJoiner, mp3_frames
from fishaudio_ext._longform import Job
from fishaudio_ext.longform import PieceFailedError, split_text

# An MPEG-1 Layer III frame header: 128 kbit/s, 44.1 kHz, no CRC, no padding: 417 bytes a frame.
HEADER = b"\xff\xfb\x90\xc4"
FRAME_BYTES = 417


def frame(fill: int) -> bytes:
    return HEADER + bytes([fill]) * (FRAME_BYTES - 4)


def tagged_mp3(*fills: int) -> bytes:
    """An MP3 file as encoders write it: ID3v2 tag, Xing frame, audio frames, a cut frame, ID3v1 tag."""
    id3v2 = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"T" * 10
    xing = HEADER + bytes(32) + b"Xing" + bytes(FRAME_BYTES - 40)
    id3v1 = b"TAG" + bytes(125)
    return id3v2 + xing + b"".join(frame(f) for f in fills) + HEADER + bytes(100) + id3v1


def test_mp3_pieces_lose_their_tags_xing_frames_and_cut_frames() -> None:
    assert list(mp3_frames(tagged_mp3(1, 2))) == [frame(1), frame(2)]
    joiner = Mp3Joiner()
    joined = joiner.add(tagged_mp3(1, 2)) + joiner.add(tagged_mp3(3)) + joiner.finish()
    assert joined == frame(1) + frame(2) + frame(3)


def test_mp3_silence_is_whole_silent_frames_of_the_same_stream() -> None:
    joiner = Mp3Joiner()
    joiner.add(tagged_mp3(1))
    joined = joiner.add(tagged_mp3(2), silence_before=1.0)
    silent = HEADER + bytes(FRAME_BYTES - 4)
    frames = round(1.0 / (1152 / 44100))
    assert joined == silent * frames + frame(2)


def wav(samples: bytes, sizes: tuple[int, int] | None = None) -> bytes:
    riff, data = sizes or (36 + len(samples), len(samples))
    fmt = b"fmt " + (16).to_bytes(4, "little") + bytes.fromhex("01000100401f0000803e000002001000")
    return (
        b"RIFF" + riff.to_bytes(4, "little") + b"WAVE" + fmt + b"data" + data.to_bytes(4, "little") + samples
    )


def test_wav_pieces_keep_the_first_header_only_with_sizes_to_be_filled_in() -> None:
    joiner = WavJoiner()
    joined = joiner.add(wav(b"\x01\x00" * 3)) + joiner.add(wav(b"\x02\x00" * 2), silence_before=0.001)
    assert joined[:4] == b"RIFF"
    assert joined.count(b"RIFF") == 1
    assert joined[44:] == b"\x01\x00" * 3 + bytes(16) + b"\x02\x00" * 2  # 1 ms at 8 kHz: 8 samples


def job(count: int = 20, *, limit: int = 2, max_retries: int = 2) -> Job:
    pieces = split_text(" ".join(f"Word{i}." for i in range(count)), max_chars=7)
    assert len(pieces) == count
    return Job(pieces, limit=limit, max_retries=max_retries, format="pcm", sample_rate=8000, on_progress=None)


def test_finished_pieces_waiting_for_an_earlier_one_are_bounded() -> None:
    state = job(limit=2)
    assert state.to_send(0) == [0, 1]
    for index in range(1, 4):  # piece 0 is slow; the others finish
        state.succeeded(index, b"")
        state.to_send(0)
    assert state.to_send(0) == []  # four pieces ahead of the first unfinished one: no more for now
    state.succeeded(0, b"")
    assert [index for index, _ in state.take_ready()] == [0, 1, 2, 3]
    assert state.to_send(0) == [4, 5]


def rate_limited(retry_after: str = "1.5") -> RateLimitError:
    return RateLimitError(429, "busy", headers=httpx.Headers({"retry-after": retry_after}), retry_after=1.5)


def test_a_429_lowers_the_limit_and_waits_for_retry_after() -> None:
    state = job(limit=3)
    assert state.to_send(0) == [0, 1, 2]
    state.failed(2, rate_limited(), now=10)
    assert state.limit == 2
    assert state.wake_in(10) == pytest.approx(1.5)
    state.succeeded(0, b"")
    assert state.to_send(11) == [3]  # the retry is not due yet
    state.succeeded(1, b"")
    assert state.to_send(11.5) == [2]  # due now, and sent before new pieces


def test_a_piece_that_keeps_failing_fails_the_job_after_the_retries() -> None:
    state = job(max_retries=1)
    state.to_send(0)
    state.failed(0, ServerError(503, "down"), now=0)
    state.to_send(10)
    with pytest.raises(
        PieceFailedError, match=r"Piece 0 \(characters 0-6: 'Word0\.'\) failed after 2 attempts"
    ):
        state.failed(0, ServerError(503, "down"), now=10)


def test_an_error_that_is_not_worth_retrying_fails_at_once() -> None:
    state = job()
    state.to_send(0)
    with pytest.raises(PieceFailedError, match="after 1 attempt:"):
        state.failed(1, BadRequestError(400, "no"), now=0)
