"""Sentence flushing of token streams: where a stream is cut, what it never cuts, and that nothing is lost."""

# The texts are CJK on purpose: their full-width punctuation is what is being tested.
# ruff: noqa: RUF001

from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from fishaudio_ext import FlushEvent, TextEvent
from fishaudio_ext._sentences import (
    CLAUSE_CHARS,
    MAX_CHARS,
    SentenceBuffer,
    TextItem,
    aflush_at_sentences,
    flush_at_sentences,
)


def sentences(*tokens: str) -> list[str]:
    """The pieces a stream of ``tokens`` is cut into: each flushed sentence, then the rest."""
    out = list(flush_at_sentences(tokens))
    pieces = [item for item in out if isinstance(item, str)]
    flushes = [i for i, item in enumerate(out) if isinstance(item, FlushEvent)]
    # Every piece but the last is a sentence followed by its flush; the rest needs none.
    assert flushes == [2 * i + 1 for i in range(len(flushes))]
    assert len(pieces) - len(flushes) in (0, 1)
    return pieces


def test_a_sentence_goes_out_with_a_flush_once_the_next_one_starts() -> None:
    out = list(flush_at_sentences(["Hello there", ". How", " are you? Fine", "!"]))
    assert out == ["Hello there. ", FlushEvent(), "How are you? ", FlushEvent(), "Fine!"]


def test_the_end_is_decided_only_when_the_next_character_arrives() -> None:
    buffer = SentenceBuffer()
    assert buffer.feed("It is done.") == []
    assert buffer.feed("  ") == []
    assert buffer.feed("Next") == ["It is done.  "]
    assert buffer.rest() == "Next"
    assert buffer.rest() == ""


def test_abbreviations_and_initials_do_not_end_a_sentence_even_cut_into_tokens() -> None:
    assert sentences("Dr", ".", " Smith", " met J", ". R. Jones", ". He left.") == [
        "Dr. Smith met J. R. Jones. ",
        "He left.",
    ]
    assert sentences("Use salt, e.g", ". sea salt. The U", ".S. Army ", "eats it. End") == [
        "Use salt, e.g. sea salt. ",
        "The U.S. Army eats it. ",
        "End",
    ]


def test_a_domain_name_ends_its_sentence_and_dotted_abbreviations_do_not() -> None:
    assert sentences("Visit example", ".com. It is ", "great. He got a Ph.D. in it.") == [
        "Visit example.com. ",
        "It is great. ",
        "He got a Ph.D. in it.",
    ]


def test_no_is_an_abbreviation_only_before_a_number() -> None:
    assert sentences("See No. 5 there. No. Thank you.") == ["See No. 5 there. ", "No. ", "Thank you."]


def test_decimals_and_numbers_stay_whole() -> None:
    assert sentences("Pi is 3.", "14 and e is 2", ".", "71. It costs 1,", "000 dollars.") == [
        "Pi is 3.14 and e is 2.71. ",
        "It costs 1,000 dollars.",
    ]


def test_an_ellipsis_is_one_end_and_a_lowercase_word_after_a_stop_continues_the_sentence() -> None:
    assert sentences("Wait", ".", ".", ". what", "? Oh… we see", ". Fine") == [
        "Wait... what? ",
        "Oh… we see. ",
        "Fine",
    ]
    assert sentences("Well... Then we go.") == ["Well... ", "Then we go."]


def test_closing_quotes_and_brackets_stay_with_their_sentence() -> None:
    assert sentences('He said "Hi.', '"', " Then ’twas late.’ ", '"Go!" she said. Done') == [
        'He said "Hi." ',
        "Then ’twas late.’ ",
        '"Go!" she said. ',
        "Done",
    ]
    assert sentences('She asked "why?" and left. Ok') == ['She asked "why?" and left. ', "Ok"]


def test_cjk_sentences_end_at_their_punctuation_without_space() -> None:
    expected = ["你好。", "我很好！", "你呢？", "「好。」", "他说"]
    assert sentences(*"你好。我很好！你呢？「好。」他说") == expected
    assert sentences("こんにちは。", "元気です", "か？はい") == ["こんにちは。", "元気ですか？", "はい"]


