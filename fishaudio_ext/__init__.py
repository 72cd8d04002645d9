"""fishaudio-ext: a strictly typed, truly streaming client for the Fish Audio text-to-speech API.

Example::

    from fishaudio_ext import FishAudio
    from fishaudio_ext.utils import save

    client = FishAudio()  # reads FISH_API_KEY
    save(client.tts.convert(text="Hello, welcome to Fish Audio!"), "hello.mp3")

The low-level client generated from the OpenAPI spec is the ``fishaudio_api`` package.
"""

from __future__ import annotations

from ._audio_bytes import AudioBytes
from ._client import NOT_GIVEN, AsyncFishAudio, FishAudio
from ._live_async import AsyncWebSocketAudioStream
from ._live_sync import WebSocketAudioStream
from ._request_options import RequestOptions
from ._streaming import AsyncAudioStream, AudioStream
from ._version import __version__
from .exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    DependencyError,
    FishAudioError,
    InsufficientCreditError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    PermissionError,
    PlaybackError,
    RateLimitError,
    ServerError,
    StreamConsumedError,
    UnprocessableEntityError,
    ValidationError,
    ValidationIssue,
    WebSocketError,
    WebSocketTimeoutError,
)
from .types import FlushEvent, Prosody, ReferenceAudio, TextEvent, TTSConfig, WebSocketOptions
from .utils import play, save

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APITimeoutError",
    "AsyncAudioStream",
    "AsyncFishAudio",
    "AsyncWebSocketAudioStream",
    "AudioBytes",
    "AudioStream",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "DependencyError",
    "FishAudio",
    "FishAudioError",
    "FlushEvent",
    "InsufficientCreditError",
    "NotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PermissionError",
    "PlaybackError",
    "Prosody",
    "RateLimitError",
    "ReferenceAudio",
    "RequestOptions",
    "ServerError",
    "StreamConsumedError",
    "TTSConfig",
    "TextEvent",
    "UnprocessableEntityError",
    "ValidationError",
    "ValidationIssue",
    "WebSocketAudioStream",
    "WebSocketError",
    "WebSocketOptions",
    "WebSocketTimeoutError",
    "__version__",
    "play",
    "save",
]
