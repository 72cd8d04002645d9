"""The clients the HTTP measures compare, each making the same ``POST /v1/tts`` against the same server.

* raw httpx: a hand-written request with one ``httpx.Client``/``AsyncClient``: the msgpack body (the very
  map fishaudio-ext sends, packed on each call) and the three headers; the floor an SDK adds to.
* fishaudio-ext: ``FishAudio`` / ``AsyncFishAudio`` as a user builds them.
* official SDK: ``fishaudio.FishAudio`` / ``AsyncFishAudio`` 1.3.0 as a user builds them (its request map
  has a few more defaults; the stub server ignores bodies, ``LocalServer`` validates both).

Every client is built once per measure and reused, as applications do (building an httpx client costs
~20 ms of SSL setup, more than any request here).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Literal

import attrs
import httpx
import msgpack

from .runner import OFFICIAL, OURS, RAW_HTTPX
from .servers import Server

MODEL = "s2-pro"  # the official SDK's default; sent by all three so the server does the same work


@attrs.frozen
class Speech:
    """What to synthesize: the same text and audio settings for every client."""

    text: str
    format: Literal["pcm", "wav", "mp3", "opus"] = "pcm"
    sample_rate: int = 8000


def ours_body(speech: Speech) -> bytes:
    """The exact body fishaudio-ext sends for ``speech`` (the raw clients send the same map)."""
    from fishaudio_ext import TTSConfig
    from fishaudio_ext.resources.tts import tts_request_args

    args = tts_request_args(
        text=speech.text,
        config=TTSConfig(sample_rate=speech.sample_rate),
        model=MODEL,
        reference_id=None,
        references=None,
        format=speech.format,
        latency=None,
        speed=None,
    )
    content: bytes = args["content"]
    return content


def raw_request(server: Server, speech: Speech) -> tuple[str, Callable[[], bytes], dict[str, str]]:
    """URL, body builder and headers of the hand-written request."""
    payload: dict[str, Any] = msgpack.unpackb(ours_body(speech))
    headers = {
        "Authorization": f"Bearer {server.api_key}",
        "Content-Type": "application/msgpack",
        "model": MODEL,
    }

    def body() -> bytes:
        packed: bytes = msgpack.packb(dict(payload))
        return packed

    return server.url + "/v1/tts", body, headers


def open_clients(stack: contextlib.ExitStack, server: Server, sample_rate: int) -> tuple[Any, ...]:
    """Raw httpx, fishaudio-ext and the official SDK (sync) for ``server``, closed with ``stack``;
    then the two SDKs' configs asking for ``sample_rate``."""
    import fishaudio

    import fishaudio_ext

    raw = stack.enter_context(httpx.Client())
    ours = stack.enter_context(fishaudio_ext.FishAudio(api_key=server.api_key, base_url=server.url))
    official = stack.enter_context(fishaudio.FishAudio(api_key=server.api_key, base_url=server.url))
    configs = (fishaudio_ext.TTSConfig(sample_rate=sample_rate), fishaudio.TTSConfig(sample_rate=sample_rate))
    return (raw, ours, official, *configs)


async def open_async_clients(
    stack: contextlib.AsyncExitStack, server: Server, sample_rate: int
) -> tuple[Any, ...]:
    """The async twins of :func:`open_clients`."""
    import fishaudio

    import fishaudio_ext

    raw = await stack.enter_async_context(httpx.AsyncClient())
    ours = fishaudio_ext.AsyncFishAudio(api_key=server.api_key, base_url=server.url)
    stack.push_async_callback(ours.close)
    official = fishaudio.AsyncFishAudio(api_key=server.api_key, base_url=server.url)
    stack.push_async_callback(official.close)
    configs = (fishaudio_ext.TTSConfig(sample_rate=sample_rate), fishaudio.TTSConfig(sample_rate=sample_rate))
    return (raw, ours, official, *configs)


SyncCall = Callable[[], bytes]
AsyncCall = Callable[[], Awaitable[bytes]]


