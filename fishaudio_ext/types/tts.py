"""The official SDK's ``fishaudio.types.tts``: the settings of a synthesis and the live session's events."""

from __future__ import annotations

from typing import TypeAlias

from fishaudio_api.models import AudioFormat, LatencyMode, LiveStartEvent, LiveStopEvent, TTSRequest

from ._events import FlushEvent, TextEvent
from ._prosody import Prosody
from ._reference_audio import ReferenceAudio
from ._tts_config import TTSConfig

StartEvent: TypeAlias = LiveStartEvent
"""The live session's first message: ``{"event": "start", "request": TTSRequest}``."""

CloseEvent: TypeAlias = LiveStopEvent
"""The live session's last message from the client, ``{"event": "stop"}``."""

__all__ = [
    "AudioFormat",
    "CloseEvent",
    "FlushEvent",
    "LatencyMode",
    "Prosody",
    "ReferenceAudio",
    "StartEvent",
    "TTSConfig",
    "TTSRequest",
    "TextEvent",
]
