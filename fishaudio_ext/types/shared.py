"""The official SDK's ``fishaudio.types.shared``: the names of models, formats and other allowed values.

Every value list comes from the spec (``fishaudio_api.facts``): ``typing.get_args(Model)`` lists the TTS
model names, ``DEPRECATED_MODELS`` the deprecated ones.
"""

from __future__ import annotations

from typing import TypeAlias

from fishaudio_api.models import (
    AudioFormat,
    KnownModelState,
    KnownTrainMode,
    LatencyMode,
    ModelList,
    Visibility,
)

from ._model import DEPRECATED_MODELS, Model, warn_if_deprecated_model

PaginatedResponse: TypeAlias = ModelList
"""One page of voices: ``.items`` and ``.total`` (all matches, not just this page)."""

TrainMode: TypeAlias = KnownTrainMode
"""How a voice model is trained."""

ModelState: TypeAlias = KnownModelState
"""Where a voice model is in its training."""

__all__ = [
    "DEPRECATED_MODELS",
    "AudioFormat",
    "LatencyMode",
    "Model",
    "ModelState",
    "PaginatedResponse",
    "TrainMode",
    "Visibility",
    "warn_if_deprecated_model",
]
