"""Run a client call the same way for ``FishAudio`` and ``AsyncFishAudio``, so one test covers both twins.

A test takes the ``is_async`` fixture (tests/conftest.py: it runs the test for each client) and builds its
client with :func:`make_client`.
"""

from __future__ import annotations

import inspect
from typing import Any

from fishaudio_ext import AsyncAudioStream, AsyncFishAudio, AudioStream, FishAudio


async def resolve(value: Any) -> Any:
    """Await the async twin's result; read a stream to the end so that the call is complete."""
    value = await value if inspect.isawaitable(value) else value
    if isinstance(value, AudioStream):
        return value.collect()
    if isinstance(value, AsyncAudioStream):
        return await value.collect()
    return value


def make_client(is_async: bool, **kwargs: Any) -> FishAudio | AsyncFishAudio:
    """The sync or the async client; close it with :func:`close`."""
    kwargs.setdefault("api_key", "sk-hostile-test")
    return AsyncFishAudio(**kwargs) if is_async else FishAudio(**kwargs)


async def close(client: FishAudio | AsyncFishAudio) -> None:
    if isinstance(client, AsyncFishAudio):
        await client.close()
    else:
        client.close()
