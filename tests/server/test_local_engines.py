"""The local server's speech engines: espeak-ng speaks the words (a recognizer hears them), the fast
synthesizer stays the default; and /v1/asr recognises audio the server did not produce."""

from __future__ import annotations

import itertools
import json
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from local_wire import KEY, peak

from fishaudio_ext import BadRequestError, FishAudio
from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._codecs import encoder, probe
from fishaudio_ext.server._espeak import LIBRARY_STYLES, EspeakEngine
from fishaudio_ext.server._library import LIBRARY_VOICES
from tests.support.hearing import heard, word_error_rate

SENTENCE = "The quick brown fox jumps over the lazy dog."
ADRIAN, SARAH = "bf322df2096a46f18c579d0baa36f41d", "933563129e564b19a115bedd57b7406a"


@pytest.fixture(scope="module")
def speaking() -> Iterator[LocalServer]:
    with LocalServer(api_key=KEY, engine="espeak") as server:
        yield server


@pytest.fixture(scope="module")
def server_fast() -> Iterator[LocalServer]:
    with LocalServer(api_key=KEY) as server:
        yield server


@pytest.fixture
def client(speaking: LocalServer) -> Iterator[FishAudio]:
    speaking.reset()
    with FishAudio(base_url=speaking.url, api_key=KEY, max_retries=0) as client:
        yield client


def test_real_speech_carries_the_words(client: FishAudio, server_fast: LocalServer) -> None:
    # A recognizer limited to the sentence's words: pocketsphinx's open vocabulary misses too many of
    # espeak-ng's words for a stable bound (see the README's accuracy figures).
    audio = client.tts.convert(text=SENTENCE, format="mp3")
    assert word_error_rate(SENTENCE, heard(audio, SENTENCE)) <= 0.5
    # The same check tells the fast synthesizer's tones apart: no word of them is heard.
    with FishAudio(base_url=server_fast.url, api_key=KEY) as fast:
        tones = fast.tts.convert(text=SENTENCE, format="mp3")
        assert word_error_rate(SENTENCE, heard(tones, SENTENCE)) >= 0.75


def test_the_default_engines(speaking: LocalServer) -> None:
    assert speaking.engine == "espeak"
    with LocalServer() as fast:
        assert fast.engine == "fast"


def test_emotion_and_paralanguage_tags_are_not_read_aloud() -> None:
    engine = EspeakEngine()
    tagged = engine.synthesize(f"(happy) [laughs] {SENTENCE} (sighing)", sample_rate=16000)
    plain = engine.synthesize(SENTENCE, sample_rate=16000)
    assert [word.text for word in tagged.words] == SENTENCE.split()
    assert tagged.duration == pytest.approx(plain.duration, abs=0.05)  # not a syllable more


def test_each_library_voice_sounds_different() -> None:
    assert {voice.id for voice in LIBRARY_VOICES} == set(LIBRARY_STYLES)
    assert len(set(LIBRARY_STYLES.values())) == len(LIBRARY_STYLES)
    engine = EspeakEngine()
    audio = {
        voice: engine.synthesize(SENTENCE, sample_rate=16000, voices=[voice]).pcm for voice in LIBRARY_STYLES
    }
    for a, b in itertools.combinations(LIBRARY_STYLES, 2):
        assert audio[a] != audio[b], (a, b)
    assert (
        len({round(len(pcm) / 3200) for pcm in audio.values()}) > 1
    )  # rates differ too, to a tenth of a second


def test_speed_and_volume_apply(speaking: LocalServer) -> None:
    def pcm(**prosody: float) -> bytes:
        body = {"text": SENTENCE, "format": "pcm", "sample_rate": 16000, "prosody": prosody}
        headers = {"Authorization": f"Bearer {KEY}"}
        return httpx.post(f"{speaking.url}/v1/tts", json=body, headers=headers).content

    normal, fast, loud = pcm(speed=1.0), pcm(speed=2.0), pcm(volume=6.0)
    assert len(fast) < 0.65 * len(normal)
    assert peak(loud) / peak(normal) == pytest.approx(2, rel=0.25)


