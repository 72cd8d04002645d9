"""Timestamped synthesis, captions and voice design end to end: the extension against the local server over
loopback HTTP, sync and async. The server answers like the hosted API: several events per text chunk,
snapshots that grow and replace, chunk offsets that add up, and timings that match the audio it sends."""

from __future__ import annotations

import array
import io
import math
import struct
from collections.abc import Sequence
from itertools import pairwise

import av
import pytest
import srt

from fishaudio_ext import AsyncFishAudio, FishAudio, TimedSegment, TimestampEvent, captions
from fishaudio_ext._wav import complete_wav
from fishaudio_ext.server._codecs import probe

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Captions follow the voice, word by word.",
    "Long input is split into several chunks.",
    "Each chunk has its own offset on the timeline.",
    "And the last one ends the audio.",
]
LONG_TEXT = " ".join(SENTENCES)
# Small chunks, so that the text is spoken as several chunks.
BALANCED = {"latency": "balanced", "chunk_length": 100, "min_chunk_length": 20}


def by_chunk(events: Sequence[TimestampEvent]) -> dict[int, list[TimestampEvent]]:
    chunks: dict[int, list[TimestampEvent]] = {}
    for event in events:
        chunks.setdefault(event.chunk_seq, []).append(event)
    return chunks


def check_stream(events: Sequence[TimestampEvent], text: str) -> None:
    """What the hosted API's docs promise of the events of one answer."""
    chunks = by_chunk(events)
    assert list(chunks) == sorted(chunks)
    assert len(chunks) > 1, "balanced latency splits long text into several chunks"
    assert [e.chunk_seq for e in events] == sorted(e.chunk_seq for e in events)
    expected_offset = 0.0
    for chunk_events in chunks.values():
        assert len(chunk_events) > 1, "several events per chunk"
        assert {e.chunk_audio_offset_sec for e in chunk_events} == {chunk_events[0].chunk_audio_offset_sec}
        # Offsets add up: each chunk starts where the one before ended.
        assert chunk_events[0].chunk_audio_offset_sec == pytest.approx(expected_offset, abs=2e-4)
        snapshots = [e.alignment for e in chunk_events if e.alignment is not None]
        counts = [len(a.segments) for a in snapshots]
        assert counts == sorted(counts)
        assert counts[0] < counts[-1], "snapshots grow as more audio is rendered"
        durations = [a.audio_duration for a in snapshots]
        assert durations == sorted(durations)
        for snapshot in snapshots:  # each is cumulative: it starts with what the one before held
            assert [s.text for s in snapshot.segments] == [s.text for s in snapshots[-1].segments][
                : len(snapshot.segments)
            ]
        expected_offset += snapshots[-1].audio_duration
    final = events[-1].timeline.segments
    # Replaced, not appended: the timeline holds each chunk's last snapshot once.
    assert len(final) == sum(
        len([e for e in c if e.alignment][-1].alignment.segments) for c in chunks.values()
    )  # type: ignore[union-attr]
    assert " ".join(s.text for s in final) == text
    starts = [s.start for s in final]
    assert starts == sorted(starts)
    assert all(s.end >= s.start for s in final)


def test_stream_with_timestamps_answers_like_the_hosted_api(client: FishAudio) -> None:
    with client.tts.stream_with_timestamps(text=LONG_TEXT, format="wav", **BALANCED) as stream:
        events = list(stream)
    check_stream(events, LONG_TEXT)
    audio = b"".join(e.audio for e in events)  # as streamed: the WAV header's sizes are placeholders
    converted = client.tts.convert(text=LONG_TEXT, format="wav", **BALANCED)  # its header is corrected
    assert complete_wav(audio) == converted  # the same audio as /v1/tts


async def test_async_stream_with_timestamps_answers_like_the_hosted_api(async_client: AsyncFishAudio) -> None:
    stream = await async_client.tts.stream_with_timestamps(text=LONG_TEXT, format="opus", **BALANCED)
    async with stream:
        events = [event async for event in stream]
    check_stream(events, LONG_TEXT)
    info = probe(b"".join(e.audio for e in events))
    assert info is not None
    assert info.format == "ogg"


def test_the_first_event_of_a_chunk_may_have_no_alignment_yet(client: FishAudio) -> None:
    with client.tts.stream_with_timestamps(text="Extraordinarily.", format="pcm") as stream:
        events = list(stream)
    assert events[0].alignment is None  # the first word has not ended when the first audio is sent
    assert events[0].content == "Extraordinarily."
    assert events[-1].alignment is not None


def pcm_of(audio: bytes, audio_format: str) -> tuple[array.array[int], int]:
    """The decoded samples (16-bit mono) and their rate."""
    samples: array.array[int] = array.array("h")
    if audio_format == "pcm":
        samples.frombytes(audio)
        return samples, 44100
    with av.open(io.BytesIO(audio)) as container:
        rate = container.streams.audio[0].codec_context.sample_rate
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                samples.frombytes(bytes(out.planes[0])[: out.samples * 2])
        for out in resampler.resample(None):
            samples.frombytes(bytes(out.planes[0])[: out.samples * 2])
    return samples, rate


