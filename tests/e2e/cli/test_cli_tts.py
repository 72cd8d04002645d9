"""``fishaudio tts``: where the text comes from, where the audio goes, every synthesis option reaching the
audio, subtitles, playback, and long texts through long-form synthesis."""

from __future__ import annotations

import array
import json
import math
from decimal import Decimal
from pathlib import Path

import pytest
import srt
import webvtt
from cli_run import Run, audio, failed, leftovers, ok

from fishaudio_ext import FishAudio
from fishaudio_ext.longform import estimate, split_text
from fishaudio_ext.server import LocalServer, Pacing
from fishaudio_ext.server._codecs import decode_pcm
from tests.support.player import install_fake_player

SENTENCE = "The quick brown fox jumps over the lazy dog."
# Long enough for several pieces of long-form synthesis (at most chunk_length, 300, characters each).
CHAPTER = " ".join(f"Sentence number {n} of a chapter that is read aloud." for n in range(1, 25))


def loudness(data: bytes) -> float:
    """The RMS of ``data``'s samples, decoded to 16 kHz 16-bit mono."""
    pcm = decode_pcm(data, 16000)
    assert pcm
    samples = array.array("h", pcm)
    return math.sqrt(sum(sample * sample for sample in samples) / len(samples))


@pytest.mark.parametrize(
    ("name", "container"), [("hello.mp3", "mp3"), ("hello.wav", "wav"), ("hello.ogg", "ogg")]
)
def test_the_output_file_s_extension_picks_the_format(
    fishaudio: Run, tmp_path: Path, name: str, container: str
) -> None:
    assert ok(fishaudio("tts", SENTENCE, "-o", name)) == ""

    assert audio((tmp_path / name).read_bytes()).format == container
    assert leftovers(tmp_path) == []


def test_text_from_stdin_or_a_file_and_audio_to_stdout_when_it_is_not_a_terminal(
    fishaudio: Run, tmp_path: Path
) -> None:
    piped = fishaudio("tts", "-", "--format", "wav", input=SENTENCE.encode())
    (tmp_path / "text.txt").write_text(SENTENCE, encoding="utf-8")
    from_file = fishaudio("tts", "--file", "text.txt", "--format", "wav")

    assert piped.returncode == 0
    assert piped.stderr == b""
    assert audio(piped.stdout).format == "wav"
    assert from_file.stdout == piped.stdout  # the same text: the same audio (the engine is deterministic)


def test_an_extension_that_names_no_format_needs_format(fishaudio: Run, tmp_path: Path) -> None:
    line = failed(fishaudio("tts", SENTENCE, "-o", "speech.bin"), 2)
    assert "cannot tell the format" in line
    assert "--format" in line
    ok(fishaudio("tts", SENTENCE, "-o", "speech.bin", "--format", "wav"))
    assert audio((tmp_path / "speech.bin").read_bytes()).format == "wav"


def test_speed_volume_and_sample_rate_reach_the_audio(fishaudio: Run, tmp_path: Path) -> None:
    ok(fishaudio("tts", SENTENCE, "-o", "plain.wav"))
    ok(
        fishaudio(
            "tts", SENTENCE, "-o", "set.wav", "--speed", "2", "--volume", "12", "--sample-rate", "16000"
        )
    )
    plain, changed = (tmp_path / "plain.wav").read_bytes(), (tmp_path / "set.wav").read_bytes()

    assert audio(changed).sample_rate == 16000 != audio(plain).sample_rate
    assert audio(changed).duration < 0.7 * audio(plain).duration
    assert loudness(changed) > 2 * loudness(plain)


def test_a_config_file_sets_the_settings_and_options_override_it(fishaudio: Run, tmp_path: Path) -> None:
    (tmp_path / "voice.toml").write_text('sample_rate = 16000\nformat = "wav"\n[prosody]\nspeed = 2.0\n')
    (tmp_path / "voice.json").write_text(json.dumps({"sample_rate": 16000, "prosody": {"speed": 2.0}}))
    ok(fishaudio("tts", SENTENCE, "-o", "plain.wav"))
    ok(fishaudio("tts", SENTENCE, "--config", "voice.toml", "-o", "toml.wav"))
    ok(fishaudio("tts", SENTENCE, "--config", "voice.json", "-o", "json.wav", "--sample-rate", "24000"))
    plain = audio((tmp_path / "plain.wav").read_bytes())
    from_toml, from_json = (
        audio((tmp_path / "toml.wav").read_bytes()),
        audio((tmp_path / "json.wav").read_bytes()),
    )

    assert from_toml.sample_rate == 16000
    assert from_json.sample_rate == 24000
    assert from_toml.duration < 0.7 * plain.duration
    assert from_json.duration < 0.7 * plain.duration


def test_a_bad_config_file_is_a_usage_error(fishaudio: Run, tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"temprature": 0.5}')
    (tmp_path / "broken.toml").write_text("speed = ")
    assert "temprature" in failed(fishaudio("tts", SENTENCE, "--config", "bad.json", "-o", "x.mp3"), 2)
    assert "not valid toml" in failed(fishaudio("tts", SENTENCE, "--config", "broken.toml", "-o", "x.mp3"), 2)
    assert not (tmp_path / "x.mp3").exists()


