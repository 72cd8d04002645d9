"""Checks of call arguments that the spec cannot express as types, run before any network traffic."""

from __future__ import annotations

from collections.abc import Sequence

from fishaudio_api.settings_checks import check_encodable, quote

from ..exceptions import ValidationError


def require_text(field: str, value: object) -> str:
    """A non-empty string that UTF-8 can encode, e.g. a voice id."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"{field} must be a non-empty string, got {quote(value)}", field=field, value=value
        )
    check_encodable(field, value)
    return value


def check_optional_texts(**arguments: object) -> None:
    """Raise unless each argument is None, a str, or a list (or tuple) of str, all encodable as UTF-8.

    For the free-text arguments of a call (titles, descriptions, filters, tags), which the spec types
    as strings but nothing else checks before they are encoded into a query string or a form.
    Example: ``check_optional_texts(title=title, tags=tags)``.
    """
    for name, value in arguments.items():
        if value is None:
            continue
        if isinstance(value, str):
            check_encodable(name, value)
        elif isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
            for index, item in enumerate(value):
                if not isinstance(item, str):
                    raise ValidationError(
                        f"{name}[{index}] must be a string, got {quote(item)}",
                        field=f"{name}[{index}]",
                        value=item,
                    )
                check_encodable(f"{name}[{index}]", item)
        else:
            raise ValidationError(
                f"{name} must be a string or a list of strings, got {quote(value)}", field=name, value=value
            )


def require_bytes(field: str, value: object, *, max_bytes: int | None = None) -> bytes:
    """The non-empty content of a file (bytes, bytearray or memoryview), at most ``max_bytes`` long."""
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise ValidationError(
            f"{field} must be the bytes of a file, got {type(value).__name__}",
            field=field,
            value=type(value).__name__,
        )
    data = bytes(value)
    if not data:
        raise ValidationError(f"{field} is empty: pass the bytes of a file", field=field, value=b"")
    if max_bytes is not None and len(data) > max_bytes:
        raise ValidationError(
            f"{field} is {len(data)} bytes: the API takes at most {max_bytes} bytes",
            field=field,
            value=len(data),
            allowed=f"at most {max_bytes} bytes",
        )
    return data