def test_no_cut_inside_tags_even_while_they_are_still_open() -> None:
    assert sentences("(laughing", ". hard) Yes. [whisper", ". soft", "] Right. Done") == [
        "(laughing. hard) Yes. ",
        "[whisper. soft] Right. ",
        "Done",
    ]
    assert sentences("Hi. <|spea", "ker:1|>Hello. <|speaker:2|>Bye.") == [
        "Hi. ",
        "<|speaker:1|>Hello. ",
        "<|speaker:2|>Bye.",
    ]


def test_a_stray_bracket_holds_the_text_back_only_so_far() -> None:
    text = "I am sad :( " + "and it goes on " * 20 + "forever. Yes."
    pieces = sentences(*re.findall(r"\S+\s*", text))
    assert "".join(pieces) == text
    assert len(pieces) > 1
    assert len(pieces[0]) < MAX_CHARS + 20


def test_line_breaks_end_a_sentence_and_list_numbers_do_not() -> None:
    assert sentences("Title\n", "1. Buy milk\n2", ". Eggs\n\nThat is all. Ok") == [
        "Title\n",
        "1. Buy milk\n",
        "2. Eggs\n\n",
        "That is all. ",
        "Ok",
    ]
    assert sentences("I have 3. You have 4. Ok") == ["I have 3. ", "You have 4. ", "Ok"]


def test_a_long_sentence_is_flushed_at_the_first_clause_end_past_the_length() -> None:
    head = "When the rain came down in the valley and the river rose over the old stone bridge, the town, "
    text = head + "which had seen floods before, waited, as it always did."
    assert len(head) < CLAUSE_CHARS < len(head) + len("which had seen floods before,")
    assert sentences(text) == [head + "which had seen floods before, ", "waited, as it always did."]
    short = "Yes, well, maybe, but no, not today, thanks."
    assert sentences(short) == [short]


def test_text_without_any_punctuation_is_flushed_at_a_space_past_the_chunk_length() -> None:
    text = "word " * 100
    pieces = sentences(text)
    assert "".join(pieces) == text
    assert all(MAX_CHARS <= len(piece) <= MAX_CHARS + 5 for piece in pieces[:-1])
    assert len(pieces) == 2


def test_text_without_a_space_is_cut_at_twice_the_chunk_length() -> None:
    buffer = SentenceBuffer()
    pieces = [piece for _ in range(1000) for piece in buffer.feed("你好世界")]
    rest = buffer.rest()
    assert "".join(pieces) + rest == "你好世界" * 1000
    assert pieces
    assert all(len(piece) == 2 * MAX_CHARS for piece in pieces)
    assert 0 < len(rest) <= 2 * MAX_CHARS


def test_the_buffer_can_be_tuned() -> None:
    buffer = SentenceBuffer(clause_chars=5, max_chars=12)
    assert buffer.feed("One, two, three four five six ") == ["One, two, ", "three four five "]
    assert buffer.rest() == "six "


def test_the_callers_events_pass_through_in_order_after_the_text_before_them() -> None:
    items: list[TextItem] = ["Hello", FlushEvent(), " world. Next", TextEvent(text="as. is. "), "end. ", "X"]
    assert list(flush_at_sentences(items)) == [
        "Hello",
        FlushEvent(),
        " world. ",
        FlushEvent(),
        "Next",
        TextEvent(text="as. is. "),
        "end. ",
        FlushEvent(),
        "X",
    ]
    assert list(flush_at_sentences([FlushEvent(), "", "Hi."])) == [FlushEvent(), "Hi."]
    assert list(flush_at_sentences([])) == []


# Fragments that meet each rule, combined at random into texts below.
_FRAGMENTS = [
    "Hello", "world", "a", "Dr.", "e.g.", "U.S.", "3.14", "1,000", "No.", "no", " ", " ", "  ", "\n", ".",
    "!", "?", "...", "…", ",", ";", " -", '"', "”", "’", "(", ")", "[", "]", "(laughing)", "[whisper]",
    "<|speaker:1|>", "<|", "|>", "。", "！", "，", "」", "「", "你好", "1.", "what", "The",
]  # fmt: skip
_TAG = re.compile(r"<\|[^|\n]*\|>|\[[^\[\]]*\]|\([^()]*\)")