def test_bitrate_sets_the_mp3_bitrate_and_is_refused_for_wav(fishaudio: Run, tmp_path: Path) -> None:
    ok(fishaudio("tts", SENTENCE, "-o", "low.mp3", "--bitrate", "64"))
    ok(fishaudio("tts", SENTENCE, "-o", "high.mp3", "--bitrate", "192"))
    low, high = (tmp_path / "low.mp3").read_bytes(), (tmp_path / "high.mp3").read_bytes()

    assert len(low) < 0.5 * len(high)
    assert audio(low).duration == pytest.approx(audio(high).duration, abs=0.1)
    assert "--bitrate applies to mp3 and opus" in failed(
        fishaudio("tts", SENTENCE, "-o", "x.wav", "--bitrate", "64"), 2
    )


def test_latency_is_sent(fishaudio: Run, fish_audio_server: LocalServer, tmp_path: Path) -> None:
    # Any latency but "balanced" would hold the first audio for two minutes, longer than the run may take.
    fish_audio_server.pacing = Pacing(first_chunk={"normal": 120.0, "low": 120.0})
    ok(fishaudio("tts", SENTENCE, "-o", "quick.mp3", "--latency", "balanced"))
    assert audio((tmp_path / "quick.mp3").read_bytes()).duration > 1


def test_model_is_sent(fishaudio: Run, fish_audio_server: LocalServer) -> None:
    before = fish_audio_server.credit()
    ok(fishaudio("tts", SENTENCE, "-o", "free.mp3", "--model", "s2.1-pro-free"))
    assert fish_audio_server.credit() == before  # that model costs nothing
    ok(fishaudio("tts", SENTENCE, "-o", "paid.mp3"))
    assert fish_audio_server.credit() == before - Decimal(len(SENTENCE)) * 15 / 1_000_000


def test_voice_is_an_id_or_the_title_of_one_of_your_voices(
    fishaudio: Run, fish_audio_client: FishAudio, tmp_path: Path
) -> None:
    sample = fish_audio_client.tts.convert(text="A sample of my voice.", format="wav")
    mine = fish_audio_client.voices.create(title="Narrator", voices=[bytes(sample)])
    ok(fishaudio("tts", SENTENCE, "-o", "by-title.wav", "--voice", "narrator"))
    ok(fishaudio("tts", SENTENCE, "-o", "by-id.wav", "--voice", mine.id))

    assert fish_audio_client.voices.get(mine.id).task_count == 2  # the server counts each use of a voice
    assert audio((tmp_path / "by-title.wav").read_bytes()).duration > 1

    assert "no voice of yours" in failed(fishaudio("tts", SENTENCE, "-o", "x.wav", "--voice", "Nobody"), 2)
    twin = fish_audio_client.voices.create(title="NARRATOR", voices=[bytes(sample)])
    line = failed(fishaudio("tts", SENTENCE, "-o", "x.wav", "--voice", "Narrator"), 2)
    assert mine.id in line
    assert twin.id in line
    unknown = failed(fishaudio("tts", SENTENCE, "-o", "x.wav", "--voice", "0" * 32), 1)
    assert unknown.startswith("fishaudio tts: ReferenceNotFoundError: HTTP 400")
    assert not (tmp_path / "x.wav").exists()


@pytest.mark.parametrize("suffix", [".srt", ".vtt"])
def test_subtitles_are_timed_on_the_audio(fishaudio: Run, tmp_path: Path, suffix: str) -> None:
    text = "First sentence of the clip. And here is the second one."
    ok(fishaudio("tts", text, "-o", "clip.wav", "--subtitles", f"clip{suffix}"))
    duration = audio((tmp_path / "clip.wav").read_bytes()).duration
    captions = (tmp_path / f"clip{suffix}").read_text(encoding="utf-8")

    if suffix == ".srt":
        cues = [(c.content, c.start.total_seconds(), c.end.total_seconds()) for c in srt.parse(captions)]
    else:
        cues = [(c.text, c.start_in_seconds, c.end_in_seconds) for c in webvtt.from_string(captions)]
    assert " ".join(" ".join(content.split()) for content, _, _ in cues) == text
    assert cues[0][1] == 0
    assert cues[-1][2] <= duration + 0.01
    assert [start for _, start, _ in cues] == sorted(start for _, start, _ in cues)
    assert leftovers(tmp_path) == []


def test_play_plays_what_it_writes(fishaudio: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "player").mkdir()
    played = install_fake_player(tmp_path / "player", monkeypatch)
    ok(fishaudio("tts", SENTENCE, "-o", "played.mp3", "--play"))
    assert played() == [(tmp_path / "played.mp3").read_bytes()]


