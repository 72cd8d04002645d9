"""Every argument is checked before it reaches an encoder (MessagePack, JSON, a query string, a form, a
header): a string UTF-8 cannot encode, an integer MessagePack cannot carry and a header value HTTP cannot
carry are a ValidationError / ConfigurationError naming the argument, and nothing is sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from fishaudio_ext import (
    AsyncFishAudio,
    ConfigurationError,
    FishAudio,
    ReferenceAudio,
    RequestOptions,
    TextEvent,
    TTSConfig,
    ValidationError,
)
from tests.support.live_server import LiveServer

BAD = "caf\udce9"  # b"caf\xe9" decoded with errors="surrogateescape": not text UTF-8 can encode
HUGE = 10**30

Call = Callable[[Any], Any]

# (what is called, the field the error names); ``c`` is a FishAudio or an AsyncFishAudio.
CALLS: list[tuple[str, Call, str]] = [
    ("tts.convert text", lambda c: c.tts.convert(text=BAD), "text"),
    ("tts.convert reference_id", lambda c: c.tts.convert(text="Hi", reference_id=BAD), "reference_id"),
    (
        "tts.convert speaker ids",
        lambda c: c.tts.convert(text="Hi", reference_id=["a", BAD]),
        "reference_id[1]",
    ),
    ("tts.convert model", lambda c: c.tts.convert(text="Hi", model=BAD), "model"),
    ("tts.stream text", lambda c: c.tts.stream(text=BAD), "text"),
    ("tts.stream reference_id", lambda c: c.tts.stream(text="Hi", reference_id=BAD), "reference_id"),
    ("voices.list title", lambda c: c.voices.list(title=BAD), "title"),
    ("voices.list tags", lambda c: c.voices.list(tags=BAD), "tags"),
    ("voices.list tag list", lambda c: c.voices.list(tags=["ok", BAD]), "tags[1]"),
    ("voices.list author_id", lambda c: c.voices.list(author_id=BAD), "author_id"),
    ("voices.list language", lambda c: c.voices.list(language=[BAD]), "language[0]"),
    ("voices.list title_language", lambda c: c.voices.list(title_language=BAD), "title_language"),
    ("voices.list page_number", lambda c: c.voices.list(page_number=10**5000), "page_number"),
    ("voices.get id", lambda c: c.voices.get(BAD), "voice_id"),
    ("voices.create title", lambda c: c.voices.create(title=BAD, voices=[b"RIFF"]), "title"),
    (
        "voices.create description",
        lambda c: c.voices.create(title="T", voices=[b"RIFF"], description=BAD),
        "description",
    ),
    ("voices.create texts", lambda c: c.voices.create(title="T", voices=[b"RIFF"], texts=[BAD]), "texts[0]"),
    ("voices.create tags", lambda c: c.voices.create(title="T", voices=[b"RIFF"], tags=[BAD]), "tags[0]"),
    ("voices.update id", lambda c: c.voices.update(BAD, title="T"), "voice_id"),
    ("voices.update title", lambda c: c.voices.update("abc", title=BAD), "title"),
    ("voices.update description", lambda c: c.voices.update("abc", description=BAD), "description"),
    ("voices.update tags", lambda c: c.voices.update("abc", tags=[BAD]), "tags[0]"),
    ("voices.delete id", lambda c: c.voices.delete(BAD), "voice_id"),
    ("asr.transcribe language", lambda c: c.asr.transcribe(audio=b"RIFF", language=BAD), "language"),
]

# Values that fail where they are built, before any call.
BUILT: list[tuple[str, Callable[[], object], str]] = [
    ("ReferenceAudio text", lambda: ReferenceAudio(audio=b"RIFF", text=BAD), "text"),
    ("TextEvent text", lambda: TextEvent(text=BAD), "text"),
    ("TTSConfig reference_id", lambda: TTSConfig(reference_id=BAD), "reference_id"),
    ("TTSConfig features", lambda: TTSConfig(features=[BAD]), "features[0]"),
    ("TTSConfig max_new_tokens", lambda: TTSConfig(max_new_tokens=HUGE), "max_new_tokens"),
    ("TTSConfig huge max_new_tokens", lambda: TTSConfig(max_new_tokens=10**5000), "max_new_tokens"),
    ("TTSConfig repetition_penalty", lambda: TTSConfig(repetition_penalty=HUGE), "repetition_penalty"),
    ("TTSConfig sample_rate", lambda: TTSConfig(sample_rate=HUGE), "sample_rate"),
    (
        "RequestOptions header",
        lambda: RequestOptions(additional_headers={"X-App": "café"}),
        "additional_headers['X-App']",
    ),
    (
        "RequestOptions query",
        lambda: RequestOptions(additional_query_params={"q": ["ok", BAD]}),
        "additional_query_params['q']",
    ),
]


def refuse_to_send(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"a request was sent: {request.method} {request.url}")


@pytest.fixture
def client() -> Iterator[FishAudio]:
    http = httpx.Client(transport=httpx.MockTransport(refuse_to_send))
    with http, FishAudio(api_key="test-key", base_url="http://127.0.0.1:9", httpx_client=http) as c:
        yield c


@pytest.fixture
async def async_client() -> AsyncIterator[AsyncFishAudio]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(refuse_to_send))
    async with (
        http,
        AsyncFishAudio(api_key="test-key", base_url="http://127.0.0.1:9", httpx_client=http) as c,
    ):
        yield c


@pytest.mark.parametrize(
    ("call", "field"), [(call, field) for _, call, field in CALLS], ids=[n for n, _, _ in CALLS]
)
def test_sync_call_checks_its_argument(client: FishAudio, call: Call, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        call(client)
    assert caught.value.field == field
    assert field in str(caught.value)


@pytest.mark.parametrize(
    ("call", "field"), [(call, field) for _, call, field in CALLS], ids=[n for n, _, _ in CALLS]
)
async def test_async_call_checks_its_argument(async_client: AsyncFishAudio, call: Call, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        await call(async_client)
    assert caught.value.field == field
    assert field in str(caught.value)


@pytest.mark.parametrize(("build", "field"), [(b, f) for _, b, f in BUILT], ids=[n for n, _, _ in BUILT])
def test_values_are_checked_where_they_are_built(build: Callable[[], object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    assert caught.value.field == field


@pytest.fixture
def live() -> Iterator[LiveServer]:
    with LiveServer().running() as server:
        yield server


def test_websocket_text_item_is_checked_before_it_is_sent(live: LiveServer) -> None:
    with FishAudio(api_key="test-key", base_url=live.base_url) as client:
        with pytest.raises(ValidationError) as caught:
            b"".join(client.tts.stream_websocket(["fine ", BAD]))
        with pytest.raises(ValidationError):
            client.tts.stream_websocket(["Hi"], reference_id=BAD)
    assert caught.value.field == "text_stream item"
    assert_only_the_good_item_may_have_arrived(live)


async def test_async_websocket_text_item_is_checked_before_it_is_sent(live: LiveServer) -> None:
    async def text() -> AsyncIterator[str]:
        yield "fine "
        await asyncio.sleep(0)
        yield BAD

    async with AsyncFishAudio(api_key="test-key", base_url=live.base_url) as client:
        with pytest.raises(ValidationError) as caught:
            [chunk async for chunk in client.tts.stream_websocket(text())]
    assert caught.value.field == "text_stream item"
    assert_only_the_good_item_may_have_arrived(live)


def assert_only_the_good_item_may_have_arrived(live: LiveServer) -> None:
    # The bad item ends the session before it is encoded; whether the item before it reached the server
    # first depends on how soon the aborted connection is torn down, so either is right.
    texts = [event.get("text") for event in live.received if event["event"] == "text"]
    assert texts in ([], ["fine "]), texts


@pytest.mark.parametrize("client_class", [FishAudio, AsyncFishAudio])
@pytest.mark.parametrize(
    "headers",
    [{"X-App": "café"}, {"X-App": BAD}, {"X-App": "a\r\nInjected: yes"}, {"X App": "v"}, {"X-App": 1}],
    ids=["non-ascii", "surrogate", "crlf", "bad-name", "not-str"],
)
def test_default_headers_are_checked_when_the_client_is_built(
    client_class: type[FishAudio] | type[AsyncFishAudio], headers: dict[str, Any]
) -> None:
    with pytest.raises(ConfigurationError, match="default_headers"):
        client_class(api_key="test-key", default_headers=headers)
