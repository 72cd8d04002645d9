"""The types of fishaudio_ext: request settings you build, and the response models the API returns.

Example::

    from fishaudio_ext.types import Prosody, TTSConfig

    config = TTSConfig(format="wav", prosody=Prosody(speed=1.2, volume=-5))

Response models come straight from the generated layer (``fishaudio_api.models``), under the names
the official SDK uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fishaudio_api.models import AudioFormat, LatencyMode, Mp3Bitrate, Visibility

from ._events import FlushEvent, TextEvent
from ._limits import OpusBitrate
from ._model import Model
from ._prosody import Prosody
from ._reference_audio import ReferenceAudio
from ._tts_config import TTSConfig, TTSOverrides
from ._websocket_options import WebSocketOptions

if TYPE_CHECKING:
    from fishaudio_api.models import (
        APICreditEntity,
        ASRResponse,
        ASRSegment,
        AuthorEntity,
        ModelEntity,
        ModelList,
        PackageEntity,
        SampleEntity,
    )

    Voice = ModelEntity
    """A voice model, as returned by ``client.voices.get`` and listed by ``client.voices.list``."""

    VoiceList = ModelList
    """One page of voices: ``.items`` and ``.total`` (all matches, not just this page)."""

    PaginatedResponse = ModelList
    """The official SDK's name for :data:`VoiceList`."""

    Credits = APICreditEntity
    """The account's API credit balance."""

    Package = PackageEntity
    """The account's prepaid package."""

    Sample = SampleEntity
    """An audio sample of a voice."""

    Author = AuthorEntity
    """The user who published a voice."""
else:
    # The response models are imported on first use: only voices, account and asr return them, and they
    # would add some 10 ms to every import. (No __getattr__ under TYPE_CHECKING, so that type checkers
    # still reject a misspelt name.)
    _RESPONSE_MODELS = {
        "ASRResponse": "ASRResponse",
        "ASRSegment": "ASRSegment",
        "Author": "AuthorEntity",
        "Credits": "APICreditEntity",
        "Package": "PackageEntity",
        "PaginatedResponse": "ModelList",
        "Sample": "SampleEntity",
        "Voice": "ModelEntity",
        "VoiceList": "ModelList",
    }

    def __getattr__(name: str) -> object:
        if name not in _RESPONSE_MODELS:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import fishaudio_api.models

        value = getattr(fishaudio_api.models, _RESPONSE_MODELS[name])
        globals()[name] = value
        return value


__all__ = [
    "ASRResponse",
    "ASRSegment",
    "AudioFormat",
    "Author",
    "Credits",
    "FlushEvent",
    "LatencyMode",
    "Model",
    "Mp3Bitrate",
    "OpusBitrate",
    "Package",
    "PaginatedResponse",
    "Prosody",
    "ReferenceAudio",
    "Sample",
    "TTSConfig",
    "TTSOverrides",
    "TextEvent",
    "Visibility",
    "Voice",
    "VoiceList",
    "WebSocketOptions",
]
