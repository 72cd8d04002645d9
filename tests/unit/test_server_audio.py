"""The local server's audio: the speech-like synthesizer, the encoders of every API format, the prober.

Encoded audio is checked by decoding it with FFmpeg (PyAV), independently of the code under test.
"""

from __future__ import annotations

import io
import os
import random
import struct
import subprocess
import sys
import wave
import zlib
from typing import Any

import attrs
import av
import pytest

from fishaudio_ext.server._codecs import (
    FORMATS,
    content_type,
    default_sample_rate,
    encoder,
    probe,
    supported_sample_rates,
)
from fishaudio_ext.server._speech import Speech, spoken_text, synthesize

SENTENCE = "Hello there! This is the local Fish Audio server, speaking clearly. Can you hear me?"
# Encoders may add up to this much audio (MP3 encoder delay and frame padding); none may lose any.
CODEC_PADDING = 0.1
MP3_KBPS = (None, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)  # MPEG-1 Layer III
MP3_RATES = (44100, 48000, 32000)


@attrs.frozen
class Decoded:
    sample_rate: int
    channels: int
    duration: float
    container: str
    codec: str
    samples: bytes  # interleaved, in the decoder's sample format


def decode(data: bytes) -> Decoded:
    """Decode every frame of the first audio stream, checking each frame is mono at the stream's rate."""
    with av.open(io.BytesIO(data), mode="r") as container:
        stream = container.streams.audio[0]
        frames = list(container.decode(stream))
        rate = stream.codec_context.sample_rate
        assert {(f.sample_rate, f.layout.nb_channels) for f in frames} == {(rate, 1)}
        return Decoded(
            sample_rate=rate,
            channels=stream.codec_context.layout.nb_channels,
            duration=sum(f.samples for f in frames) / rate,
            container=container.format.name,
            codec=stream.codec_context.name,
            samples=b"".join(bytes(f.planes[0])[: 2 * f.samples] for f in frames),
        )


def encode_in_chunks(fmt: str, speech: Speech, **options: Any) -> list[bytes]:
    """Feed the samples in uneven chunks (odd byte counts too, splitting samples); return every output."""
    enc = encoder(fmt, sample_rate=speech.sample_rate, **options)
    chunk_sizes = random.Random(7)
    outputs = [enc.encode(b"")]
    position = 0
    while position < len(speech.pcm):
        size = chunk_sizes.randrange(1, 6000)
        outputs.append(enc.encode(speech.pcm[position : position + size]))
        position += size
    outputs.append(enc.finish())
    return outputs


def peak(speech: Speech) -> int:
    samples: tuple[int, ...] = struct.unpack(f"<{len(speech.pcm) // 2}h", speech.pcm)
    return max(map(abs, samples))


ENCODINGS = [
    *(pytest.param("wav", rate, {}, id=f"wav-{rate}") for rate in (8000, 16000, 24000, 32000, 44100)),
    pytest.param("mp3", 32000, {"mp3_bitrate": 64}, id="mp3-32000-64k"),
    pytest.param("mp3", 44100, {"mp3_bitrate": 128}, id="mp3-44100-128k"),
    pytest.param("mp3", 44100, {"mp3_bitrate": 192}, id="mp3-44100-192k"),
    pytest.param("opus", 48000, {}, id="opus-auto"),
    pytest.param("opus", 48000, {"opus_bitrate": 24000}, id="opus-24000"),
    pytest.param("opus", 48000, {"opus_bitrate": 64000}, id="opus-64000"),
    pytest.param("opus", 48000, {"opus_bitrate": 32}, id="opus-32-legacy-kbps"),  # what SDK 1.3.0 sends
]


