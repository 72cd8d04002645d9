"""The checks behind the generated request settings (``tts_settings``): each bad value becomes a
``fishaudio_ext.exceptions.ValidationError`` naming the field, the value and what is allowed.

scripts/generate copies this file into the generated package as ``settings_checks.py``; edit it here.
Every function lets ``UNSET`` (a field the user did not set) through unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

import attrs

from .types import UNSET, Unset

if TYPE_CHECKING:
    from fishaudio_ext.exceptions import ValidationError

T = TypeVar("T")
Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


@attrs.frozen
class Bounds:
    """Limits of a numeric field, inclusive unless marked exclusive; None leaves that side open.

    Example: ``150 in Bounds(100, 300)`` is True, ``str(Bounds(1))`` is ``"1 or more"`` and
    ``str(Bounds(0, 3, exclusive_minimum=True))`` is ``"more than 0 and at most 3"``.
    """

    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False

    def __contains__(self, value: float) -> bool:
        """Return whether ``value`` lies within the limits."""
        low, high = self.minimum, self.maximum
        above = low is None or (value > low if self.exclusive_minimum else value >= low)
        return above and (high is None or (value < high if self.exclusive_maximum else value <= high))

    def __str__(self) -> str:
        """Describe the limits for an error message, like ``"100 to 300"``."""
        low, high = self.minimum, self.maximum
        if low is not None and high is not None and not (self.exclusive_minimum or self.exclusive_maximum):
            return f"{low} to {high}"
        sides = []
        if low is not None:
            sides.append(f"more than {low}" if self.exclusive_minimum else f"{low} or more")
        if high is not None:
            sides.append(f"less than {high}" if self.exclusive_maximum else f"at most {high}")
        return " and ".join(sides) or "any number"


# The integers MessagePack can carry (int 64 to uint 64); JSON bodies and query strings never need more.
WIRE_INTEGERS = Bounds(-(2**63), 2**64 - 1)
_QUOTE_CHARS = 200
_QUOTED_INT_BITS = 128


def _validation_error() -> type[ValidationError]:
    # Imported here, not at the top: fishaudio_ext imports this package, so a top-level import would be
    # circular. By the time a value is rejected, both packages are loaded.
    from fishaudio_ext.exceptions import ValidationError as error

    return error


def quote(value: object) -> str:
    """The repr of ``value`` for a message: cut when long, and never failing (a huge int has none)."""
    if isinstance(value, int) and value.bit_length() > _QUOTED_INT_BITS:
        return f"<an integer of {value.bit_length()} bits>"
    text = repr(value)
    return text if len(text) <= _QUOTE_CHARS else text[:_QUOTE_CHARS] + "…"


def check_encodable(field: str, value: str) -> None:
    """Raise unless UTF-8 can encode ``value``: a lone surrogate (``"\\ud800"``) is the usual cause.

    Every text reaches an encoder (MessagePack, JSON, a query string, a form) that would otherwise fail
    with a bare ``UnicodeEncodeError``. Such strings come from bytes decoded with ``surrogateescape``
    (file names, ``sys.argv``) or from JSON holding half of a surrogate pair.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        allowed = "text that UTF-8 can encode"
        raise _validation_error()(
            f"{field} holds {value[error.start : error.end]!r} at index {error.start}, which is not a"
            " character (a lone surrogate, often from bytes decoded with errors='surrogateescape'):"
            f" allowed {allowed}",
            field=field,
            value=value,
            allowed=allowed,
        ) from None


def _name(attribute: attrs.Attribute[Any]) -> str:
    """The name a user gives a field: the attribute's, without the underscore of a stored field."""
    return attribute.name.lstrip("_")


def invalid(
    field: str, value: object, allowed: str | None, problem: str | None = "is not valid"
) -> Exception:
    """The error for a bad value: ``x='1' must be a number: allowed 0 to 1``; no ``problem``: out of range."""
    message = None if problem is None else f"{field}={quote(value)} {problem}: allowed {allowed}"
    return _validation_error()(message, field=field, value=value, allowed=allowed)


def describe_choices(choices: Sequence[object]) -> str:
    """Return ``"'a', 'b' or 'c'"`` for an error message."""
    names = [repr(choice) for choice in choices]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def is_list(value: object) -> TypeGuard[Sequence[object]]:
    """A list or tuple of values: not a string or bytes, which are sequences too."""
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray, memoryview))


