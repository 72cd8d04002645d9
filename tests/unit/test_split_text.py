"""The public splitter of long texts: where it cuts, what it never cuts, and the speaker context."""

# The texts are CJK on purpose: their full-width punctuation is what is being tested.
# ruff: noqa: RUF001

from __future__ import annotations

import pytest
from fishaudio_api.facts import TTS_REQUEST_CHUNK_LENGTH_DEFAULT

from fishaudio_ext import ValidationError
from fishaudio_ext.longform import DEFAULT_MAX_CHARS, split_text


def texts(text: str, max_chars: int) -> list[str]:
    return [piece.text for piece in split_text(text, max_chars=max_chars)]


def test_the_default_size_is_the_api_chunk_length() -> None:
    assert DEFAULT_MAX_CHARS == TTS_REQUEST_CHUNK_LENGTH_DEFAULT
    sentence = "This sentence is about forty characters. "
    pieces = split_text(sentence * 40)
    assert all(len(piece.text) <= TTS_REQUEST_CHUNK_LENGTH_DEFAULT for piece in pieces)
    assert [piece.text.count(".") for piece in pieces] == [7, 7, 7, 7, 7, 5]  # 7 sentences: 286 characters


def test_paragraphs_always_start_a_piece_and_are_numbered() -> None:
    pieces = split_text("One. Two.\n\nThree.\n  \n\nFour.", max_chars=100)
    assert [(p.text, p.paragraph) for p in pieces] == [("One. Two.", 0), ("Three.", 1), ("Four.", 2)]


def test_sentences_are_packed_and_never_cut_when_they_fit() -> None:
    text = "First sentence here. Second one! Is this the third? Yes, the fourth."
    assert texts(text, 40) == ["First sentence here. Second one!", "Is this the third? Yes, the fourth."]


def test_spans_point_into_the_original_text() -> None:
    text = "  Alpha beta.  Gamma delta.\n\nEpsilon.  "
    for piece in split_text(text, max_chars=14):
        assert text[piece.start : piece.end] == piece.text


def test_abbreviations_initials_and_decimals_do_not_end_a_sentence() -> None:
    text = "Dr. Smith met J. R. Jones at 3.30 p.m. on Main St. today, e.g. for tea. It cost 1,250.75 dollars."
    assert texts(text, 75) == [
        "Dr. Smith met J. R. Jones at 3.30 p.m. on Main St. today, e.g. for tea.",
        "It cost 1,250.75 dollars.",
    ]


def test_a_long_sentence_is_cut_between_clauses_then_words() -> None:
    text = "When the rain came down, the river rose; the town, which had seen floods before, waited"
    pieces = texts(text, 30)
    assert pieces[0] == "When the rain came down,"
    assert all(len(piece) <= 30 for piece in pieces)
    assert " ".join(pieces) == text
    assert texts("word " * 12, 12) == [
        "word word",
        "word word",
        "word word",
        "word word",
        "word word",
        "word word",
    ]


def test_cjk_sentences_and_clauses_need_no_spaces() -> None:
    text = "今天天气很好。我们去公园吧！你觉得怎么样？好的，我们走吧，现在就走。"
    assert texts(text, 14) == ["今天天气很好。我们去公园吧！", "你觉得怎么样？", "好的，我们走吧，现在就走。"]
    assert texts("我们走吧，现在就走，马上出发。", 6) == ["我们走吧，", "现在就走，", "马上出发。"]
    assert texts("「行こう。」と彼は言った。", 8) == ["「行こう。」", "と彼は言った。"]


@pytest.mark.parametrize(
    "tag", ["(laughing, then whispering softly)", "[long pause while thinking]", "<|speaker:12|>"]
)
def test_tags_are_never_cut(tag: str) -> None:
    text = f"Some words before {tag} and some words after it, then more."
    for max_chars in range(8, 60):
        for piece in texts(text, max_chars):
            assert piece.count("(") == piece.count(")")
            assert piece.count("[") == piece.count("]")
            assert piece.count("<|") == piece.count("|>")


def test_a_tag_longer_than_a_piece_stays_whole() -> None:
    assert texts("a [a very long whisper tag here] b", 10) == ["a", "[a very long whisper tag here]", "b"]


def test_each_piece_of_a_dialogue_names_its_speaker() -> None:
    text = (
        "<|speaker:0|>Hello there, how are you doing today? I have not seen you for a long while."
        "<|speaker:1|>(laughing) I am fine, thank you very much. And you?"
    )
    pieces = split_text(text, max_chars=60)
    assert [p.text for p in pieces] == [
        "<|speaker:0|>Hello there, how are you doing today?",
        "<|speaker:0|>I have not seen you for a long while.",
        "<|speaker:1|>(laughing) I am fine, thank you very much.",
        "<|speaker:1|>And you?",
    ]
    assert all(len(p.text) <= 60 for p in pieces)


def test_a_speaker_carries_over_into_the_next_paragraph() -> None:
    pieces = split_text("<|speaker:1|>First paragraph.\n\nSecond paragraph.", max_chars=100)
    assert [p.text for p in pieces] == ["<|speaker:1|>First paragraph.", "<|speaker:1|>Second paragraph."]


@pytest.mark.parametrize("text", ["", "   \n\n\t "])
def test_blank_text_has_no_pieces(text: str) -> None:
    assert split_text(text) == []


def test_a_word_longer_than_a_piece_is_cut_hard() -> None:
    assert texts("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


@pytest.mark.parametrize("max_chars", [0, -5, 2.5, True, "300"])
def test_a_bad_size_is_a_validation_error(max_chars: object) -> None:
    with pytest.raises(ValidationError, match="max_chars"):
        split_text("Hello.", max_chars=max_chars)  # type: ignore[arg-type]


def test_text_must_be_a_string() -> None:
    with pytest.raises(ValidationError, match="text must be a str"):
        split_text(b"Hello.")  # type: ignore[arg-type]


def test_no_abbreviates_number_only_before_one() -> None:
    assert texts("He said no. No. Thank you. See No. 5 today.", 12) == [
        "He said no.",
        "No.",
        "Thank you.",
        "See No. 5",
        "today.",
    ]
