"""Speech with its text timed: the events of ``POST /v1/tts/stream/with-timestamp`` and their merged timeline.

Each event carries a piece of audio and the latest *cumulative* alignment snapshot of one text chunk
(``chunk_seq``), timed from that chunk's start. A newer snapshot replaces the older one of its chunk (never
appended), and ``chunk_audio_offset_sec`` places the chunk on the whole audio. :class:`Timeline` does both,
so ``event.timeline.segments`` is always the best timing known so far, in seconds from the audio's start.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from types import TracebackType

import attrs
import httpx
from fishaudio_api.api.tts import text_to_speech_with_timestamps as _operation
from fishaudio_api.models import TTSTimestampAlignment, TTSTimestampStreamEvent

from ._api_streams import AsyncEventStream, EventStream
from ._audio_bytes import AudioBytes
from ._streaming import aclose_abandoned, close_abandoned
from ._wav import complete_wav


@attrs.frozen
class TimedSegment:
    """A piece of text and when it is spoken, in seconds from the start of the whole audio."""

    text: str
    start: float
    end: float
    chunk_seq: int
    """The text chunk it belongs to."""
    estimated: bool = False
    """True for the text of a chunk the API sent no alignment for: it spans that chunk's audio."""


@attrs.frozen
class Timeline:
    """The latest alignment of every text chunk so far, on the whole audio's clock.

    A chunk whose events all came without an alignment is kept as its text over its audio (from its
    offset to the next chunk's), marked ``estimated``, once the next chunk has begun.
    """

    chunks: Mapping[int, tuple[TimedSegment, ...]] = attrs.field(factory=dict)
    """The absolute segments of each ``chunk_seq`` from its latest snapshot."""
    untimed: Mapping[int, str] = attrs.field(factory=dict)
    """The text of each chunk seen so far only without an alignment."""
    offsets: Mapping[int, float] = attrs.field(factory=dict)
    """Where each chunk seen so far starts on the whole audio, in seconds."""

    @property
    def segments(self) -> tuple[TimedSegment, ...]:
        """Every segment, chunk after chunk."""
        result: list[TimedSegment] = []
        for seq in sorted({*self.chunks, *self.untimed}):
            if seq in self.chunks:
                result += self.chunks[seq]
            else:
                later = [offset for other, offset in self.offsets.items() if other > seq]
                if later:
                    start = self.offsets[seq]
                    result.append(TimedSegment(self.untimed[seq], start, max(start, min(later)), seq, True))
        return tuple(result)

    def updated(
        self, chunk_seq: int, offset: float, alignment: TTSTimestampAlignment | None, content: str = ""
    ) -> Timeline:
        """This timeline with ``alignment`` replacing the snapshot of ``chunk_seq``; without one, the
        chunk's ``content`` is kept until a snapshot comes."""
        offsets = self.offsets if chunk_seq in self.offsets else {**self.offsets, chunk_seq: offset}
        if alignment is None:
            if chunk_seq in self.chunks or chunk_seq in self.untimed or not content.strip():
                return attrs.evolve(self, offsets=offsets)
            return Timeline(self.chunks, {**self.untimed, chunk_seq: content}, offsets)
        segments = tuple(
            TimedSegment(s.text, offset + s.start, offset + s.end, chunk_seq) for s in alignment.segments
        )
        untimed = {seq: text for seq, text in self.untimed.items() if seq != chunk_seq}
        return Timeline({**self.chunks, chunk_seq: segments}, untimed, offsets)


@attrs.frozen
class TimestampEvent:
    """One event of a timestamped stream: its audio, decoded, and its alignment as the API sent it.

    ``timeline`` is the merged timing of everything received up to and including this event.
    """

    audio: bytes
    content: str
    alignment: TTSTimestampAlignment | None
    chunk_seq: int
    chunk_audio_offset_sec: float
    timeline: Timeline


@attrs.frozen
class TimestampedAudio:
    """The whole audio (a WAV with its header sizes filled in) and the final timeline of its text.

    Example::

        result = client.tts.convert_with_timestamps(text="Hello world.")
        for segment in result.segments:
            print(f"{segment.start:6.2f} {segment.end:6.2f} {segment.text}")
    """

    audio: AudioBytes
    segments: tuple[TimedSegment, ...]

    @property
    def text(self) -> str:
        """The timed text, segments joined by spaces."""
        return " ".join(segment.text for segment in self.segments)


