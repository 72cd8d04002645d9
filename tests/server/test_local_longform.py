"""convert_long / stream_long against the local server: joined audio of every format decoded, the key's
concurrency respected (and learnt from 429s), a job killed half-way resumed from its checkpoint, prices."""

from __future__ import annotations

import io
import struct
import wave
from pathlib import Path

import av
import pytest
from fishaudio_api.facts import TTS_MODEL_USD_PER_MILLION_BYTES
from local_wire import Recorder

from fishaudio_ext import AsyncFishAudio, FishAudio, ValidationError
from fishaudio_ext.longform import BudgetExceededError, PieceFailedError, Progress, estimate, split_text
from fishaudio_ext.server import LocalServer

PARAGRAPHS = [
    "The lighthouse keeper climbed the stairs at dusk. He trimmed the wick, wound the clockwork, and waited.",
    "Ships passed far out at sea. None came near the rocks that night, and the fog stayed away.",
    "At dawn he wrote one line in the log: all quiet. Then he slept until noon.",
]
TEXT = "\n\n".join(PARAGRAPHS)
MAX_CHARS = 60
CONTAINERS = {"mp3": "mp3", "opus": "ogg", "wav": "wav"}


def tts_posts(recorder: Recorder) -> list[int]:
    """The status of every synthesis request sent."""
    return [e.response.status_code for e in recorder.exchanges if e.method == "POST" and e.path == "/v1/tts"]


def decoded_seconds(audio: bytes, audio_format: str) -> float:
    with av.open(io.BytesIO(audio), format=CONTAINERS[audio_format]) as container:
        samples = rate = 0
        for frame in container.decode(audio=0):
            samples += frame.samples
            rate = frame.sample_rate
    return samples / rate


def pieces_seconds(client: FishAudio, audio_format: str) -> float:
    pieces = split_text(TEXT, max_chars=MAX_CHARS)
    return sum(
        decoded_seconds(client.tts.convert(text=p.text, format=audio_format), audio_format)  # type: ignore[arg-type]
        for p in pieces
    )


def test_wav_is_one_file_with_one_correct_header(client: FishAudio) -> None:
    audio = client.tts.convert_long(text=TEXT, format="wav", max_chars=MAX_CHARS)
    pieces = [client.tts.convert(text=p.text, format="wav") for p in split_text(TEXT, max_chars=MAX_CHARS)]
    with wave.open(io.BytesIO(audio)) as joined:
        frames = joined.readframes(joined.getnframes())
        assert joined.getnframes() * 2 == len(audio) - 44
    assert audio.count(b"RIFF") == 1
    assert frames == b"".join(p[44:] for p in pieces)


