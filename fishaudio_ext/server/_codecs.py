"""The audio formats of the TTS API, encoded incrementally so the server can stream them, and a prober.

``wav`` and ``pcm`` are written by hand (they are just a header and samples); ``mp3`` (libmp3lame, constant
bitrate) and ``opus`` (libopus in Ogg) go through PyAV. Each :class:`Encoder` takes 16-bit little-endian
mono samples in chunks of any size and returns the bytes that are ready; concatenated in order, the
outputs of ``encode`` and ``finish`` form one complete file.

The formats, sample rates and bitrates are the spec's (``fishaudio_api.facts``); anything else raises
ValueError, which the server reports as a 400. Example::

    enc = encoder("mp3", sample_rate=44100, mp3_bitrate=128)
    data = enc.encode(pcm) + enc.finish()
"""

from __future__ import annotations

import io
import struct
from typing import Literal, Protocol, cast

import attrs
import av
from fishaudio_api.facts import (
    AUDIO_FORMAT_VALUES,
    FORMAT_DEFAULT_SAMPLE_RATES,
    FORMAT_MEDIA_TYPES,
    FORMAT_SAMPLE_RATES,
    MP3_BITRATE_VALUES,
    OPUS_AUTOMATIC_BITRATE,
    OPUS_BITRATE_VALUES,
    OPUS_LEGACY_KBPS,
    TTS_REQUEST_MP3_BITRATE_DEFAULT,
    TTS_REQUEST_OPUS_BITRATE_DEFAULT,
)
from fishaudio_api.models import AudioFormat

FORMATS: tuple[str, ...] = AUDIO_FORMAT_VALUES
MP3_BITRATES: tuple[int, ...] = MP3_BITRATE_VALUES
OPUS_BITRATES: tuple[int, ...] = OPUS_BITRATE_VALUES
# The hosted API sends these placeholder sizes instead of real ones, streamed or not: clients must trust
# the byte count. RIFF size = data size + 36, the rest of the 44-byte header.
_WAV_RIFF_SIZE = 4294967076
_WAV_DATA_SIZE = 4294967040
# LAME's quality 7 (of 0 best-slowest to 9 fastest): about 1.5x faster than FFmpeg's default, and the
# difference does not show on speech at the API's bitrates.
_MP3_CODEC_OPTIONS = {"compression_level": "7"}
# Ogg pages of about 100 ms: low latency without paying a page header for every 20 ms packet.
_OGG_PAGE_MICROSECONDS = "100000"


@attrs.frozen
class AudioInfo:
    """What :func:`probe` found: duration in seconds, sample rate, container and codec names."""

    duration: float
    sample_rate: int
    format: str
    codec: str


class Encoder(Protocol):
    """Turns a stream of 16-bit mono samples into one file in the requested format, chunk by chunk."""

    def encode(self, pcm: bytes) -> bytes:
        """Take more samples (any number, even none) and return the encoded bytes ready so far."""
        ...

    def finish(self) -> bytes:
        """Flush everything that is left; call once, after the last ``encode``."""
        ...


def default_sample_rate(format: str) -> int:
    """Return the sample rate used when a request gives none, e.g. 44100 for mp3."""
    return FORMAT_DEFAULT_SAMPLE_RATES[_check_format(format)]


def supported_sample_rates(format: str) -> tuple[int, ...]:
    """Return the sample rates the API documents for ``format``, e.g. ``(32000, 44100)`` for mp3."""
    return FORMAT_SAMPLE_RATES[_check_format(format)]


def content_type(format: str) -> str:
    """Return the Content-Type of a response in ``format``, e.g. ``audio/mpeg`` for mp3."""
    return FORMAT_MEDIA_TYPES[_check_format(format)]


def encoder(
    format: str,
    *,
    sample_rate: int,
    mp3_bitrate: int = TTS_REQUEST_MP3_BITRATE_DEFAULT,
    opus_bitrate: int = TTS_REQUEST_OPUS_BITRATE_DEFAULT,
) -> Encoder:
    """Return a fresh encoder for one response.

    ``mp3_bitrate`` (kbps) and ``opus_bitrate`` (bps; its legacy kbps values are accepted too) take the
    values the spec lists, and are only checked for their own format. Raises ValueError, with a message
    fit for a 400, for anything else.
    """
    rates = supported_sample_rates(format)
    if sample_rate not in rates:
        supported = ", ".join(map(str, rates))
        raise ValueError(f"sample_rate {sample_rate} is not supported for {format}; use one of {supported}")
    if format == "wav":
        return _WavEncoder(sample_rate)
    if format == "pcm":
        return _PcmEncoder()
    if format == "mp3":
        if mp3_bitrate not in MP3_BITRATES:
            supported = ", ".join(map(str, MP3_BITRATES))
            raise ValueError(f"mp3_bitrate {mp3_bitrate} is not supported; use one of {supported} (kbps)")
        options = {"id3v2_version": "0"}  # bare MPEG frames: every chunk starts on a frame boundary
        return _PyAVEncoder(
            "mp3", "libmp3lame", "s16p", sample_rate, mp3_bitrate * 1000, options, _MP3_CODEC_OPTIONS
        )
    opus_bitrate = OPUS_LEGACY_KBPS.get(opus_bitrate, opus_bitrate)
    if opus_bitrate not in OPUS_BITRATES:
        supported = f"{', '.join(map(str, OPUS_BITRATES))} (bps, {OPUS_AUTOMATIC_BITRATE} = auto)"
        raise ValueError(f"opus_bitrate {opus_bitrate} is not supported; use one of {supported}")
    # libopus picks its own bitrate when none is set, which is what the API's automatic bitrate asks for.
    bit_rate = None if opus_bitrate == OPUS_AUTOMATIC_BITRATE else opus_bitrate
    options = {"page_duration": _OGG_PAGE_MICROSECONDS}
    return _PyAVEncoder("ogg", "libopus", "s16", sample_rate, bit_rate, options)


