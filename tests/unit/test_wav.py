"""WAV headers get their real sizes once the whole audio is known; anything else is left as it is."""

from __future__ import annotations

import asyncio
import io
import struct
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import av
import pytest

from fishaudio_ext._wav import complete_wav
from fishaudio_ext.utils import save

RATE = 16000
# What the API sends in place of the sizes it does not know yet.
RIFF_PLACEHOLDER = 4294967076
DATA_PLACEHOLDER = 4294967040


def _fmt() -> bytes:
    return b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, RATE, 2 * RATE, 2, 16)


def streamed_wav(samples: int, *, before_data: bytes = b"") -> bytes:
    """A mono 16-bit WAV file as the API streams it: placeholder sizes, then the samples."""
    header = b"RIFF" + struct.pack("<I", RIFF_PLACEHOLDER) + b"WAVE" + _fmt() + before_data
    pattern = bytes(range(256)) * (2 * samples // 256 + 1)
    return header + b"data" + struct.pack("<I", DATA_PLACEHOLDER) + pattern[: 2 * samples]


def frames(audio: bytes) -> int:
    with wave.open(io.BytesIO(audio)) as reader:
        return reader.getnframes()


def decoded_seconds(audio: bytes) -> float:
    with av.open(io.BytesIO(audio)) as container:
        stream = container.streams.audio[0]
        assert stream.duration is not None  # from the header's data size
        return float(stream.duration * stream.time_base)


def test_placeholder_sizes_become_real_ones() -> None:
    audio = streamed_wav(RATE)  # one second
    assert frames(audio) == 2147483520  # what the API's header says

    fixed = complete_wav(audio)

    assert len(fixed) == len(audio)
    assert fixed[44:] == audio[44:]
    assert struct.unpack_from("<I", fixed, 4)[0] == len(audio) - 8
    assert frames(fixed) == RATE
    assert decoded_seconds(fixed) == pytest.approx(1.0)


def test_a_list_chunk_before_the_samples_is_skipped() -> None:
    info = b"INFOISFT" + struct.pack("<I", 5) + b"Lavf\x00\x00"  # odd-sized sub-chunk, padded
    audio = streamed_wav(RATE // 2, before_data=b"LIST" + struct.pack("<I", len(info)) + info)
    fixed = complete_wav(audio)
    assert frames(fixed) == RATE // 2
    assert decoded_seconds(fixed) == pytest.approx(0.5)


def test_an_odd_number_of_data_bytes_is_counted_as_it_is() -> None:
    audio = streamed_wav(100) + b"\x01"  # half a sample at the end
    fixed = complete_wav(audio)
    assert struct.unpack_from("<I", fixed, 40)[0] == 201
    assert struct.unpack_from("<I", fixed, 4)[0] == len(audio) - 8
    assert frames(fixed) == 100


@pytest.mark.parametrize("pad", [b"", b"\x00"], ids=["unpadded", "padded"])
def test_an_odd_data_size_already_right_keeps_it(pad: bytes) -> None:
    audio = streamed_wav(100) + b"\x01"
    audio = audio[:40] + struct.pack("<I", 201) + audio[44:] + pad
    fixed = complete_wav(audio)
    assert struct.unpack_from("<I", fixed, 40)[0] == 201
    assert struct.unpack_from("<I", fixed, 4)[0] == len(audio) - 8


def test_a_header_already_right_only_gets_a_wrong_riff_size_fixed() -> None:
    right = complete_wav(streamed_wav(1000))
    assert complete_wav(right) is right
    wrong_riff = right[:4] + struct.pack("<I", 0) + right[8:]
    assert complete_wav(wrong_riff) == right


@pytest.mark.parametrize(
    "audio",
    [
        b"",
        b"RIFF",
        b"ID3\x04" + bytes(100),  # MP3
        b"OggS" + bytes(100),  # Opus in Ogg
        bytes(1000),  # headerless PCM
        streamed_wav(100)[:30],  # header cut short inside fmt
        streamed_wav(100)[:42],  # header cut short inside the data chunk's size
        b"RIFF" + struct.pack("<I", 0) + b"WAVE" + b"JUNK" + struct.pack("<I", 2**31) + bytes(8),
    ],
    ids=["empty", "riff-only", "mp3", "ogg", "pcm", "short-fmt", "short-data", "huge-chunk"],
)
def test_anything_else_comes_back_unchanged(audio: bytes) -> None:
    assert complete_wav(audio) is audio


def test_samples_followed_by_another_chunk_keep_their_sizes() -> None:
    samples = bytes(200)
    body = b"WAVE" + _fmt() + b"data" + struct.pack("<I", len(samples)) + samples + b"cue " + bytes(4)
    audio = b"RIFF" + struct.pack("<I", len(body)) + body
    assert complete_wav(audio) is audio


def test_save_corrects_the_header_of_a_stream_of_chunks(tmp_path: Path) -> None:
    audio = streamed_wav(RATE)
    target = tmp_path / "clip.wav"
    save(iter([audio[:10], audio[10:50], audio[50:]]), target)
    assert target.read_bytes() == complete_wav(audio)
    assert frames(target.read_bytes()) == RATE


async def test_async_save_corrects_the_header(tmp_path: Path) -> None:
    audio = streamed_wav(RATE)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(audio), 1000):
            await asyncio.sleep(0)
            yield audio[start : start + 1000]

    target = tmp_path / "clip.wav"
    await save(chunks(), target)
    assert frames(target.read_bytes()) == RATE
    assert decoded_seconds(target.read_bytes()) == pytest.approx(1.0)


def test_save_leaves_other_audio_byte_for_byte(tmp_path: Path) -> None:
    audio = b"ID3\x04" + bytes(range(256)) * 10
    save(iter([audio[:3], audio[3:]]), tmp_path / "clip.mp3")
    assert (tmp_path / "clip.mp3").read_bytes() == audio
