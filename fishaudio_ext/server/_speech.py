"""A tiny deterministic "speech" synthesizer for the local server: words become voiced sounds.

It is not a TTS model. Each word is a run of syllables, each syllable a few harmonics with a pitch contour
and a smooth amplitude envelope, so the audio looks and sounds like speech to codecs, players and
level meters, and its length follows the text the way real speech does (about 65 ms per letter at
``speed=1``, a short pause between words, longer pauses at punctuation). The same input always gives the
same bytes.

Syllable waveforms are computed once and cached; a request mostly concatenates cached bytes, which keeps
30 s of 44.1 kHz audio well under a tenth of a second.
"""

from __future__ import annotations

import array
import functools
import itertools
import math
import re
import sys
import zlib

import attrs

_SECONDS_PER_LETTER = 0.065
_EMPTY_SECONDS = 0.25
_DEFAULT_LEVEL_DB = -12.0  # peak level at volume_db=0, so +12 dB reaches full scale and more just clips
_FULL_SCALE = 32767
_MIN_SPEED, _MAX_SPEED = 0.5, 2.0
_MIN_SAMPLE_RATE = 8000

# Silence after a word, in letters, for the punctuation it carries (ASCII and CJK full-width forms).
_CLAUSE_END = ",;:\uff0c\u3001\uff1b\uff1a"
_SENTENCE_END = ".!?\u3002\uff01\uff1f\u2026"
_QUESTION = "?\uff1f"
_PAUSE_LETTERS = dict.fromkeys(_CLAUSE_END, 3) | dict.fromkeys(_SENTENCE_END, 6)
_LETTERS_PER_SYLLABLE = 3
# Relative amplitudes of the harmonics: a vowel-like buzz rather than a beep.
_HARMONICS = (1.0, 0.6, 0.45, 0.3, 0.2, 0.1)
# Speaker N talks at _BASE_PITCH_HZ * _SPEAKER_PITCH[N % len(_SPEAKER_PITCH)].
_BASE_PITCH_HZ = 150.0
_SPEAKER_PITCH = (1.0, 1.45, 0.8, 1.2)
_TABLE_SIZE = 4096  # samples in the wavetable holding one period of the harmonics
_TABLE_MASK = _TABLE_SIZE - 1
_PITCH_DEPTH = 0.15  # how far a contour moves the pitch, relative to the speaker's pitch
_RISE, _FALL, _ARCH, _DIP = range(4)

_SPEAKER_TAG = re.compile(r"<\|speaker:(\d+)\|>")
_TAGS = re.compile(r"<\|speaker:\d+\|>|\([^()]*\)|\[[^\[\]]*\]")


@attrs.frozen
class Word:
    """One spoken word (as written, punctuation included) and when it sounds, in seconds."""

    text: str
    start: float
    end: float


@attrs.frozen
class Speech:
    """Synthesized audio: 16-bit little-endian mono samples, their rate, and the timing of each word.

    ``" ".join(w.text for w in speech.words)`` is the spoken text of the request.
    """

    pcm: bytes
    sample_rate: int
    words: tuple[Word, ...]

    @property
    def duration(self) -> float:
        """Length of the audio in seconds."""
        return len(self.pcm) / 2 / self.sample_rate


def spoken_text(text: str) -> str:
    """Return the words that are actually spoken: tags removed, whitespace collapsed.

    Removes speaker tags (``<|speaker:0|>``), parenthesised emotion tags (``(happy)``) and bracketed
    S2 tags (``[whisper]``). Example: ``spoken_text("<|speaker:1|>(happy) Hi  [laughs] there")`` is
    ``"Hi there"``.
    """
    return " ".join(_TAGS.sub(" ", text).split())


def synthesize(text: str, *, sample_rate: int, speed: float = 1.0, volume_db: float = 0.0) -> Speech:
    """Turn ``text`` into speech-like audio at ``sample_rate``.

    ``speed`` (0.5-2.0) divides the duration; ``volume_db`` scales the amplitude by 10^(dB/20), clipping
    at full scale. Text with nothing to say gives 0.25 s of silence. Each ``<|speaker:N|>`` section is
    voiced at that speaker's pitch. Raises ValueError for a speed out of range, a non-finite volume or a
    sample rate below 8000 Hz. Example: ``synthesize("Hello world.", sample_rate=44100).duration``.
    """
    check_synthesis_arguments(sample_rate=sample_rate, speed=speed, volume_db=volume_db)
    letter = round(sample_rate * _SECONDS_PER_LETTER / speed)
    amplitude = _FULL_SCALE * 10 ** ((_DEFAULT_LEVEL_DB + volume_db) / 20)
    chunks: list[bytes] = []
    words: list[Word] = []
    samples = 0
    for speaker, token in _tokens(text):
        if words:  # the space between two words
            chunks.append(bytes(2 * letter))
            samples += letter
        start = samples
        for letters, contour in _syllables(token):
            chunk = _syllable(sample_rate, letters * letter, _speaker_pitch(speaker), contour, amplitude)
            chunks.append(chunk)
            samples += len(chunk) // 2
        words.append(Word(token, start / sample_rate, samples / sample_rate))
        pause = letter * sum(_PAUSE_LETTERS.get(char, 0) for char in token)
        chunks.append(bytes(2 * pause))
        samples += pause
    if not words:
        return silence(sample_rate)
    return Speech(b"".join(chunks), sample_rate, tuple(words))


