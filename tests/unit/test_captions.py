"""Captions: words merged into readable cues, markup left out, CJK broken between characters, and SRT/VTT
that standard parsers read, with no overlapping or zero-length cue whatever the timings."""

# ruff: noqa: RUF001  (the CJK tests are written in full-width punctuation on purpose)

from __future__ import annotations

import io
import json
from datetime import timedelta
from itertools import pairwise

import pytest
import srt
import webvtt
from fishaudio_api.models import ASRResponse, ASRSegment, TTSTimestampAlignment, TTSTimestampSegment

from fishaudio_ext import TimedSegment, TimestampedAudio, ValidationError, captions
from fishaudio_ext._audio_bytes import AudioBytes
from fishaudio_ext._timestamps import Timeline


def timed(*items: tuple[str, float, float]) -> list[TimedSegment]:
    return [TimedSegment(text, start, end, 0) for text, start, end in items]


def evenly(text: str, seconds_per_word: float = 0.4) -> list[TimedSegment]:
    return [
        TimedSegment(word, i * seconds_per_word, (i + 1) * seconds_per_word, 0)
        for i, word in enumerate(text.split())
    ]


def parsed_srt(text: str) -> list[srt.Subtitle]:
    return list(srt.parse(text))


def parsed_vtt(text: str) -> list[webvtt.Caption]:
    return list(webvtt.from_buffer(io.StringIO(text)))


def assert_well_formed(cues: list[captions.Cue]) -> None:
    for cue in cues:
        assert cue.end > cue.start, f"zero-length cue {cue}"
        assert all(line.strip() for line in cue.lines)
    for before, after in pairwise(cues):
        assert after.start >= before.end, f"{before} overlaps {after}"


def test_words_merge_into_cues_that_end_at_sentence_ends() -> None:
    source = evenly("Hello there, world. This is the second sentence.")
    cues = captions.cues(source)
    assert [cue.text for cue in cues] == ["Hello there, world.", "This is the second sentence."]
    assert (cues[0].start, cues[0].end) == (0.0, 1.2)
    assert (cues[1].start, cues[1].end) == (1.2, 3.2)


def test_lines_respect_max_chars_and_cues_max_lines() -> None:
    text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    cues = captions.cues(evenly(text, 0.1), max_chars=16, max_lines=2)
    for cue in cues:
        assert len(cue.lines) <= 2
        assert all(len(line) <= 16 for line in cue.lines)
    assert " ".join(" ".join(cue.lines) for cue in cues) == text  # every word, in order, once
    assert len(cues) > 1


def test_a_cue_lasts_at_most_max_duration() -> None:
    cues = captions.cues(evenly("a b c d e f g h i j", 1.0), max_duration=3.0)
    assert [cue.text for cue in cues] == ["a b c", "d e f", "g h i", "j"]
    assert all(cue.end - cue.start <= 3.0 for cue in cues)


def test_a_clause_end_closes_a_cue_once_it_is_half_full() -> None:
    text = "Well, this sentence runs on for a while, and then it goes on further."
    cues = captions.cues(evenly(text, 0.1), max_chars=20, max_lines=2)
    assert [cue.text for cue in cues] == [
        "Well, this sentence\nruns on for a while,",
        "and then it goes on\nfurther.",
    ]


def test_a_new_line_starts_after_a_clause_end_when_the_rest_fits() -> None:
    cues = captions.cues(evenly("Yes, we all agree, I think we should go", 0.1), max_chars=24)
    assert cues[0].lines == ("Yes, we all agree,", "I think we should go")


def test_markup_that_is_not_spoken_is_left_out() -> None:
    source = timed(
        ("<|speaker:0|>(happy)Hello", 0.0, 0.5),
        ("[laugh]", 0.5, 0.9),
        ("(in a hurry tone) there.", 0.9, 1.4),
        ("<|speaker:1|>Answer", 1.5, 2.0),
        ("(2024)", 2.0, 2.4),
    )
    cues = captions.cues(source)
    assert [cue.text for cue in cues] == ["Hello there.", "Answer (2024)"]  # a year is words, kept
    words = json.loads(captions.to_json(source))["words"]
    assert [w["text"] for w in words] == ["Hello", "there.", "Answer", "(2024)"]


