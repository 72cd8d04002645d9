"""Text handling of the local server: chunking a request's text as the API does, and guessing its language."""

from __future__ import annotations

import re
from typing import Final

# A token is a run of non-space characters, where a tag with spaces inside (``(in a hurry)``) stays whole.
_TOKEN = re.compile(r"(?:<\|speaker:\d+\|>|\([^()]*\)|\[[^\[\]]*\]|\S)+")
# What a token is made of: whole tags and single characters.
_ATOM = re.compile(r"<\|speaker:\d+\|>|\([^()]*\)|\[[^\[\]]*\]|\S")
_SPEAKER_TAG = re.compile(r"<\|speaker:\d+\|>")
# Latin and CJK (full-width) sentence ends.
_SENTENCE_END = tuple(".!?\u3002\uff01\uff1f\u2026")
_SCRIPTS: Final = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),  # kana first: Japanese also uses CJK ideographs
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
)
LANGUAGE_NAMES: Final = {
    "en": "English",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "ru": "Russian",
    "ar": "Arabic",
}


def split_text(text: str, *, chunk_length: int, min_chunk_length: int) -> list[str]:
    """Split ``text`` into the chunks the API synthesizes one after another.

    A chunk ends at the end of a sentence once it holds ``min_chunk_length`` characters, and before any
    word that would take it past ``chunk_length``; a word longer than ``chunk_length`` is cut into pieces
    that fit (so no chunk, and no chunk's audio, grows with the text). A speaker tag in force carries over
    to the next chunk, so each chunk is spoken by the right voice. Example::

        split_text("One. Two.", chunk_length=100, min_chunk_length=0) == ["One.", "Two."]
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    speaker = ""
    for token in (piece for word in _TOKEN.findall(text) for piece in _fitting(word, chunk_length)):
        if current and size + 1 + len(token) > chunk_length:
            chunks.append(" ".join(current))
            current, size = ([speaker] if speaker else []), len(speaker)
        tags = _SPEAKER_TAG.findall(token)
        if tags and current == [speaker]:  # a new speaker replaces the one carried over
            current, size = [], 0
        current.append(token)
        size += len(token) + (1 if size else 0)
        if tags:
            speaker = tags[-1]
        if size >= min_chunk_length and token.endswith(_SENTENCE_END):
            chunks.append(" ".join(current))
            current, size = ([speaker] if speaker else []), len(speaker)
    if [token for token in current if token != speaker] or not chunks:
        chunks.append(" ".join(current))
    return chunks


def _fitting(token: str, chunk_length: int) -> list[str]:
    """``token``, or pieces of it of at most ``chunk_length`` characters (a longer tag stays whole)."""
    if len(token) <= chunk_length:
        return [token]
    pieces = [""]
    for atom in _ATOM.findall(token):
        if pieces[-1] and len(pieces[-1]) + len(atom) > chunk_length:
            pieces.append("")
        pieces[-1] += atom
    return pieces


def guess_language(text: str) -> str:
    """An ISO 639-1 code for the script ``text`` is written in; Latin script counts as English."""
    for code, script in _SCRIPTS:
        if script.search(text):
            return code
    return "en"
