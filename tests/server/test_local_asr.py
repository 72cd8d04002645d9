"""POST /v1/asr on the local server: its own audio transcribes back; other audio is measured."""

from __future__ import annotations

from decimal import Decimal

import httpx
import msgpack
import pytest
from local_wire import Recorder

from fishaudio_ext import APIError, AsyncFishAudio, BadRequestError, FishAudio
from fishaudio_ext.server import LocalServer, assert_conforms
from fishaudio_ext.server._codecs import encoder

TEXT = "Speech recognition should give this sentence back, word for word."


def _tone_wav(seconds: float, sample_rate: int = 16000) -> bytes:
    """A WAV file of silence the server did not synthesize."""
    wav = encoder("wav", sample_rate=sample_rate)
    return wav.encode(bytes(2 * round(seconds * sample_rate))) + wav.finish()


def test_own_audio_transcribes_back_with_word_timestamps(client: FishAudio) -> None:
    audio = client.tts.convert(text=TEXT, format="mp3")
    result = client.asr.transcribe(audio=audio, language="en")

    assert result.text == TEXT
    assert result.language_code == "en"
    assert result.language == "English"
    assert [segment.text for segment in result.segments] == TEXT.split()
    assert result.segments[0].start == 0
    assert all(a.end <= b.start for a, b in zip(result.segments, result.segments[1:], strict=False))
    assert 3 < result.duration < 6  # seconds, not milliseconds
    assert result.segments[-1].end <= result.duration


def test_ignore_timestamps_gives_one_segment(client: FishAudio) -> None:
    audio = client.tts.convert(text=TEXT, format="wav")
    result = client.asr.transcribe(audio=audio, include_timestamps=False)
    assert [(s.text, s.start, s.end) for s in result.segments] == [(TEXT, 0.0, result.duration)]


async def test_async_transcribe(async_client: AsyncFishAudio) -> None:
    audio = await async_client.tts.convert(text=TEXT, format="opus")
    result = await async_client.asr.transcribe(audio=audio)
    assert result.text == TEXT


def test_multipart_and_msgpack_bodies(http: httpx.Client) -> None:
    audio = http.post("/v1/tts", json={"text": TEXT}).content
    multipart = http.post("/v1/asr", files={"audio": ("a.mp3", audio)}, data={"ignore_timestamps": "false"})
    packed = http.post(
        "/v1/asr",
        content=msgpack.packb({"audio": audio, "ignore_timestamps": False}, use_bin_type=True),
        headers={"Content-Type": "application/msgpack"},
    )
    for response in (multipart, packed):
        assert response.status_code == 200
        assert response.json()["text"] == TEXT
        assert len(response.json()["segments"]) == len(TEXT.split())
        assert_conforms("POST", "/v1/asr", response)
    assert multipart.headers["x-generation-id"]
    assert packed.headers["x-generation-id"] not in ("", multipart.headers["x-generation-id"])


def test_other_audio_gets_its_duration_and_no_text(client: FishAudio) -> None:
    result = client.asr.transcribe(audio=_tone_wav(2.5))
    assert result.text == ""
    assert result.segments == []
    assert result.duration == pytest.approx(2.5)


def test_undecodable_audio_is_a_400(client: FishAudio) -> None:
    with pytest.raises(BadRequestError, match="could not be decoded"):
        client.asr.transcribe(audio=b"ID3-but-not-really-audio" * 10)


def test_audio_under_one_second_is_a_400(client: FishAudio) -> None:
    with pytest.raises(BadRequestError, match="at least 1 second"):
        client.asr.transcribe(audio=_tone_wav(0.5))


def test_more_than_20_mb_is_a_413(http: httpx.Client) -> None:
    big = b"\0" * (20 * 1024 * 1024 + 1)
    response = http.post(
        "/v1/asr",
        content=msgpack.packb({"audio": big}, use_bin_type=True),
        headers={"Content-Type": "application/msgpack"},
    )
    assert response.status_code == 413
    assert_conforms("POST", "/v1/asr", response)


def test_json_is_not_accepted(http: httpx.Client, recorder: Recorder) -> None:
    response = http.post("/v1/asr", json={"audio": "aGVsbG8="})
    assert response.status_code == 415
    assert response.json() == {
        "status": 415,
        "message": "Unsupported content type application/json: "
        "this endpoint accepts multipart/form-data, application/msgpack",
        "reason": None,
    }


def test_transcription_is_billed_per_second(client: FishAudio, server: LocalServer) -> None:
    audio = _tone_wav(2.2)
    before = server.credit()
    client.asr.transcribe(audio=audio)
    assert before - server.credit() == Decimal("0.000300")  # USD 0.36 per hour, 3 started seconds
    server.set_credit(0)
    with pytest.raises(APIError) as raised:
        client.asr.transcribe(audio=audio)
    assert raised.value.status == 402