def check_synthesis_arguments(*, sample_rate: int, speed: float, volume_db: float) -> None:
    """Raise ValueError for a speed out of 0.5-2.0, a non-finite volume or a rate below 8000 Hz."""
    if not _MIN_SPEED <= speed <= _MAX_SPEED:
        raise ValueError(f"speed must be between {_MIN_SPEED} and {_MAX_SPEED}, got {speed}")
    if not math.isfinite(volume_db):
        raise ValueError(f"volume must be a finite number of dB, got {volume_db}")
    if sample_rate < _MIN_SAMPLE_RATE:
        raise ValueError(f"sample_rate must be at least {_MIN_SAMPLE_RATE} Hz, got {sample_rate}")


def silence(sample_rate: int) -> Speech:
    """What text with nothing to say gives: 0.25 s of silence."""
    return Speech(bytes(2 * round(sample_rate * _EMPTY_SECONDS)), sample_rate, ())


def speaker_sections(text: str) -> list[tuple[int, list[str]]]:
    """The spoken words of ``text`` by speaker, in order: ``[(speaker, words), ...]``.

    Text before the first speaker tag is speaker 0. Example:
    ``speaker_sections("Hi <|speaker:1|>(sad) Bye now")`` is ``[(0, ["Hi"]), (1, ["Bye", "now"])]``.
    """
    parts = _SPEAKER_TAG.split(text)  # [text, speaker, text, speaker, text, ...]
    speakers = [0, *(int(number) for number in parts[1::2])]
    sections: list[tuple[int, list[str]]] = []
    for speaker, part in zip(speakers, parts[::2], strict=True):
        words = spoken_text(part).split()
        if not words:
            continue
        if sections and sections[-1][0] == speaker:
            sections[-1][1].extend(words)
        else:
            sections.append((speaker, words))
    return sections


def _tokens(text: str) -> list[tuple[int, str]]:
    """Split text into (speaker, word) pairs; text before the first speaker tag is speaker 0."""
    return [(speaker, word) for speaker, words in speaker_sections(text) for word in words]


def _speaker_pitch(speaker: int) -> float:
    return _BASE_PITCH_HZ * _SPEAKER_PITCH[speaker % len(_SPEAKER_PITCH)]


def _syllables(token: str) -> list[tuple[int, int]]:
    """Split a word's letters into syllables of 1-3 letters, each with a pitch contour.

    Contours are picked from a checksum of the word (stable across runs, unlike ``hash``); the last
    syllable before a full stop falls and before a question mark rises, as in speech.
    """
    letters = sum(char.isalnum() for char in token)
    count = -(-letters // _LETTERS_PER_SYLLABLE)
    result = []
    for index in range(count):
        size = letters // count + (index < letters % count)
        contour = zlib.crc32(f"{token}:{index}".encode()) % 4
        result.append((size, contour))
    if result and any(char in _QUESTION for char in token):
        result[-1] = (result[-1][0], _RISE)
    elif result and any(char in _SENTENCE_END for char in token):
        result[-1] = (result[-1][0], _FALL)
    return result


@functools.lru_cache(maxsize=256)
def _syllable(sample_rate: int, length: int, pitch: float, contour: int, amplitude: float) -> bytes:
    """Return one voiced syllable as 16-bit little-endian samples peaking at ``amplitude`` (clipped).

    Written as comprehensions over a wavetable rather than a per-sample loop: several times faster.
    """
    step = _TABLE_SIZE * pitch / sample_rate
    offsets = _contour(contour, length)
    phases = itertools.accumulate(step * (1 + _PITCH_DEPTH * offset) for offset in offsets)
    table = _wavetable()
    values = [amplitude * table[int(phase) & _TABLE_MASK] for phase in phases]
    fade = length // 4
    ramp = [0.5 - 0.5 * math.cos(math.pi * i / fade) for i in range(fade)]
    values[:fade] = [v * r for v, r in zip(values[:fade], ramp, strict=True)]
    values[length - fade :] = [v * r for v, r in zip(values[length - fade :], reversed(ramp), strict=True)]
    if amplitude > _FULL_SCALE:
        values = [max(-_FULL_SCALE, min(_FULL_SCALE, v)) for v in values]
    pcm = array.array("h", map(round, values))
    if sys.byteorder == "big":
        pcm.byteswap()
    return pcm.tobytes()


def _contour(shape: int, length: int) -> list[float]:
    """Pitch offsets in [-0.5, 0.5] for each sample of a syllable of ``length`` samples."""
    if shape in (_RISE, _FALL):
        sign = 1 if shape == _RISE else -1
        return [sign * (i / length - 0.5) for i in range(length)]
    sign = 1 if shape == _ARCH else -1
    return [sign * (math.sin(math.pi * i / length) - 0.5) for i in range(length)]


@functools.cache
def _wavetable() -> list[float]:
    """One period of the harmonic mix, scaled so its peak is exactly 1."""
    cycle = [
        sum(a * math.sin(2 * math.pi * k * i / _TABLE_SIZE) for k, a in enumerate(_HARMONICS, 1))
        for i in range(_TABLE_SIZE)
    ]
    peak = max(map(abs, cycle))
    return [value / peak for value in cycle]
