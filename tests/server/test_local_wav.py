"""WAV from the local server, as the client hands it over: real sizes whenever the whole audio is known,
and still recognised by the server's ASR afterwards, also once a user re-encodes it."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import av
import pytest

from fishaudio_ext import AsyncFishAudio, FishAudio
from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._codecs import probe
from fishaudio_ext.types import AudioFormat
from fishaudio_ext.utils import save

TEXT = "A clip whose length every player should report correctly."


def wave_seconds(audio: bytes) -> float:
    """The duration Python's ``wave`` reads from the header."""
    with wave.open(io.BytesIO(audio)) as reader:
        return reader.getnframes() / reader.getframerate()


def header_seconds(audio: bytes) -> float:
    """The duration PyAV (FFmpeg) reads from the header, without decoding."""
    with av.open(io.BytesIO(audio)) as container:
        stream = container.streams.audio[0]
        assert stream.duration is not None
        return float(stream.duration * stream.time_base)


def assert_honest(audio: bytes) -> None:
    decoded = probe(audio)  # counts the decoded samples, whatever the header says
    assert decoded is not None
    assert 2 < decoded.duration < 10
    assert wave_seconds(audio) == pytest.approx(decoded.duration, abs=1e-3)
    assert header_seconds(audio) == pytest.approx(decoded.duration, abs=1e-3)


def reencoded(audio: bytes, container_format: str, codec: str) -> bytes:
    """``audio`` decoded and encoded again with PyAV, as a user might before transcribing it."""
    out = io.BytesIO()
    with av.open(io.BytesIO(audio)) as source, av.open(out, "w", format=container_format) as target:
        stream = target.add_stream(codec, rate=source.streams.audio[0].rate, layout="mono")
        for frame in source.decode(audio=0):
            frame.pts = None
            target.mux(stream.encode(frame))
        target.mux(stream.encode(None))
    return out.getvalue()


def test_convert_gives_real_sizes_and_asr_still_knows_it(client: FishAudio) -> None:
    audio = client.tts.convert(text=TEXT, format="wav")
    assert_honest(audio)
    assert client.asr.transcribe(audio=audio).text == TEXT


async def test_async_convert_gives_real_sizes(async_client: AsyncFishAudio) -> None:
    audio = await async_client.tts.convert(text=TEXT, format="wav")
    assert_honest(audio)
    assert (await async_client.asr.transcribe(audio=audio)).text == TEXT


def test_a_live_stream_passes_the_placeholder_header_on(client: FishAudio) -> None:
    with client.tts.stream(text=TEXT, format="wav") as stream:
        first = next(iter(stream))
    with wave.open(io.BytesIO(first)) as reader:
        assert reader.getnframes() == 2147483520  # the length is not known yet


def test_collect_gives_real_sizes(client: FishAudio) -> None:
    with client.tts.stream(text=TEXT, format="wav") as stream:
        audio = stream.collect()
    assert_honest(audio)
    assert client.asr.transcribe(audio=audio).text == TEXT


async def test_async_collect_gives_real_sizes(async_client: AsyncFishAudio) -> None:
    async with await async_client.tts.stream(text=TEXT, format="wav") as stream:
        audio = await stream.collect()
    assert_honest(audio)


def test_websocket_collect_gives_real_sizes(client: FishAudio) -> None:
    audio = client.tts.stream_websocket(iter([TEXT]), format="wav").collect()
    assert_honest(audio)
    assert client.asr.transcribe(audio=audio).text == TEXT


async def test_async_websocket_collect_gives_real_sizes(async_client: AsyncFishAudio) -> None:
    async def text() -> object:
        yield TEXT

    audio = await async_client.tts.stream_websocket(text(), format="wav").collect()
    assert_honest(audio)
    assert (await async_client.asr.transcribe(audio=audio)).text == TEXT


def test_save_of_a_stream_gives_real_sizes(client: FishAudio, tmp_path: Path) -> None:
    with client.tts.stream(text=TEXT, format="wav") as stream:
        save(stream, tmp_path / "clip.wav")
    audio = (tmp_path / "clip.wav").read_bytes()
    assert_honest(audio)
    assert client.asr.transcribe(audio=audio).text == TEXT


async def test_async_save_of_a_websocket_stream_gives_real_sizes(
    async_client: AsyncFishAudio, tmp_path: Path
) -> None:
    async def text() -> object:
        yield TEXT

    await save(async_client.tts.stream_websocket(text(), format="wav"), tmp_path / "clip.wav")
    assert_honest((tmp_path / "clip.wav").read_bytes())


@pytest.mark.parametrize(
    ("sent", "container_format", "codec"),
    [
        ("wav", "wav", "pcm_s16le"),
        ("wav", "flac", "flac"),
        ("mp3", "wav", "pcm_s16le"),
        ("opus", "wav", "pcm_s16le"),
    ],
)
def test_asr_knows_its_audio_re_encoded_by_a_user(
    client: FishAudio, server: LocalServer, sent: AudioFormat, container_format: str, codec: str
) -> None:
    audio = client.tts.convert(text=TEXT, format=sent)
    copy = reencoded(audio, container_format, codec)
    assert copy != audio
    assert server.context.recall_audio(copy) is not None
    assert client.asr.transcribe(audio=copy).text == TEXT


def test_asr_knows_live_wav_re_encoded_by_a_user(client: FishAudio, server: LocalServer) -> None:
    chunks = list(client.tts.stream_websocket(iter([TEXT]), format="wav"))
    copy = reencoded(b"".join(chunks), "flac", "flac")
    assert server.context.recall_audio(copy) is not None
    assert client.asr.transcribe(audio=copy).text == TEXT


def test_other_samples_are_not_taken_for_its_own(client: FishAudio, server: LocalServer) -> None:
    audio = client.tts.convert(text=TEXT, format="wav")
    changed = bytearray(audio)
    middle = len(audio) // 2
    changed[middle : middle + 200] = bytes(byte ^ 0x55 for byte in audio[middle : middle + 200])
    assert server.context.recall_audio(audio) is not None
    assert server.context.recall_audio(bytes(changed)) is None
