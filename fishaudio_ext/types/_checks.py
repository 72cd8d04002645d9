"""Checks that turn a bad argument into a ValidationError naming the field, the value and what is allowed.

The ``*_field`` factories build attrs validators; the field is named after the attribute, behind an
optional prefix such as ``"prosody."``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
from fishaudio_api.settings_checks import check_encodable, describe_choices, quote

from ..exceptions import ValidationError

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def invalid(field: str, value: object, allowed: str, problem: str = "is not valid") -> ValidationError:
    """Build the error for a value of the wrong type or shape: ``x='1' must be a number: allowed 0 to 1``."""
    return ValidationError(
        f"{field}={quote(value)} {problem}: allowed {allowed}", field=field, value=value, allowed=allowed
    )


def check_choice(field: str, value: object, choices: Sequence[object]) -> None:
    """Raise unless ``value`` is one of ``choices`` and of the same type (so ``128.0`` or ``True`` fail)."""
    if isinstance(value, bool) or not any(
        isinstance(value, type(choice)) and value == choice for choice in choices
    ):
        raise invalid(field, value, describe_choices(choices))


def check_str(field: str, value: object, *, allow_empty: bool = True) -> None:
    """Raise unless ``value`` is a str that UTF-8 can encode (and not empty, unless ``allow_empty``)."""
    if not isinstance(value, str):
        raise invalid(field, value, "a string")
    if not value and not allow_empty:
        raise invalid(field, value, "a non-empty string")
    check_encodable(field, value)


def str_field(*, prefix: str = "") -> Validator:
    """An attrs validator for :func:`check_str` (empty strings allowed)."""

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        check_str(prefix + attribute.name, value)

    return validate