def onset_errors(samples: array.array[int], rate: int, segments: Sequence[TimedSegment]) -> list[float]:
    """For each segment, seconds from its start to where the audio first gets loud (5 ms frames)."""
    frame = rate // 200
    frames = len(samples) // frame
    rms = [math.sqrt(sum(x * x for x in samples[i * frame : (i + 1) * frame]) / frame) for i in range(frames)]
    loud = max(rms) * 0.05
    errors = []
    for segment in segments:
        index = max(0, int((segment.start - 0.03) * rate / frame))  # words are 65 ms apart at least
        while index < frames and rms[index] <= loud:
            index += 1
        errors.append(index * frame / rate - segment.start)
    return errors


@pytest.mark.parametrize("audio_format", ["wav", "pcm", "opus"])
def test_convert_with_timestamps_timings_match_the_decoded_audio(
    client: FishAudio, audio_format: str
) -> None:
    result = client.tts.convert_with_timestamps(text=LONG_TEXT, format=audio_format, **BALANCED)

    samples, rate = pcm_of(result.audio, audio_format)
    decoded = len(samples) / rate
    assert result.segments[-1].end <= decoded
    with client.tts.stream_with_timestamps(text=LONG_TEXT, format=audio_format, **BALANCED) as stream:
        last = by_chunk(list(stream))
    final = [events[-1] for events in last.values()]
    timeline_end = final[-1].chunk_audio_offset_sec + final[-1].alignment.audio_duration  # type: ignore[union-attr]
    assert timeline_end == pytest.approx(decoded, abs=0.002)
    errors = onset_errors(samples, rate, result.segments)
    assert len(errors) == len(LONG_TEXT.split())
    assert max(abs(e) for e in errors) < 0.015, "every word starts where the timeline says, within 15 ms"


def test_convert_with_timestamps_gives_a_wav_with_its_header_filled_in(client: FishAudio) -> None:
    result = client.tts.convert_with_timestamps(text=LONG_TEXT, format="wav", **BALANCED)
    riff, data = struct.unpack_from("<I", result.audio, 4)[0], struct.unpack_from("<I", result.audio, 40)[0]
    assert riff == len(result.audio) - 8
    assert data == len(result.audio) - 44
    assert result.text == LONG_TEXT
    assert [s.chunk_seq for s in result.segments] == sorted(s.chunk_seq for s in result.segments)


async def test_async_convert_with_timestamps(async_client: AsyncFishAudio) -> None:
    result = await async_client.tts.convert_with_timestamps(text=LONG_TEXT, format="wav", **BALANCED)
    info = probe(result.audio)
    assert info is not None
    assert result.text == LONG_TEXT
    assert result.segments[-1].end <= info.duration
    assert struct.unpack_from("<I", result.audio, 40)[0] == len(result.audio) - 44


def test_captions_for_the_spoken_text_parse_and_follow_the_sentences(client: FishAudio) -> None:
    result = client.tts.convert_with_timestamps(text=LONG_TEXT, format="wav", **BALANCED)
    subtitles = list(srt.parse(captions.to_srt(result)))
    assert [s.content.replace("\n", " ") for s in subtitles] == SENTENCES
    info = probe(result.audio)
    assert info is not None
    assert subtitles[-1].end.total_seconds() <= info.duration


def test_captions_from_a_transcript_of_the_audio(client: FishAudio) -> None:
    audio = client.tts.convert(text=LONG_TEXT, format="mp3")
    transcript = client.asr.transcribe(audio=audio, include_timestamps=True)
    cues = captions.cues(transcript)
    assert " ".join(cue.text.replace("\n", " ") for cue in cues) == LONG_TEXT
    assert all(after.start >= before.end for before, after in pairwise(cues))


def test_markup_is_spoken_as_the_api_does_and_left_out_of_the_captions(client: FishAudio) -> None:
    text = "(happy) Hello there! [laugh] That was fun."
    result = client.tts.convert_with_timestamps(text=text, format="wav")
    assert [cue.text for cue in captions.cues(result)] == ["Hello there!", "That was fun."]


# --- voice design ----------------------------------------------------------------------------------


def test_design_a_voice_listen_and_keep_it(client: FishAudio, tmp_path: object) -> None:
    candidates = client.voices.design(instruction="A warm, low narrator", reference_text="Good evening.", n=3)

    assert [c.index for c in candidates] == [0, 1, 2]
    assert len({c.audio for c in candidates}) == 3, "each candidate is a different voice"
    for candidate in candidates:
        info = probe(candidate.audio)
        assert info is not None
        assert info.sample_rate == candidate.sample_rate
        assert candidate.duration_ms == pytest.approx(info.duration * 1000, abs=1)
    assert client.asr.transcribe(audio=candidates[1].audio).text == "Good evening."

    kept = client.voices.create(
        title="Narrator", voices=[candidates[1].audio], texts=[candidates[1].text or ""]
    )
    assert client.voices.get(kept.id).title == "Narrator"
    speech = client.tts.convert(text="Kept.", reference_id=kept.id)
    assert probe(speech) is not None


async def test_async_design(async_client: AsyncFishAudio) -> None:
    candidates = await async_client.voices.design(instruction="Bright and quick", n=2, seed=1)
    assert len(candidates) == 2
    assert all(probe(c.audio) is not None for c in candidates)


def test_word_timings_stay_within_the_audio_they_describe() -> None:
    from fishaudio_ext.server._speech import Speech, Word
    from fishaudio_ext.server._synthesis import word_timings

    speech = Speech(bytes(2 * 8000), 8000, (Word("early", -0.5, 0.2), Word("late", 0.5, 1.7)))
    assert word_timings(speech) == (Word("early", 0.0, 0.2), Word("late", 0.5, 1.0))
