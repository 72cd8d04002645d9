"""TTS model names: the known ones, the default, and the check every call makes before sending one."""

from __future__ import annotations

import inspect
import re
import warnings
from pathlib import Path
from typing import Final, TypeAlias

from fishaudio_api.facts import DEPRECATED_TTS_MODELS
from fishaudio_api.models import KnownTTSModel

from ._checks import invalid

Model: TypeAlias = KnownTTSModel
"""The TTS model names the spec knows, such as ``"s1"`` or ``"s2.1-pro"``: ``typing.get_args(Model)`` lists
them. Deprecated names (``fishaudio_api.facts.DEPRECATED_TTS_MODELS``) still work, with a warning."""

ModelName: TypeAlias = Model | str
"""What a call's ``model`` takes: a :data:`Model`, or the name of a model newer than this library."""

DEPRECATED_MODELS: Final = frozenset(DEPRECATED_TTS_MODELS)
"""The deprecated model names; each still works, with a ``DeprecationWarning`` naming its replacement."""

DEFAULT_MODEL: Final[ModelName] = "s1"
"""The model the calls send when they name none: the seeds' default, kept for compatibility (the API's own
default, used when no header is sent, is ``fishaudio_api.facts.TTS_MODEL_HEADER_DEFAULT``)."""

# The model travels in an HTTP header: visible ASCII, with single inner spaces at most.
_HEADER_VALUE = re.compile(r"[\x21-\x7e]+(?: [\x21-\x7e]+)*")
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _caller_stacklevel() -> int:
    """Return the ``stacklevel`` that makes a warning point at the first caller outside fishaudio_ext."""
    level = 0
    frame = inspect.currentframe()
    while frame is not None and Path(frame.f_code.co_filename).resolve().is_relative_to(_PACKAGE_DIR):
        level += 1
        frame = frame.f_back
    # Counting this helper's own frame makes the result fit warnings.warn in its caller, where
    # stacklevel=1 is that caller and each further frame inside the package adds one.
    return max(level, 1)


def check_model(model: str) -> str:
    """Return ``model`` if it can be sent; warn when it is deprecated.

    Any non-empty name of visible ASCII characters passes, so models newer than this library work.
    Example: ``check_model("speech-1.5")`` warns ``DeprecationWarning: Model 'speech-1.5' is deprecated;
    use 's1' instead.`` and returns ``"speech-1.5"``.

    Raises:
        ValidationError: ``model`` is not a string, is empty, or holds characters an HTTP header cannot carry.
    """
    if not isinstance(model, str) or not _HEADER_VALUE.fullmatch(model):
        raise invalid("model", model, "a model name of visible ASCII characters, such as 's1' or 's2.1-pro'")
    warn_if_deprecated_model(model)
    return model


def warn_if_deprecated_model(model: str) -> None:
    """Warn (``DeprecationWarning``, naming the replacement) when ``model`` is a deprecated model's name."""
    replacement = DEPRECATED_TTS_MODELS.get(model)
    if replacement is not None:
        warnings.warn(
            f"Model {model!r} is deprecated; use {replacement!r} instead.",
            DeprecationWarning,
            stacklevel=_caller_stacklevel(),
        )
