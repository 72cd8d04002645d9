"""POST /v1/tts and /v1/tts/stream/with-timestamp on the local server: audio, formats, prosody, voices."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import httpx
import msgpack
import pytest
from fishaudio_api import facts
from local_wire import ADRIAN, SARAH, Recorder, peak

from fishaudio_ext import AsyncFishAudio, BadRequestError, FishAudio, Prosody, TTSConfig
from fishaudio_ext._wav import complete_wav
from fishaudio_ext.server import LocalServer, assert_conforms
from fishaudio_ext.server._codecs import probe

SENTENCE = "The quick brown fox jumps over the lazy dog."


@pytest.mark.parametrize(
    ("audio_format", "sample_rate", "container"),
    [("mp3", 44100, "mp3"), ("wav", 44100, "wav"), ("opus", 48000, "ogg")],
)
def test_convert_returns_audio_of_the_requested_format(
    client: FishAudio, audio_format: str, sample_rate: int, container: str
) -> None:
    audio = client.tts.convert(text=SENTENCE, format=audio_format)  # type: ignore[arg-type]

    info = probe(audio)
    assert info is not None
    assert (info.format, info.sample_rate) == (container, sample_rate)
    assert 1.5 < info.duration < 6


@pytest.mark.parametrize(("audio_format", "sample_rate"), [("wav", 16000), ("wav", 8000), ("mp3", 32000)])
def test_requested_sample_rate_is_used(client: FishAudio, audio_format: str, sample_rate: int) -> None:
    config = TTSConfig(format=audio_format, sample_rate=sample_rate)  # type: ignore[arg-type]
    info = probe(client.tts.convert(text=SENTENCE, config=config))
    assert info is not None
    assert info.sample_rate == sample_rate


def test_pcm_is_headerless_16_bit_mono(client: FishAudio) -> None:
    config = TTSConfig(format="pcm", sample_rate=16000)
    pcm = client.tts.convert(text=SENTENCE, config=config)
    wav = client.tts.convert(text=SENTENCE, config=TTSConfig(format="wav", sample_rate=16000))
    assert wav[44:] == pcm  # the same samples behind a 44-byte header
    assert len(pcm) % 2 == 0


def test_duration_grows_with_text_and_shrinks_with_speed(client: FishAudio) -> None:
    def duration(text: str, speed: float = 1.0) -> float:
        info = probe(client.tts.convert(text=text, format="wav", speed=speed))
        assert info is not None
        return info.duration

    short, long = duration("Hello there."), duration("Hello there. " * 4)
    assert long > 3 * short
    normal, fast, slow = duration(SENTENCE), duration(SENTENCE, 2.0), duration(SENTENCE, 0.5)
    assert fast == pytest.approx(normal / 2, rel=0.05)
    assert slow == pytest.approx(normal * 2, rel=0.05)


def test_volume_changes_the_level(client: FishAudio) -> None:
    def level(volume: float) -> int:
        config = TTSConfig(format="pcm", prosody=Prosody(volume=volume))
        return peak(client.tts.convert(text=SENTENCE, config=config))

    quiet, normal, loud = level(-6), level(0), level(6)
    assert quiet < normal < loud
    assert normal / quiet == pytest.approx(2.0, rel=0.05)  # 6 dB is twice the amplitude


def test_tags_are_accepted_and_not_spoken(client: FishAudio) -> None:
    tagged = "<|speaker:0|>(happy) Hello there! <|speaker:1|>[whispers] Hi, friend."
    audio = client.tts.convert(text=tagged, format="wav", model="s2-pro")
    assert client.asr.transcribe(audio=audio).text == "Hello there! Hi, friend."


def test_stream_yields_several_chunks(client: FishAudio) -> None:
    with client.tts.stream(text=SENTENCE * 2, format="wav") as audio:
        chunks = list(audio)
    assert len(chunks) > 1
    whole = client.tts.convert(text=SENTENCE * 2, format="wav")
    # Deterministic: same request, same audio; convert() knows the whole length, so its header has it.
    assert complete_wav(b"".join(chunks)) == whole


async def test_async_convert_and_stream(async_client: AsyncFishAudio) -> None:
    audio = await async_client.tts.convert(text=SENTENCE, format="mp3", reference_id=SARAH)
    stream = await async_client.tts.stream(text=SENTENCE, format="mp3", reference_id=SARAH)
    chunks = [chunk async for chunk in stream]
    assert b"".join(chunks) == audio
    info = probe(audio)
    assert info is not None
    assert info.format == "mp3"


def test_raw_json_request_is_chunked_with_the_format_content_type(http: httpx.Client) -> None:
    for audio_format, content_type in [
        ("mp3", "audio/mpeg"),
        ("wav", "audio/wav"),
        ("opus", "audio/ogg"),
        ("pcm", "application/octet-stream"),
    ]:
        response = http.post("/v1/tts", json={"text": "Hello!", "format": audio_format})
        assert response.status_code == 200
        assert response.headers["transfer-encoding"] == "chunked"
        assert "content-length" not in response.headers
        assert response.headers["content-type"] == content_type
        assert_conforms("POST", "/v1/tts", response)


def test_every_synthesis_response_carries_its_own_generation_id(http: httpx.Client) -> None:
    ids = []
    for path in ("/v1/tts", "/v1/tts", "/v1/tts/stream/with-timestamp"):
        response = http.post(path, json={"text": "Hello!"})
        assert response.status_code == 200
        assert_conforms("POST", path, response)
        ids.append(response.headers["x-generation-id"])
    assert all(ids)
    assert len(set(ids)) == 3


def test_official_sdk_msgpack_body_with_kbps_opus_bitrate(http: httpx.Client) -> None:
    # Exactly what fish-audio-sdk 1.3.0 sends: msgpack, opus_bitrate 32 (kbps), latency balanced.
    body = {
        "text": "Hello!",
        "chunk_length": 200,
        "format": "opus",
        "mp3_bitrate": 128,
        "opus_bitrate": 32,
        "references": [],
        "normalize": True,
        "latency": "balanced",
        "top_p": 0.7,
        "temperature": 0.7,
        "max_new_tokens": 1024,
        "repetition_penalty": 1.2,
        "min_chunk_length": 50,
        "condition_on_previous_chunks": True,
        "early_stop_threshold": 1.0,
    }
    headers = {"Content-Type": "application/msgpack", "model": "s2-pro"}
    response = http.post("/v1/tts", content=msgpack.packb(body), headers=headers)
    assert response.status_code == 200
    info = probe(response.content)
    assert info is not None
    assert info.format == "ogg"
    assert_conforms("POST", "/v1/tts", response)


def test_unknown_model_falls_back_to_the_paid_model(http: httpx.Client, server: LocalServer) -> None:
    before = server.credit()
    response = http.post("/v1/tts", json={"text": "abcd"}, headers={"model": "s2"})
    assert response.status_code == 200
    assert before - server.credit() == Decimal("0.000060")  # 4 bytes at USD 15 per million
    free = http.post("/v1/tts", json={"text": "abcd"}, headers={"model": "s2.1-pro-free"})
    assert free.status_code == 200
    assert before - server.credit() == Decimal("0.000060")
    assert_conforms("POST", "/v1/tts", response)


def test_unknown_reference_id_is_a_400(client: FishAudio, http: httpx.Client) -> None:
    with pytest.raises(BadRequestError, match="Reference not found"):
        client.tts.convert(text="Hi", reference_id="voice_id")
    response = http.post("/v1/tts", json={"text": "Hi", "reference_id": "0" * 32})
    assert response.status_code == 400
    assert response.json()["message"] == "Reference not found"
    assert_conforms("POST", "/v1/tts", response)


def test_unsupported_sample_rate_is_a_400(http: httpx.Client) -> None:
    response = http.post("/v1/tts", json={"text": "Hi", "format": "mp3", "sample_rate": 16000})
    assert response.status_code == 400
    assert "32000, 44100" in response.json()["message"]
    assert_conforms("POST", "/v1/tts", response)


def test_multi_speaker_needs_an_s2_model(http: httpx.Client) -> None:
    body = {"text": "<|speaker:0|>Hi! <|speaker:1|>Hello!", "reference_id": [ADRIAN, SARAH], "format": "wav"}
    refused = http.post("/v1/tts", json=body, headers={"model": "s1"})
    assert refused.status_code == 400
    accepted = http.post("/v1/tts", json=body, headers={"model": "s2-pro"})
    assert accepted.status_code == 200
    assert_conforms("POST", "/v1/tts", refused)
    assert_conforms("POST", "/v1/tts", accepted)


@pytest.mark.parametrize("model", facts.KNOWN_TTS_MODEL_VALUES)
def test_multi_speaker_is_served_by_the_models_the_spec_marks_and_billed_at_their_price(
    http: httpx.Client, server: LocalServer, model: str
) -> None:
    text = "<|speaker:0|>Hi! <|speaker:1|>Hello!"
    before = server.credit()
    response = http.post(
        "/v1/tts", json={"text": text, "reference_id": [ADRIAN, SARAH]}, headers={"model": model}
    )
    assert response.status_code == (200 if model in facts.MULTI_SPEAKER_TTS_MODELS else 400), response.text
    if response.status_code == 200:
        price = Decimal(str(facts.TTS_MODEL_USD_PER_MILLION_BYTES[model])) / 1_000_000
        assert before - server.credit() == price * len(text.encode())
    else:
        assert server.credit() == before


def test_inline_references_must_be_audio(http: httpx.Client) -> None:
    sample = http.post("/v1/tts", json={"text": "My reference sample.", "format": "wav"}).content
    headers = {"Content-Type": "application/msgpack"}

    def synthesize(audio: bytes) -> httpx.Response:
        body = {"text": "Cloned!", "references": [{"audio": audio, "text": "My reference sample."}]}
        return http.post("/v1/tts", content=msgpack.packb(body, use_bin_type=True), headers=headers)

    assert synthesize(sample).status_code == 200
    refused = synthesize(b"not audio at all")
    assert refused.status_code == 400
    assert "could not be decoded" in refused.json()["message"]


def _sse_events(text: str) -> list[dict[str, object]]:
    return [
        json.loads(line[len("data: ") :])
        for block in text.split("\n\n")
        for line in block.splitlines()
        if line.startswith("data: ")
    ]


def test_timestamps_stream_carries_the_same_audio_and_word_timings(http: httpx.Client) -> None:
    text = "First sentence is here. And the second one follows it."
    body = {"text": text, "format": "mp3", "min_chunk_length": 10}
    response = http.post("/v1/tts/stream/with-timestamp", json=body)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert_conforms("POST", "/v1/tts/stream/with-timestamp", response)

    events = _sse_events(response.text)
    audio = b"".join(base64.b64decode(str(event["audio_base64"])) for event in events)
    assert audio == http.post("/v1/tts", json=body).content
    assert [e["chunk_seq"] for e in events] == sorted(e["chunk_seq"] for e in events)  # type: ignore[type-var]
    last_of_chunk: dict[object, dict[str, object]] = {e["chunk_seq"]: e for e in events}
    assert list(last_of_chunk) == [0, 1]
    words = []
    for event in last_of_chunk.values():
        alignment = event["alignment"]
        assert isinstance(alignment, dict)
        offset = event["chunk_audio_offset_sec"]
        assert isinstance(offset, float | int)
        words += [(s["text"], s["start"] + offset) for s in alignment["segments"]]
    assert " ".join(word for word, _ in words) == text
    starts = [start for _, start in words]
    assert starts == sorted(starts)
    assert events[0]["alignment"] is None or events[0]["content"]  # null until a word has ended


async def test_async_timestamps_stream(async_http: httpx.AsyncClient, recorder: Recorder) -> None:
    async with async_http.stream(
        "POST", "/v1/tts/stream/with-timestamp", json={"text": SENTENCE}
    ) as response:
        lines = [line async for line in response.aiter_lines() if line.startswith("data: ")]
    assert response.status_code == 200
    assert len(lines) > 1
