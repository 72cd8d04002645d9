"""How the server knows audio it produced when it comes back to ``/v1/asr``.

Audio is known by two digests: of its exact bytes, and of the samples FFmpeg decodes from it (16-bit
mono at the audio's own rate). The second survives whatever keeps the samples: a WAV header rewritten
with real sizes (as the client does once the audio is complete), extra chunks such as ``LIST``, or a
user decoding the audio and encoding it again in a lossless format (WAV, FLAC) with PyAV or FFmpeg.
That holds for MP3 and Opus from ``/v1/tts`` too, up to :data:`KEPT_COMPRESSED_BYTES` (decoding gives the
same samples each time, but needs the whole file); a WebSocket session keeps none of its audio, so only its
WAV and PCM are known by their samples.
"""

from __future__ import annotations

import hashlib
import io

import av

from .._wav import HEAD_BYTES, data_offset

KEPT_COMPRESSED_BYTES = 16 * 1024 * 1024
"""How much MP3 or Opus a ``/v1/tts`` answer keeps to decode its samples once it has ended; past this the
answer is known by its exact bytes only, so that memory stays bounded for any text."""


def samples_digest(data: bytes) -> str | None:
    """The SHA-256 of the samples decoded from ``data``, or None if it holds no decodable audio.

    CPU work: call it from a thread in async code.
    """
    digest = hashlib.sha256()
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                return None
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="s16", layout="mono", rate=stream.codec_context.sample_rate)
            for frame in container.decode(stream):
                for converted in resampler.resample(frame):
                    digest.update(_samples(converted))
            for converted in resampler.resample(None):
                digest.update(_samples(converted))
    except (av.FFmpegError, ValueError):
        return None
    return digest.hexdigest()


def _samples(frame: av.AudioFrame) -> bytes:
    # A plane may be padded past the frame's samples: only the samples count.
    return bytes(frame.planes[0])[: 2 * frame.samples]


class StreamedSamples:
    """:func:`samples_digest` of audio the server streams chunk by chunk, without keeping the audio.

    Only WAV and headerless PCM carry their samples as they are; for a compressed format
    :attr:`hexdigest` is None (its samples would need the whole file decoded), and such a session is
    recognised by its exact bytes only.
    """

    def __init__(self, audio_format: str) -> None:
        self._digest = hashlib.sha256() if audio_format in ("wav", "pcm") else None
        self._head: bytes | None = b"" if audio_format == "wav" else None  # until the samples start

    def add(self, audio: bytes) -> None:
        """Account for the next chunk of encoded audio."""
        if self._digest is None:
            return
        if self._head is None:
            self._digest.update(audio)
            return
        self._head += audio
        start = data_offset(self._head[:HEAD_BYTES])
        if start is not None:
            self._digest.update(self._head[start:])
            self._head = None
        elif len(self._head) > HEAD_BYTES:
            self._digest = self._head = None  # not a header this server writes: known by its bytes only

    @property
    def hexdigest(self) -> str | None:
        """The digest of the samples so far, or None for a compressed format."""
        return None if self._digest is None else self._digest.hexdigest()


class DeliveredAudio:
    """The digests under which ``/v1/asr`` will know an HTTP answer's audio, gathered as it is sent.

    Its bytes always; its samples as they stream for WAV and PCM, and for MP3 and Opus by decoding the
    answer once it has ended, when it is at most :data:`KEPT_COMPRESSED_BYTES`.
    """

    def __init__(self, audio_format: str) -> None:
        self._bytes = hashlib.sha256()
        self._samples = StreamedSamples(audio_format)
        self._kept: list[bytes] | None = None if audio_format in ("wav", "pcm") else []
        self._kept_size = 0

    def add(self, audio: bytes) -> None:
        """Account for the next chunk of encoded audio."""
        self._bytes.update(audio)
        self._samples.add(audio)
        if self._kept is not None:
            self._kept_size += len(audio)
            if self._kept_size > KEPT_COMPRESSED_BYTES:
                self._kept = None
            else:
                self._kept.append(audio)

    def digests(self) -> tuple[str, str | None]:
        """The digest of the bytes, and of the samples when known. CPU work: call it from a thread."""
        samples = self._samples.hexdigest
        if samples is None and self._kept is not None:
            samples = samples_digest(b"".join(self._kept))
        return self._bytes.hexdigest(), samples
