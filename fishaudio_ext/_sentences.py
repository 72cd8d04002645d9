"""Flushing a token stream at sentence ends, as voice agents do: each sentence is spoken once it is complete.

The pieces of text (an LLM's tokens) are joined until a sentence ends, or a long sentence reaches a clause
end, and the sentence goes out followed by a ``FlushEvent``, so that the server synthesizes it at once
instead of waiting for a chunk's worth of text. The places are the long-text splitter's (``_split``): CJK
punctuation, abbreviations (``Dr.``, ``e.g.``, ``U.S.``), decimals (``3.14``), closing quotes after the
stop, never inside a ``[...]`` or ``(...)`` tag or ``<|speaker:N|>``. A stream adds three rules of its own:
a line break ends a sentence, a stop followed by a lowercase word does not (``Wait... what?``), and neither
does the number of a list item (``1. Buy milk``).

Tokens may be cut anywhere (``"Dr" + "." + " Smith"``): an end is decided only once the next non-space
character has arrived or the stream ends, so ``"3." + "14"`` stays whole, a quote after the stop stays with
its sentence, and the pieces are the same however the text was cut into tokens. No I/O here.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Generator, Iterable, Iterator
from typing import Final, TypeAlias

from ._split import DEFAULT_MAX_CHARS, clause_places, inside, sentence_places, tag_pattern, word_places
from .types import FlushEvent, TextEvent

TextItem: TypeAlias = str | TextEvent | FlushEvent
"""What a live text stream yields."""

CLAUSE_CHARS: Final = 100
"""A sentence longer than this is flushed at its next clause end (a comma, a semicolon, a spaced dash): about
six seconds of speech, so that a long sentence starts playing early without being chopped into short
phrases."""

MAX_CHARS: Final = DEFAULT_MAX_CHARS
"""Text with neither a sentence nor a clause end is flushed at the next space past this many characters
(the API's own chunk length, where the server would have cut it anyway), and text without a space at twice
as many. A tag longer than this is plain text, so that a stray ``(`` (a ``:(``) cannot hold the text back:
the pending text never grows much past twice this length."""

_LINE_BREAK: Final = re.compile(r"\n")
_NON_SPACE: Final = re.compile(r"\S")
_LIST_NUMBER: Final = re.compile(r"(?:^|\n)[ \t]*\d+\.\Z")
# A "[" or "(" tag can still close only if it is the last of its kind and nothing closed it.
_BRACKETS: Final = (("[", "]"), ("(", ")"))


class SentenceBuffer:
    """The pending text of a token stream, cut into sentences as the tokens arrive.

    Example::

        >>> buffer = SentenceBuffer()
        >>> buffer.feed("Dr"), buffer.feed(". Smith is in. He"), buffer.rest()
        ([], ['Dr. Smith is in. '], 'He')

    The pieces, joined, are the text fed: the space after a sentence goes with it.
    """

    def __init__(self, *, clause_chars: int = CLAUSE_CHARS, max_chars: int = MAX_CHARS) -> None:
        self._clause_chars = clause_chars
        self._max_chars = max_chars
        self._tags = tag_pattern(max_chars)
        self._pending = ""

    def feed(self, text: str) -> list[str]:
        """Add ``text``; return the sentences it completed, in order (often none)."""
        self._pending += text
        sentences: list[str] = []
        while (cut := self._next_cut()) is not None:
            sentences.append(self._pending[:cut])
            self._pending = self._pending[cut:]
        return sentences

    def rest(self) -> str:
        """Return the pending text (the end of the stream, or text that must go out now) and forget it."""
        rest, self._pending = self._pending, ""
        return rest

    def _next_cut(self) -> int | None:
        """Where the first complete sentence of the pending text ends, space included; None if none has."""
        text = self._pending
        protected = _protected_spans(text, self._tags, self._max_chars)
        places = sorted(
            [(place, True) for place in sentence_places(text, 0, len(text))]
            + [(m.start(), False) for m in _LINE_BREAK.finditer(text)]
            + [(place, False) for place in clause_places(text, 0, len(text)) if place >= self._clause_chars]
            + [(place, False) for place in word_places(text, 0, len(text)) if place >= self._max_chars]
            + [(2 * self._max_chars, False)]
        )
        for place, sentence_end in places:
            if place == 0 or inside(place, protected):
                continue
            following = _NON_SPACE.search(text, place)
            if following is None:
                return None  # what comes next decides: a closing quote, a lowercase word, a digit
            next_char = text[following.start()]
            if sentence_end and (next_char.islower() or _LIST_NUMBER.search(text, 0, place)):
                continue
            return following.start()
        return None


def _protected_spans(text: str, tags: re.Pattern[str], max_chars: int) -> list[tuple[int, int]]:
    """The spans of ``text`` no cut may fall in: its ``tags``, and one that more text could still close.

    A tag that could still close protects everything after its start, as the text it may close over does
    not exist yet.
    """
    spans = [(m.start(), m.end()) for m in tags.finditer(text)]
    openers = [text.rfind(opener) for opener, closer in _BRACKETS if closer not in text[text.rfind(opener) :]]
    # "<|speaker:N|>" closes at the next "|>" on its line, over anything: the first "<|" of the last line
    # that is recent enough and that no tag took in can still close.
    speaker = text.find("<|", max(text.rfind("\n") + 1, len(text) - max_chars + 1))
    while speaker >= 0 and any(start <= speaker < end for start, end in spans):
        speaker = text.find("<|", speaker + 2)
    openers.append(speaker)
    limit = len(text) + 1
    return spans + [(start, limit) for start in openers if start >= 0 and len(text) - start < max_chars]


def _pass(buffer: SentenceBuffer, item: TextItem) -> list[TextItem]:
    """What goes out when ``item`` arrives: completed sentences each with a flush, or the caller's event
    after the pending text."""
    if isinstance(item, str):
        out: list[TextItem] = []
        for sentence in buffer.feed(item):
            out += [sentence, FlushEvent()]
        return out
    rest = buffer.rest()
    return [rest, item] if rest else [item]


def _ending(buffer: SentenceBuffer) -> list[TextItem]:
    rest = buffer.rest()
    return [rest] if rest else []


def flush_at_sentences(items: Iterable[TextItem]) -> Iterator[TextItem]:
    """Pass ``items`` through, joined into sentences each followed by a ``FlushEvent``.

    The caller's own ``TextEvent`` and ``FlushEvent`` pass through in their place, after the text before
    them (a ``TextEvent``'s text is not looked at: a way to send text as it is). The text after the last
    sentence end goes out last, without a flush: the end of the stream speaks it. Closing this iterator
    closes ``items`` if it is a generator, as ``yield from`` would (barge-in stops the token stream too).

    Example::

        >>> list(flush_at_sentences(["Hi", " there.", " Bye"]))
        ['Hi there. ', FlushEvent(), 'Bye']
    """
    buffer = SentenceBuffer()
    iterator = iter(items)
    try:
        for item in iterator:
            yield from _pass(buffer, item)
        yield from _ending(buffer)
    finally:
        if isinstance(iterator, Generator):
            iterator.close()


async def aflush_at_sentences(items: AsyncIterable[TextItem]) -> AsyncIterator[TextItem]:
    """The async twin of ``flush_at_sentences``: the same items out for the same items in."""
    buffer = SentenceBuffer()
    iterator = aiter(items)
    try:
        async for item in iterator:
            for out in _pass(buffer, item):
                yield out
        for out in _ending(buffer):
            yield out
    finally:
        if isinstance(iterator, AsyncGenerator):
            await iterator.aclose()
