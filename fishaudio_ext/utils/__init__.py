"""Helpers for audio returned by the API: :func:`save` it to a file, :func:`play` it, or :func:`stream` it
(play it as it arrives and keep it)."""

from ._play import play
from ._save import save
from ._stream import stream

__all__ = ["play", "save", "stream"]
