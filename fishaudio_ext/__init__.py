"""fishaudio-ext: a strictly typed, truly streaming client for the Fish Audio text-to-speech API.

Example::

    from fishaudio_ext import FishAudio
    from fishaudio_ext.utils import save

    client = FishAudio()  # reads FISH_API_KEY
    save(client.tts.convert(text="Hello, welcome to Fish Audio!"), "hello.mp3")

The low-level client generated from the OpenAPI spec is the ``fishaudio_api`` package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._audio_bytes import AudioBytes
from ._client import NOT_GIVEN, AsyncFishAudio, FishAudio
from ._logging import setup_logging
from ._request_options import RequestOptions
from ._response_info import ResponseInfo, response_of
from ._streaming import AsyncAudioStream, AudioStream
from ._version import __version__
from .exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientStateError,
    ConfigurationError,
    ConflictError,
    DependencyError,
    FishAudioError,
    InsufficientCreditError,
    LiveSessionBusyError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    PermissionError,  # noqa: F401 - the official SDK's name, kept out of __all__: it shadows a builtin
    PlaybackError,
    RateLimitError,
    ReferenceNotFoundError,
    ResponseTooLargeError,
    ServerError,
    StreamConsumedError,
    UnprocessableEntityError,
    ValidationError,
    ValidationIssue,
    WebSocketError,
    WebSocketTimeoutError,
)
from .types import FlushEvent, Prosody, ReferenceAudio, TextEvent, TTSConfig, WebSocketOptions

if TYPE_CHECKING:
    from ._api_streams import AsyncEventStream, EventStream
    from ._live.async_session import AsyncLiveSession, AsyncWebSocketAudioStream
    from ._live.state import UtteranceMetrics
    from ._live.sync_session import LiveSession, WebSocketAudioStream
    from ._timestamps import (
        AsyncTimestampStream,
        TimedSegment,
        TimestampedAudio,
        TimestampEvent,
        TimestampStream,
    )
    from ._voice_design import VoiceCandidate
    from .utils import play, save, stream
else:
    from importlib import import_module

    # Imported on first use, as each would add to every import of the package: the WebSocket streams with
    # the websockets library some 30 ms and 2 MiB, play and save with asyncio and subprocess some 15 ms
    # and 1.5 MiB; the Server-Sent Events streams come with client.api. (No __getattr__ under
    # TYPE_CHECKING, so that type checkers still reject a misspelt name.)
    _LAZY = {
        "AsyncEventStream": "._api_streams",
        "EventStream": "._api_streams",
        "AsyncLiveSession": "._live.async_session",
        "AsyncWebSocketAudioStream": "._live.async_session",
        "LiveSession": "._live.sync_session",
        "UtteranceMetrics": "._live.state",
        "WebSocketAudioStream": "._live.sync_session",
        "AsyncTimestampStream": "._timestamps",
        "TimedSegment": "._timestamps",
        "TimestampedAudio": "._timestamps",
        "TimestampEvent": "._timestamps",
        "TimestampStream": "._timestamps",
        "VoiceCandidate": "._voice_design",
        "play": ".utils",
        "save": ".utils",
        "stream": ".utils",
    }

    def __getattr__(name: str) -> object:
        if name not in _LAZY:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value  # from now on found without calling __getattr__
        return value


setup_logging()  # FISH_LOG=debug|info turns the logger on without code

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APITimeoutError",
    "AsyncAudioStream",
    "AsyncEventStream",
    "AsyncFishAudio",
    "AsyncLiveSession",
    "AsyncTimestampStream",
    "AsyncWebSocketAudioStream",
    "AudioBytes",
    "AudioStream",
    "AuthenticationError",
    "BadRequestError",
    "ClientStateError",
    "ConfigurationError",
    "ConflictError",
    "DependencyError",
    "EventStream",
    "FishAudio",
    "FishAudioError",
    "FlushEvent",
    "InsufficientCreditError",
    "LiveSession",
    "LiveSessionBusyError",
    "NotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PlaybackError",
    "Prosody",
    "RateLimitError",
    "ReferenceAudio",
    "ReferenceNotFoundError",
    "RequestOptions",
    "ResponseInfo",
    "ResponseTooLargeError",
    "ServerError",
    "StreamConsumedError",
    "TTSConfig",
    "TextEvent",
    "TimedSegment",
    "TimestampEvent",
    "TimestampStream",
    "TimestampedAudio",
    "UnprocessableEntityError",
    "UtteranceMetrics",
    "ValidationError",
    "ValidationIssue",
    "VoiceCandidate",
    "WebSocketAudioStream",
    "WebSocketError",
    "WebSocketOptions",
    "WebSocketTimeoutError",
    "__version__",
    "play",
    "response_of",
    "save",
    "stream",
]
