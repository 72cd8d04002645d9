"""``client.tts.stream_websocket`` (sync and async) against the local server's ``/v1/tts/live``.

The audio must decode (``probe``) in the requested format and last longer for longer text; each fault and
refusal must reach the caller as the documented exception, with what the server said.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from decimal import Decimal

import pytest
from local_wire import KEY

from fishaudio_ext import (
    AsyncFishAudio,
    AuthenticationError,
    FishAudio,
    FlushEvent,
    PaymentRequiredError,
    RateLimitError,
    ServerError,
    TextEvent,
    TTSConfig,
    WebSocketError,
    WebSocketOptions,
    WebSocketTimeoutError,
)
from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._codecs import probe
from tests.support.server_log import quiet_server_log  # noqa: F401 (autouse: the server logs no error)

LIVE = "/v1/tts/live"
SENTENCES = ["The first sentence arrives. ", "Then a second one follows it. ", "And a third ends the speech."]
CONTAINERS = {"mp3": "mp3", "wav": "wav", "opus": "ogg"}
PHRASE = "Words written one phrase at a time, "


def flushed(sentences: Iterable[str]) -> Iterator[str | FlushEvent | TextEvent]:
    for sentence in sentences:
        yield TextEvent(text=sentence)
        yield FlushEvent()


async def aflushed(sentences: Iterable[str]) -> AsyncIterator[str | FlushEvent | TextEvent]:
    for item in flushed(sentences):
        yield item


def duration(audio: bytes) -> float:
    info = probe(audio)
    assert info is not None, "the audio does not decode"
    return info.duration


@pytest.mark.parametrize("audio_format", ["mp3", "wav", "opus"])
def test_sync_stream_in_each_format(client: FishAudio, audio_format: str) -> None:
    one = b"".join(client.tts.stream_websocket(flushed(SENTENCES[:1]), format=audio_format))
    three = b"".join(client.tts.stream_websocket(flushed(SENTENCES), format=audio_format))
    info = probe(three)
    assert info is not None
    assert info.format == CONTAINERS[audio_format]
    assert duration(three) > duration(one) + 2


@pytest.mark.parametrize("audio_format", ["mp3", "wav", "opus"])
async def test_async_stream_in_each_format(async_client: AsyncFishAudio, audio_format: str) -> None:
    one = b"".join([chunk async for chunk in async_client.tts.stream_websocket(aflushed(SENTENCES[:1]))])
    chunks = [
        chunk async for chunk in async_client.tts.stream_websocket(aflushed(SENTENCES), format=audio_format)
    ]
    assert len(chunks) >= 3  # at least one frame per flush
    three = b"".join(chunks)
    info = probe(three)
    assert info is not None
    assert info.format == CONTAINERS[audio_format]
    assert duration(three) > duration(one) + 2


def test_pcm_stream_is_raw_samples_of_the_requested_rate(client: FishAudio) -> None:
    config = TTSConfig(format="pcm", sample_rate=16000)
    short = b"".join(client.tts.stream_websocket(["Short."], config=config))
    long = b"".join(client.tts.stream_websocket(["Short.", " And a good deal longer."], config=config))
    assert len(short) % 2 == len(long) % 2 == 0
    assert len(long) / 2 / 16000 > len(short) / 2 / 16000 + 1


def test_live_audio_transcribes_back(client: FishAudio) -> None:
    audio = b"".join(client.tts.stream_websocket(flushed(SENTENCES)))
    result = client.asr.transcribe(audio=audio)
    assert result.text == "".join(SENTENCES).strip()
    assert [segment.text for segment in result.segments][:3] == ["The", "first", "sentence"]
    assert result.duration == pytest.approx(duration(audio), abs=0.1)


async def test_async_live_audio_transcribes_back(async_client: AsyncFishAudio) -> None:
    audio = b"".join([chunk async for chunk in async_client.tts.stream_websocket(aflushed(SENTENCES))])
    assert (await async_client.asr.transcribe(audio=audio)).text == "".join(SENTENCES).strip()


def test_frames_over_one_mebibyte_reach_the_client_intact(client: FishAudio) -> None:
    long_text = "every word of this long text is spoken at forty-four kilohertz, " * 10
    config = TTSConfig(format="wav", sample_rate=44100, chunk_length=300)
    chunks = list(client.tts.stream_websocket([long_text, FlushEvent()], config=config))
    assert max(map(len, chunks)) > 1024 * 1024
    assert duration(b"".join(chunks)) == pytest.approx((sum(map(len, chunks)) - 44) / 2 / 44100)


def test_finish_error_fault_raises_with_the_server_message(client: FishAudio, server: LocalServer) -> None:
    server.faults.websocket_finish_error(after_frames=2)
    received = []
    with pytest.raises(WebSocketError, match=r"after 2 audio frames \(injected fault\)") as error:
        received.extend(client.tts.stream_websocket(flushed(SENTENCES)))
    assert len(received) == 2
    assert error.value.event is not None
    assert error.value.event["reason"] == "error"


async def test_async_finish_error_fault(async_client: AsyncFishAudio, server: LocalServer) -> None:
    server.faults.websocket_finish_error(after_frames=0)
    with pytest.raises(WebSocketError, match="injected fault"):
        async for _ in async_client.tts.stream_websocket(aflushed(SENTENCES)):
            pass


def test_drop_fault_raises_with_the_close_info(client: FishAudio, server: LocalServer) -> None:
    server.faults.drop(after_chunks=1, path=LIVE)
    with pytest.raises(WebSocketError, match="lost") as error:
        list(client.tts.stream_websocket(flushed(SENTENCES)))
    assert error.value.close_code == 1006  # no close frame


async def test_async_drop_fault(async_client: AsyncFishAudio, server: LocalServer) -> None:
    server.faults.drop(after_chunks=0, path=LIVE)
    with pytest.raises(WebSocketError) as error:
        async for _ in async_client.tts.stream_websocket(aflushed(SENTENCES)):
            pass
    assert error.value.close_code == 1006


def test_delay_fault_holds_the_first_audio(client: FishAudio, server: LocalServer) -> None:
    server.faults.delay(0.4, times=1, path=LIVE)
    began = time.monotonic()
    first = next(iter(client.tts.stream_websocket(flushed(SENTENCES[:1]))))
    assert first
    assert time.monotonic() - began >= 0.35
    # Longer than the receive timeout, once all text is sent: the client gives up.
    server.faults.delay(2, times=1, path=LIVE)
    options = WebSocketOptions(receive_timeout_seconds=0.3)
    with pytest.raises(WebSocketTimeoutError):
        list(client.tts.stream_websocket(["Too slow."], ws_options=options))


def test_refused_handshakes_raise_the_http_errors(client: FishAudio, server: LocalServer) -> None:
    with FishAudio(base_url=server.url, api_key="wrong-key") as wrong, pytest.raises(AuthenticationError):
        list(wrong.tts.stream_websocket(["Hi"]))
    server.faults.fail(503, path=LIVE)
    with pytest.raises(ServerError) as failed:
        list(client.tts.stream_websocket(["Hi"]))
    assert failed.value.status == 503
    server.concurrency_limit = 0
    with pytest.raises(RateLimitError) as limited:
        list(client.tts.stream_websocket(["Hi"]))
    assert limited.value.retry_after == 1
    server.concurrency_limit = 5
    server.set_credit(0)
    with pytest.raises(PaymentRequiredError, match="Insufficient API credit"):
        list(client.tts.stream_websocket(["Hi"]))


async def test_async_refused_handshake(server: LocalServer) -> None:
    async with AsyncFishAudio(base_url=server.url, api_key="wrong-key", max_retries=0) as wrong:
        with pytest.raises(AuthenticationError):
            async for _ in wrong.tts.stream_websocket(aflushed(["Hi"])):
                pass


def test_credit_running_out_mid_session(client: FishAudio, server: LocalServer) -> None:
    server.set_credit("0.0006")  # 40 bytes of text
    received = []
    with pytest.raises(WebSocketError, match="Insufficient API credit"):
        received.extend(
            client.tts.stream_websocket(flushed(["Paid for. ", "This one is not paid for anymore."]))
        )
    assert received, "the audio paid for came first"


def test_unknown_voice_raises_with_the_server_message(client: FishAudio) -> None:
    with pytest.raises(WebSocketError, match="Reference not found: No voice model with id nope"):
        list(client.tts.stream_websocket(["Hi"], reference_id="nope"))


def test_session_key_is_the_client_key(server: LocalServer) -> None:
    other = server.add_api_key("live-billing-key")
    before = server.credit(other)
    with FishAudio(base_url=server.url, api_key=other) as client:
        assert b"".join(client.tts.stream_websocket(["Billed to this key."]))
    assert before - server.credit(other) == Decimal("0.000015") * len("Billed to this key.")
    assert server.credit(KEY) == 10


def test_audio_comes_while_the_text_is_still_being_written(client: FishAudio) -> None:
    """Once the buffer passes chunk_length the words so far are spoken, while the text stream stays open."""
    first_audio = threading.Event()
    heard_while_writing: list[bool] = []

    def writer() -> Iterator[str]:
        yield from [PHRASE] * 3  # past chunk_length
        heard_while_writing.append(first_audio.wait(timeout=10))
        yield from [PHRASE] * 3

    config = TTSConfig(chunk_length=100)
    for _ in client.tts.stream_websocket(writer(), config=config):
        first_audio.set()
    assert heard_while_writing == [True]


async def test_async_audio_comes_while_the_text_is_still_being_written(async_client: AsyncFishAudio) -> None:
    first_audio = asyncio.Event()
    heard_while_writing: list[bool] = []

    async def writer() -> AsyncIterator[str]:
        for _ in range(3):
            yield PHRASE
        try:
            await asyncio.wait_for(first_audio.wait(), timeout=10)
            heard_while_writing.append(True)
        except asyncio.TimeoutError:
            heard_while_writing.append(False)
        yield PHRASE

    async for _ in async_client.tts.stream_websocket(writer(), config=TTSConfig(chunk_length=100)):
        first_audio.set()
    assert heard_while_writing == [True]
