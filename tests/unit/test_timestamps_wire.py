"""``tts.stream_with_timestamps``, ``tts.convert_with_timestamps`` and ``voices.design`` on the wire (sync
and async): what is sent, how the answer is read, when the connection is released, what is refused first."""

from __future__ import annotations

import asyncio
import base64
import gc
import json
import struct
from typing import Any

import httpx
import msgpack
import pytest
import respx

from fishaudio_ext import (
    APIResponseValidationError,
    AsyncTimestampStream,
    PaymentRequiredError,
    StreamConsumedError,
    TimestampStream,
    ValidationError,
)
from tests.support.calls import resolve

PATH = "/v1/tts/stream/with-timestamp"
SSE = {"Content-Type": "text/event-stream"}


def sse(*events: dict[str, Any]) -> bytes:
    return b"".join(f"event: message\ndata: {json.dumps(e)}\n\n".encode() for e in events)


def event(
    audio: bytes, seq: int, offset: float, segments: list[tuple[str, float, float]] | None
) -> dict[str, Any]:
    alignment = None
    if segments is not None:
        alignment = {
            "segments": [{"text": t, "start": s, "end": e} for t, s, e in segments],
            "audio_duration": max((e for _, _, e in segments), default=0.0),
        }
    return {
        "audio_base64": base64.b64encode(audio).decode(),
        "content": " ".join(t for t, _, _ in segments or []),
        "alignment": alignment,
        "chunk_seq": seq,
        "chunk_audio_offset_sec": offset,
    }


# Two chunks; chunk 0 is described twice (the second snapshot replaces the first), chunk 1 starts null.
EVENTS = (
    event(b"a1", 0, 0.0, None),
    event(b"a2", 0, 0.0, [("Hello", 0.0, 0.4)]),
    event(b"a3", 0, 0.0, [("Hello", 0.0, 0.45), ("world.", 0.5, 0.9)]),
    event(b"b1", 1, 1.2, None),
    event(b"b2", 1, 1.2, [("Again.", 0.1, 0.6)]),
)
FINAL = [("Hello", 0.0, 0.45, 0), ("world.", 0.5, 0.9, 0), ("Again.", 1.3, 1.8, 1)]


def spans(segments: Any) -> list[tuple[str, float, float, int]]:
    return [(s.text, round(s.start, 6), round(s.end, 6), s.chunk_seq) for s in segments]


async def read_events(stream: Any) -> list[Any]:
    if isinstance(stream, AsyncTimestampStream):
        return [e async for e in stream]
    return list(stream)


@pytest.fixture
def route(router: respx.MockRouter) -> respx.Route:
    return router.post(PATH).respond(200, content=sse(*EVENTS), headers=SSE)


async def test_stream_sends_the_tts_request_through_the_generated_builder(
    is_async: bool, make_client: Any, route: respx.Route
) -> None:
    client = make_client(is_async)

    stream = await resolve(
        client.tts.stream_with_timestamps(
            text="Hello world. Again.", format="wav", latency="balanced", speed=1.5, chunk_length=200
        )
    )
    await read_events(stream)

    request = route.calls.last.request
    assert request.headers["Content-Type"] == "application/msgpack"
    assert request.headers["model"] == "s1"
    assert msgpack.unpackb(request.content) == {
        "text": "Hello world. Again.",
        "format": "wav",
        "latency": "balanced",
        "prosody": {"speed": 1.5},
        "chunk_length": 200,
    }


async def test_events_carry_decoded_audio_the_alignment_as_sent_and_the_merged_timeline(
    is_async: bool, make_client: Any, route: respx.Route
) -> None:
    client = make_client(is_async)
    stream = await resolve(client.tts.stream_with_timestamps(text="Hello world. Again."))
    assert isinstance(stream, AsyncTimestampStream if is_async else TimestampStream)

    events = await read_events(stream)

    assert [e.audio for e in events] == [b"a1", b"a2", b"a3", b"b1", b"b2"]
    assert events[0].alignment is None
    assert events[0].timeline.segments == ()
    assert [s.text for s in events[1].alignment.segments] == ["Hello"]  # as the API sent it
    assert spans(events[1].timeline.segments) == [("Hello", 0.0, 0.4, 0)]
    # The newer snapshot of chunk 0 replaces the older one; it is not appended.
    assert spans(events[2].timeline.segments) == FINAL[:2]
    assert spans(events[3].timeline.segments) == FINAL[:2]  # a null alignment keeps what is known
    # Chunk 1's times are made absolute with its chunk_audio_offset_sec.
    assert spans(events[4].timeline.segments) == FINAL
    assert events[4].alignment.segments[0].start == 0.1
    assert spans(stream.timeline.segments) == FINAL