def probe(data: bytes) -> AudioInfo | None:
    """Decode ``data`` with FFmpeg and describe it, or return None if it holds no decodable audio.

    The duration counts the decoded samples, so it is exact even for WAV with placeholder sizes and
    MP3 without a length header. Headerless ``pcm`` cannot be recognised and gives None.
    Example: ``probe(wav_bytes)`` is ``AudioInfo(duration=1.5, sample_rate=44100, format="wav", codec=...)``.
    """
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                return None
            stream = container.streams.audio[0]
            samples = sum(frame.samples for frame in container.decode(stream))
            rate = stream.codec_context.sample_rate
            fmt = container.format.name.split(",")[0]
            codec = stream.codec_context.name
    except av.FFmpegError:
        return None
    if not samples or not rate:
        return None
    return AudioInfo(duration=samples / rate, sample_rate=rate, format=fmt, codec=codec)


def decode_pcm(data: bytes, sample_rate: int) -> bytes | None:
    """Decode ``data`` to 16-bit mono samples at ``sample_rate``, or None if it holds no decodable audio."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=sample_rate)
    chunks: list[bytes] = []
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                return None
            for frame in container.decode(container.streams.audio[0]):
                chunks += [bytes(out.planes[0])[: 2 * out.samples] for out in resampler.resample(frame)]
        chunks += [bytes(out.planes[0])[: 2 * out.samples] for out in resampler.resample(None)]
    except av.FFmpegError:
        return None
    return b"".join(chunks)


def _check_format(format: str) -> AudioFormat:
    # A format the spec lists without its x-formats facts cannot be produced either.
    if format not in FORMATS or format not in FORMAT_SAMPLE_RATES:
        raise ValueError(f"format {format!r} is not supported; use one of {', '.join(FORMAT_SAMPLE_RATES)}")
    return cast(AudioFormat, format)


class _PcmEncoder:
    """Headerless samples: the input, as it comes."""

    def encode(self, pcm: bytes) -> bytes:
        return pcm

    def finish(self) -> bytes:
        return b""


class _WavEncoder:
    """A 44-byte header with the API's placeholder sizes, sent first, then the samples as they come."""

    def __init__(self, sample_rate: int) -> None:
        self._header: bytes = _wav_header(sample_rate)

    def encode(self, pcm: bytes) -> bytes:
        header, self._header = self._header, b""
        return header + pcm

    def finish(self) -> bytes:
        return self.encode(b"")


def _wav_header(sample_rate: int) -> bytes:
    channels, sample_width = 1, 2
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        _WAV_RIFF_SIZE,
        b"WAVE",
        b"fmt ",
        16,  # size of the fmt chunk
        1,  # PCM
        channels,
        sample_rate,
        sample_rate * channels * sample_width,
        channels * sample_width,
        8 * sample_width,
        b"data",
        _WAV_DATA_SIZE,
    )


class _Sink:
    """A write-only file for FFmpeg. Having no ``seek``, it makes muxers write strictly in order."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


class _PyAVEncoder:
    """An FFmpeg encoder and muxer writing to a :class:`_Sink` drained after every call.

    Samples are fed to the codec in whole codec frames (1152 for MP3, 960 for Opus); the remainder
    waits for the next call or for :meth:`finish`.
    """

    def __init__(
        self,
        container_format: str,
        codec: Literal["libmp3lame", "libopus"],
        sample_format: str,
        sample_rate: int,
        bit_rate: int | None,
        options: dict[str, str],
        codec_options: dict[str, str] | None = None,
    ) -> None:
        self._sink = _Sink()
        # flush_packets: hand every muxed packet to the sink at once instead of filling a 32 KiB buffer.
        self._container = av.open(
            self._sink, mode="w", format=container_format, container_options={"flush_packets": "1", **options}
        )
        self._stream = self._container.add_stream(
            codec, rate=sample_rate, layout="mono", format=sample_format
        )
        if bit_rate is not None:
            self._stream.bit_rate = bit_rate
        if codec_options:
            self._stream.codec_context.options = dict(codec_options)
        self._container.start_encoding()  # opens the codec and writes the file header, if any
        self._frame_bytes = 2 * self._stream.codec_context.frame_size
        self._pending = b""
        self._samples = 0

    def encode(self, pcm: bytes) -> bytes:
        data = self._pending + pcm
        whole = len(data) - len(data) % self._frame_bytes
        for offset in range(0, whole, self._frame_bytes):
            self._mux(data[offset : offset + self._frame_bytes])
        self._pending = data[whole:]
        return self._sink.drain()

    def finish(self) -> bytes:
        if len(self._pending) >= 2:
            self._mux(self._pending[: len(self._pending) // 2 * 2])  # codecs accept a short last frame
        self._pending = b""
        self._container.mux(self._stream.encode(None))
        self._container.close()  # writes the trailer (Ogg: the last page)
        return self._sink.drain()

    def _mux(self, pcm: bytes) -> None:
        samples = len(pcm) // 2
        frame = av.AudioFrame(format=self._stream.format.name, layout="mono", samples=samples)
        frame.planes[0].update(pcm)
        frame.sample_rate = self._stream.sample_rate
        frame.pts = self._samples
        self._samples += samples
        self._container.mux(self._stream.encode(frame))
