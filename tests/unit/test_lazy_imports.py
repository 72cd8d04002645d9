"""``import fishaudio_ext`` leaves the WebSocket stack, play and save, the rarer resources, most generated
models and the command line for their first use, and what is loaded then is what an eager import would have
given."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import fishaudio_api.models
import pytest

import fishaudio_ext
import fishaudio_ext.types
from fishaudio_ext import AsyncFishAudio, FishAudio, utils
from fishaudio_ext._live.async_session import AsyncWebSocketAudioStream
from fishaudio_ext._live.sync_session import WebSocketAudioStream
from fishaudio_ext.resources.account import AccountClient, AsyncAccountClient
from fishaudio_ext.resources.asr import ASRClient, AsyncASRClient
from fishaudio_ext.resources.voices import AsyncVoicesClient, VoicesClient

LEFT_FOR_LATER = [
    "asyncio",
    "websockets",
    "fishaudio_ext._live",
    "fishaudio_ext._live.async_session",
    "fishaudio_ext._live.sync_session",
    "fishaudio_ext._live.connection",
    "fishaudio_ext.resources.voices",
    "fishaudio_ext.resources.account",
    "fishaudio_ext.resources.asr",
    "fishaudio_ext.utils",
    "fishaudio_api.models.model_entity",
    # The ``fishaudio`` command and its parser: a program's import never pays for them.
    "argparse",
    "fishaudio_ext.cli",
]


def test_importing_the_package_leaves_them_for_later() -> None:
    code = "import sys, fishaudio_ext; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    loaded = set(result.stdout.split())
    assert "fishaudio_ext" in loaded
    assert [name for name in LEFT_FOR_LATER if name in loaded] == []


def test_names_loaded_on_first_use_are_the_real_ones() -> None:
    assert fishaudio_ext.WebSocketAudioStream is WebSocketAudioStream
    assert fishaudio_ext.AsyncWebSocketAudioStream is AsyncWebSocketAudioStream
    assert fishaudio_ext.play is utils.play
    assert fishaudio_ext.save is utils.save
    for name in fishaudio_ext.__all__:
        assert getattr(fishaudio_ext, name) is not None, name
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        fishaudio_ext.Nope  # type: ignore[attr-defined]  # noqa: B018


def test_resource_clients_are_made_once_on_first_use() -> None:
    with FishAudio(api_key="key") as client:
        assert isinstance(client.voices, VoicesClient)
        assert isinstance(client.account, AccountClient)
        assert isinstance(client.asr, ASRClient)
        assert client.voices is client.voices


async def test_async_resource_clients_are_made_once_on_first_use() -> None:
    async with AsyncFishAudio(api_key="key") as client:
        assert isinstance(client.voices, AsyncVoicesClient)
        assert isinstance(client.account, AsyncAccountClient)
        assert isinstance(client.asr, AsyncASRClient)
        assert client.voices is client.voices


def test_every_generated_model_is_the_one_its_module_defines() -> None:
    models = fishaudio_api.models
    defined: dict[str, object] = {}
    for info in pkgutil.iter_modules(models.__path__):
        module = importlib.import_module(f"{models.__name__}.{info.name}")
        defined.update((name, getattr(module, name)) for name in models.__all__ if hasattr(module, name))

    for name in models.__all__:
        assert getattr(models, name) is defined[name], name
    assert set(models.__all__) <= set(dir(models))
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        models.Nope  # type: ignore[attr-defined]  # noqa: B018


def test_unknown_type_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        fishaudio_ext.types.Nope  # type: ignore[attr-defined]  # noqa: B018
