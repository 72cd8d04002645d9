"""Checks that turn a bad argument into a ValidationError naming the field, the value and what is allowed.

The ``*_field`` factories build attrs validators; the field is named after the attribute, behind an
optional prefix such as ``"prosody."``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from ..exceptions import ValidationError
from ._limits import Bounds

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def invalid(field: str, value: object, allowed: str, problem: str = "is not valid") -> ValidationError:
    """Build the error for a value of the wrong type or shape: ``x='1' must be a number: allowed 0 to 1``."""
    return ValidationError(
        f"{field}={value!r} {problem}: allowed {allowed}", field=field, value=value, allowed=allowed
    )


def describe_choices(choices: Sequence[object]) -> str:
    """Return ``"'a', 'b' or 'c'"`` for an error message."""
    names = [repr(choice) for choice in choices]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def check_number(field: str, value: object, bounds: Bounds, *, integer: bool = False) -> None:
    """Raise unless ``value`` is a finite number (an int when ``integer``; never a bool) within ``bounds``."""
    allowed = str(bounds)
    if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
        raise invalid(field, value, allowed, "must be an integer" if integer else "must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise invalid(field, value, allowed, "must be a finite number")
    if value not in bounds:
        raise ValidationError(field=field, value=value, allowed=allowed)


def check_choice(field: str, value: object, choices: Sequence[object]) -> None:
    """Raise unless ``value`` is one of ``choices`` and of the same type (so ``128.0`` or ``True`` fail)."""
    if isinstance(value, bool) or not any(
        isinstance(value, type(choice)) and value == choice for choice in choices
    ):
        raise invalid(field, value, describe_choices(choices))


def check_str(field: str, value: object, *, allow_empty: bool = True) -> None:
    """Raise unless ``value`` is a str (and not empty, unless ``allow_empty``)."""
    if not isinstance(value, str):
        raise invalid(field, value, "a string")
    if not value and not allow_empty:
        raise invalid(field, value, "a non-empty string")


def str_field(*, prefix: str = "") -> Validator:
    """An attrs validator for :func:`check_str` (empty strings allowed)."""

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        check_str(prefix + attribute.name, value)

    return validate
