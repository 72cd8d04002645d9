"""Consistent results against LocalServer over loopback: WebSocket streams collect like HTTP streams,
every result and error carries the answer it came from, and an unknown voice raises one class on HTTP and
WebSocket that ``except NotFoundError`` catches."""

from __future__ import annotations

import pydoc
from collections.abc import AsyncIterator, Iterator

import pytest
from fishaudio_api.facts import GENERATION_ID_HEADER

from fishaudio_ext import (
    AsyncFishAudio,
    FishAudio,
    NotFoundError,
    ReferenceNotFoundError,
    WebSocketError,
    response_of,
)

TEXT = "Results carry their answer."


def words() -> Iterator[str]:
    yield "Hello "
    yield "from the live session."


async def async_words() -> AsyncIterator[str]:
    for word in words():
        yield word


def test_websocket_stream_collects_like_an_http_stream(fish_audio_client: FishAudio) -> None:
    stream = fish_audio_client.tts.stream_websocket(words())
    assert stream.response is None  # nothing is sent before the audio is read
    audio = stream.collect()
    assert len(audio) > 1000
    assert stream.response is not None
    assert stream.response.status == 101


async def test_async_websocket_stream_collects(async_fish_audio_client: AsyncFishAudio) -> None:
    stream = async_fish_audio_client.tts.stream_websocket(async_words())
    audio = await stream.collect()
    assert len(audio) > 1000
    assert stream.response is not None
    assert stream.response.status == 101


def test_results_carry_the_generation_id(fish_audio_client: FishAudio) -> None:
    audio = fish_audio_client.tts.convert(text=TEXT)
    assert audio.response is not None
    assert audio.response.generation_id == audio.response.headers[GENERATION_ID_HEADER]
    with fish_audio_client.tts.stream(text=TEXT) as stream:
        assert stream.response.generation_id
        assert stream.response.generation_id != audio.response.generation_id
    transcript = fish_audio_client.asr.transcribe(audio=audio)
    info = response_of(transcript)
    assert info is not None
    assert info.status == 200
    assert info.generation_id
    page = fish_audio_client.voices.list()
    assert response_of(page) is not None
    assert response_of(page).status == 200


async def test_async_results_carry_the_generation_id(async_fish_audio_client: AsyncFishAudio) -> None:
    audio = await async_fish_audio_client.tts.convert(text=TEXT)
    assert audio.response is not None
    assert audio.response.generation_id
    stream = await async_fish_audio_client.tts.stream(text=TEXT)
    assert stream.response.generation_id
    await stream.close()
    info = response_of(await async_fish_audio_client.asr.transcribe(audio=audio))
    assert info is not None
    assert info.generation_id


def test_unknown_reference_raises_one_class_on_http_and_websocket(fish_audio_client: FishAudio) -> None:
    tts = fish_audio_client.tts
    with pytest.raises(NotFoundError) as over_http:
        tts.convert(text=TEXT, reference_id="no-such-voice")
    with pytest.raises(NotFoundError) as over_websocket:
        tts.stream_websocket(words(), reference_id="no-such-voice").collect()

    assert type(over_http.value) is type(over_websocket.value) is ReferenceNotFoundError
    assert isinstance(over_websocket.value, WebSocketError)  # as the official SDK's live session raises
    assert over_websocket.value.event == over_websocket.value.body
    assert over_http.value.status == over_websocket.value.status == 400
    assert over_http.value.response is not None
    assert over_http.value.response.status == 400
    # The session's error carries the answer there was: the handshake's.
    assert over_websocket.value.response is not None
    assert over_websocket.value.response.status == 101


async def test_async_unknown_reference_raises_one_class(async_fish_audio_client: AsyncFishAudio) -> None:
    tts = async_fish_audio_client.tts
    with pytest.raises(NotFoundError) as over_http:
        await tts.convert(text=TEXT, reference_id="no-such-voice")
    with pytest.raises(NotFoundError) as over_websocket:
        await tts.stream_websocket(async_words(), reference_id="no-such-voice").collect()

    assert type(over_http.value) is type(over_websocket.value) is ReferenceNotFoundError


@pytest.mark.parametrize("client_class", [FishAudio, AsyncFishAudio])
def test_help_lists_the_namespaces(client_class: type) -> None:
    text = pydoc.render_doc(client_class, renderer=pydoc.plaintext)
    for name in ("tts", "voices", "account", "asr", "api"):
        assert f"|  {name} = " in text or f"|  {name}\n" in text, name
