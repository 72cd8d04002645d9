"""Bridge between this package's ``None`` (argument left out) and the generated layer's ``UNSET``."""

from __future__ import annotations

from typing import TypeVar

from fishaudio_api.types import UNSET, Unset

T = TypeVar("T")


def unset_if_none(value: T | None) -> T | Unset:
    """``UNSET`` for None, so the generated layer leaves the field out of the request."""
    return UNSET if value is None else value