def test_cjk_breaks_between_characters_never_before_closing_punctuation() -> None:
    text = "这是一个很长的句子，用来测试中文的断行是否合理，以及标点符号的位置。"
    cues = captions.cues([TimedSegment(text, 0.0, 6.0, 0)], max_chars=12)
    lines = [line for cue in cues for line in cue.lines]
    assert "".join(lines) == text  # no spaces inserted between characters
    assert all(len(line) <= 12 for line in lines)
    assert not any(line[0] in "，。、" for line in lines)
    assert lines[0].endswith("，")  # the line breaks at the clause end when the rest fits


def test_japanese_per_character_alignment_joins_without_spaces() -> None:
    source = timed(
        ("こん", 0.0, 0.3), ("にち", 0.3, 0.6), ("は。", 0.6, 0.9), ("元気", 1.0, 1.3), ("？", 1.3, 1.4)
    )
    assert [cue.text for cue in captions.cues(source)] == ["こんにちは。", "元気？"]


def test_empty_text_gives_no_cues_and_still_valid_files() -> None:
    for source in ([], timed(("", 0.0, 0.0)), timed(("[laugh]", 0.0, 1.0))):
        assert captions.cues(source) == []
        assert parsed_srt(captions.to_srt(source)) == []
        assert captions.to_vtt(source).startswith("WEBVTT")
        assert parsed_vtt(captions.to_vtt(source)) == []
        assert json.loads(captions.to_json(source)) == {"words": []}


def test_one_word_with_no_duration_gets_a_cue_that_lasts() -> None:
    cues = captions.cues(timed(("Hi.", 1.0, 1.0)))
    assert len(cues) == 1
    assert cues[0].end > cues[0].start
    (subtitle,) = parsed_srt(captions.to_srt(timed(("Hi.", 1.0, 1.0))))
    assert subtitle.content == "Hi."
    assert subtitle.end > subtitle.start


def test_overlapping_and_disordered_timings_give_ordered_cues() -> None:
    source = timed(("Second.", 2.0, 3.0), ("First.", 0.0, 2.5), ("Third.", 2.9, 2.9), ("Fourth.", -1.0, -0.5))
    cues = captions.cues(source)
    assert_well_formed(cues)
    subtitles = parsed_srt(captions.to_srt(source))
    for before, after in pairwise(subtitles):
        assert after.start >= before.end


def test_a_chunk_that_never_got_an_alignment_is_captioned_over_its_audio() -> None:
    def alignment(text: str, end: float) -> TTSTimestampAlignment:
        return TTSTimestampAlignment([TTSTimestampSegment(text, 0.0, end)], end)

    timeline = Timeline()
    timeline = timeline.updated(0, 0.0, alignment("First chunk.", 1.0), "First chunk.")
    timeline = timeline.updated(1, 1.5, None, "Never timed.")  # all of chunk 1's snapshots were null
    timeline = timeline.updated(1, 1.5, None, "Never timed.")
    assert [s.text for s in timeline.segments] == ["First chunk."]  # its end is not known yet
    timeline = timeline.updated(2, 3.0, alignment("Third chunk.", 1.0), "Third chunk.")

    assert [(s.text, s.start, s.end, s.estimated) for s in timeline.segments] == [
        ("First chunk.", 0.0, 1.0, False),
        ("Never timed.", 1.5, 3.0, True),
        ("Third chunk.", 3.0, 4.0, False),
    ]
    cues = captions.cues(timeline)
    assert [(cue.text, cue.start, cue.end) for cue in cues] == [
        ("First chunk.", 0.0, 1.0),
        ("Never timed.", 1.5, 3.0),
        ("Third chunk.", 3.0, 4.0),
    ]
    assert_well_formed(cues)


