"""The official SDK's ``fishaudio.types.voices``: voice models as the API returns them."""

from __future__ import annotations

from typing import TypeAlias

from fishaudio_api.models import AuthorEntity, ModelEntity, SampleEntity, Visibility

from .shared import ModelState, TrainMode

Voice: TypeAlias = ModelEntity
"""A voice model, as returned by ``client.voices.get`` and listed by ``client.voices.list``."""

Sample: TypeAlias = SampleEntity
"""An audio sample of a voice."""

Author: TypeAlias = AuthorEntity
"""The user who published a voice."""

__all__ = ["Author", "ModelState", "Sample", "TrainMode", "Visibility", "Voice"]
