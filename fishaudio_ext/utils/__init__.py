"""Helpers for audio returned by the API: :func:`save` it to a file or :func:`play` it."""

from ._play import play
from ._save import save

__all__ = ["play", "save"]