async def test_collect_gives_the_whole_audio_and_the_final_segments(
    is_async: bool, make_client: Any, route: respx.Route
) -> None:
    client = make_client(is_async)
    stream = await resolve(client.tts.stream_with_timestamps(text="Hello world. Again."))

    result = await resolve(stream.collect())

    assert result.audio == b"a1a2a3b1b2"
    assert spans(result.segments) == FINAL
    assert result.text == "Hello world. Again."


async def test_convert_gives_the_whole_audio_and_the_final_segments(
    is_async: bool, make_client: Any, route: respx.Route
) -> None:
    client = make_client(is_async)

    result = await resolve(client.tts.convert_with_timestamps(text="Hello world. Again.", format="mp3"))

    assert result.audio == b"a1a2a3b1b2"
    assert spans(result.segments) == FINAL
    assert msgpack.unpackb(route.calls.last.request.content)["format"] == "mp3"


def streamed_wav(pcm: bytes) -> bytes:
    """A WAV as a stream starts it: sizes unknown (0xFFFFFFFF)."""
    fmt = struct.pack("<HHIIHH", 1, 1, 16000, 32000, 2, 16)
    return b"RIFF" + b"\xff" * 4 + b"WAVEfmt " + struct.pack("<I", 16) + fmt + b"data" + b"\xff" * 4 + pcm


