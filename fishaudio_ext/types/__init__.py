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
        ASRResponse,
        ASRSegment,
        AuthorEntity,
        ModelEntity,
        ModelList,
        PackageEntity,
        SampleEntity,
    )

    from ._credits import Credits
    from .shared import ModelState, TrainMode
    from .tts import CloseEvent, StartEvent, TTSRequest

    Voice = ModelEntity
    """A voice model, as returned by ``client.voices.get`` and listed by ``client.voices.list``."""

    VoiceList = ModelList
    """One page of voices: ``.items`` and ``.total`` (all matches, not just this page)."""

    PaginatedResponse = ModelList
    """The official SDK's name for :data:`VoiceList`."""

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
    from importlib import import_module

    _RESPONSE_MODELS = {
        "ASRResponse": ".asr",
        "ASRSegment": ".asr",
        "Author": ".voices",
        "CloseEvent": ".tts",
        "Credits": ".account",
        "ModelState": ".shared",
        "Package": ".account",
        "PaginatedResponse": ".shared",
        "Sample": ".voices",
        "StartEvent": ".tts",
        "TTSRequest": ".tts",
        "TrainMode": ".shared",
        "Voice": ".voices",
        "VoiceList": ".shared",
    }

    def __getattr__(name: str) -> object:
        if name not in _RESPONSE_MODELS:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module = import_module(_RESPONSE_MODELS[name], __name__)
        value = getattr(module, "PaginatedResponse" if name == "VoiceList" else name)
        globals()[name] = value
        return value


__all__ = [
    "ASRResponse",
    "ASRSegment",
    "AudioFormat",
    "Author",
    "CloseEvent",
    "Credits",
    "FlushEvent",
    "LatencyMode",
    "Model",
    "ModelState",
    "Mp3Bitrate",
    "OpusBitrate",
    "Package",
    "PaginatedResponse",
    "Prosody",
    "ReferenceAudio",
    "Sample",
    "StartEvent",
    "TTSConfig",
    "TTSOverrides",
    "TTSRequest",
    "TextEvent",
    "TrainMode",
    "Visibility",
    "Voice",
    "VoiceList",
    "WebSocketOptions",
]