def test_a_chunk_without_any_alignment_or_text_leaves_a_gap_not_an_error() -> None:
    timeline = Timeline({0: (TimedSegment("One.", 0.0, 1.0, 0),), 2: (TimedSegment("Three.", 3.0, 4.0, 2),)})
    assert [cue.text for cue in captions.cues(timeline)] == ["One.", "Three."]


def test_srt_output_parses_with_the_srt_library() -> None:
    source = TimestampedAudio(
        AudioBytes(b""), tuple(evenly("Hello there, world. Captions that parse. Three cues in all.", 0.45))
    )
    subtitles = parsed_srt(captions.to_srt(source))
    assert [s.content for s in subtitles] == [
        "Hello there, world.",
        "Captions that parse.",
        "Three cues in all.",
    ]
    assert [s.index for s in subtitles] == [1, 2, 3]
    assert subtitles[0].start == timedelta(0)
    assert subtitles[-1].end == timedelta(seconds=4.5)


def test_vtt_output_parses_with_webvtt_and_escapes_markup_characters() -> None:
    source = timed(
        ("Fish", 0.0, 0.5), ("&", 0.5, 0.7), ("<chips>", 0.7, 1.2), ("-->", 1.2, 1.5), ("end.", 1.5, 2.0)
    )
    text = captions.to_vtt(source)
    (caption,) = parsed_vtt(text)
    assert caption.text == "Fish &amp; &lt;chips&gt; --&gt; end."  # WebVTT's escapes, read back as written
    assert (caption.start, caption.end) == ("00:00:00.000", "00:00:02.000")


def test_timestamps_past_an_hour() -> None:
    source = timed(("Late.", 3723.0, 3723.25))
    (caption,) = parsed_vtt(captions.to_vtt(source))
    assert (caption.start, caption.end) == ("01:02:03.000", "01:02:03.250")
    (subtitle,) = parsed_srt(captions.to_srt(source))
    assert subtitle.end == timedelta(hours=1, minutes=2, seconds=3, milliseconds=250)


def test_from_a_transcript_with_segments_and_without() -> None:
    transcript = ASRResponse(
        text="Hello world. Goodbye now.",
        duration=3.0,
        segments=[ASRSegment("Hello world.", 0.0, 1.0), ASRSegment("Goodbye now.", 1.5, 3.0)],
    )
    assert [(c.text, c.start, c.end) for c in captions.cues(transcript)] == [
        ("Hello world.", 0.0, 1.0),
        ("Goodbye now.", 1.5, 3.0),
    ]
    words = json.loads(captions.to_json(transcript))["words"]
    assert words[:2] == [
        {"text": "Hello", "start": 0.0, "end": 0.455},
        {"text": "world.", "start": 0.455, "end": 1.0},
    ]

    untimed = ASRResponse(text="Hello world.", duration=1.2, segments=[])
    assert [(c.text, c.start, c.end) for c in captions.cues(untimed)] == [("Hello world.", 0.0, 1.2)]


def test_a_long_transcript_segment_is_cut_into_cues() -> None:
    sentence = "word " * 40
    transcript = ASRResponse(text=sentence, duration=20.0, segments=[ASRSegment(sentence, 0.0, 20.0)])
    cues = captions.cues(transcript)
    assert len(cues) > 2
    assert_well_formed(cues)
    assert all(cue.end - cue.start <= captions.MAX_DURATION for cue in cues)


@pytest.mark.parametrize(
    ("source", "field"),
    [
        ("just a string", "source"),
        (42, "source"),
        (iter([TimedSegment("Hi.", 0.0, 1.0, 0)]), "source"),
        ([object()], "segments[0]"),
        (timed(("ok", 0.0, float("nan"))), "segments[0]"),
    ],
)
def test_a_source_without_timed_text_is_a_validation_error(source: object, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        captions.to_srt(source)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"max_chars": 0}, "max_chars"),
        ({"max_lines": 1.5}, "max_lines"),
        ({"max_duration": 0}, "max_duration"),
    ],
)
def test_bad_options_are_validation_errors(options: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        captions.to_vtt(evenly("Hi."), **options)  # type: ignore[arg-type]
    assert raised.value.field == field