@pytest.mark.parametrize(("fmt", "rate", "options"), ENCODINGS)
def test_encoded_chunks_concatenate_to_a_file_of_the_speech(
    fmt: str, rate: int, options: dict[str, int]
) -> None:
    speech = synthesize(SENTENCE, sample_rate=rate)
    decoded = decode(b"".join(encode_in_chunks(fmt, speech, **options)))
    assert (decoded.sample_rate, decoded.channels) == (rate, 1)
    assert speech.duration <= decoded.duration <= speech.duration + CODEC_PADDING
    container, codec = {"wav": ("wav", "pcm_s16le"), "mp3": ("mp3", "mp3"), "opus": ("ogg", "opus")}[fmt]
    assert decoded.container == container
    assert decoded.codec.startswith(codec)  # FFmpeg's MP3 decoder is "mp3float" or "mp3"


@pytest.mark.parametrize("rate", [8000, 44100])
def test_pcm_is_the_bare_samples(rate: int) -> None:
    speech = synthesize(SENTENCE, sample_rate=rate)
    assert b"".join(encode_in_chunks("pcm", speech)) == speech.pcm


def test_wav_sends_its_header_first_with_the_api_placeholder_sizes() -> None:
    speech = synthesize(SENTENCE, sample_rate=24000)
    outputs = encode_in_chunks("wav", speech)
    assert len(outputs[0]) == 44  # the header is ready before any sample is given
    assert struct.unpack_from("<4sI4s", outputs[0]) == (b"RIFF", 4294967076, b"WAVE")
    assert struct.unpack_from("<4sI", outputs[0], 36) == (b"data", 4294967040)
    data = b"".join(outputs)
    assert data[44:] == speech.pcm
    assert decode(data).samples == speech.pcm  # lossless


def test_wav_reads_with_the_standard_library_by_trusting_the_byte_count() -> None:
    speech = synthesize(SENTENCE, sample_rate=16000)
    with wave.open(io.BytesIO(b"".join(encode_in_chunks("wav", speech)))) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 16000)
        # The header claims ~2**31 frames; reading them all stops at the real end of the data.
        assert wav.readframes(wav.getnframes()) == speech.pcm


@pytest.mark.parametrize(
    ("rate", "kbps"), [(32000, 64), (44100, 64), (44100, 128), (32000, 192), (44100, 192)]
)
def test_mp3_is_bare_constant_bitrate_mono_frames(rate: int, kbps: int) -> None:
    data = b"".join(encode_in_chunks("mp3", synthesize(SENTENCE, sample_rate=rate), mp3_bitrate=kbps))
    position = frames = 0
    while position < len(data):
        header = int.from_bytes(data[position : position + 4], "big")
        assert header >> 21 == 0x7FF, f"no frame sync at byte {position}"
        assert (header >> 19 & 3, header >> 17 & 3) == (3, 1)  # MPEG-1, Layer III
        assert MP3_KBPS[header >> 12 & 15] == kbps
        assert MP3_RATES[header >> 10 & 3] == rate
        assert header >> 6 & 3 == 3  # single channel
        position += 144000 * kbps // rate + (header >> 9 & 1)
        frames += 1
    assert position == len(data)  # no ID3 or Xing header, no trailing bytes: frames only
    assert frames > 100


def test_opus_is_ogg_opus_at_the_requested_bitrate() -> None:
    speech = synthesize(SENTENCE, sample_rate=48000)
    sizes = {}
    for bitrate in (24000, 64000):
        data = b"".join(encode_in_chunks("opus", speech, opus_bitrate=bitrate))
        assert data[:4] == b"OggS"
        assert data[28:36] == b"OpusHead"  # the first packet of the first page
        sizes[bitrate] = len(data)
    assert sizes[24000] < sizes[64000] / 2
    assert sizes[24000] * 8 / speech.duration < 24000 * 1.3  # including the Ogg overhead


@pytest.mark.parametrize("fmt", FORMATS)
def test_encoders_stream_most_of_the_audio_before_finish(fmt: str) -> None:
    rate = default_sample_rate(fmt)
    speech = synthesize(SENTENCE, sample_rate=rate)
    enc = encoder(fmt, sample_rate=rate)
    step = 2 * rate // 10  # 100 ms of audio per call
    streamed = [enc.encode(speech.pcm[i : i + step]) for i in range(0, len(speech.pcm), step)]
    rest = enc.finish()
    assert streamed[2], "nothing came out after 300 ms of audio"
    assert len(rest) < 0.1 * len(b"".join(streamed))


