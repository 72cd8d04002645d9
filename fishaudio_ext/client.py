"""The clients where the official SDK keeps them: ``from fishaudio_ext.client import FishAudio``."""

from ._client import AsyncFishAudio, FishAudio

__all__ = ["AsyncFishAudio", "FishAudio"]
