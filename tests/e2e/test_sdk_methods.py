"""Every public method of ``FishAudio`` and ``AsyncFishAudio``, end to end against ``LocalServer``.

Audio is decoded with the server's ``probe`` (format, sample rate, duration), and ``recall_audio`` proves
that what a client returned is, byte for byte, what the server sent. Each behaviour is checked in both
the sync and the async form.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from e2e_samples import Samples

from fishaudio_ext import (
    AsyncFishAudio,
    FishAudio,
    FlushEvent,
    NotFoundError,
    TextEvent,
    TTSConfig,
)
from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._codecs import AudioInfo, probe
from fishaudio_ext.utils import save

ADRIAN = "bf322df2096a46f18c579d0baa36f41d"
LIBRARY_SIZE = 7
MALE_VOICES = {"Energetic Male", "Adrian", "Ethan"}
TEXT = "Hello from the end-to-end tests."
# format -> (container probe reports, default sample rate)
FORMATS = {"mp3": ("mp3", 44100), "wav": ("wav", 44100), "opus": ("ogg", 48000)}


def decoded(audio: bytes) -> AudioInfo:
    info = probe(audio)
    assert info is not None, "the audio does not decode"
    return info


def served(server: LocalServer, audio: bytes) -> bool:
    """Whether the server produced exactly these bytes as one complete response."""
    return server.context.recall_audio(audio) is not None


def sentences() -> Iterator[str | TextEvent | FlushEvent]:
    yield "A first sentence, "
    yield TextEvent(text="finished here.")
    yield FlushEvent()
    yield "Then a second one."


async def async_sentences() -> AsyncIterator[str | TextEvent | FlushEvent]:
    for item in sentences():
        yield item


# --- tts.convert ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("audio_format", list(FORMATS))
def test_convert_in_each_format(fish_audio_client: FishAudio, audio_format: str) -> None:
    audio = fish_audio_client.tts.convert(text=TEXT, format=audio_format)
    info = decoded(audio)
    assert (info.format, info.sample_rate) == FORMATS[audio_format]
    assert 1.5 < info.duration < 4


async def test_async_convert_in_each_format(async_fish_audio_client: AsyncFishAudio) -> None:
    for audio_format, expected in FORMATS.items():
        info = decoded(await async_fish_audio_client.tts.convert(text=TEXT, format=audio_format))
        assert (info.format, info.sample_rate) == expected


def test_convert_pcm_and_settings(fish_audio_client: FishAudio, fish_audio_server: LocalServer) -> None:
    tts = fish_audio_client.tts
    wav = tts.convert(text=TEXT, config=TTSConfig(format="wav", sample_rate=16000))
    pcm = tts.convert(text=TEXT, config=TTSConfig(format="pcm", sample_rate=16000))
    assert decoded(wav).sample_rate == 16000
    assert pcm == wav[44:]  # the same samples, without the WAV header
    normal = decoded(tts.convert(text=TEXT, reference_id=ADRIAN, latency="normal"))
    faster = decoded(tts.convert(text=TEXT, reference_id=ADRIAN, speed=1.5, model="s1"))
    assert faster.duration < normal.duration * 0.8
    assert served(fish_audio_server, tts.convert(text=TEXT))
    iterated = list(tts.convert(text=TEXT))  # AudioBytes iterates as one chunk, like a stream
    assert len(iterated) == 1


async def test_async_convert_settings(
    async_fish_audio_client: AsyncFishAudio, fish_audio_server: LocalServer
) -> None:
    tts = async_fish_audio_client.tts
    slow = decoded(await tts.convert(text=TEXT, speed=0.7))
    normal = decoded(await tts.convert(text=TEXT, reference_id=[ADRIAN], model="s2-pro"))
    assert slow.duration > normal.duration * 1.2
    assert served(fish_audio_server, await tts.convert(text=TEXT, latency="balanced"))


# --- tts.stream ----------------------------------------------------------------------------------------


def test_stream_iterate_collect_and_save(
    fish_audio_client: FishAudio, fish_audio_server: LocalServer, tmp_path: Path
) -> None:
    tts = fish_audio_client.tts
    long_text = " ".join([TEXT] * 6)
    chunks = list(tts.stream(text=long_text, format="wav"))
    assert len(chunks) > 1
    assert served(fish_audio_server, b"".join(chunks))
    with tts.stream(text=long_text, format="mp3") as stream:
        collected = stream.collect()
    assert decoded(collected).format == "mp3"
    assert served(fish_audio_server, collected)
    save(tts.stream(text=TEXT, format="opus"), tmp_path / "saved.ogg")
    saved = (tmp_path / "saved.ogg").read_bytes()
    assert decoded(saved).format == "ogg"
    assert served(fish_audio_server, saved)
    save(tts.convert(text=TEXT), tmp_path / "saved.mp3")
    assert served(fish_audio_server, (tmp_path / "saved.mp3").read_bytes())


async def test_async_stream_iterate_collect_and_save(
    async_fish_audio_client: AsyncFishAudio, fish_audio_server: LocalServer, tmp_path: Path
) -> None:
    tts = async_fish_audio_client.tts
    stream = await tts.stream(text=" ".join([TEXT] * 6), format="wav")
    chunks = [chunk async for chunk in stream]
    assert len(chunks) > 1
    assert served(fish_audio_server, b"".join(chunks))
    async with await tts.stream(text=TEXT) as stream:
        collected = await stream.collect()
    assert served(fish_audio_server, collected)
    await save(await tts.stream(text=TEXT, format="opus"), tmp_path / "saved.ogg")
    assert served(fish_audio_server, (tmp_path / "saved.ogg").read_bytes())


# --- tts.stream_websocket ------------------------------------------------------------------------------


def test_stream_websocket(
    fish_audio_client: FishAudio, fish_audio_server: LocalServer, tmp_path: Path
) -> None:
    tts = fish_audio_client.tts
    with tts.stream_websocket(sentences(), format="wav", reference_id=ADRIAN) as audio:
        chunks = list(audio)
    assert len(chunks) >= 2  # the flush made the first sentence come on its own
    whole = b"".join(chunks)
    assert decoded(whole).format == "wav"
    assert served(fish_audio_server, whole)
    save(tts.stream_websocket(sentences(), speed=1.2, latency="normal"), tmp_path / "live.mp3")
    assert served(fish_audio_server, (tmp_path / "live.mp3").read_bytes())
    transcript = fish_audio_client.asr.transcribe(audio=whole).text
    assert transcript == "A first sentence, finished here. Then a second one."


async def test_async_stream_websocket(
    async_fish_audio_client: AsyncFishAudio, fish_audio_server: LocalServer
) -> None:
    tts = async_fish_audio_client.tts
    chunks = [chunk async for chunk in tts.stream_websocket(async_sentences(), format="opus")]
    assert decoded(b"".join(chunks)).format == "ogg"
    async with await tts.stream_websocket(async_sentences(), config=TTSConfig(format="mp3")) as audio:
        whole = b"".join([chunk async for chunk in audio])
    assert served(fish_audio_server, whole)


# --- voices --------------------------------------------------------------------------------------------


def test_voices_list_filters_pages_and_sorts(fish_audio_client: FishAudio) -> None:
    voices = fish_audio_client.voices
    everything = voices.list(page_size=20)
    assert everything.total == LIBRARY_SIZE
    counts = [voice.task_count for voice in everything.items]
    assert counts == sorted(counts, reverse=True)  # task_count, most used first
    first, second = voices.list(page_size=2), voices.list(page_size=2, page_number=2)
    assert [v.id for v in first.items + second.items] == [v.id for v in everything.items[:4]]
    assert {v.title for v in voices.list(tags="male").items} == MALE_VOICES
    assert {v.title for v in voices.list(tags=["male", "calm"]).items} == {"Adrian"}
    assert [v.id for v in voices.list(title="adrian").items] == [ADRIAN]
    assert voices.list(language=["en", "zh"], title_language="en").total == LIBRARY_SIZE
    by_date = [v.created_at for v in voices.list(sort_by="created_at", page_size=20).items]
    assert by_date == sorted(by_date, reverse=True)
    assert voices.list(self_only=True).total == 0


def test_voices_list_all_pages_through_the_library(fish_audio_client: FishAudio) -> None:
    voices = fish_audio_client.voices
    everything = [v.id for v in voices.list(page_size=LIBRARY_SIZE).items]
    assert [v.id for v in voices.list_all(page_size=3)] == everything
    assert [v.id for v in voices.list_all()] == everything
    assert {v.title for v in voices.list_all(page_size=1, tags="male")} == MALE_VOICES
    assert list(voices.list_all(self_only=True)) == []


async def test_async_voices_list_all(async_fish_audio_client: AsyncFishAudio) -> None:
    voices = async_fish_audio_client.voices
    everything = [v.id for v in (await voices.list(page_size=LIBRARY_SIZE)).items]
    assert [v.id async for v in voices.list_all(page_size=2)] == everything
    assert {v.title async for v in voices.list_all(tags="male")} == MALE_VOICES


def test_voice_lifecycle(fish_audio_client: FishAudio, samples: Samples) -> None:
    voices = fish_audio_client.voices
    voice = voices.create(
        title="My Clone",
        voices=[samples.first_wav, samples.second_wav],
        description="Made from two samples",
        texts=["This is the first voice sample.", "And this is the second voice sample."],
        tags=["custom", "test"],
    )
    assert voice.title == "My Clone"
    assert voice.visibility == "private"
    assert voices.get(voice.id).description == "Made from two samples"
    mine = voices.list(self_only=True)
    assert [v.id for v in mine.items] == [voice.id]
    assert voices.list(author_id=voice.author.id, page_size=20).total >= 1
    voices.update(voice.id, title="Renamed", visibility="public", tags=["renamed"], description="New")
    updated = voices.get(voice.id)
    assert (updated.title, updated.visibility, updated.tags, updated.description) == (
        "Renamed",
        "public",
        ["renamed"],
        "New",
    )
    audio = fish_audio_client.tts.convert(text="Speaking with my clone.", reference_id=voice.id)
    assert decoded(audio).duration > 1
    voices.delete(voice.id)
    with pytest.raises(NotFoundError):
        voices.get(voice.id)


async def test_async_voices(async_fish_audio_client: AsyncFishAudio, samples: Samples) -> None:
    voices = async_fish_audio_client.voices
    assert {v.title for v in (await voices.list(tags="male", language="en")).items} == MALE_VOICES
    assert (await voices.list(page_size=1, page_number=3, sort_by="score")).items
    voice = await voices.create(title="Async Clone", voices=[samples.first_wav], visibility="unlist")
    assert (await voices.get(voice.id)).visibility == "unlist"
    await voices.update(voice.id, title="Async Renamed")
    assert (await voices.get(voice.id)).title == "Async Renamed"
    await voices.delete(voice.id)
    with pytest.raises(NotFoundError):
        await voices.get(voice.id)


# --- account -------------------------------------------------------------------------------------------


def test_account(fish_audio_client: FishAudio) -> None:
    account = fish_audio_client.account
    before = account.get_credits().credit
    assert isinstance(before, Decimal)  # exact, as the official SDK reads it
    assert before == 10
    fish_audio_client.tts.convert(text="Twenty bytes of text")
    after = account.get_credits(check_free_credit=True).credit
    assert before - after == Decimal("0.0003")  # USD 15 per million bytes
    assert account.get_credits(check_free_credit=False).credit == after
    package = account.get_package()
    assert 0 <= package.balance <= package.total


async def test_async_account(async_fish_audio_client: AsyncFishAudio) -> None:
    account = async_fish_audio_client.account
    credits = await account.get_credits()
    assert isinstance(credits.credit, Decimal)
    assert credits.credit == 10
    assert (await account.get_credits(check_free_credit=True)).user_id == credits.user_id
    package = await account.get_package()
    assert package.user_id == credits.user_id


# --- asr -----------------------------------------------------------------------------------------------


def test_transcribe(fish_audio_client: FishAudio) -> None:
    text = "Transcribe this sentence. And this one."
    audio = fish_audio_client.tts.convert(text=text, format="wav")
    result = fish_audio_client.asr.transcribe(audio=audio, language="en")
    assert result.text == text
    assert [segment.text for segment in result.segments] == text.split()
    assert all(s.start < s.end <= result.duration for s in result.segments)
    assert result.duration == pytest.approx(decoded(audio).duration, abs=0.01)
    plain = fish_audio_client.asr.transcribe(audio=audio, include_timestamps=False)
    assert [segment.text for segment in plain.segments] == [text]


async def test_async_transcribe(async_fish_audio_client: AsyncFishAudio) -> None:
    text = "Asynchronous transcription works too."
    audio = await async_fish_audio_client.tts.convert(text=text, format="opus")
    result = await async_fish_audio_client.asr.transcribe(audio=audio)
    assert result.text == text
    assert len(result.segments) == len(text.split())


# --- the clients themselves ----------------------------------------------------------------------------


def test_client_lifecycle(fish_audio_server: LocalServer) -> None:
    with FishAudio(base_url=fish_audio_server.url, api_key=fish_audio_server.api_key) as client:
        assert client.base_url == fish_audio_server.url
        assert "FishAudio" in repr(client)
        assert client.voices.get(ADRIAN).title == "Adrian"
    client = FishAudio(base_url=fish_audio_server.url, api_key=fish_audio_server.api_key)
    client.close()


async def test_async_client_lifecycle(fish_audio_server: LocalServer) -> None:
    key, url = fish_audio_server.api_key, fish_audio_server.url
    async with AsyncFishAudio(base_url=url, api_key=key) as client:
        assert client.base_url == url
        assert (await client.voices.get(ADRIAN)).title == "Adrian"
    client = AsyncFishAudio(base_url=url, api_key=key)
    await client.close()