def test_duration_follows_the_length_of_the_spoken_text() -> None:
    once = synthesize(SENTENCE, sample_rate=16000).duration
    twice = synthesize(f"{SENTENCE} {SENTENCE}", sample_rate=16000).duration
    assert 4 < once < 8  # about 65 ms per letter, with pauses
    assert twice == pytest.approx(2 * once, rel=0.02)
    assert synthesize(f"(happy) [whisper] {SENTENCE}", sample_rate=16000).duration == once


@pytest.mark.parametrize("speed", [0.5, 0.8, 1.5, 2.0])
def test_duration_is_divided_by_the_speed(speed: float) -> None:
    normal = synthesize(SENTENCE, sample_rate=24000)
    faster = synthesize(SENTENCE, sample_rate=24000, speed=speed)
    assert faster.duration == pytest.approx(normal.duration / speed, rel=0.001)
    assert faster.words[-1].end == pytest.approx(normal.words[-1].end / speed, rel=0.001)


def test_volume_scales_the_amplitude_and_clips_without_wrapping() -> None:
    normal = peak(synthesize(SENTENCE, sample_rate=16000))
    assert 32767 * 10 ** (-12.5 / 20) < normal < 32767 * 10 ** (-11.5 / 20)  # about -12 dBFS
    assert peak(synthesize(SENTENCE, sample_rate=16000, volume_db=6)) / normal == pytest.approx(2, rel=0.01)
    assert peak(synthesize(SENTENCE, sample_rate=16000, volume_db=-20)) / normal == pytest.approx(
        0.1, rel=0.01
    )
    loud = synthesize(SENTENCE, sample_rate=16000, volume_db=20)
    samples = struct.unpack(f"<{len(loud.pcm) // 2}h", loud.pcm)
    assert (max(samples), min(samples)) == (32767, -32767)
    assert loud.duration == synthesize(SENTENCE, sample_rate=16000).duration


def test_synthesis_is_deterministic_across_processes() -> None:
    assert synthesize(SENTENCE, sample_rate=44100, speed=1.3) == synthesize(
        SENTENCE, sample_rate=44100, speed=1.3
    )
    # str hashes differ between processes; the synthesizer must not depend on them.
    script = (
        "import sys, zlib; from fishaudio_ext.server._speech import synthesize; "
        "print(zlib.crc32(synthesize(sys.argv[1], sample_rate=8000).pcm))"
    )
    checksums = {
        subprocess.run(
            [sys.executable, "-c", script, SENTENCE],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert checksums == {str(zlib.crc32(synthesize(SENTENCE, sample_rate=8000).pcm))}


def test_speech_is_voiced_words_separated_by_pauses() -> None:
    speech = synthesize("Hello there, my friend. Bye", sample_rate=8000)
    assert [w.text for w in speech.words] == ["Hello", "there,", "my", "friend.", "Bye"]
    assert speech.words[0].start == 0
    assert speech.words[-1].end == speech.duration
    gaps = [b.start - a.end for a, b in zip(speech.words, speech.words[1:], strict=False)]
    space, comma, stop = gaps[2], gaps[1], gaps[3]
    assert space == pytest.approx(0.065, abs=0.001)
    assert space < comma < stop
    samples = struct.unpack(f"<{len(speech.pcm) // 2}h", speech.pcm)
    for word, following in zip(speech.words, speech.words[1:], strict=False):
        start, end, next_start = (round(t * 8000) for t in (word.start, word.end, following.start))
        assert max(map(abs, samples[start:end])) > 4000
        assert not any(samples[end:next_start])


@pytest.mark.parametrize("text", ["", "   ", "(happy) [whisper] <|speaker:1|>"])
def test_nothing_to_say_is_a_short_silence(text: str) -> None:
    speech = synthesize(text, sample_rate=16000)
    assert speech.words == ()
    assert speech.duration == 0.25
    assert speech.pcm == bytes(len(speech.pcm))


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("(happy) Hello  world", "Hello world"),
        ("[whisper] psst [laughing loudly] ha", "psst ha"),
        ("<|speaker:0|>Hi!<|speaker:1|>Hello.", "Hi! Hello."),
        ("\tno\ntags here ", "no tags here"),
    ],
)
def test_spoken_text_drops_tags_and_collapses_whitespace(text: str, spoken: str) -> None:
    assert spoken_text(text) == spoken
    assert " ".join(w.text for w in synthesize(text, sample_rate=8000).words) == spoken


