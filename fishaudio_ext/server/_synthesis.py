"""From a validated TTS request to the encoded pieces of its response, and their paced delivery.

The text is split into chunks as the API does (``chunk_length``, ``min_chunk_length``); each chunk is
synthesized by the server's speech engine (``_engines``) and cut into pieces of :data:`PIECE_SECONDS`
of audio, which go through one encoder in the requested format. The pieces are the chunks of the HTTP
body, the events of the SSE stream, and (for the WebSocket endpoint) the ``audio`` frames, so all three
carry identical bytes.

Synthesis streams: each chunk is synthesized and encoded (in a worker thread) just before its pieces are
sent, so the first audio leaves after one chunk's work and only one chunk's audio is in memory at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Iterator, Mapping
from typing import Any, Final

import anyio.to_thread
import attrs
from fishaudio_api.facts import PROSODY_CONTROL_SPEED_DEFAULT, PROSODY_CONTROL_VOLUME_DEFAULT

from ._codecs import content_type, default_sample_rate, encoder, supported_sample_rates
from ._engines import Engine, FastEngine
from ._pacing import Pacing
from ._speech import Speech, Word
from ._state import Transcript
from ._text import guess_language, split_text

PIECE_SECONDS: Final = 0.2
"""Audio per streamed piece: small enough to stream, large enough to keep the overhead low."""


@attrs.frozen
class AudioSettings:
    """The audio-related fields of a TTS request, defaults applied."""

    format: str
    sample_rate: int
    mp3_bitrate: int
    opus_bitrate: int
    speed: float
    volume_db: float
    latency: str
    chunk_length: int
    min_chunk_length: int
    voice_ids: tuple[str, ...] = ()
    """The ``reference_id`` of each speaker (``<|speaker:N|>`` is ``voice_ids[N]``)."""

    @classmethod
    def from_request(cls, body: Mapping[str, Any]) -> AudioSettings:
        """Read the settings of a validated ``TTSRequest`` whose defaults are filled in."""
        prosody = body.get("prosody") or {}
        audio_format = str(body["format"])
        sample_rate = body.get("sample_rate")
        reference = body.get("reference_id")
        voice_ids = (
            [reference] if isinstance(reference, str) else reference if isinstance(reference, list) else []
        )
        return cls(
            format=audio_format,
            sample_rate=default_sample_rate(audio_format) if sample_rate is None else int(sample_rate),
            mp3_bitrate=int(body["mp3_bitrate"]),
            opus_bitrate=int(body["opus_bitrate"]),
            speed=float(prosody.get("speed", PROSODY_CONTROL_SPEED_DEFAULT)),
            volume_db=float(prosody.get("volume", PROSODY_CONTROL_VOLUME_DEFAULT)),
            latency=str(body["latency"]),
            chunk_length=int(body["chunk_length"]),
            min_chunk_length=int(body["min_chunk_length"]),
            voice_ids=tuple(str(voice) for voice in voice_ids),
        )

    def sample_rate_problem(self) -> str | None:
        """Why the sample rate cannot be used with the format, or None when it can."""
        rates = supported_sample_rates(self.format)
        if self.sample_rate in rates:
            return None
        supported = ", ".join(map(str, rates))
        return f"Unsupported sample rate {self.sample_rate} for {self.format}: use one of {supported}"


@attrs.frozen
class Piece:
    """One streamed piece of audio and where it falls.

    Attributes:
        audio: the encoded bytes (may be empty while an encoder buffers).
        chunk_seq: the text chunk it belongs to.
        chunk_text: that chunk's text.
        chunk_offset: where the chunk starts in the whole audio, in seconds.
        chunk_elapsed: seconds of the chunk's audio up to the end of this piece.
        chunk_words: the chunk's words that have ended by then, timed from the chunk's start.
        audio_end: seconds of the whole audio up to the end of this piece.
    """

    audio: bytes
    chunk_seq: int
    chunk_text: str
    chunk_offset: float
    chunk_elapsed: float
    chunk_words: tuple[Word, ...]
    audio_end: float


def word_timings(speech: Speech) -> tuple[Word, ...]:
    """When each word of ``speech`` sounds, in seconds from its start, within its duration.

    The one source of word timings for every answer that reports them (the timestamped stream, the
    transcripts the ASR registry keeps): a synthesizer that knows its word boundaries reports them here.
    """
    duration = speech.duration
    return tuple(
        Word(word.text, min(max(word.start, 0.0), duration), min(max(word.end, word.start, 0.0), duration))
        for word in speech.words
    )


class SynthesisSession:
    """One audio stream built from text added over time, through a single encoder.

    ``POST /v1/tts`` adds all its text at once; the WebSocket adds each flushed piece of text as it comes
    and finishes at ``stop``. CPU work: call it from a thread in async code. Example::

        session = SynthesisSession(settings, engine("espeak"))
        pieces = session.add("Hello there.") + session.add("And more.")
        tail = session.finish()                 # the encoder's last bytes (Ogg trailer, MP3 padding)
        session.transcript                      # what the whole stream says, with word timings
    """

    def __init__(self, settings: AudioSettings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine: Engine = FastEngine() if engine is None else engine
        self._encoder = encoder(
            settings.format,
            sample_rate=settings.sample_rate,
            mp3_bitrate=settings.mp3_bitrate,
            opus_bitrate=settings.opus_bitrate,
        )
        self._words: list[Word] = []
        self._offset = 0.0
        self._next_seq = 0

    @property
    def media_type(self) -> str:
        """The Content-Type of the stream's format."""
        return content_type(self.settings.format)

    @property
    def transcript(self) -> Transcript:
        """What the audio produced so far says, with word timings in seconds from its start."""
        spoken = " ".join(word.text for word in self._words)
        return Transcript(spoken, tuple(self._words), self._offset, guess_language(spoken))

    def add(self, text: str) -> list[Piece]:
        """Synthesize ``text`` (split into chunks as the API does) and return all its encoded pieces."""
        return [piece for chunk in self.chunks(text) for piece in chunk]

    def chunks(self, text: str) -> Iterator[list[Piece]]:
        """Synthesize ``text`` one chunk at a time, as it is iterated: the encoded pieces of each chunk.

        Only one chunk's audio exists at a time, so memory stays bounded whatever the length of ``text``.
        """
        settings, rate = self.settings, self.settings.sample_rate
        piece_bytes = 2 * round(rate * PIECE_SECONDS)
        for chunk in split_text(
            text, chunk_length=settings.chunk_length, min_chunk_length=settings.min_chunk_length
        ):
            seq, offset = self._next_seq, self._offset
            speech = self.engine.synthesize(
                chunk,
                sample_rate=rate,
                speed=settings.speed,
                volume_db=settings.volume_db,
                voices=settings.voice_ids,
                language=guess_language(chunk),
            )
            pieces: list[Piece] = []
            timings = word_timings(speech)
            words = iter(timings)
            done: tuple[Word, ...] = ()
            upcoming = next(words, None)
            for start in range(0, len(speech.pcm), piece_bytes):
                pcm = speech.pcm[start : start + piece_bytes]
                elapsed = (start + len(pcm)) / 2 / rate
                while upcoming is not None and upcoming.end <= elapsed + 1e-9:
                    done, upcoming = (*done, upcoming), next(words, None)
                audio = self._encoder.encode(pcm)
                pieces.append(Piece(audio, seq, chunk, offset, elapsed, done, offset + elapsed))
            self._words += [Word(w.text, offset + w.start, offset + w.end) for w in timings]
            self._offset += speech.duration
            self._next_seq += 1
            yield pieces

    def finish(self) -> bytes:
        """The encoder's remaining bytes; call once, after the last :meth:`add`."""
        return self._encoder.finish()