def check_number(field: str, value: object, bounds: Bounds, *, integer: bool = False) -> None:
    """Raise unless ``value`` is a finite number (an int when ``integer``; never a bool) within ``bounds``.

    Whatever ``bounds`` says, an int must fit what the wire can carry (:data:`WIRE_INTEGERS`).
    """
    allowed = str(bounds)
    if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
        raise invalid(field, value, allowed, "must be an integer" if integer else "must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise invalid(field, value, allowed, "must be a finite number")
    if isinstance(value, int) and value not in WIRE_INTEGERS:
        wire = f"{allowed}, and from -2**63 to 2**64-1 (what MessagePack can carry)"
        raise invalid(field, value, wire, "is too large to send")
    if value not in bounds:
        raise invalid(field, value, allowed, None)


def number(bounds: Bounds, *, integer: bool = False, optional: bool = False, prefix: str = "") -> Validator:
    """A validator: a finite number (an int when ``integer``; never a bool) within ``bounds``, or None."""

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is UNSET or (optional and value is None):
            return
        check_number(prefix + _name(attribute), value, bounds, integer=integer)

    return validate


def choice(choices: Sequence[object], *, prefix: str = "") -> Validator:
    """A validator: one of ``choices``, of the same type (so ``128.0`` or ``True`` fail)."""
    allowed = describe_choices(choices)

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is UNSET:
            return
        if isinstance(value, bool) or not any(isinstance(value, type(c)) and value == c for c in choices):
            raise invalid(prefix + _name(attribute), value, allowed)

    return validate


def choice_with_aliases(
    field: str, choices: Sequence[T], aliases: Mapping[int, T], allowed: str
) -> Callable[[object], T | Unset]:
    """A converter: one of ``choices``, or an alias of one (stored as the value it stands for)."""
    accepted: dict[object, T] = {choice: choice for choice in choices}
    for alias, meant in aliases.items():
        accepted[alias] = meant

    def convert(value: object) -> T | Unset:
        if isinstance(value, Unset):
            return value
        if not isinstance(value, bool) and isinstance(value, int) and value in accepted:
            return accepted[value]
        raise invalid(field, value, allowed)

    return convert


def binary(field: str, value: object) -> bytes:
    """The non-empty bytes of a file (a bytearray or memoryview is copied to bytes)."""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if not isinstance(value, (bytes, bytearray)):
        # A path is the usual mistake: say how to get the bytes.
        raise invalid(field, value, "the file's bytes, e.g. Path(...).read_bytes()")
    if not value:
        raise invalid(field, value, "non-empty bytes")
    return bytes(value)


def bytes_repr(value: bytes) -> str:
    """Bytes as their length, so a repr never dumps (or leaks) a whole file."""
    return f"<{len(value)} bytes>"


def boolean(*, prefix: str = "") -> Validator:
    """A validator accepting only True or False (not 0, 1 or other truthy values)."""

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not UNSET and not isinstance(value, bool):
            raise invalid(prefix + _name(attribute), value, "True or False")

    return validate


def string(field: str, value: object, *, min_length: int = 0) -> str:
    """``value`` if it is a str of at least ``min_length`` characters."""
    if not isinstance(value, str):
        raise invalid(field, value, "a string")
    if len(value) < min_length:
        raise invalid(field, value, "a non-empty string" if min_length == 1 else f"{min_length}+ characters")
    check_encodable(field, value)
    return value


def strings(field: str, value: object, *, min_items: int = 0, item_min_length: int = 0) -> tuple[str, ...]:
    """A list of strings as a tuple (a copy, so later changes to the list do not leak in)."""
    if not is_list(value) or len(value) < min_items:
        allowed = "a non-empty list of strings" if min_items else "a list of strings"
        raise invalid(field, value, allowed)
    return tuple(string(f"{field}[{i}]", item, min_length=item_min_length) for i, item in enumerate(value))


def string_or_strings(
    field: str, value: object, *, min_length: int = 0, min_items: int = 0, item_min_length: int = 0
) -> str | tuple[str, ...]:
    """One string, or a list of them (stored as a tuple)."""
    if isinstance(value, str):
        return string(field, value, min_length=min_length)
    if not is_list(value) or len(value) < min_items:
        allowed = "a non-empty list of strings" if min_items else "a list of strings"
        raise invalid(field, value, f"a string, or {allowed}")
    return strings(field, value, item_min_length=item_min_length)


def instance(field: str, value: object, cls: type[T]) -> T:
    """``value`` if it is a ``cls``."""
    if not isinstance(value, cls):
        raise invalid(field, value, f"a {cls.__name__}")
    return value


def items_or_groups(field: str, value: object, cls: type[T]) -> tuple[T, ...] | tuple[tuple[T, ...], ...]:
    """A list of ``cls``, or a list of such lists (one per group), as tuples; not a mix of both."""
    allowed = f"a list of {cls.__name__}, or one such list per speaker"
    if not is_list(value):
        raise invalid(field, value, allowed)
    groups = [item for item in value if is_list(item)]
    if not groups:
        return tuple(instance(f"{field}[{i}]", item, cls) for i, item in enumerate(value))
    if len(groups) != len(value):
        raise invalid(field, value, allowed, "mixes single samples and per-speaker lists")
    return tuple(
        tuple(instance(f"{field}[{i}][{j}]", item, cls) for j, item in enumerate(group))
        for i, group in enumerate(groups)
    )


def set_or(value: T | Unset, default: Any) -> T:
    """The value the user set, or the spec's default when they set none."""
    return default if isinstance(value, Unset) else value


def model_value(value: object) -> object:
    """A stored value as the generated models hold it: tuples as lists, settings as their models."""
    if isinstance(value, tuple):
        return [model_value(item) for item in value]
    to_model = getattr(value, "to_model", None)
    return value if to_model is None else to_model()


def text(*, prefix: str = "") -> Validator:
    """A validator accepting any str, empty ones included."""

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not UNSET:
            string(prefix + _name(attribute), value)

    return validate


Fields = Sequence[tuple[str, str, str]]
"""Each field's name, the attribute that stores it, and its name in the generated model."""


def model_fields(settings: object, fields: Fields) -> dict[str, Any]:
    """The fields of ``settings`` the user set, as keyword arguments of the generated model."""
    found: dict[str, Any] = {}
    for _, attribute, keyword in fields:
        value = getattr(settings, attribute)
        if value is not UNSET:
            found[keyword] = model_value(value)
    return found


def settings_repr(settings: object, fields: Fields) -> str:
    """``Prosody(speed=1.2)``: the class and the fields the user set."""
    shown = ", ".join(
        f"{name}={getattr(settings, attribute)!r}"
        for name, attribute, _ in fields
        if getattr(settings, attribute) is not UNSET
    )
    return f"{type(settings).__name__}({shown})"
