"""Cutting a long text into pieces one request can speak: by paragraph, then sentence, then clause.

A cut is never made inside a ``[...]`` or ``(...)`` tag (``(laughing)``, ``[whisper]``) nor inside
``<|speaker:N|>`` markup, never after an abbreviation (``Dr.``, ``e.g.``) or inside a number (``3.14``,
``1,000``). A piece of a multi-speaker text that does not start with its speaker's tag gets it, so that
every request knows whose voice it is.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from typing import Final

import attrs
from fishaudio_api.facts import TTS_REQUEST_CHUNK_LENGTH_DEFAULT

from .exceptions import ValidationError

DEFAULT_MAX_CHARS: Final = TTS_REQUEST_CHUNK_LENGTH_DEFAULT
"""Characters per piece by default: the API's own synthesis chunk (``chunk_length``), so that one piece is
one chunk of the model's work and a piece never ends mid-sentence where the API would have cut."""

_PARAGRAPH: Final = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SPEAKER: Final = re.compile(r"<\|speaker:[^|>]*\|>")


def tag_pattern(longest: int | None = None) -> re.Pattern[str]:
    """The tags no cut may fall in (``<|...|>``, ``[...]``, ``(...)``), of at most ``longest`` characters."""

    def inner(markup: int) -> str:
        return "*" if longest is None else f"{{0,{max(longest - markup, 0)}}}"

    return re.compile(rf"<\|.{inner(4)}?\|>|\[[^\[\]]{inner(2)}\]|\([^()]{inner(2)}\)")