def _pitch(pcm: bytes) -> float:
    """The median fundamental frequency (Hz) of the loudest 40 ms frames of 16 kHz speech, by
    autocorrelation over 60-400 Hz (on every other sample: 8 kHz is plenty for a voice's pitch)."""
    samples = memoryview(pcm).cast("h")[::2]
    frames = [samples[i : i + 320] for i in range(0, len(samples) - 320, 320)]
    loud = sorted(frames, key=lambda f: -max(map(abs, f)))[:12]
    pitches = []
    for frame in loud:
        values = list(frame)
        lag = max(range(20, 134), key=lambda k: sum(a * b for a, b in zip(values, values[k:], strict=False)))
        pitches.append(8000 / lag)
    return statistics.median(pitches)


def test_a_speaker_tag_switches_the_voice() -> None:
    engine = EspeakEngine()
    both = engine.synthesize(f"<|speaker:0|>{SENTENCE} <|speaker:1|>{SENTENCE}", sample_rate=16000)
    split = round(both.words[len(SENTENCE.split())].start * 16000) * 2
    first, second = both.pcm[:split], both.pcm[split:]
    assert [w.text for w in both.words] == SENTENCE.split() * 2
    # Speaker 0 and 1 are different voices (f5 and m3): the same words, clearly different sound.
    assert _pitch(first) > 1.2 * _pitch(second)
    by_reference = engine.synthesize(f"<|speaker:1|>{SENTENCE}", sample_rate=16000, voices=[ADRIAN, SARAH])
    sarah = engine.synthesize(SENTENCE, sample_rate=16000, voices=[SARAH])
    adrian = engine.synthesize(SENTENCE, sample_rate=16000, voices=[ADRIAN])
    assert _pitch(by_reference.pcm) == pytest.approx(_pitch(sarah.pcm), rel=0.1)
    assert _pitch(sarah.pcm) > 1.2 * _pitch(adrian.pcm)


@pytest.mark.parametrize(
    ("audio_format", "sample_rate", "bitrate", "container"),
    [("mp3", 32000, 64, "mp3"), ("opus", 48000, 24000, "ogg"), ("wav", 8000, None, "wav")],
)
def test_requested_format_sample_rate_and_bitrate_are_honoured(
    speaking: LocalServer, audio_format: str, sample_rate: int, bitrate: int | None, container: str
) -> None:
    body: dict[str, object] = {"text": SENTENCE * 3, "format": audio_format, "sample_rate": sample_rate}
    if audio_format == "mp3":
        body["mp3_bitrate"] = bitrate
    if audio_format == "opus":
        body["opus_bitrate"] = bitrate
    response = httpx.post(f"{speaking.url}/v1/tts", json=body, headers={"Authorization": f"Bearer {KEY}"})
    info = probe(response.content)
    assert info is not None
    assert (info.format, info.sample_rate) == (container, sample_rate)
    if bitrate is not None:
        bits_per_second = bitrate * 1000 if audio_format == "mp3" else bitrate
        assert len(response.content) * 8 / info.duration == pytest.approx(bits_per_second, rel=0.3)