def _decode_audio(data: str) -> bytes:
    try:
        return base64.b64decode(data, validate=True)
    except binascii.Error as error:
        raise ValueError(f"audio_base64 is not base64: {error}") from None


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_event(raw: TTSTimestampStreamEvent) -> None:
    """Raise ValueError for what the generated parser lets through but the timeline cannot use."""
    if not isinstance(raw.chunk_seq, int) or isinstance(raw.chunk_seq, bool) or raw.chunk_seq < 0:
        raise ValueError(f"chunk_seq must be an integer of 0 or more, got {raw.chunk_seq!r}")
    if not _is_number(raw.chunk_audio_offset_sec) or raw.chunk_audio_offset_sec < 0:
        raise ValueError(
            f"chunk_audio_offset_sec must be 0 or more seconds, got {raw.chunk_audio_offset_sec!r}"
        )
    for segment in raw.alignment.segments if raw.alignment is not None else ():
        if not isinstance(segment.text, str) or not _is_number(segment.start) or not _is_number(segment.end):
            raise ValueError(f"a segment needs a text and finite start and end seconds, got {segment!r}")


class _Merger:
    """Turns the generated layer's events into :class:`TimestampEvent`s, keeping the running timeline."""

    def __init__(self) -> None:
        self.timeline = Timeline()

    def event(self, raw: TTSTimestampStreamEvent) -> TimestampEvent:
        _check_event(raw)
        self.timeline = self.timeline.updated(
            raw.chunk_seq, raw.chunk_audio_offset_sec, raw.alignment, raw.content
        )
        return TimestampEvent(
            audio=_decode_audio(raw.audio_base64),
            content=raw.content,
            alignment=raw.alignment,
            chunk_seq=raw.chunk_seq,
            chunk_audio_offset_sec=raw.chunk_audio_offset_sec,
            timeline=self.timeline,
        )

    def iter_events(self, lines: Iterable[str]) -> Iterator[TimestampEvent]:
        # Decoding inside the event stream's parser: a malformed event is reported as the stream's own.
        for raw in _operation.iter_events(lines):
            yield self.event(raw)

    async def aiter_events(self, lines: AsyncIterable[str]) -> AsyncIterator[TimestampEvent]:
        async for raw in _operation.aiter_events(lines):
            yield self.event(raw)


def _result(audio: list[bytes], timeline: Timeline) -> TimestampedAudio:
    return TimestampedAudio(AudioBytes(complete_wav(b"".join(audio))), timeline.segments)


class TimestampStream:
    """The events of a timestamped synthesis as they arrive; read once.

    Iterate it for each :class:`TimestampEvent`, or ``collect()`` the rest into a :class:`TimestampedAudio`.
    The connection goes back to the pool when the events end, the stream is closed (``with`` closes it),
    or it is abandoned.

    Example::

        with client.tts.stream_with_timestamps(text="Hello world.") as events:
            for event in events:
                player.feed(event.audio)
                highlight(event.timeline.segments)
    """

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self._merger = _Merger()
        self._events = EventStream(response, self._merger.iter_events)

    @property
    def timeline(self) -> Timeline:
        """The merged timing of the events read so far."""
        return self._merger.timeline

    def __iter__(self) -> Iterator[TimestampEvent]:
        return iter(self._events)

    def collect(self) -> TimestampedAudio:
        """Read the whole stream into its audio and final timeline; a stream already read raises
        :class:`StreamConsumedError`."""
        audio = [event.audio for event in self]
        return _result(audio, self.timeline)

    def close(self) -> None:
        """Release the connection without reading the remaining events."""
        self._events.close()

    def __enter__(self) -> TimestampStream:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        close_abandoned(self)


class AsyncTimestampStream:
    """The async twin of :class:`TimestampStream`: ``async for event in stream``, ``await collect()``."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self._merger = _Merger()
        self._events = AsyncEventStream(response, self._merger.aiter_events)

    @property
    def timeline(self) -> Timeline:
        """The merged timing of the events read so far."""
        return self._merger.timeline

    def __aiter__(self) -> AsyncIterator[TimestampEvent]:
        return self._events.__aiter__()

    async def collect(self) -> TimestampedAudio:
        """Read the whole stream into its audio and final timeline; a stream already read raises
        :class:`StreamConsumedError`."""
        audio = [event.audio async for event in self]
        return _result(audio, self.timeline)

    async def close(self) -> None:
        """Release the connection without reading the remaining events."""
        await self._events.close()

    async def __aenter__(self) -> AsyncTimestampStream:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def __del__(self) -> None:
        aclose_abandoned(self)


def read_timestamped(response: httpx.Response) -> TimestampedAudio:
    """All the audio and the final timeline of a response whose body has been read."""
    return TimestampStream(response).collect()


async def aread_timestamped(response: httpx.Response) -> TimestampedAudio:
    """The async twin of :func:`read_timestamped`."""
    return await AsyncTimestampStream(response).collect()
