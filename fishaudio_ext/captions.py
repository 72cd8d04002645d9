"""Captions from timed text: SRT, WebVTT and word-level JSON.

The source is a ``client.tts.convert_with_timestamps`` result, a stream's ``timeline``, an
``asr.transcribe`` result, or any sequence of segments with ``text``, ``start`` and ``end`` (seconds).
Markup the API does not speak (``(happy)``, ``[laugh]``, ``<|speaker:1|>``) is left out. Words are merged
into cues of at most ``max_lines`` lines of ``max_chars`` characters lasting at most ``max_duration``
seconds; a cue ends at a sentence end, and at a clause end once it is half full. Chinese, Japanese and
Korean text breaks between characters (never before closing punctuation). Cues never overlap and never
last zero time.

Example (captions for a video)::

    result = client.tts.convert_with_timestamps(text=script, format="wav")
    Path("voice.wav").write_bytes(result.audio)
    Path("voice.srt").write_text(captions.to_srt(result), encoding="utf-8")
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Final, Protocol

import attrs

from .exceptions import ValidationError

__all__ = ["Cue", "Word", "cues", "to_json", "to_srt", "to_vtt", "words"]

MAX_CHARS: Final = 42
"""Characters per line: the common broadcast and streaming guideline for Latin text."""
MAX_LINES: Final = 2
MAX_DURATION: Final = 7.0
"""Seconds a cue may stay on screen."""
_MIN_CUE_MS: Final = 1  # a cue lasts at least this long once rounded to milliseconds

# Markup the API reads but does not speak: speaker turns, emotions and tones "(happy)", "(in a hurry
# tone)", and paralanguage "[laugh]". A parenthesis holding anything but words is kept: "(2024)".
_MARKUP = re.compile(r"<\|[^|<>]*\|>|\((?:[A-Za-z][A-Za-z' -]{0,40})\)|\[[^\[\]]{1,40}\]")
_SENTENCE_END = tuple(".!?\u2026\u3002\uff01\uff1f")
_CLAUSE_END = tuple(",;:\uff0c\u3001\uff1b\uff1a")
# Characters written without spaces between words (kana, CJK ideographs, hangul): a line may break
# between any two of them.
_CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK = re.compile(f"[{_CJK_RANGES}]")
_TOKEN = re.compile(f"[{_CJK_RANGES}]|[^\\s{_CJK_RANGES}]+")
# Punctuation that never starts a line (kept with the character before) or ends one (kept with the next).
_NO_LINE_START = set(
    "\u3001\u3002\uff0c\uff0e\uff01\uff1f\uff1a\uff1b\uff09\u300d\u300f\u3011\u3015\u300b\u3009\u30fb\u30fc\u2026%)]}!?,.:;"
)
_NO_LINE_END = set("\uff08\u300c\u300e\u3010\u3014\u300a\u3008([{")


class TimedText(Protocol):
    """A segment of any source: a ``TimedSegment``, an ``ASRSegment``, or your own."""

    @property
    def text(self) -> str: ...
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...


@attrs.frozen
class Word:
    """One spoken word (or CJK character) and when it sounds, in seconds.

    ``joined`` is True when it is written straight after the word before, with no space (CJK text).
    Words cut from a longer source segment get times shared out by length: estimates.
    """

    text: str
    start: float
    end: float
    joined: bool = False


@attrs.frozen
class Cue:
    """One caption: its lines, shown from ``start`` to ``end`` seconds."""

    start: float
    end: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _segments(source: object) -> list[TimedText]:
    segments = getattr(source, "segments", source)
    # A sequence, not any iterable: iterating a stream here would consume it.
    if isinstance(segments, (str, bytes)) or not isinstance(segments, Sequence):
        raise ValidationError(
            "captions need timed text (a timestamped result, a stream's timeline, a transcript or a list "
            f"of segments), got {type(source).__name__}",
            field="source",
            value=type(source).__name__,
        )
    items = list(segments)
    whole_text, duration = getattr(source, "text", None), getattr(source, "duration", None)
    if not items and isinstance(whole_text, str) and whole_text and _is_time(duration):
        # A transcript asked for without timestamps: its whole text over the whole audio.
        return [Word(whole_text, 0.0, float(duration))]  # type: ignore[arg-type]
    for index, item in enumerate(items):
        text, start, end = (getattr(item, name, None) for name in ("text", "start", "end"))
        if not isinstance(text, str) or not _is_time(start) or not _is_time(end):
            raise ValidationError(
                f"segment {index} needs a text and finite start and end seconds, got {item!r}"[:300],
                field=f"segments[{index}]",
                value=item,
            )
    return items


def _is_time(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _tokens(text: str) -> list[tuple[str, bool]]:
    """The words of ``text`` and whether each is joined to the one before (no space between)."""
    tokens: list[tuple[str, bool]] = []
    previous_end = -1
    for match in _TOKEN.finditer(text):
        piece = match.group()
        spaced = match.start() != previous_end
        previous_end = match.end()
        if tokens and not spaced and (piece[0] in _NO_LINE_START or tokens[-1][0][-1] in _NO_LINE_END):
            tokens[-1] = (tokens[-1][0] + piece, tokens[-1][1])
        else:
            tokens.append((piece, bool(tokens) and not spaced))
    return tokens


def words(source: object) -> list[Word]:
    """The spoken words of ``source`` in order, markup left out.

    A segment holding several words (a transcript's sentence, a CJK phrase) is cut into words whose times
    share out the segment's by their length.
    """
    result: list[Word] = []
    for segment in _segments(source):
        start, end = float(segment.start), float(segment.end)
        joined_to_previous = bool(result) and _starts_joined(segment.text)
        tokens = _tokens(_MARKUP.sub(" ", segment.text))
        total = sum(len(token) for token, _ in tokens)
        elapsed = 0
        for index, (token, joined) in enumerate(tokens):
            begin = start + (end - start) * elapsed / total
            elapsed += len(token)
            finish = start + (end - start) * elapsed / total
            result.append(Word(token, begin, finish, joined if index else joined_to_previous))
    return result


def _starts_joined(text: str) -> bool:
    stripped = _MARKUP.sub("", text).lstrip()
    return bool(stripped) and (_CJK.match(stripped) is not None or stripped[0] in _NO_LINE_START)


def _check_options(max_chars: int, max_lines: int, max_duration: float) -> None:
    for name, value in (("max_chars", max_chars), ("max_lines", max_lines)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError(
                f"{name}={value!r} must be an integer of 1 or more", field=name, value=value
            )
    if not _is_time(max_duration) or max_duration <= 0:
        raise ValidationError(
            f"max_duration={max_duration!r} must be a number of seconds above 0",
            field="max_duration",
            value=max_duration,
        )


def _line(words: Sequence[Word]) -> str:
    return "".join(w.text if i == 0 or w.joined else f" {w.text}" for i, w in enumerate(words))


class _CueBuilder:
    """Gathers words into the lines of one cue."""

    def __init__(self, max_chars: int, max_lines: int) -> None:
        self.max_chars, self.max_lines = max_chars, max_lines
        self.lines: list[list[Word]] = []

    @property
    def words(self) -> list[Word]:
        return [word for line in self.lines for word in line]

    def _fits_last_line(self, word: Word) -> bool:
        return len(_line([*self.lines[-1], word])) <= self.max_chars

    def fits(self, word: Word) -> bool:
        return not self.lines or self._fits_last_line(word) or len(self.lines) < self.max_lines

    def add(self, word: Word) -> None:
        if self.lines and self._fits_last_line(word):
            self.lines[-1].append(word)
            return
        self.lines.append([word])
        if len(self.lines) > 1:
            self._break_at_clause()

    def _break_at_clause(self) -> None:
        """Move the words after the last clause end of the previous line to the new one, if they fit and
        the previous line keeps at least half its room (a lone "Well," line reads worse than no break)."""
        previous, new = self.lines[-2], self.lines[-1]
        for index in range(len(previous) - 2, -1, -1):
            if previous[index].text.endswith(_CLAUSE_END):
                if len(_line(previous[: index + 1])) * 2 < self.max_chars:
                    return
                tail = previous[index + 1 :]
                if len(_line([*tail, *new])) <= self.max_chars:
                    del previous[index + 1 :]
                    new[:0] = tail
                return

    def half_full(self) -> bool:
        return sum(len(_line(line)) for line in self.lines) * 2 >= self.max_chars * self.max_lines

    def cue(self) -> Cue:
        words = self.words
        return Cue(words[0].start, words[-1].end, tuple(_line(line) for line in self.lines))


def cues(
    source: object,
    *,
    max_chars: int = MAX_CHARS,
    max_lines: int = MAX_LINES,
    max_duration: float = MAX_DURATION,
) -> list[Cue]:
    """The cues of ``source``, in order, none overlapping and none empty or of zero length."""
    _check_options(max_chars, max_lines, max_duration)
    built: list[Cue] = []
    builder = _CueBuilder(max_chars, max_lines)
    for word in words(source):
        if builder.words and (not builder.fits(word) or word.end - builder.words[0].start > max_duration):
            built.append(builder.cue())
            builder = _CueBuilder(max_chars, max_lines)
        builder.add(word)
        if word.text.endswith(_SENTENCE_END) or (word.text.endswith(_CLAUSE_END) and builder.half_full()):
            built.append(builder.cue())
            builder = _CueBuilder(max_chars, max_lines)
    if builder.words:
        built.append(builder.cue())
    return _untangled(built)


def _untangled(built: Sequence[Cue]) -> list[Cue]:
    """The cues on a millisecond clock, each starting once the one before has ended and lasting."""
    result: list[Cue] = []
    previous_end = 0
    for cue in sorted(built, key=lambda c: c.start):
        start = max(_ms(cue.start), previous_end)
        end = max(_ms(cue.end), start + _MIN_CUE_MS)
        result.append(Cue(start / 1000, end / 1000, cue.lines))
        previous_end = end
    return result


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def _timestamp(seconds: float, separator: str) -> str:
    ms = _ms(seconds)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


def to_srt(
    source: object,
    *,
    max_chars: int = MAX_CHARS,
    max_lines: int = MAX_LINES,
    max_duration: float = MAX_DURATION,
) -> str:
    """SubRip (``.srt``) captions of ``source``; see :func:`cues` for the options."""
    blocks = [
        f"{number}\n{_timestamp(cue.start, ',')} --> {_timestamp(cue.end, ',')}\n{cue.text}\n"
        for number, cue in enumerate(
            cues(source, max_chars=max_chars, max_lines=max_lines, max_duration=max_duration), start=1
        )
    ]
    return "\n".join(blocks)


def _vtt_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(
    source: object,
    *,
    max_chars: int = MAX_CHARS,
    max_lines: int = MAX_LINES,
    max_duration: float = MAX_DURATION,
) -> str:
    """WebVTT (``.vtt``) captions of ``source``; see :func:`cues` for the options."""
    blocks = [
        f"{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}\n{_vtt_text(cue.text)}\n"
        for cue in cues(source, max_chars=max_chars, max_lines=max_lines, max_duration=max_duration)
    ]
    return "\n".join(["WEBVTT\n", *blocks])


def to_json(source: object) -> str:
    """Word-level timings of ``source`` as JSON: ``{"words": [{"text", "start", "end"}, ...]}``,
    times in seconds to the millisecond, markup left out (for karaoke highlighting or lip-sync)."""
    items = [
        {"text": word.text, "start": _ms(word.start) / 1000, "end": _ms(word.end) / 1000}
        for word in words(source)
    ]
    return json.dumps({"words": items}, ensure_ascii=False)
