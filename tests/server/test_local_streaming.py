"""The local server synthesizes while it sends: the first audio leaves early and memory stays bounded."""

from __future__ import annotations

import time
import tracemalloc

import httpx
import pytest
from local_wire import KEY

from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._codecs import probe
from fishaudio_ext.server._synthesis import AudioSettings, SynthesisSession, synthesized
from fishaudio_ext.server._text import split_text

SENTENCE = "Every sentence of this text is its own chunk of speech. "


def _settings(audio_format: str = "pcm", sample_rate: int = 16000) -> AudioSettings:
    return AudioSettings(
        format=audio_format,
        sample_rate=sample_rate,
        mp3_bitrate=128,
        opus_bitrate=-1000,
        speed=1.0,
        volume_db=0.0,
        latency="normal",
        chunk_length=100,
        min_chunk_length=0,
    )


async def test_the_first_piece_comes_before_the_rest_of_the_text_is_synthesized() -> None:
    session = SynthesisSession(_settings("mp3", 44100))
    pieces = synthesized(session, SENTENCE * 40)
    first = await anext(pieces)
    assert first.audio_end > 0
    assert session.transcript.text == SENTENCE.strip()  # one chunk of forty
    await pieces.aclose()


def test_memory_stays_bounded_by_one_chunk_whatever_the_text_length() -> None:
    session = SynthesisSession(_settings())
    text = SENTENCE * 800  # 45,000 characters: about 50 minutes of audio, 95 MiB of 16 kHz samples
    tracemalloc.start()
    try:
        audio_bytes = sum(len(piece.audio) for pieces in session.chunks(text) for piece in pieces)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert audio_bytes > 90 * 2**20
    assert peak < 15 * 2**20, f"synthesis held {peak / 2**20:.0f} MiB at once"


def test_a_long_request_starts_streaming_long_before_it_ends(server: LocalServer) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    # About three minutes of MP3: encoding it takes seconds, its first chunk a few hundredths of that.
    body = {"text": SENTENCE * 50, "format": "mp3", "sample_rate": 32000, "chunk_length": 100}
    with httpx.Client(base_url=server.url, headers=headers, timeout=60) as http:
        started = time.monotonic()
        with http.stream("POST", "/v1/tts", json=body) as response:
            assert response.status_code == 200
            chunks = response.iter_raw()
            next(chunks)
            first_byte = time.monotonic() - started
            for _ in chunks:
                pass
        total = time.monotonic() - started
    assert first_byte < total / 4, f"first byte after {first_byte:.2f} s of {total:.2f} s"


@pytest.mark.parametrize("audio_format", ["mp3", "opus", "wav", "pcm"])
def test_a_streamed_response_is_one_whole_file(server: LocalServer, audio_format: str) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    body = {"text": SENTENCE * 5, "format": audio_format, "chunk_length": 100}
    with httpx.Client(base_url=server.url, headers=headers, timeout=60) as http:
        response = http.post("/v1/tts", json=body)
        assert response.status_code == 200
        asr = http.post("/v1/asr", files={"audio": ("a", response.content)}, data={"language": "en"})
    assert asr.json()["text"] == " ".join((SENTENCE * 5).split())
    if audio_format != "pcm":
        info = probe(response.content)
        assert info is not None
        assert info.duration == pytest.approx(asr.json()["duration"], abs=0.1)


def test_a_word_longer_than_a_chunk_is_cut_so_no_chunk_grows_with_the_text() -> None:
    chunks = split_text("x" * 1000 + " (excited)" + "y" * 295, chunk_length=300, min_chunk_length=50)
    assert [len(chunk) for chunk in chunks] == [300, 300, 300, 100, 300, 4]
    assert chunks[-2].startswith("(excited)yyy")  # a tag is never cut