async def test_convert_fills_in_the_wav_header_sizes(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    wav = streamed_wav(b"\x01\x00" * 100)
    router.post(PATH).respond(
        200,
        content=sse(event(wav[:30], 0, 0.0, None), event(wav[30:], 0, 0.0, [("Hi.", 0.0, 0.01)])),
        headers=SSE,
    )
    client = make_client(is_async)

    result = await resolve(client.tts.convert_with_timestamps(text="Hi.", format="wav"))

    assert struct.unpack_from("<I", result.audio, 4)[0] == len(wav) - 8
    assert struct.unpack_from("<I", result.audio, 40)[0] == 200
    assert result.audio[44:] == wav[44:]


async def test_convert_retries_a_connection_lost_mid_answer(
    is_async: bool, make_client: Any, transport: Any
) -> None:
    body = sse(*EVENTS)
    transport.reply(200, body[:50], headers=SSE, error=httpx.ReadError("cut")).reply(200, body, headers=SSE)
    client = make_client(is_async, transport=transport)

    result = await resolve(client.tts.convert_with_timestamps(text="Hello world. Again."))

    assert len(transport.requests) == 2
    assert spans(result.segments) == FINAL


async def test_stream_returns_before_reading_and_releases_the_connection_at_the_end(
    is_async: bool, make_client: Any, transport: Any
) -> None:
    transport.reply(200, *[sse(e) for e in EVENTS], headers=SSE)
    client = make_client(is_async, transport=transport)

    stream = await resolve(client.tts.stream_with_timestamps(text="Hi"))

    body = transport.streams[0]
    assert body.pulled == 0
    assert not body.closed
    await read_events(stream)
    assert body.closed
    with pytest.raises(StreamConsumedError):
        await read_events(stream)


async def test_closing_or_leaving_the_block_releases_the_connection(
    is_async: bool, make_client: Any, transport: Any
) -> None:
    transport.reply(200, *[sse(e) for e in EVENTS], headers=SSE)
    client = make_client(is_async, transport=transport)

    if is_async:
        async with await client.tts.stream_with_timestamps(text="Hi") as stream:
            async for _ in stream:
                break
    else:
        with client.tts.stream_with_timestamps(text="Hi") as stream:
            for _ in stream:
                break
    assert transport.streams[0].closed
    assert transport.streams[0].pulled < len(EVENTS)


async def test_an_abandoned_sync_stream_releases_the_connection(make_client: Any, transport: Any) -> None:
    transport.reply(200, *[sse(e) for e in EVENTS], headers=SSE)
    client = make_client(False, transport=transport)

    for read_one in (False, True):
        stream = client.tts.stream_with_timestamps(text="Hi")
        if read_one:
            next(iter(stream))
        del stream
        gc.collect()

        assert transport.streams[-1].closed


@pytest.mark.parametrize(
    "bad",
    [
        {**EVENTS[1], "audio_base64": "not base64!"},
        {**EVENTS[1], "chunk_seq": "zero"},
        {key: value for key, value in EVENTS[1].items() if key != "alignment"},
    ],
    ids=["audio", "chunk_seq", "missing-alignment"],
)
async def test_an_event_that_does_not_match_the_spec_is_a_response_validation_error(
    is_async: bool, make_client: Any, router: respx.MockRouter, bad: dict[str, Any]
) -> None:
    router.post(PATH).respond(200, content=sse(EVENTS[0], bad), headers=SSE)
    client = make_client(is_async)

    with pytest.raises(APIResponseValidationError):
        await resolve(client.tts.convert_with_timestamps(text="Hi"))


async def test_an_answer_that_is_not_an_event_stream_is_refused(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    router.post(PATH).respond(200, json={"audio": "?"})
    client = make_client(is_async)

    with pytest.raises(APIResponseValidationError):
        await resolve(client.tts.convert_with_timestamps(text="Hi"))


async def test_bad_arguments_are_refused_before_sending(
    is_async: bool, make_client: Any, route: respx.Route
) -> None:
    client = make_client(is_async)

    for call in (client.tts.stream_with_timestamps, client.tts.convert_with_timestamps):
        with pytest.raises(ValidationError):
            await resolve(call(text=""))
        with pytest.raises(ValidationError):
            await resolve(call(text="Hi", chunk_length=5))
    assert route.call_count == 0


# --- voices.design ---------------------------------------------------------------------------------


def wav_b64(marker: bytes) -> str:
    return base64.b64encode(b"RIFF" + marker).decode()


DESIGN = {
    "candidates": [
        {
            "id": f"cand_{i}",
            "index": i,
            "audio_base64": wav_b64(bytes([i])),
            "sample_rate": 24000,
            "duration_ms": 1200 + i,
            "text": "Welcome.",
            "instruct": "Warm narrator",
            "language": "en",
        }
        for i in range(2)
    ]
}


@pytest.fixture
def design_route(router: respx.MockRouter) -> respx.Route:
    return router.post("/v1/voice-design").respond(200, json=DESIGN)


async def test_design_sends_json_with_the_model_header_and_only_what_is_set(
    is_async: bool, make_client: Any, design_route: respx.Route
) -> None:
    client = make_client(is_async)

    await resolve(client.voices.design(instruction="Warm narrator", reference_text="Welcome.", n=2, seed=42))

    request = design_route.calls.last.request
    assert request.headers["model"] == "voice-design-1"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "instruction": "Warm narrator",
        "reference_text": "Welcome.",
        "n": 2,
        "seed": 42,
    }


async def test_design_sends_every_field_of_the_spec(
    is_async: bool, make_client: Any, design_route: respx.Route
) -> None:
    client = make_client(is_async)
    fields = {
        "instruction": "Calm",
        "reference_text": "Hi.",
        "language": "en",
        "n": 4,
        "seed": 7,
        "speed": 1.25,
        "num_step": 64,
        "guidance_scale": 3.0,
        "instruct_guidance_scale": 0.5,
    }

    await resolve(client.voices.design(**fields, model="voice-design-2"))

    request = design_route.calls.last.request
    assert json.loads(request.content) == fields
    assert request.headers["model"] == "voice-design-2"


async def test_design_returns_candidates_with_decoded_audio(
    is_async: bool, make_client: Any, design_route: respx.Route, tmp_path: Any
) -> None:
    client = make_client(is_async)

    candidates = await resolve(client.voices.design(instruction="Warm narrator"))

    assert [(c.id, c.index, c.audio, c.sample_rate, c.duration_ms) for c in candidates] == [
        ("cand_0", 0, b"RIFF\x00", 24000, 1200),
        ("cand_1", 1, b"RIFF\x01", 24000, 1201),
    ]
    assert (candidates[0].text, candidates[0].instruct, candidates[0].language) == (
        "Welcome.",
        "Warm narrator",
        "en",
    )
    candidates[1].save(tmp_path / "c.wav")
    assert (tmp_path / "c.wav").read_bytes() == b"RIFF\x01"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"instruction": ""}, "instruction"),
        ({"instruction": "   "}, "instruction"),
        ({"instruction": "x" * 2001}, "instruction"),
        ({"instruction": "ok", "reference_text": "x" * 151}, "reference_text"),
        ({"instruction": "ok", "n": 0}, "n"),
        ({"instruction": "ok", "n": 5}, "n"),
        ({"instruction": "ok", "n": 2.0}, "n"),
        ({"instruction": "ok", "speed": 0}, "speed"),
        ({"instruction": "ok", "speed": 3.5}, "speed"),
        ({"instruction": "ok", "num_step": 129}, "num_step"),
        ({"instruction": "ok", "guidance_scale": -1}, "guidance_scale"),
        ({"instruction": "ok", "instruct_guidance_scale": float("nan")}, "instruct_guidance_scale"),
        ({"instruction": "ok", "seed": "42"}, "seed"),
        ({"instruction": "ok", "language": ""}, "language"),
        ({"instruction": "ok", "model": ""}, "model"),
    ],
)
async def test_design_checks_every_field_before_sending(
    is_async: bool, make_client: Any, design_route: respx.Route, arguments: dict[str, Any], field: str
) -> None:
    client = make_client(is_async)

    with pytest.raises(ValidationError) as raised:
        await resolve(client.voices.design(**arguments))

    assert raised.value.field == field
    assert design_route.call_count == 0


