"""POST /v1/voice-design and the wallet on the local server, billing and 402 included."""

from __future__ import annotations

import base64
from decimal import Decimal

import httpx
import pytest
from local_wire import Recorder

from fishaudio_ext import AsyncFishAudio, FishAudio, PaymentRequiredError, TTSConfig
from fishaudio_ext.server import LocalServer, assert_conforms
from fishaudio_ext.server._codecs import probe

DESIGN = {"model": "voice-design-1"}


def test_voice_design_returns_n_distinct_wav_candidates(http: httpx.Client, server: LocalServer) -> None:
    before = server.credit()
    body = {"instruction": "A warm, low male voice", "n": 3, "reference_text": "Good evening, and welcome."}
    response = http.post("/v1/voice-design", json=body, headers=DESIGN)
    assert response.status_code == 200
    assert_conforms("POST", "/v1/voice-design", response)
    candidates = response.json()["candidates"]
    assert [c["index"] for c in candidates] == [0, 1, 2]
    audios = [base64.b64decode(c["audio_base64"]) for c in candidates]
    assert len(set(audios)) == 3  # each candidate is a different voice
    for candidate, audio in zip(candidates, audios, strict=True):
        info = probe(audio)
        assert info is not None
        assert (info.format, info.sample_rate) == ("wav", candidate["sample_rate"])
        assert candidate["duration_ms"] == pytest.approx(info.duration * 1000, abs=1)
    assert before - server.credit() == Decimal("0.01")  # once per request, whatever n

    transcript = http.post("/v1/asr", files={"audio": ("c.wav", audios[0])})
    assert transcript.json()["text"] == "Good evening, and welcome."


async def test_async_voice_design(async_http: httpx.AsyncClient) -> None:
    response = await async_http.post(
        "/v1/voice-design", json={"instruction": "bright", "n": 1}, headers=DESIGN
    )
    assert response.status_code == 200
    assert len(response.json()["candidates"]) == 1
    assert_conforms("POST", "/v1/voice-design", response)


def test_voice_design_needs_its_model_header(http: httpx.Client) -> None:
    missing = http.post("/v1/voice-design", json={"instruction": "calm"})
    assert missing.status_code == 422
    assert missing.json() == [
        {"loc": ["header", "model"], "type": "missing", "msg": "Field required", "in": "header"}
    ]
    wrong = http.post("/v1/voice-design", json={"instruction": "calm"}, headers={"model": "s2-pro"})
    assert wrong.status_code == 400
    for response in (missing, wrong):
        assert_conforms("POST", "/v1/voice-design", response)


def test_voice_design_refuses_fields_it_does_not_know(http: httpx.Client, server: LocalServer) -> None:
    before = server.credit()
    body = {"instruction": "calm", "n": 1, "voice_age": 40, "gender": "any"}
    response = http.post("/v1/voice-design", json=body, headers=DESIGN)
    assert response.status_code == 422
    assert_conforms("POST", "/v1/voice-design", response)
    assert sorted(response.json(), key=lambda issue: issue["loc"]) == [
        {
            "loc": ["body", name],
            "type": "extra_forbidden",
            "msg": "Extra inputs are not permitted",
            "in": "body",
        }
        for name in ("gender", "voice_age")
    ]
    assert server.credit() == before  # refused, so not billed


def test_credits_and_package(client: FishAudio, server: LocalServer) -> None:
    credits = client.account.get_credits(check_free_credit=True)
    assert Decimal(credits.credit) == Decimal("10")
    assert credits.has_free_credit is False
    assert client.account.get_credits().has_free_credit is None
    package = client.account.get_package()
    assert (package.balance, package.total) == (1_000_000, 1_000_000)
    client.tts.convert(text="x" * 1000, config=TTSConfig(format="pcm", sample_rate=8000))
    assert Decimal(client.account.get_credits().credit) == Decimal("9.985")  # USD 15 per million bytes
    assert client.account.get_package().balance == 999_000


async def test_async_credits_and_package(async_client: AsyncFishAudio) -> None:
    credits = await async_client.account.get_credits()
    package = await async_client.account.get_package()
    assert credits.user_id == package.user_id


def test_wallet_by_own_user_id(http: httpx.Client, recorder: Recorder) -> None:
    own = http.get("/wallet/self/api-credit").json()
    by_id = http.get(f"/wallet/{own['user_id']}/api-credit")
    assert by_id.json()["_id"] == own["_id"]
    package = http.get(f"/wallet/{own['user_id']}/package")
    assert package.json()["_id"] == own["_id"]  # not in the spec, but the official SDK requires it
    assert_conforms("GET", "/wallet/self/package", package)
    other = http.get("/wallet/5f1b2c3d4e5f6a7b8c9d0e1f/api-credit")
    assert other.status_code == 403
    invalid = http.get("/wallet/self/api-credit", params={"check_free_credit": "maybe"})
    assert invalid.status_code == 422
    assert invalid.json()[0]["loc"] == ["query", "check_free_credit"]


def test_402_once_the_credit_runs_out(client: FishAudio, http: httpx.Client, server: LocalServer) -> None:
    server.set_credit("0.0001")  # enough for 6 bytes of text
    client.tts.convert(text="Hello")
    with pytest.raises(PaymentRequiredError):
        client.tts.convert(text="Hello again")
    response = http.post("/v1/tts", json={"text": "Hello again"})
    assert response.status_code == 402
    assert response.json() == {"status": 402, "message": "Insufficient API credit", "reason": None}
    assert_conforms("POST", "/v1/tts", response)
    free = http.post("/v1/tts", json={"text": "Hello again"}, headers={"model": "s2.1-pro-free"})
    assert free.status_code == 200
    design = http.post("/v1/voice-design", json={"instruction": "any"}, headers=DESIGN)
    assert design.status_code == 402
