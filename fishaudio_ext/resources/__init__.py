"""The API's resources: ``tts``, ``voices``, ``account`` and ``asr``, each in a sync and an async client."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .account import AccountClient, AsyncAccountClient
    from .asr import ASRClient, AsyncASRClient
    from .tts import AsyncTTSClient, TTSClient
    from .voices import AsyncVoicesClient, VoicesClient
else:
    from importlib import import_module

    # Each module is imported on first use, as the clients do (voices and asr load response models).
    _HOMES = {
        "AccountClient": ".account",
        "AsyncAccountClient": ".account",
        "ASRClient": ".asr",
        "AsyncASRClient": ".asr",
        "TTSClient": ".tts",
        "AsyncTTSClient": ".tts",
        "VoicesClient": ".voices",
        "AsyncVoicesClient": ".voices",
    }

    def __getattr__(name: str) -> object:
        if name not in _HOMES:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(import_module(_HOMES[name], __name__), name)
        globals()[name] = value
        return value


__all__ = [
    "ASRClient",
    "AccountClient",
    "AsyncASRClient",
    "AsyncAccountClient",
    "AsyncTTSClient",
    "AsyncVoicesClient",
    "TTSClient",
    "VoicesClient",
]
