"""Checks of call arguments that the spec cannot express as types, run before any network traffic."""

from __future__ import annotations

from ..exceptions import ValidationError


def require_text(field: str, value: object) -> str:
    """A non-empty string, e.g. a voice id."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{field} must be a non-empty string, got {value!r}", field=field, value=value)
    return value


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
