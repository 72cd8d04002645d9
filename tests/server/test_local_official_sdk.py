"""The official SDK (``fish-audio-sdk`` 1.3.0, import ``fishaudio``) against the local server.

It sends what the hosted API gets from most users: MessagePack TTS and ASR bodies with ``opus_bitrate: 32``,
``sort_by=task_count``, multipart voice creation and form-urlencoded updates; and its pydantic models demand
fields the spec leaves optional (``Package._id``, ``Voice.samples`` ...). Skipped when it is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from local_wire import ADRIAN, KEY, SARAH, AsyncRecordingTransport, Recorder, RecordingTransport

from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._codecs import probe

fishaudio = pytest.importorskip("fishaudio")
from fishaudio.exceptions import APIError, AuthenticationError  # type: ignore[import-untyped]  # noqa: E402
from fishaudio.types import Prosody, TTSConfig  # type: ignore[import-untyped]  # noqa: E402


@pytest.fixture
def sdk(server: LocalServer, recorder: Recorder) -> Iterator[Any]:
    """The SDK over a recording transport, so each response is checked against the spec."""
    transport = httpx.Client(base_url=server.url, transport=RecordingTransport(recorder))
    client = fishaudio.FishAudio(api_key=KEY, httpx_client=transport)
    yield client
    client.close()


def test_text_to_speech(sdk: Any) -> None:
    assert probe(sdk.tts.convert(text="Hello from the official SDK."))
    emotional = "(happy) What wonderful news!\n(sad) But it did not last."
    assert sdk.tts.convert(text=emotional, reference_id=SARAH)
    for audio_format in ("mp3", "wav", "pcm", "opus"):
        assert sdk.tts.convert(text="Format check.", format=audio_format)
    config = TTSConfig(
        format="mp3",
        sample_rate=44100,
        mp3_bitrate=192,
        opus_bitrate=64,
        reference_id=ADRIAN,
        prosody=Prosody(speed=1.1, volume=0),
        latency="balanced",
    )
    assert b"".join(sdk.tts.stream(text="Configured speech.", config=config))


def test_voices(sdk: Any) -> None:
    male = sdk.voices.list(language="en", tags="male")
    assert {voice.title for voice in male.items} == {"Adrian", "Energetic Male", "Ethan"}
    assert sdk.voices.get(ADRIAN).title == "Adrian"
    sample = sdk.tts.convert(text="A sample of the voice to clone.", format="wav")
    voice = sdk.voices.create(title="Clone", voices=[sample], description="d", tags=["custom"])
    sdk.voices.update(voice.id, title="Renamed", visibility="public")
    assert sdk.voices.get(voice.id).title == "Renamed"
    sdk.voices.delete(voice.id)


def test_account_and_asr(sdk: Any) -> None:
    assert float(sdk.account.get_credits().credit) == 10
    package = sdk.account.get_package()
    assert package.balance <= package.total
    audio = sdk.tts.convert(text="Transcribe me back, please.")
    result = sdk.asr.transcribe(audio=audio, language="en")
    assert result.text == "Transcribe me back, please."
    assert [segment.text for segment in result.segments] == ["Transcribe", "me", "back,", "please."]


def test_errors(sdk: Any, server: LocalServer) -> None:
    with pytest.raises(APIError, match="Reference not found"):
        sdk.tts.convert(text="Hi", reference_id="voice_id")
    wrong = fishaudio.FishAudio(api_key="wrong", base_url=server.url)
    with pytest.raises(AuthenticationError):
        wrong.voices.list()
    wrong.close()


async def test_async_client(server: LocalServer, recorder: Recorder) -> None:
    transport = httpx.AsyncClient(base_url=server.url, transport=AsyncRecordingTransport(recorder))
    client = fishaudio.AsyncFishAudio(api_key=KEY, httpx_client=transport)
    try:
        audio = await client.tts.convert(text="Async official SDK.", reference_id=ADRIAN)
        assert (await client.asr.transcribe(audio=audio)).text == "Async official SDK."
        assert (await client.voices.list(tags="female")).total == 3
    finally:
        await client.close()
