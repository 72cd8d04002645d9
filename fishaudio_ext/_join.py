"""Joining the audio of consecutive pieces into one file of the same format, piece by piece.

Bytes placed end to end are not one file: a second WAV header lands in the samples, a second MP3's ID3
tag and Xing frame (which gives players the length of the first piece only) sit mid-stream, and a second
Ogg stream makes a chained file many decoders stop at. Each joiner here takes one piece at a time and
returns the bytes to append, so a stream of pieces becomes a stream of one file:

- WAV: the first header, then only samples (a player's sizes are set once the total is known);
- PCM: the samples as they are;
- MP3: whole frames only, without ID3 tags or Xing/Info/VBRI frames;
- Opus: the packets remuxed into one logical Ogg stream (one serial number, page sequence numbers and
  granule positions running on), the first piece's headers at its start.

Silence between pieces is written in the format itself (zero samples; a silent MP3 frame; silent Opus
packets), so no encoder is needed.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Iterator
from typing import Final, Protocol

from ._wav import data_offset
from .exceptions import FishAudioError


class JoinError(FishAudioError):
    """The audio of a piece is not of the format asked for, so it cannot be joined."""


class Joiner(Protocol):
    def add(self, audio: bytes, *, silence_before: float = 0.0) -> bytes:
        """The bytes to append for the next piece (after ``silence_before`` seconds of silence)."""

    def finish(self) -> bytes:
        """The bytes that end the file."""


def joiner_for(format: str, sample_rate: int) -> Joiner:
    """A joiner for audio in ``format``; ``sample_rate`` is that of PCM audio (which has no header)."""
    if format == "wav":
        return WavJoiner()
    if format == "pcm":
        return PcmJoiner(sample_rate)
    if format == "mp3":
        return Mp3Joiner()
    if format == "opus":
        return OggOpusJoiner()
    raise ValueError(f"no joiner for {format!r}")


# --- PCM and WAV -----------------------------------------------------------------------------------------

_PCM_SAMPLE_BYTES: Final = 2  # the API's PCM: 16-bit little-endian mono


class PcmJoiner:
    def __init__(self, sample_rate: int, channels: int = 1, sample_bytes: int = _PCM_SAMPLE_BYTES) -> None:
        self._frame_bytes = channels * sample_bytes
        self._rate = sample_rate

    def add(self, audio: bytes, *, silence_before: float = 0.0) -> bytes:
        return bytes(round(silence_before * self._rate) * self._frame_bytes) + audio

    def finish(self) -> bytes:
        return b""


# Sizes a streaming writer puts in a WAV header before it knows them; complete_wav() replaces them.
_UNKNOWN_SIZE: Final = struct.pack("<I", 0xFFFFFFFF)


class WavJoiner:
    def __init__(self) -> None:
        self._pcm: PcmJoiner | None = None

    def add(self, audio: bytes, *, silence_before: float = 0.0) -> bytes:
        offset = data_offset(audio[:65536])
        if offset is None or audio.find(b"fmt ", 12, offset) < 0:
            raise JoinError("a piece's audio is not a WAV file (no fmt and data chunks)")
        samples = audio[offset:]
        if self._pcm is not None:
            return self._pcm.add(samples, silence_before=silence_before)
        fmt = audio.find(b"fmt ", 12, offset)
        channels, rate = struct.unpack_from("<HI", audio, fmt + 10)
        (bits,) = struct.unpack_from("<H", audio, fmt + 22)
        self._pcm = PcmJoiner(rate, channels, max(1, bits // 8))
        header = bytearray(audio[:offset])
        header[4:8] = _UNKNOWN_SIZE
        header[offset - 4 : offset] = _UNKNOWN_SIZE
        return bytes(header) + samples

    def finish(self) -> bytes:
        return b""


# --- MP3 -------------------------------------------------------------------------------------------------

# kbps by bitrate index for Layer III: MPEG-1, and MPEG-2/2.5.
_MPEG1_KBPS: Final = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0)
_MPEG2_KBPS: Final = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0)
_RATES: Final = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_INFO_TAGS: Final = (b"Xing", b"Info", b"VBRI")


def _frame_length(header: bytes) -> tuple[int, int] | None:
    """The length in bytes and the samples of the Layer III frame starting with ``header``, or None."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    bitrate_index, rate_index, padding = header[2] >> 4, (header[2] >> 2) & 3, (header[2] >> 1) & 1
    if version == 1 or layer != 1 or rate_index == 3:
        return None
    kbps = (_MPEG1_KBPS if version == 3 else _MPEG2_KBPS)[bitrate_index]
    if kbps == 0:
        return None
    rate = _RATES[version][rate_index]
    samples = 1152 if version == 3 else 576
    return samples // 8 * kbps * 1000 // rate + padding, samples


