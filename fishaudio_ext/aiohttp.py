"""An aiohttp-backed HTTP client for ``AsyncFishAudio``, for many concurrent requests.

httpx's own async connection pool spends most of its time managing itself once dozens of requests are
in flight (encode/httpx#3215); aiohttp's does not. ``scripts/bench`` measures the difference.
Install with ``pip install 'fishaudio-ext[aiohttp]'``::

    from fishaudio_ext import AsyncFishAudio
    from fishaudio_ext.aiohttp import DefaultAioHttpClient

    async with DefaultAioHttpClient() as http, AsyncFishAudio(httpx_client=http) as client:
        results = await asyncio.gather(*(client.tts.convert(text=t) for t in texts))
"""

from __future__ import annotations

from typing import Any

from ._client import DEFAULT_TIMEOUT
from .exceptions import DependencyError

try:
    from httpx_aiohttp import HttpxAiohttpClient
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise DependencyError(exc.name or "httpx-aiohttp", "run `pip install 'fishaudio-ext[aiohttp]'`") from exc

__all__ = ["DefaultAioHttpClient"]


class DefaultAioHttpClient(HttpxAiohttpClient):
    """An ``httpx.AsyncClient`` whose requests go through aiohttp, with fishaudio-ext's default timeout.

    Pass it as ``AsyncFishAudio(httpx_client=...)``; like any injected client, close it yourself.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        super().__init__(**kwargs)