def test_word_timings_follow_the_sound(speaking: LocalServer) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    body = {"text": SENTENCE, "format": "wav", "sample_rate": 16000}
    with httpx.Client(base_url=speaking.url, headers=headers) as http:
        events = http.post("/v1/tts/stream/with-timestamp", json=body).text
        audio = http.post("/v1/tts", json=body).content
        asr = http.post(
            "/v1/asr", files={"audio": ("a.wav", audio)}, data={"ignore_timestamps": "false"}
        ).json()
    last = [json.loads(line[5:]) for line in events.splitlines() if line.startswith("data:")][-1]
    segments = last["alignment"]["segments"]
    assert [s["text"] for s in segments] == SENTENCE.split()
    # ASR of the served audio gives its own synthesis's timings (within the variation of espeak-ng).
    assert [s["text"] for s in asr["segments"]] == SENTENCE.split()
    for mine, served in zip(segments, asr["segments"], strict=True):
        assert mine["start"] == pytest.approx(served["start"], abs=0.03)
    assert all(s["start"] < s["end"] <= n["start"] for s, n in itertools.pairwise(segments))
    # Each word's span holds sound, and the silence after the sentence holds none.
    samples = memoryview(audio[44:]).cast("h")
    for segment in segments:
        span = samples[round(segment["start"] * 16000) : round(segment["end"] * 16000)]
        assert max(map(abs, span)) > 1000, segment
    tail = samples[round(segments[-1]["end"] * 16000) + 160 :]
    assert max(map(abs, tail), default=0) < 1000


def test_audio_from_elsewhere_is_recognised(client: FishAudio) -> None:
    # Made here, not by the server: it has never seen these bytes.
    wav = _wav(EspeakEngine().synthesize("please call stella and ask her", sample_rate=16000).pcm)
    result = client.asr.transcribe(audio=wav, language="en", include_timestamps=True)
    assert word_error_rate("please call stella and ask her", result.text) <= 0.5
    assert [segment.text for segment in result.segments] == result.text.split()
    assert result.language_code == "en"


def test_without_a_recognizer_other_audio_is_a_clear_400() -> None:
    # A fresh interpreter in which pocketsphinx cannot be imported.
    script = (
        "import sys; sys.modules['pocketsphinx'] = None\n"
        "from fishaudio_ext import FishAudio, BadRequestError\n"
        "from fishaudio_ext.server import LocalServer\n"
        "from fishaudio_ext.server._espeak import EspeakEngine\n"
        "from fishaudio_ext.server._codecs import encoder\n"
        "pcm = EspeakEngine().synthesize('hello there my friend', sample_rate=16000).pcm\n"
        "wav = encoder('wav', sample_rate=16000)\n"
        "with LocalServer() as s, FishAudio(base_url=s.url, api_key=s.api_key, max_retries=0) as c:\n"
        "    try:\n"
        "        c.asr.transcribe(audio=wav.encode(pcm) + wav.finish())\n"
        "    except BadRequestError as e:\n"
        "        print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "transcribes only audio it produced" in result.stdout, result.stderr
    assert "pip install 'fishaudio-ext[speech]'" in result.stdout


def test_without_espeak_the_engine_says_how_to_install_it() -> None:
    script = (
        "import sys; sys.modules['espeakng_loader'] = None\n"
        "from fishaudio_ext.server import LocalServer, EngineUnavailable\n"
        "try:\n"
        "    LocalServer(engine='espeak')\n"
        "except EngineUnavailable as e:\n"
        "    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "pip install 'fishaudio-ext[speech]'" in result.stdout, result.stderr


def test_other_languages_than_english_are_not_guessed(client: FishAudio) -> None:
    wav = _wav(EspeakEngine().synthesize("hello there my friend", sample_rate=16000).pcm)
    with pytest.raises(BadRequestError, match="English speech only"):
        client.asr.transcribe(audio=wav, language="fr")


def _wav(pcm: bytes) -> bytes:
    wav = encoder("wav", sample_rate=16000)
    return wav.encode(pcm) + wav.finish()


@pytest.mark.parametrize(("ini", "expected"), [("", "fast"), ("fish_audio_engine = espeak\n", "espeak")])
def test_the_pytest_fixture_engine_is_fast_unless_configured(tmp_path: Path, ini: str, expected: str) -> None:
    (tmp_path / "pytest.ini").write_text(f"[pytest]\n{ini}")
    (tmp_path / "test_app.py").write_text(
        "def test_engine(fish_audio_server, fish_audio_client):\n"
        f"    assert fish_audio_server.engine == {expected!r}\n"
        "    assert fish_audio_client.tts.convert(text='Hello there.')\n"
    )
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