async def test_design_takes_no_field_the_api_does_not_know(
    is_async: bool, make_client: Any, design_route: respx.Route
) -> None:
    client = make_client(is_async)

    with pytest.raises(TypeError, match="gender"):
        await resolve(client.voices.design(instruction="ok", gender="any"))
    assert design_route.call_count == 0


async def test_design_candidate_audio_that_is_not_base64_is_refused(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    broken = {"candidates": [{**DESIGN["candidates"][0], "audio_base64": "%%%"}]}
    router.post("/v1/voice-design").respond(200, json=broken)
    client = make_client(is_async)

    with pytest.raises(APIResponseValidationError, match="base64"):
        await resolve(client.voices.design(instruction="ok"))


async def test_collect_after_reading_events_is_refused_not_partial(
    is_async: bool, make_client: Any, route: respx.Route
) -> None:
    client = make_client(is_async)
    stream = await resolve(client.tts.stream_with_timestamps(text="Hello world. Again."))
    if is_async:
        await stream.__aiter__().__anext__()
    else:
        next(iter(stream))

    with pytest.raises(StreamConsumedError):
        await resolve(stream.collect())


async def test_a_chunk_the_api_never_timed_keeps_its_text_over_its_audio(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    untimed = {**event(b"u1", 1, 1.2, None), "content": "Untimed chunk."}
    events = (
        EVENTS[2],
        untimed,
        {**untimed, "audio_base64": "dTI="},
        event(b"c1", 2, 2.5, [("End.", 0.0, 0.3)]),
    )
    router.post(PATH).respond(200, content=sse(*events), headers=SSE)
    client = make_client(is_async)

    result = await resolve(client.tts.convert_with_timestamps(text="Hello world. Untimed chunk. End."))

    assert result.audio == b"a3u1u2c1"
    assert [(s.text, s.start, s.end, s.estimated) for s in result.segments] == [
        ("Hello", 0.0, 0.45, False),
        ("world.", 0.5, 0.9, False),
        ("Untimed chunk.", 1.2, 2.5, True),
        ("End.", 2.5, 2.8, False),
    ]


async def test_errors_and_retries_go_through_the_one_request_path(
    is_async: bool, make_client: Any, transport: Any
) -> None:
    transport.reply(503, b'{"message": "busy"}').reply(200, sse(*EVENTS), headers=SSE)
    transport.reply(402, b'{"message": "no credit"}')  # the last answer repeats
    client = make_client(is_async, transport=transport)

    stream = await resolve(client.tts.stream_with_timestamps(text="Hi"))
    assert len(await read_events(stream)) == len(EVENTS)
    assert len(transport.requests) == 2  # the 503 was retried before any event reached the caller

    for call in (client.tts.stream_with_timestamps, client.tts.convert_with_timestamps):
        with pytest.raises(PaymentRequiredError, match="no credit"):
            await resolve(call(text="Hi"))


async def test_an_abandoned_async_stream_releases_the_connection_once_the_loop_runs(
    make_client: Any, transport: Any
) -> None:
    transport.reply(200, *[sse(e) for e in EVENTS], headers=SSE)
    client = make_client(True, transport=transport)

    stream = await client.tts.stream_with_timestamps(text="Hi")
    del stream
    gc.collect()
    for _ in range(5):
        await asyncio.sleep(0)

    assert transport.streams[0].closed
