"""Results carry the answer they came from (status, headers, generation id); unknown voices raise one class.

respx plays the API; each test runs for FishAudio and AsyncFishAudio (``is_async``).
"""

from __future__ import annotations

import gc
import json
import pickle
from typing import Any

import pytest
import respx

from fishaudio_ext import (
    AsyncAudioStream,
    AudioBytes,
    AudioStream,
    BadRequestError,
    NotFoundError,
    ReferenceNotFoundError,
    ResponseInfo,
    response_of,
)
from fishaudio_ext.types import Credits
from tests.support.calls import resolve
from tests.support.samples import STAMP, VOICE

GENERATION = {"X-Generation-Id": "gen-123", "X-Request-Id": "req-9"}
MP3 = b"ID3\x04\x00fake-mp3-frames"


async def test_convert_audio_carries_status_headers_and_generation_id(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    router.post("/v1/tts").respond(200, content=MP3, headers={"Content-Type": "audio/mpeg", **GENERATION})
    audio = await resolve(make_client(is_async).tts.convert(text="Hi"))

    assert isinstance(audio, AudioBytes)
    assert audio == MP3
    assert audio.response == ResponseInfo(
        200, {"content-type": "audio/mpeg", **GENERATION, "content-length": str(len(MP3))}
    )
    assert audio.response.generation_id == "gen-123"
    assert audio.response.request_id == "req-9"
    assert response_of(audio) is audio.response


async def test_audio_repr_shows_size_and_format_not_audio(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    router.post("/v1/tts").respond(
        200, content=b"\xff" * 2048, headers={"Content-Type": "audio/mpeg", **GENERATION}
    )
    audio = await resolve(make_client(is_async).tts.convert(text="Hi"))

    assert repr(audio) == "AudioBytes(2,048 bytes, mp3, generation id gen-123)"
    assert audio.format == "mp3"


def test_audio_made_locally_has_no_response() -> None:
    audio = AudioBytes(b"RIFF")
    assert repr(audio) == "AudioBytes(4 bytes)"
    assert audio.response is None
    assert audio.format is None


def test_audio_pickles_with_its_response() -> None:
    audio = AudioBytes(b"abc", response=ResponseInfo(200, {"Content-Type": "audio/wav", **GENERATION}))
    copy = pickle.loads(pickle.dumps(audio))
    assert copy == b"abc"
    assert isinstance(copy, AudioBytes)
    assert copy.response == audio.response
    assert copy.format == "wav"


async def test_stream_carries_its_response_before_the_audio(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    router.post("/v1/tts").respond(200, content=MP3, headers={"Content-Type": "audio/mpeg", **GENERATION})
    client = make_client(is_async)
    stream = client.tts.stream(text="Hi")
    stream = await stream if is_async else stream

    assert isinstance(stream, (AudioStream, AsyncAudioStream))
    assert stream.response.status == 200
    assert stream.response.generation_id == "gen-123"
    assert await resolve(stream) == MP3


async def test_models_carry_their_response(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    router.get("/model/v1").respond(200, json=VOICE, headers={"X-Request-Id": "req-voice"})
    router.get("/wallet/self/api-credit").respond(
        200,
        json={"_id": "c1", "user_id": "u1", "credit": "1.5", **STAMP},
        headers={"X-Request-Id": "req-credit"},
    )
    client = make_client(is_async)

    voice = await resolve(client.voices.get("v1"))
    credits = await resolve(client.account.get_credits())

    info = response_of(voice)
    assert info is not None
    assert info.status == 200
    assert info.request_id == "req-voice"
    assert isinstance(credits, Credits)
    assert response_of(credits) is not None
    assert response_of(credits).request_id == "req-credit"
    # A copy is made locally: it came from no answer.
    assert response_of(Credits.from_dict(credits.to_dict())) is None


def test_a_model_forgets_its_response_when_collected() -> None:
    from fishaudio_api.models import ModelEntity

    from fishaudio_ext._response_info import _KEPT, remember

    voice = ModelEntity.from_dict(VOICE)
    remember(voice, ResponseInfo(200, {}))
    key = id(voice)
    assert key in _KEPT
    del voice
    gc.collect()
    assert key not in _KEPT


async def test_unknown_reference_is_a_not_found_and_a_bad_request(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    body = {"status": 400, "message": "Reference not found", "reason": None}
    router.post("/v1/tts").respond(400, json=body, headers=GENERATION)

    with pytest.raises(NotFoundError) as caught:
        await resolve(make_client(is_async).tts.convert(text="Hi", reference_id="nope"))

    assert type(caught.value) is ReferenceNotFoundError
    assert isinstance(caught.value, BadRequestError)
    assert caught.value.status == 400
    assert caught.value.response is not None
    assert caught.value.response.status == 400
    assert caught.value.generation_id == "gen-123"


async def test_other_bad_requests_stay_bad_requests(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    body = {"status": 400, "message": "Unsupported sample rate", "reason": None}
    router.post("/v1/tts").respond(400, json=body)

    with pytest.raises(BadRequestError) as caught:
        await resolve(make_client(is_async).tts.convert(text="Hi"))

    assert not isinstance(caught.value, NotFoundError)


async def test_a_key_echoed_in_a_header_is_redacted(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    key = "sk-echoed-0123456789abcdef0123456789"
    router.post("/v1/tts").respond(200, content=MP3, headers={"Content-Type": "audio/mpeg", "X-Debug": key})
    audio = await resolve(make_client(is_async, api_key=key).tts.convert(text="Hi"))

    assert audio.response is not None
    assert key not in repr(audio.response)
    assert key not in str(audio.response.headers)


def test_a_live_session_s_unknown_voice_is_the_same_class() -> None:
    import msgpack

    from fishaudio_ext import WebSocketError
    from fishaudio_ext._live.protocol import read_frame

    finish = {"event": "finish", "reason": "error", "message": "Reference not found: no voice x"}
    with pytest.raises(ReferenceNotFoundError) as caught:
        read_frame(msgpack.packb(finish))
    assert caught.value.status == 400
    assert caught.value.body == finish
    other = {"event": "finish", "reason": "error", "message": "Synthesis failed"}
    with pytest.raises(WebSocketError):
        read_frame(msgpack.packb(other))


async def test_event_streams_carry_their_response(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    from fishaudio_api.models import TTSRequest

    event = {
        "audio_base64": "SUQz",
        "content": "Hi",
        "alignment": None,
        "chunk_seq": 0,
        "chunk_audio_offset_sec": 0,
    }
    router.post("/v1/tts/stream/with-timestamp").respond(
        200,
        content=f"data: {json.dumps(event)}\n\n".encode(),
        headers={"Content-Type": "text/event-stream", **GENERATION},
    )
    events = make_client(is_async).api.text_to_speech_with_timestamps(body=TTSRequest(text="Hi"))
    events = await events if is_async else events

    assert events.response.generation_id == "gen-123"
    seqs = [e.chunk_seq async for e in events] if is_async else [e.chunk_seq for e in events]
    assert seqs == [0]