@contextlib.contextmanager
def sync_converts(server: Server, speech: Speech) -> Iterator[dict[str, SyncCall]]:
    """One ``convert``-like call per client: the whole audio of ``speech`` as bytes."""

    url, body, headers = raw_request(server, speech)
    with contextlib.ExitStack() as stack:
        raw, ours, official, ours_config, official_config = open_clients(stack, server, speech.sample_rate)

        def call_raw() -> bytes:
            response = raw.post(url, content=body(), headers=headers)
            response.raise_for_status()
            return response.content

        def call_ours() -> bytes:
            return ours.tts.convert(text=speech.text, format=speech.format, config=ours_config, model=MODEL)

        def call_official() -> bytes:
            return official.tts.convert(
                text=speech.text,
                format=speech.format,
                config=official_config,
                model=MODEL,
            )

        yield {RAW_HTTPX: call_raw, OURS: call_ours, OFFICIAL: call_official}


@contextlib.asynccontextmanager
async def async_converts(
    server: Server, speech: Speech, *, aiohttp: bool = False
) -> AsyncIterator[dict[str, AsyncCall]]:
    """The async twins of :func:`sync_converts`; with ``aiohttp``, also raw aiohttp and both SDKs on an
    aiohttp-backed httpx client (``httpx_aiohttp.HttpxAiohttpClient``), when those are installed."""
    import fishaudio

    import fishaudio_ext

    url, body, headers = raw_request(server, speech)
    async with contextlib.AsyncExitStack() as stack:
        raw, ours, official, ours_config, official_config = await open_async_clients(
            stack, server, speech.sample_rate
        )

        async def call_raw() -> bytes:
            response = await raw.post(url, content=body(), headers=headers)
            response.raise_for_status()
            return response.content

        def ours_call(client: fishaudio_ext.AsyncFishAudio) -> AsyncCall:
            async def call() -> bytes:
                return await client.tts.convert(
                    text=speech.text,
                    format=speech.format,
                    config=ours_config,
                    model=MODEL,
                )

            return call

        def official_call(client: fishaudio.AsyncFishAudio) -> AsyncCall:
            async def call() -> bytes:
                return await client.tts.convert(
                    text=speech.text,
                    format=speech.format,
                    config=official_config,
                    model=MODEL,
                )

            return call

        calls: dict[str, AsyncCall] = {
            RAW_HTTPX: call_raw,
            OURS: ours_call(ours),
            OFFICIAL: official_call(official),
        }
        if aiohttp:
            calls.update(await _aiohttp_contenders(stack, server, speech, ours_call, official_call))
        yield calls


AIOHTTP_RAW = "raw aiohttp"
OURS_AIOHTTP = "fishaudio-ext + aiohttp transport"
OFFICIAL_AIOHTTP = "official SDK + aiohttp transport"


def aiohttp_missing() -> str | None:
    """Why the aiohttp contenders cannot run, or None when they can."""
    try:
        import aiohttp  # noqa: F401
        import httpx_aiohttp  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (pip install aiohttp httpx-aiohttp)"
    return None


async def _aiohttp_contenders(
    stack: contextlib.AsyncExitStack,
    server: Server,
    speech: Speech,
    ours_call: Callable[[Any], AsyncCall],
    official_call: Callable[[Any], AsyncCall],
) -> dict[str, AsyncCall]:
    if aiohttp_missing() is not None:
        return {}
    import aiohttp
    import fishaudio
    import httpx_aiohttp

    import fishaudio_ext

    url, body, headers = raw_request(server, speech)
    session = await stack.enter_async_context(aiohttp.ClientSession())

    async def call_aiohttp() -> bytes:
        async with session.post(url, data=body(), headers=headers) as response:
            response.raise_for_status()
            return await response.read()

    # Each SDK gets an httpx client whose transport is aiohttp (httpx-aiohttp, what openai-python's
    # DefaultAioHttpClient is built on), injected through the documented httpx_client argument.
    ours_http = await stack.enter_async_context(httpx_aiohttp.HttpxAiohttpClient())
    official_http = await stack.enter_async_context(
        httpx_aiohttp.HttpxAiohttpClient(
            base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}
        )
    )
    ours = fishaudio_ext.AsyncFishAudio(api_key=server.api_key, base_url=server.url, httpx_client=ours_http)
    official = fishaudio.AsyncFishAudio(
        api_key=server.api_key, base_url=server.url, httpx_client=official_http
    )
    return {
        AIOHTTP_RAW: call_aiohttp,
        OURS_AIOHTTP: ours_call(ours),
        OFFICIAL_AIOHTTP: official_call(official),
    }
