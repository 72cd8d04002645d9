"""The official SDK (``fish-audio-sdk`` 1.3.0, import ``fishaudio``), unchanged, against ``LocalServer``.

It is what most applications use today, so the local server must serve it as the hosted API does:
MessagePack TTS with ``opus_bitrate: 32``, ``stream_websocket`` over httpx-ws (start frames with nil
values, the ``model`` handshake header), multipart voice creation, and pydantic models stricter than the
spec (a package needs ``_id``, which the server adds as an extra property the spec allows).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import Any

import pytest
from e2e_samples import Samples

from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._codecs import probe

fishaudio = pytest.importorskip(
    "fishaudio", reason="the official SDK (fish-audio-sdk, in the dev extra) is not installed"
)
from fishaudio.exceptions import (  # type: ignore[import-untyped]  # noqa: E402
    APIError,
    NotFoundError,
    WebSocketError,
)
from fishaudio.types import FlushEvent, TextEvent, TTSConfig  # type: ignore[import-untyped]  # noqa: E402
from httpx_ws import WebSocketNetworkError, WebSocketUpgradeError  # noqa: E402

ADRIAN = "bf322df2096a46f18c579d0baa36f41d"
TEXT = "The official SDK speaks through the local server."


@pytest.fixture
def sdk(fish_audio_server: LocalServer) -> Iterator[Any]:
    client = fishaudio.FishAudio(api_key=fish_audio_server.api_key, base_url=fish_audio_server.url)
    yield client
    client.close()


@pytest.fixture
async def async_sdk(fish_audio_server: LocalServer) -> AsyncIterator[Any]:
    client = fishaudio.AsyncFishAudio(api_key=fish_audio_server.api_key, base_url=fish_audio_server.url)
    yield client
    await client.close()


def words() -> Iterator[Any]:
    yield "Hello "
    yield TextEvent(text="from the official SDK.")
    yield FlushEvent()
    yield "Goodbye."


async def async_words() -> AsyncIterator[Any]:
    for item in words():
        yield item


def served(server: LocalServer, audio: bytes) -> bool:
    return server.context.recall_audio(audio) is not None


def test_convert_and_stream(sdk: Any, fish_audio_server: LocalServer) -> None:
    for audio_format, container in (("mp3", "mp3"), ("wav", "wav"), ("opus", "ogg")):
        info = probe(sdk.tts.convert(text=TEXT, format=audio_format))
        assert info is not None
        assert info.format == container
    assert len(sdk.tts.convert(text=TEXT, format="pcm")) % 2 == 0
    config = TTSConfig(format="mp3", mp3_bitrate=192, opus_bitrate=64, latency="normal")
    audio = sdk.tts.stream(text=TEXT, reference_id=ADRIAN, speed=1.2, config=config).collect()
    assert served(fish_audio_server, audio)


async def test_async_convert_and_stream(async_sdk: Any, fish_audio_server: LocalServer) -> None:
    audio = await async_sdk.tts.convert(text=TEXT, format="opus")
    assert served(fish_audio_server, audio)
    stream = await async_sdk.tts.stream(text=TEXT, reference_id=ADRIAN)
    assert served(fish_audio_server, await stream.collect())


def test_stream_websocket(sdk: Any, fish_audio_server: LocalServer) -> None:
    chunks = list(sdk.tts.stream_websocket(words(), format="wav", reference_id=ADRIAN, model="s2-pro"))
    assert len(chunks) >= 2
    audio = b"".join(chunks)
    info = probe(audio)
    assert info is not None
    assert info.format == "wav"
    assert served(fish_audio_server, audio)
    assert sdk.asr.transcribe(audio=audio).text == "Hello from the official SDK. Goodbye."


async def test_async_stream_websocket(async_sdk: Any, fish_audio_server: LocalServer) -> None:
    audio = b"".join([chunk async for chunk in async_sdk.tts.stream_websocket(async_words(), format="mp3")])
    assert served(fish_audio_server, audio)


def test_stream_websocket_failures(sdk: Any, fish_audio_server: LocalServer) -> None:
    fish_audio_server.faults.websocket_finish_error(after_frames=1)
    with pytest.raises(WebSocketError, match="ended with error"):
        list(sdk.tts.stream_websocket(words()))
    fish_audio_server.faults.drop(after_chunks=0, path="/v1/tts/live")
    with pytest.raises(WebSocketNetworkError):  # the SDK does not wrap a connection lost mid-stream
        list(sdk.tts.stream_websocket(words()))
    wrong = fishaudio.FishAudio(api_key="wrong", base_url=fish_audio_server.url)
    with pytest.raises(WebSocketUpgradeError) as refused:  # nor a refused handshake (wire-contract §8)
        list(wrong.tts.stream_websocket(words()))
    wrong.close()
    assert refused.value.response.status_code == 401


def test_voices(sdk: Any, samples: Samples) -> None:
    assert sdk.voices.list(page_size=20).total == 7
    male = sdk.voices.list(tags="male", language="en", sort_by="created_at", page_size=2, page_number=1)
    assert male.total == 3
    assert len(male.items) == 2
    assert sdk.voices.get(ADRIAN).title == "Adrian"
    voice = sdk.voices.create(
        title="Official Clone",
        voices=[samples.first_wav, samples.second_wav],
        description="cloned",
        texts=["This is the first voice sample.", "And this is the second voice sample."],
        tags=["custom"],
    )
    assert sdk.voices.list(self_only=True).items[0].id == voice.id
    sdk.voices.update(voice.id, title="Official Renamed", visibility="public", tags=["renamed"])
    updated = sdk.voices.get(voice.id)
    assert (updated.title, updated.visibility, updated.tags) == ("Official Renamed", "public", ["renamed"])
    sdk.voices.delete(voice.id)
    with pytest.raises(NotFoundError):
        sdk.voices.get(voice.id)


async def test_async_voices(async_sdk: Any, samples: Samples) -> None:
    assert (await async_sdk.voices.list(tags="female")).total == 3
    voice = await async_sdk.voices.create(title="Async Official", voices=[samples.first_wav])
    await async_sdk.voices.update(voice.id, description="changed")
    assert (await async_sdk.voices.get(voice.id)).description == "changed"
    await async_sdk.voices.delete(voice.id)
    with pytest.raises(NotFoundError):
        await async_sdk.voices.get(voice.id)


def test_account_and_asr(sdk: Any) -> None:
    credits = sdk.account.get_credits()
    assert credits.credit == Decimal("10")
    assert sdk.account.get_credits(check_free_credit=True).user_id == credits.user_id
    package = sdk.account.get_package()  # needs `_id`: the server sends it as an extra property
    assert package.id
    assert package.balance <= package.total
    text = "Transcribe what the official SDK made."
    result = sdk.asr.transcribe(audio=sdk.tts.convert(text=text), language="en")
    assert result.text == text
    assert [segment.text for segment in result.segments] == text.split()
    assert len(sdk.asr.transcribe(audio=sdk.tts.convert(text=text), include_timestamps=False).segments) == 1


async def test_async_account_and_asr(async_sdk: Any) -> None:
    assert (await async_sdk.account.get_credits()).credit == Decimal("10")
    assert (await async_sdk.account.get_package()).id
    text = "Async transcription of the SDK's audio."
    audio = await async_sdk.tts.convert(text=text, format="wav")
    assert (await async_sdk.asr.transcribe(audio=audio)).text == text


def test_errors(sdk: Any) -> None:
    with pytest.raises(APIError, match="Reference not found"):
        sdk.tts.convert(text="Hi", reference_id="no-such-voice")