def mp3_frames(audio: bytes) -> Iterator[bytes]:
    """The whole audio frames of an MP3 file: without ID3v2/ID3v1 tags, Xing/Info/VBRI frames or a cut
    last frame."""
    position = 0
    if audio[:3] == b"ID3" and len(audio) >= 10:
        size = (audio[6] << 21) | (audio[7] << 14) | (audio[8] << 7) | audio[9]
        position = 10 + size + (10 if audio[5] & 0x10 else 0)
    first = True
    while position + 4 <= len(audio):
        frame = _frame_length(audio[position : position + 4])
        if frame is None:
            position += 1  # not a frame header: resynchronise (stray bytes, an APE or ID3v1 tag at the end)
            continue
        end = position + frame[0]
        if end > len(audio):
            return
        data = audio[position:end]
        if not (first and any(tag in data[:64] for tag in _INFO_TAGS)):
            yield data
        first = False
        position = end


class Mp3Joiner:
    def __init__(self) -> None:
        self._silent_frame: bytes | None = None
        self._frame_seconds = 0.0

    def add(self, audio: bytes, *, silence_before: float = 0.0) -> bytes:
        frames = list(mp3_frames(audio))
        if not frames:
            raise JoinError("a piece's audio holds no MP3 frames")
        out = bytearray()
        if self._silent_frame is not None and silence_before > 0:
            out += self._silent_frame * round(silence_before / self._frame_seconds)
        if self._silent_frame is None:
            self._remember_silence(frames[0])
        for frame in frames:
            out += frame
        return bytes(out)

    def _remember_silence(self, frame: bytes) -> None:
        # The same header without padding or CRC, and zero side information and main data: every
        # granule has no coded bits, which a decoder renders as silence.
        header = bytearray(frame[:4])
        header[1] |= 0x01  # no CRC
        header[2] &= ~0x02 & 0xFF  # no padding
        length, samples = _frame_length(bytes(header)) or (0, 0)
        self._silent_frame = bytes(header) + bytes(length - 4)
        rate = _RATES[(header[1] >> 3) & 3][(header[2] >> 2) & 3]
        self._frame_seconds = samples / rate

    def finish(self) -> bytes:
        return b""


# --- Ogg Opus --------------------------------------------------------------------------------------------


@functools.cache
def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)
    return tuple(table)


def _ogg_crc(data: bytes) -> int:
    crc, table = 0, _crc_table()
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ table[(crc >> 24) ^ byte]
    return crc


def ogg_pages(audio: bytes) -> Iterator[tuple[int, list[bytes], bool]]:
    """Each page of an Ogg stream: its granule position, the packets that end on it (a packet continued
    from earlier pages is whole here), and whether it ends in the middle of a packet."""
    position, partial = 0, b""
    while position + 27 <= len(audio):
        if audio[position : position + 4] != b"OggS":
            raise JoinError("a piece's audio is not an Ogg stream")
        (granule,) = struct.unpack_from("<q", audio, position + 6)
        count = audio[position + 26]
        lacing = audio[position + 27 : position + 27 + count]
        body = position + 27 + count
        packets = []
        for size in lacing:
            partial += audio[body : body + size]
            body += size
            if size < 255:
                packets.append(partial)
                partial = b""
        yield granule, packets, bool(partial)
        position = body


def opus_samples(packet: bytes) -> int:
    """The samples (at 48 kHz) an Opus packet decodes to (RFC 6716, section 3.1)."""
    if not packet:
        return 0
    config = packet[0] >> 3
    if config < 12:
        frame = (480, 960, 1920, 2880)[config % 4]
    elif config < 16:
        frame = (480, 960)[config % 2]
    else:
        frame = (120, 240, 480, 960)[config % 4]
    code = packet[0] & 3
    frames = 1 if code == 0 else 2 if code < 3 else (packet[1] & 0x3F if len(packet) > 1 else 0)
    return frame * frames