def test_speaker_tags_change_the_voice_not_the_timing() -> None:
    first = synthesize("<|speaker:0|>Good morning everyone", sample_rate=16000)
    second = synthesize("<|speaker:1|>Good morning everyone", sample_rate=16000)
    assert first.words == second.words
    assert first.pcm != second.pcm


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"speed": 0.4}, "speed must be between"),
        ({"volume_db": float("nan")}, "volume"),
        ({"sample_rate": 4000}, "8000"),
    ],
)
def test_synthesize_rejects_bad_settings(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        synthesize(SENTENCE, **{"sample_rate": 16000, **options})


def test_format_table() -> None:
    assert {fmt: default_sample_rate(fmt) for fmt in FORMATS} == {
        "wav": 44100,
        "pcm": 44100,
        "mp3": 44100,
        "opus": 48000,
    }
    assert {fmt: content_type(fmt) for fmt in FORMATS} == {
        "wav": "audio/wav",
        "pcm": "application/octet-stream",
        "mp3": "audio/mpeg",
        "opus": "audio/ogg",
    }
    assert (
        supported_sample_rates("wav") == supported_sample_rates("pcm") == (8000, 16000, 24000, 32000, 44100)
    )
    assert supported_sample_rates("mp3") == (32000, 44100)
    assert supported_sample_rates("opus") == (48000,)
    assert all(default_sample_rate(fmt) in supported_sample_rates(fmt) for fmt in FORMATS)


@pytest.mark.parametrize(
    ("fmt", "options", "message"),
    [
        ("flac", {"sample_rate": 44100}, "format 'flac' is not supported; use one of wav, pcm, mp3, opus"),
        (
            "mp3",
            {"sample_rate": 16000},
            "sample_rate 16000 is not supported for mp3; use one of 32000, 44100",
        ),
        ("opus", {"sample_rate": 44100}, "sample_rate 44100 is not supported for opus; use one of 48000"),
        ("wav", {"sample_rate": 48000}, "sample_rate 48000 is not supported for wav"),
        ("mp3", {"sample_rate": 44100, "mp3_bitrate": 96}, "mp3_bitrate 96 is not supported"),
        ("opus", {"sample_rate": 48000, "opus_bitrate": 12000}, "opus_bitrate 12000 is not supported"),
    ],
)
def test_unsupported_settings_raise_a_clear_value_error(
    fmt: str, options: dict[str, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        encoder(fmt, **options)


def test_a_bitrate_for_another_format_is_ignored() -> None:
    encoder("mp3", sample_rate=44100, opus_bitrate=1).finish()
    encoder("opus", sample_rate=48000, mp3_bitrate=1).finish()


@pytest.mark.parametrize(("fmt", "rate"), [("wav", 16000), ("mp3", 44100), ("opus", 48000)])
def test_probe_describes_audio_we_made(fmt: str, rate: int) -> None:
    speech = synthesize(SENTENCE, sample_rate=rate)
    info = probe(b"".join(encode_in_chunks(fmt, speech)))
    assert info is not None
    assert info.sample_rate == rate
    assert info.format == {"wav": "wav", "mp3": "mp3", "opus": "ogg"}[fmt]
    assert speech.duration <= info.duration <= speech.duration + CODEC_PADDING


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not audio at all " * 100,
        random.Random(3).randbytes(20000),
        synthesize(SENTENCE, sample_rate=8000).pcm,
    ],
)
def test_probe_returns_none_for_what_is_not_audio(data: bytes) -> None:
    assert probe(data) is None