def test_a_long_text_goes_through_long_form_synthesis_with_a_checkpoint(
    fishaudio: Run, fish_audio_server: LocalServer, tmp_path: Path
) -> None:
    pieces = len(split_text(CHAPTER))
    assert pieces > 2
    (tmp_path / "chapter.txt").write_text(CHAPTER, encoding="utf-8")
    ok(
        fishaudio(
            "tts", "-f", "chapter.txt", "-o", "chapter.wav", "--checkpoint", "parts", "--concurrency", "2"
        )
    )
    credit = fish_audio_server.credit()
    ok(fishaudio("tts", "-f", "chapter.txt", "-o", "again.wav", "--checkpoint", "parts"))

    assert len(list((tmp_path / "parts").iterdir())) == pieces
    assert fish_audio_server.credit() == credit  # every piece came from the checkpoint
    whole = (tmp_path / "chapter.wav").read_bytes()
    assert whole == (tmp_path / "again.wav").read_bytes()
    assert audio(whole).duration > pieces * 2


def test_concurrency_bounds_the_pieces_in_flight(fishaudio: Run, fish_audio_server: LocalServer) -> None:
    fish_audio_server.concurrency_limit = 1  # a second request at once would get a 429
    result = fishaudio("tts", CHAPTER, "-o", "chapter.mp3", "--concurrency", "1", "-v")
    assert result.returncode == 0
    log = result.stderr.decode()
    assert log.count("/v1/tts -> 200") == len(split_text(CHAPTER))
    assert "-> 429" not in log


def test_max_cost_refuses_a_dearer_job_before_sending(
    fishaudio: Run, fish_audio_server: LocalServer, tmp_path: Path
) -> None:
    before = fish_audio_server.credit()
    line = failed(fishaudio("tts", CHAPTER, "-o", "chapter.mp3", "--max-cost", "0.001"), 2)
    assert line.startswith("fishaudio tts: BudgetExceededError: The job costs USD")
    assert fish_audio_server.credit() == before
    assert list(tmp_path.iterdir()) == []


def test_estimate_prints_the_price_and_sends_nothing(fishaudio: Run, fish_audio_server: LocalServer) -> None:
    before = fish_audio_server.credit()
    cost = estimate(CHAPTER, model="s1")
    shown = ok(fishaudio("tts", CHAPTER, "--estimate"))
    as_json = json.loads(ok(fishaudio("tts", CHAPTER, "--estimate", "--json")))

    assert f"USD {cost.usd:.4f}" in shown
    assert f"{cost.pieces} piece" in shown
    assert as_json == {"usd": cost.usd, "utf8_bytes": cost.utf8_bytes, "pieces": cost.pieces, "model": "s1"}
    assert fish_audio_server.credit() == before


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        ((), "give the text to speak"),
        ((SENTENCE, "--file", "x.txt"), "not both"),
        (("",), "ValidationError"),
        ((SENTENCE, "--speed", "9"), "ValidationError: prosody.speed=9.0 is out of range"),
        ((SENTENCE, "--subtitles", "x.txt"), ".srt or .vtt"),
        ((SENTENCE, "--subtitles", "x.srt", "--checkpoint", "parts"), "--subtitles takes one request"),
        ((SENTENCE, "--format", "flac"), "argument --format: invalid choice"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(fishaudio: Run, args: tuple[str, ...], complaint: str) -> None:
    assert complaint in failed(fishaudio("tts", *args, "-o", "out.mp3"), 2)


def test_a_book_length_text_is_priced_at_once(fishaudio: Run, tmp_path: Path) -> None:
    book = "Hello world. " * 32_000  # 416 kB of sentences: splitting it once took minutes
    (tmp_path / "book.txt").write_text(book, encoding="utf-8")
    priced = json.loads(ok(fishaudio("tts", "--file", "book.txt", "--estimate", "--json")))  # 60 s at most
    expected = estimate(book, model="s1")
    assert (priced["utf8_bytes"], priced["pieces"]) == (expected.utf8_bytes, expected.pieces)
    assert expected.pieces == len(split_text(book)) > 1000


def test_wav_redirected_to_a_file_gets_real_sizes_and_appended_wav_is_left_as_streamed(
    fish_audio_server: LocalServer, tmp_path: Path
) -> None:
    import subprocess
    import wave

    from cli_run import FISHAUDIO, environment

    def redirected(path: Path, mode: str) -> None:
        with path.open(mode) as stdout:
            subprocess.run(
                [str(FISHAUDIO), "tts", SENTENCE, "--format", "wav"],
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                check=True,
                env=environment(fish_audio_server),
                timeout=60,
            )

    redirected(tmp_path / "speech.wav", "wb")  # `> speech.wav`
    redirected(tmp_path / "appended.wav", "ab")  # `>> appended.wav`: writes go to the end, whatever the seek

    with wave.open(str(tmp_path / "speech.wav")) as speech:
        seconds = speech.getnframes() / speech.getframerate()
    assert 1 < seconds < 10  # not the 24.8 hours of the streamed header's placeholder
    appended = (tmp_path / "appended.wav").read_bytes()
    assert audio(appended).format == "wav"
    assert len(appended) == (tmp_path / "speech.wav").stat().st_size  # nothing written twice