# A 20 ms CELT frame with the silence flag set: mono and stereo.
_SILENT_OPUS: Final = {1: b"\xf8\xff\xfe", 2: b"\xfc\xff\xfe"}
_SERIAL: Final = 0x46495348
_MAX_PAGE_PACKETS: Final = 50


class OggOpusJoiner:
    def __init__(self) -> None:
        self._sequence = 0
        self._granule = 0
        self._trim = 0  # samples the last piece's final page cut from its end
        self._pending: list[bytes] = []  # audio packets not yet on a page: the last page ends the stream
        self._channels = 0

    def add(self, audio: bytes, *, silence_before: float = 0.0) -> bytes:
        packets: list[bytes] = []
        last_granule = 0
        for granule, page_packets, _ in ogg_pages(audio):
            packets += page_packets
            if page_packets and granule >= 0:
                last_granule = granule
        if len(packets) < 2 or not packets[0].startswith(b"OpusHead"):
            raise JoinError("a piece's audio is not an Ogg Opus stream")
        head, tags, audio_packets = packets[0], packets[1], packets[2:]
        out = bytearray()
        if not self._channels:
            self._channels = head[9] if len(head) > 9 else 1
            out += self._page([head], 0, bos=True)
            out += self._page([tags], 0)
        elif silence_before > 0:
            silent = _SILENT_OPUS.get(self._channels, _SILENT_OPUS[1])
            self._pending += [silent] * round(silence_before / 0.02)
        samples = sum(opus_samples(packet) for packet in audio_packets)
        self._trim = max(0, samples - last_granule)
        self._pending += audio_packets
        while len(self._pending) > _MAX_PAGE_PACKETS:
            out += self._flush(self._pending[:_MAX_PAGE_PACKETS])
            del self._pending[:_MAX_PAGE_PACKETS]
        return bytes(out)

    def finish(self) -> bytes:
        if not self._channels:
            return b""
        return self._flush(self._pending, eos=True)

    def _flush(self, packets: list[bytes], *, eos: bool = False) -> bytes:
        self._granule += sum(opus_samples(packet) for packet in packets)
        granule = self._granule - self._trim if eos else self._granule
        return self._page(packets, granule, eos=eos)

    def _page(self, packets: list[bytes], granule: int, *, bos: bool = False, eos: bool = False) -> bytes:
        lacing = bytearray()
        for packet in packets:
            lacing += b"\xff" * (len(packet) // 255) + bytes([len(packet) % 255])
        if len(lacing) > 255:  # more segments than a page holds: split the packets over two pages
            half = len(packets) // 2
            granule_first = granule - sum(opus_samples(p) for p in packets[half:])
            return self._page(packets[:half], granule_first, bos=bos) + self._page(
                packets[half:], granule, eos=eos
            )
        flags = (2 if bos else 0) | (4 if eos else 0)
        header = struct.pack(
            "<4sBBqIIIB", b"OggS", 0, flags, granule, _SERIAL, self._sequence, 0, len(lacing)
        )
        page = bytearray(header + lacing + b"".join(packets))
        struct.pack_into("<I", page, 22, _ogg_crc(bytes(page)))
        self._sequence += 1
        return bytes(page)


def audio_seconds(format: str, audio: bytes, sample_rate: int) -> float:
    """The length of one piece's audio in seconds (0 for audio that cannot be read)."""
    try:
        if format == "pcm":
            return len(audio) / (_PCM_SAMPLE_BYTES * sample_rate)
        if format == "wav":
            offset = data_offset(audio[:65536])
            fmt = audio.find(b"fmt ", 12, offset or 0)
            if offset is None or fmt < 0:
                return 0.0
            (bytes_per_second,) = struct.unpack_from("<I", audio, fmt + 16)
            return (len(audio) - offset) / bytes_per_second if bytes_per_second else 0.0
        if format == "mp3":
            samples = rate = 0
            for frame in mp3_frames(audio):
                samples += (_frame_length(frame[:4]) or (0, 0))[1]
                rate = rate or _RATES[(frame[1] >> 3) & 3][(frame[2] >> 2) & 3]
            return samples / rate if rate else 0.0
        if format == "opus":
            granules = [granule for granule, packets, _ in ogg_pages(audio) if packets and granule >= 0]
            pre_skip = struct.unpack_from("<H", audio, audio.find(b"OpusHead") + 10)[0]
            return max(0, granules[-1] - pre_skip) / 48000 if granules else 0.0
    except (JoinError, struct.error, IndexError):
        return 0.0
    return 0.0