async def synthesized_chunks(session: SynthesisSession, text: str) -> AsyncIterator[list[Piece]]:
    """The pieces of each chunk of ``text``, synthesized in a worker thread just before they are yielded."""
    chunks = session.chunks(text)
    while (pieces := await anyio.to_thread.run_sync(next, chunks, None)) is not None:
        yield pieces


async def synthesized(session: SynthesisSession, text: str) -> AsyncIterator[Piece]:
    """The pieces of ``text`` one by one, as :func:`synthesized_chunks` makes them."""
    async for pieces in synthesized_chunks(session, text):
        for piece in pieces:
            yield piece


async def with_tail(session: SynthesisSession, pieces: AsyncIterable[Piece]) -> AsyncIterator[Piece]:
    """``pieces`` with the encoder's last bytes added to the last one: a whole file, as one response."""
    last: Piece | None = None
    async for piece in pieces:
        if last is not None:
            yield last
        last = piece
    if last is not None:
        tail = await anyio.to_thread.run_sync(session.finish)
        yield attrs.evolve(last, audio=last.audio + tail)


async def paced(pieces: AsyncIterable[Piece], pacing: Pacing, latency: str) -> AsyncIterator[Piece]:
    """Yield ``pieces`` no earlier than ``pacing`` allows, counted from the first call.

    Pieces pass as they come, except with ``Pacing.spread``, which needs their number: it takes them all
    first. Each piece waits its turn on the event loop, even when it is due at once: sending to a socket
    does not let the loop run, so without that a client gone mid-stream would only be noticed after the
    last piece, and every piece in between would be written into the dead connection (a warning each).
    """
    loop = asyncio.get_running_loop()
    start = loop.time()
    if pacing.spread is not None:
        every = [piece async for piece in pieces]
        offsets = pacing.offsets(latency, [piece.audio_end for piece in every])
        for piece, offset in zip(every, offsets, strict=True):
            await asyncio.sleep(max(0.0, start + offset - loop.time()))
            yield piece
        return
    first_end: float | None = None
    async for piece in pieces:
        first_end = piece.audio_end if first_end is None else first_end
        offset = pacing.offset(latency, first_end, piece.audio_end)
        await asyncio.sleep(max(0.0, start + offset - loop.time()))
        yield piece