def test_pcm_is_the_pieces_samples_end_to_end_with_pauses(client: FishAudio) -> None:
    audio = client.tts.convert_long(
        text=TEXT, format="pcm", sample_rate=16000, max_chars=MAX_CHARS, paragraph_pause=0.25
    )
    pieces = split_text(TEXT, max_chars=MAX_CHARS)
    expected = b""
    for piece in pieces:
        if piece.index and piece.paragraph != pieces[piece.index - 1].paragraph:
            expected += bytes(16000 // 4 * 2)
        expected += client.tts.convert(text=piece.text, format="pcm", sample_rate=16000)
    assert audio == expected


def test_mp3_is_whole_frames_without_metadata_in_the_middle(client: FishAudio) -> None:
    audio = client.tts.convert_long(text=TEXT, format="mp3", max_chars=MAX_CHARS)
    assert len(split_text(TEXT, max_chars=MAX_CHARS)) > 3
    assert b"ID3" not in audio[3:]
    assert b"Xing" not in audio
    assert b"Info" not in audio
    assert decoded_seconds(audio, "mp3") == pytest.approx(pieces_seconds(client, "mp3"), abs=0.05)


def ogg_pages(audio: bytes) -> list[tuple[int, int, int, int]]:
    """(flags, granule, serial, sequence) of each page."""
    pages, position = [], 0
    while position < len(audio):
        assert audio[position : position + 4] == b"OggS"
        flags, granule, serial, sequence = struct.unpack_from("<BqII", audio, position + 5)
        count = audio[position + 26]
        size = sum(audio[position + 27 : position + 27 + count])
        pages.append((flags, granule, serial, sequence))
        position += 27 + count + size
    return pages


def test_opus_is_one_logical_ogg_stream_of_the_whole_length(client: FishAudio) -> None:
    audio = client.tts.convert_long(text=TEXT, format="opus", max_chars=MAX_CHARS)
    pages = ogg_pages(audio)
    assert {serial for _, _, serial, _ in pages} == {pages[0][2]}  # not chained: one serial number
    assert [sequence for _, _, _, sequence in pages] == list(range(len(pages)))
    assert [flags & 2 for flags, *_ in pages] == [2] + [0] * (len(pages) - 1)  # one beginning of stream
    assert [flags & 4 for flags, *_ in pages] == [0] * (len(pages) - 1) + [4]  # one end
    granules = [granule for _, granule, _, _ in pages]
    assert granules == sorted(granules)
    pieces = len(split_text(TEXT, max_chars=MAX_CHARS))
    # Each later piece brings its encoder's warm-up (pre-skip) and keeps its end padding: under a packet.
    assert decoded_seconds(audio, "opus") == pytest.approx(pieces_seconds(client, "opus"), abs=0.02 * pieces)


@pytest.mark.parametrize("audio_format", ["wav", "mp3", "opus"])
def test_paragraph_pauses_are_silence_of_that_length(client: FishAudio, audio_format: str) -> None:
    plain = client.tts.convert_long(text=TEXT, format=audio_format, max_chars=MAX_CHARS)  # type: ignore[arg-type]
    paused = client.tts.convert_long(
        text=TEXT,
        format=audio_format,  # type: ignore[arg-type]
        max_chars=MAX_CHARS,
        paragraph_pause=0.5,
    )
    gained = decoded_seconds(paused, audio_format) - decoded_seconds(plain, audio_format)
    assert gained == pytest.approx(0.5 * (len(PARAGRAPHS) - 1), abs=0.03)


def test_concurrency_is_never_exceeded(server: LocalServer, client: FishAudio, recorder: Recorder) -> None:
    server.concurrency_limit = 3
    client.tts.convert_long(text=TEXT, max_chars=MAX_CHARS, max_concurrency=3)
    assert tts_posts(recorder) == [200] * len(split_text(TEXT, max_chars=MAX_CHARS))


def test_a_429_lowers_the_concurrency_and_the_piece_is_sent_again(
    server: LocalServer, client: FishAudio, recorder: Recorder
) -> None:
    server.concurrency_limit = 2
    server.faults.delay(0.3, path="/v1/tts")  # requests overlap, so a third one meets the limit
    audio = client.tts.convert_long(text=TEXT, format="wav", max_chars=MAX_CHARS, max_concurrency=5)
    statuses = tts_posts(recorder)
    pieces = split_text(TEXT, max_chars=MAX_CHARS)
    assert statuses.count(200) == len(pieces)
    assert 429 in statuses
    # After the first refusals the job sends at most 2 at once: only the first wave met the limit.
    assert statuses.count(429) <= 3
    server.faults.clear()
    assert audio == client.tts.convert_long(text=TEXT, format="wav", max_chars=MAX_CHARS)


async def test_a_429_lowers_the_concurrency_async(
    server: LocalServer, async_client: AsyncFishAudio, recorder: Recorder
) -> None:
    server.concurrency_limit = 2
    server.faults.delay(0.3, path="/v1/tts")
    audio = await async_client.tts.convert_long(
        text=TEXT, format="wav", max_chars=MAX_CHARS, max_concurrency=5
    )
    statuses = tts_posts(recorder)
    assert statuses.count(200) == len(split_text(TEXT, max_chars=MAX_CHARS))
    assert 0 < statuses.count(429) <= 3
    with wave.open(io.BytesIO(audio)) as joined:
        assert joined.getnframes() * 2 == len(audio) - 44


def test_other_failures_are_retried_per_the_client_policy(server: LocalServer) -> None:
    text = PARAGRAPHS[0]  # one piece
    with FishAudio(base_url=server.url, api_key=server.api_key, max_retries=2) as client:
        server.faults.fail(503, times=2, path="/v1/tts")
        client.tts.convert_long(text=text)
        server.faults.fail(503, times=3, path="/v1/tts")
        match = rf"Piece 0 \(characters 0-{len(text)}: .*\) failed after 3 attempts: HTTP 503"
        with pytest.raises(PieceFailedError, match=match):
            client.tts.convert_long(text=text)


def test_a_failing_piece_names_its_index_and_span(server: LocalServer, client: FishAudio) -> None:
    pieces = split_text(TEXT, max_chars=MAX_CHARS)

    def fail_half_way(progress: Progress) -> None:
        if progress.pieces_done == 2:
            server.faults.fail(400, times=None, path="/v1/tts")

    with pytest.raises(PieceFailedError) as caught:
        client.tts.convert_long(text=TEXT, max_chars=MAX_CHARS, max_concurrency=1, on_progress=fail_half_way)
    error = caught.value
    assert (error.index, error.start, error.end) == (2, pieces[2].start, pieces[2].end)
    assert f"Piece 2 (characters {pieces[2].start}-{pieces[2].end}" in str(error)
    assert error.__cause__ is not None
    assert "HTTP 400" in str(error)


def test_a_job_killed_half_way_resumes_sending_only_the_missing_pieces(
    server: LocalServer, client: FishAudio, recorder: Recorder, tmp_path: Path
) -> None:
    pieces = split_text(TEXT, max_chars=MAX_CHARS)
    expected = client.tts.convert_long(text=TEXT, format="mp3", max_chars=MAX_CHARS)
    recorder.exchanges.clear()

    def kill_half_way(progress: Progress) -> None:
        if progress.pieces_done == len(pieces) // 2:
            server.faults.fail(500, times=None, path="/v1/tts")

    with pytest.raises(PieceFailedError):
        client.tts.convert_long(
            text=TEXT,
            format="mp3",
            max_chars=MAX_CHARS,
            max_concurrency=1,
            checkpoint=tmp_path,
            on_progress=kill_half_way,
        )
    kept = len(list(tmp_path.glob("*.mp3")))
    assert kept == len(pieces) // 2
    assert not list(tmp_path.glob(".piece-*"))  # no half-written file
    server.faults.clear()
    recorder.exchanges.clear()

    seen: list[Progress] = []
    resumed = client.tts.convert_long(
        text=TEXT, format="mp3", max_chars=MAX_CHARS, checkpoint=tmp_path, on_progress=seen.append
    )
    assert tts_posts(recorder) == [200] * (len(pieces) - kept)
    assert resumed == expected
    assert seen[-1].pieces_done == seen[-1].pieces_total == len(pieces)

    recorder.exchanges.clear()
    client.tts.convert_long(
        text=TEXT, format="mp3", max_chars=MAX_CHARS, checkpoint=tmp_path, regenerate=[1, 3]
    )
    assert len(tts_posts(recorder)) == 2
    recorder.exchanges.clear()
    client.tts.convert_long(text=TEXT, format="mp3", max_chars=MAX_CHARS, checkpoint=tmp_path, speed=1.5)
    assert len(tts_posts(recorder)) == len(pieces)  # other settings: other audio, nothing reused


async def test_async_resume_sends_only_the_missing_pieces(
    server: LocalServer, async_client: AsyncFishAudio, recorder: Recorder, tmp_path: Path
) -> None:
    pieces = split_text(TEXT, max_chars=MAX_CHARS)

    def kill_half_way(progress: Progress) -> None:
        if progress.pieces_done == 3:
            server.faults.fail(500, times=None, path="/v1/tts")

    with pytest.raises(PieceFailedError):
        await async_client.tts.convert_long(
            text=TEXT,
            format="opus",
            max_chars=MAX_CHARS,
            max_concurrency=1,
            checkpoint=tmp_path,
            on_progress=kill_half_way,
        )
    server.faults.clear()
    recorder.exchanges.clear()
    chunks = [
        c
        async for c in async_client.tts.stream_long(
            text=TEXT, format="opus", max_chars=MAX_CHARS, checkpoint=tmp_path
        )
    ]
    assert tts_posts(recorder) == [200] * (len(pieces) - 3)
    audio = b"".join(chunks)
    assert decoded_seconds(audio, "opus") > 10


def test_stream_long_yields_each_piece_once_it_and_those_before_are_done(client: FishAudio) -> None:
    done_when_yielded: list[int] = []
    seen: list[Progress] = []
    chunks = []
    for chunk in client.tts.stream_long(
        text=TEXT, max_chars=MAX_CHARS, max_concurrency=1, on_progress=seen.append
    ):
        chunks.append(chunk)
        done_when_yielded.append(seen[-1].pieces_done if seen else 0)
    total = len(split_text(TEXT, max_chars=MAX_CHARS))
    assert done_when_yielded[0] == 1 < total
    assert b"".join(chunks) == client.tts.convert_long(text=TEXT, max_chars=MAX_CHARS)


def test_progress_counts_pieces_characters_and_seconds(client: FishAudio) -> None:
    seen: list[Progress] = []
    audio = client.tts.convert_long(text=TEXT, format="wav", max_chars=MAX_CHARS, on_progress=seen.append)
    pieces = split_text(TEXT, max_chars=MAX_CHARS)
    assert [p.pieces_done for p in seen] == list(range(1, len(pieces) + 1))
    assert seen[-1].chars_done == seen[-1].chars_total == sum(p.end - p.start for p in pieces)
    assert seen[-1].audio_seconds == pytest.approx(decoded_seconds(audio, "wav"))


def test_max_cost_refuses_before_sending_anything(client: FishAudio, recorder: Recorder) -> None:
    cost = estimate(TEXT, model="s1", max_chars=MAX_CHARS)
    assert cost.utf8_bytes == sum(len(p.text.encode()) for p in split_text(TEXT, max_chars=MAX_CHARS))
    assert cost.usd == pytest.approx(cost.utf8_bytes * TTS_MODEL_USD_PER_MILLION_BYTES["s1"] / 1e6)
    with pytest.raises(BudgetExceededError, match="more than max_cost"):
        client.tts.convert_long(text=TEXT, model="s1", max_chars=MAX_CHARS, max_cost=cost.usd * 0.99)  # type: ignore[operator]
    with pytest.raises(BudgetExceededError):
        client.tts.stream_long(text=TEXT, model="s1", max_chars=MAX_CHARS, max_cost=0)
    assert tts_posts(recorder) == []
    client.tts.convert_long(text=TEXT, model="s1", max_chars=MAX_CHARS, max_cost=cost.usd)
    assert len(tts_posts(recorder)) == cost.pieces


@pytest.mark.parametrize("audio_format", ["wav", "pcm", "mp3", "opus"])
async def test_async_joins_every_format_as_the_sync_client_does(
    server: LocalServer, async_client: AsyncFishAudio, audio_format: str
) -> None:
    audio = await async_client.tts.convert_long(text=TEXT, format=audio_format, max_chars=MAX_CHARS)  # type: ignore[arg-type]
    with FishAudio(base_url=server.url, api_key=server.api_key) as client:
        assert audio == client.tts.convert_long(text=TEXT, format=audio_format, max_chars=MAX_CHARS)  # type: ignore[arg-type]
    if audio_format != "pcm":
        assert decoded_seconds(audio, audio_format) > 10


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"max_concurrency": 0}, "max_concurrency"),
        ({"paragraph_pause": -1}, "paragraph_pause"),
        ({"regenerate": [99]}, "regenerate"),
        ({"max_chars": 0}, "max_chars"),
    ],
)
def test_bad_arguments_are_refused_before_sending(
    client: FishAudio, recorder: Recorder, arguments: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError, match=field):
        client.tts.stream_long(text=TEXT, **arguments)  # type: ignore[arg-type]
    assert tts_posts(recorder) == []