def _texts() -> Iterator[str]:
    rng = random.Random(20261201)
    yield "Dr. Smith said “Hi.” Then (sigh.) he left [slowly. very]. 你好。「好。」 No. 5 is 3.14... ok?\n"
    yield "word " * 300
    for _ in range(300):
        yield "".join(rng.choice(_FRAGMENTS) for _ in range(rng.randint(0, 60)))


def _tokens(text: str, rng: random.Random) -> list[str]:
    """``text`` cut into tokens at random places, empty tokens included."""
    cuts = sorted(rng.randint(0, len(text)) for _ in range(rng.randint(0, len(text))))
    return [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True)]


@pytest.mark.parametrize("text", list(_texts()))
def test_joined_output_is_the_input_and_does_not_depend_on_the_tokens(text: str) -> None:
    rng = random.Random(text)
    whole = sentences(text)
    assert "".join(whole) == text
    assert all(whole)
    for tokens in (list(text), _tokens(text, rng), _tokens(text, rng)):
        assert sentences(*tokens) == whole
    ends = {sum(map(len, whole[: i + 1])) for i in range(len(whole) - 1)}
    for tag in _TAG.finditer(text):
        if len(tag.group()) <= MAX_CHARS:
            assert not any(tag.start() < end < tag.end() for end in ends), (tag.group(), whole)
    # A cut falls only where the next piece starts with text, never inside a run of space.
    assert all(not piece[0].isspace() for piece in whole[1:])


def _pieces(buffer: SentenceBuffer, tokens: list[str]) -> list[str]:
    pieces = [piece for token in tokens for piece in buffer.feed(token)]
    return [*pieces, buffer.rest()]


@pytest.mark.parametrize("text", list(_texts()))
def test_small_limits_do_not_make_the_pieces_depend_on_the_tokens(text: str) -> None:
    rng = random.Random(text)
    whole = _pieces(SentenceBuffer(clause_chars=10, max_chars=25), [text])
    assert "".join(whole) == text
    for tokens in (list(text), _tokens(text, rng)):
        assert _pieces(SentenceBuffer(clause_chars=10, max_chars=25), tokens) == whole


async def _async_items(items: list[TextItem]) -> AsyncIterator[TextItem]:
    for item in items:
        yield item


@pytest.mark.parametrize("text", list(_texts())[:20])
async def test_the_async_twin_gives_the_same_items(text: str) -> None:
    items: list[TextItem] = [*_tokens(text, random.Random(text)), FlushEvent(), "Last. one"]
    expected = list(flush_at_sentences(items))
    assert [item async for item in aflush_at_sentences(_async_items(items))] == expected


def test_closing_the_flushing_iterator_closes_the_callers() -> None:
    closed: list[bool] = []

    def tokens() -> Iterator[str]:
        try:
            yield from ["One. ", "Two. ", "Three. "]
        finally:
            closed.append(True)

    flushing = flush_at_sentences(tokens())
    assert next(flushing) == "One. "
    flushing.close()
    assert closed == [True]


def test_an_iterator_that_is_not_a_generator_is_left_open(tmp_path: Path) -> None:
    path = tmp_path / "tokens.txt"
    path.write_text("One.\nTwo.\n", encoding="utf-8")
    with path.open(encoding="utf-8") as lines:
        assert list(flush_at_sentences(lines)) == ["One.\n", FlushEvent(), "Two.\n"]
        assert not lines.closed


async def test_closing_the_async_flushing_iterator_closes_the_callers() -> None:
    closed: list[bool] = []

    async def tokens() -> AsyncIterator[str]:
        try:
            for token in ["One. ", "Two. ", "Three. "]:
                yield token
        finally:
            closed.append(True)

    flushing = aflush_at_sentences(tokens())
    assert await anext(flushing) == "One. "
    await flushing.aclose()  # type: ignore[attr-defined]
    assert closed == [True]