# The tags and places below are shared with the sentence flushing of token streams (``_sentences``).
_PROTECTED: Final = tag_pattern()
# A sentence ends with its punctuation and any closing quotes or brackets: followed by space in Latin
# scripts, at once in CJK ones (which put no space between sentences).
# The scripts' own punctuation is the point here (ruff's RUF001 would have it ASCII).
_LATIN_SENTENCE: Final = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")  # noqa: RUF001
_CJK_SENTENCE: Final = re.compile(r"[。！？．｡]+[」』”’）》〉]*")  # noqa: RUF001
_LATIN_CLAUSE: Final = re.compile(r"(?:[,;:]|\s[—–-])(?=\s)")  # noqa: RUF001
_CJK_CLAUSE: Final = re.compile(r"[，、；：﹐､]")  # noqa: RUF001
_SPACE: Final = re.compile(r"\s+")
_ABBREVIATIONS: Final = frozenset(
    "mr mrs ms dr prof sr jr st vs etc e.g i.e cf al fig vol ed approx dept est inc ltd co mt ft"  # noqa: SIM905
    " jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# "No. 5" abbreviates "number"; "No. Thank you." is a sentence.
_BEFORE_A_NUMBER: Final = frozenset({"no"})
_NUMBER_AFTER: Final = re.compile(r"\s+\d")
_WORD_CHARACTERS: Final = frozenset(string.ascii_letters + ".")


@attrs.frozen
class Piece:
    """One piece of a long text.

    Attributes:
        index: its place among the pieces, from 0.
        text: what is sent: the text of the span, with its speaker's tag in front if it needs one.
        start, end: the span of the original text it speaks (``text[start:end]``, without surrounding space).
        paragraph: the paragraph it belongs to, from 0.
    """

    index: int
    text: str
    start: int
    end: int
    paragraph: int


def split_text(text: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> list[Piece]:
    """Cut ``text`` into pieces of at most ``max_chars`` characters each, at the best places available.

    Paragraphs (a blank line) always start a new piece; a paragraph too long for one piece is cut between
    sentences, a sentence too long between clauses, a clause too long between words. Only a single tag or
    word longer than ``max_chars`` makes a longer piece. Whitespace-only text gives no pieces.

    Example::

        >>> [p.text for p in split_text("One. Two.\\n\\nThree.", max_chars=100)]
        ['One. Two.', 'Three.']

    Raises:
        ValidationError: ``text`` is not a str, or ``max_chars`` is not a whole number of 1 or more.
    """
    if not isinstance(text, str):
        raise ValidationError(f"text must be a str, got {type(text).__name__}.", field="text")
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        raise ValidationError(
            f"max_chars must be a whole number, 1 or more; got {max_chars!r}.", field="max_chars"
        )
    speakers = [(m.start(), m.group()) for m in _SPEAKER.finditer(text)]
    protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
    cutter = _Cutter(text, max_chars, protected, speakers)
    pieces: list[Piece] = []
    for paragraph, (start, end) in enumerate(_paragraphs(text)):
        for piece_start, piece_end in cutter.cut(start, end, 0):
            spoken = cutter.prefix(piece_start) + text[piece_start:piece_end]
            pieces.append(Piece(len(pieces), spoken, piece_start, piece_end, paragraph))
    return pieces


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _PARAGRAPH.finditer(text):
        span = _strip(text, start, match.start())
        if span is not None:
            yield span
        start = match.end()
    span = _strip(text, start, len(text))
    if span is not None:
        yield span


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


class _Cutter:
    """Cuts spans of one text, measuring each as it will be sent (with the speaker tag it needs)."""

    def __init__(
        self, text: str, max_chars: int, protected: list[tuple[int, int]], speakers: list[tuple[int, str]]
    ) -> None:
        self.text, self.max_chars, self.protected, self.speakers = text, max_chars, protected, speakers

    def prefix(self, start: int) -> str:
        """The speaker tag a piece starting at ``start`` needs in front: the one in force, unless it starts
        with a tag of its own."""
        last = ""
        for position, tag in self.speakers:
            if position == start:
                return ""
            if position > start:
                break
            last = tag
        return last

    def fits(self, start: int, end: int) -> bool:
        return len(self.prefix(start)) + end - start <= self.max_chars

    def cut(self, start: int, end: int, level: int) -> list[tuple[int, int]]:
        """Cut ``text[start:end]`` at the places of ``level`` and finer, packing the parts greedily."""
        if self.fits(start, end):
            return [(start, end)]
        if level == len(_LEVELS):
            return self.hard_cut(start, end)
        places = [
            p
            for p in _LEVELS[level](self.text, start, end)
            if start < p < end and not inside(p, self.protected)
        ]
        if not places:
            return self.cut(start, end, level + 1)
        parts: list[tuple[int, int]] = []
        for part_start, part_end in zip([start, *places], [*places, end], strict=True):
            span = _strip(self.text, part_start, part_end)
            if span is not None:
                parts.append(span)
        pieces: list[tuple[int, int]] = []
        for part_start, part_end in parts:
            if pieces and self.fits(pieces[-1][0], part_end):
                pieces[-1] = (pieces[-1][0], part_end)  # joined with the piece before, space and all
            elif self.fits(part_start, part_end):
                pieces.append((part_start, part_end))
            else:
                pieces.extend(self.cut(part_start, part_end, level + 1))
        return pieces

    def hard_cut(self, start: int, end: int) -> list[tuple[int, int]]:
        """No place to cut is left: cut where a piece is full, moved back to before a tag it would split."""
        pieces = []
        while not self.fits(start, end):
            place = start + max(1, self.max_chars - len(self.prefix(start)))
            for tag_start, tag_end in self.protected:
                if tag_start < place < tag_end:
                    place = (
                        tag_start if tag_start > start else tag_end
                    )  # a tag longer than a piece stays whole
            if place >= end:
                break
            pieces.append((start, place))
            start = place
        pieces.append((start, end))
        return pieces


def inside(position: int, protected: list[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in protected)


def _speaker_places(text: str, start: int, end: int) -> list[int]:
    return [m.start() for m in _SPEAKER.finditer(text, start, end)]


def sentence_places(text: str, start: int, end: int) -> list[int]:
    """Where sentences end in ``text[start:end]``: after their punctuation and closing quotes."""
    places = [m.end() for m in _CJK_SENTENCE.finditer(text, start, end)]
    for match in _LATIN_SENTENCE.finditer(text, start, end):
        if not _after_abbreviation(text, start, end, match):
            places.append(match.end())
    return sorted(places)


def _after_abbreviation(text: str, start: int, end: int, match: re.Match[str]) -> bool:
    """Whether the full stop of ``match`` ends an abbreviation or an initial rather than a sentence."""
    if match.group()[:1] != "." or len(match.group().rstrip("\"'”’»)]")) > 1:  # noqa: RUF001
        return False
    token = _word_before(text, start, match.start())
    if not token:
        return False
    if token.lower() in _BEFORE_A_NUMBER:
        return _NUMBER_AFTER.match(text, match.end(), end) is not None
    # "J." (an initial), "e.g.", "U.S.", "Ph.D.": short letter groups with stops between them; a domain
    # name ("example.com.") ends its sentence.
    dotted = "." in token and all(len(group) <= 2 for group in token.split("."))
    return token.lower() in _ABBREVIATIONS or len(token) == 1 or dotted


def _word_before(text: str, start: int, stop: int) -> str:
    """The word of letters and stops right before the full stop at ``stop`` (not before ``start``), from
    its first letter. Found by stepping back over the word, in time proportional to it: a regular
    expression anchored at the full stop would try every earlier position, quadratic over a book."""
    first = stop
    while first > start and text[first - 1] in _WORD_CHARACTERS:
        first -= 1
    return text[first:stop].lstrip(".")


def clause_places(text: str, start: int, end: int) -> list[int]:
    """Where clauses end in ``text[start:end]``: after a comma, semicolon, colon or a spaced dash."""
    places = [m.end() for m in _CJK_CLAUSE.finditer(text, start, end)]
    places += [m.end() for m in _LATIN_CLAUSE.finditer(text, start, end)]
    return sorted(places)


def word_places(text: str, start: int, end: int) -> list[int]:
    """Where the runs of whitespace between words start in ``text[start:end]``."""
    return [m.start() for m in _SPACE.finditer(text, start, end)]


_LEVELS: Final = (_speaker_places, sentence_places, clause_places, word_places)
