"""espeak-ng as a speech engine of the local server: real, intelligible speech, offline, from a wheel.

The library and its voice data come from the ``espeakng-loader`` wheel (the ``[speech]`` extra), loaded
at run time through ``ctypes``; nothing of espeak-ng (GPL-3.0-or-later) is part of this package. espeak-ng
speaks at 22,050 Hz and reports where each word starts; PyAV resamples to the requested rate, and a word
ends where its sound does (its trailing silence trimmed) before the next one starts.

Each library voice has its own espeak-ng voice variant, pitch and rate; ``<|speaker:N|>`` sections are
spoken by the N-th ``reference_id`` given, or else by the N-th of a set of distinct voices. Emotion and
paralanguage tags are not read aloud (:func:`~fishaudio_ext.server._speech.spoken_text`). espeak-ng keeps
global state, so one synthesis runs at a time (a lock); at ~1,000x real time that is rarely felt. Unlike the
fast engine, its samples are not byte-for-byte reproducible (its voices add a little random variation):
the same text gives the same words and timings to within a few milliseconds.
"""

from __future__ import annotations

import bisect
import ctypes
import importlib.util
import threading
from collections.abc import Sequence
from typing import Final

import attrs
import av

from ._speech import Speech, Word, check_synthesis_arguments, silence, speaker_sections

NATIVE_RATE: Final = 22050
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_CHARS_UTF8 = 1
_POSITION_CHARACTER = 1
_EVENT_LIST_TERMINATED, _EVENT_WORD = 0, 1
_RATE, _VOLUME, _PITCH, _RANGE = 1, 2, 3, 4
# espeak-ng's volume is linear up to 100 and compresses beyond, so prosody.volume=0 speaks 6 dB below it
# (peaks near -11 dBFS, as with the fast engine): +6 dB is still twice as loud, and +10 dB reaches full scale.
_FULL_VOLUME = 100
_HEADROOM_DB = 6.0
_DEFAULT_WORDS_PER_MINUTE = 175
_MIN_WORDS_PER_MINUTE, _MAX_WORDS_PER_MINUTE = 80, 450
# A word's sound ends at the last 5 ms block of its span louder than this (of 32767).
_SILENCE_LEVEL = 400
_BLOCK = NATIVE_RATE // 200
_INSTALL_HINT = "pip install 'fishaudio-ext[speech]'"


class EngineUnavailable(RuntimeError):
    """The engine's library is not installed (or cannot be loaded); the message says how to get it."""


@attrs.frozen
class VoiceStyle:
    """How one voice sounds in espeak-ng: its variant (``m3``, ``f2``...), pitch (0-100) and pitch range
    (0-100), and a rate relative to espeak-ng's 175 words per minute."""

    variant: str
    pitch: int
    pitch_range: int = 50
    rate: float = 1.0


# The library voices of the documentation (``_library.py``), each one recognisably itself.
LIBRARY_STYLES: Final = {
    "bf322df2096a46f18c579d0baa36f41d": VoiceStyle("m3", 38, 40, 0.95),  # Adrian: calm narrator
    "933563129e564b19a115bedd57b7406a": VoiceStyle("f2", 55, 55),  # Sarah: warm, friendly
    "802e3bc2b27e49c2995d23ef70e6ac89": VoiceStyle("m1", 58, 80, 1.12),  # Energetic Male
    "8ef4a238714b45718ce04243307c57a7": VoiceStyle("f4", 78, 70, 1.08),  # E-girl: bright, playful
    "b347db033a6549378b48d00acb0d06cd": VoiceStyle("f5", 45, 30, 0.9),  # Selene: soft, soothing
    "536d3a5e000945adb7038665781a4aca": VoiceStyle("m7", 30, 45),  # Ethan
    "ca3007f96ae7499ab87d27ea3599956a": VoiceStyle("m2", 48, 60, 1.04),  # Morgan: clear news reader
}
# Speakers that have no reference_id of their own (and voices not in the library) take these in turn.
SPEAKER_STYLES: Final = (
    VoiceStyle("f5", 50, 50, 0.9),
    VoiceStyle("m3", 42),
    VoiceStyle("f2", 62),
    VoiceStyle("m6", 32),
)
# espeak-ng's voice for the language guessed from the text (``_text.guess_language``).
_LANGUAGE_VOICES: Final = {"en": "en-us", "zh": "cmn", "ja": "ja", "ko": "ko", "ru": "ru", "ar": "ar"}


class _Event(ctypes.Structure):
    """espeak-ng's ``espeak_EVENT``."""

    _fields_ = (
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),  # 1-based, in characters
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),  # milliseconds
        ("sample", ctypes.c_int),  # samples since the start of the synthesis
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    )


_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


def espeak_installed() -> bool:
    """Whether the ``[speech]`` extra's espeak-ng is installed (without loading it)."""
    return importlib.util.find_spec("espeakng_loader") is not None


def style_of(voices: Sequence[str], speaker: int) -> VoiceStyle:
    """The style of ``<|speaker:speaker|>``: that speaker's reference voice if it is a library voice."""
    if speaker < len(voices) and voices[speaker] in LIBRARY_STYLES:
        return LIBRARY_STYLES[voices[speaker]]
    return SPEAKER_STYLES[speaker % len(SPEAKER_STYLES)]


class EspeakEngine:
    """Speech from espeak-ng. Raises :class:`EngineUnavailable` when the ``[speech]`` extra is missing.

    Example: ``EspeakEngine().synthesize("Hello there.", sample_rate=44100).duration``.
    """

    name = "espeak"
    _lock = threading.Lock()
    _library: ctypes.CDLL | None = None

    def __init__(self) -> None:
        self._lib = _load()
        self._pcm: list[bytes] = []
        self._starts: list[tuple[int, int]] = []  # (text position, sample) of each word event
        self._callback = _Callback(self._collect)  # kept alive as long as espeak-ng may call it

    def synthesize(
        self,
        text: str,
        *,
        sample_rate: int,
        speed: float = 1.0,
        volume_db: float = 0.0,
        voices: Sequence[str] = (),
        language: str = "en",
    ) -> Speech:
        """Speak ``text`` at ``sample_rate`` with the voices of its speakers (``voices[N]`` for speaker N).

        Same arguments and errors as :func:`~fishaudio_ext.server._speech.synthesize`.
        """
        check_synthesis_arguments(sample_rate=sample_rate, speed=speed, volume_db=volume_db)
        words: list[Word] = []
        pcm: list[bytes] = []
        samples = 0
        for speaker, tokens in speaker_sections(text):
            style = style_of(voices, speaker)
            native, starts = self._speak(" ".join(tokens), style, speed, volume_db, language)
            shift = samples / NATIVE_RATE
            words += [Word(w.text, w.start + shift, w.end + shift) for w in _words(tokens, starts, native)]
            pcm.append(native)
            samples += len(native) // 2
        if not words:
            return silence(sample_rate)
        return Speech(_resample(b"".join(pcm), sample_rate), sample_rate, tuple(words))

    def _speak(
        self, text: str, style: VoiceStyle, speed: float, volume_db: float, language: str
    ) -> tuple[bytes, list[tuple[int, int]]]:
        data = text.encode("utf-8")
        rate = round(_DEFAULT_WORDS_PER_MINUTE * style.rate * speed)
        with self._lock:
            self._pcm, self._starts = [], []
            self._lib.espeak_SetSynthCallback(self._callback)
            voice = f"{_LANGUAGE_VOICES.get(language, 'en-us')}+{style.variant}"
            if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                self._lib.espeak_SetVoiceByName(f"en-us+{style.variant}".encode())
            self._lib.espeak_SetParameter(
                _RATE, max(_MIN_WORDS_PER_MINUTE, min(_MAX_WORDS_PER_MINUTE, rate)), 0
            )
            volume = round(_FULL_VOLUME * 10 ** ((volume_db - _HEADROOM_DB) / 20))
            self._lib.espeak_SetParameter(_VOLUME, volume, 0)
            self._lib.espeak_SetParameter(_PITCH, style.pitch, 0)
            self._lib.espeak_SetParameter(_RANGE, style.pitch_range, 0)
            status = self._lib.espeak_Synth(
                data, len(data) + 1, 0, _POSITION_CHARACTER, 0, _CHARS_UTF8, None, None
            )
            if status != 0:
                raise RuntimeError(f"espeak-ng could not synthesize the text (status {status})")
            return b"".join(self._pcm), self._starts

    def _collect(
        self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: ctypes._Pointer[_Event]
    ) -> int:
        if count:
            self._pcm.append(ctypes.string_at(wav, 2 * count))
        index = 0
        while events[index].type != _EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == _EVENT_WORD:
                self._starts.append((event.text_position - 1, event.sample))
            index += 1
        return 0  # go on


def _words(tokens: Sequence[str], starts: Sequence[tuple[int, int]], pcm: bytes) -> list[Word]:
    """Time each token: from the first word event inside it to the end of its sound."""
    offsets, position = [], 0
    for token in tokens:
        offsets.append(position)
        position += len(token) + 1
    first_sample: list[int | None] = [None] * len(tokens)
    for text_position, sample in starts:
        index = bisect.bisect_right(offsets, text_position) - 1
        if 0 <= index < len(tokens) and first_sample[index] is None:
            first_sample[index] = sample
    total = len(pcm) // 2
    samples = memoryview(pcm).cast("h")
    words: list[Word] = []
    previous_end = 0
    for index, token in enumerate(tokens):
        start = first_sample[index]
        if start is None:  # nothing spoken for it (punctuation alone): an instant where it stands
            words.append(Word(token, previous_end / NATIVE_RATE, previous_end / NATIVE_RATE))
            continue
        start = max(start, previous_end)
        later = [s for s in first_sample[index + 1 :] if s is not None]
        limit = min(later[0], total) if later else total
        end = _sound_end(samples, start, max(start, limit))
        words.append(Word(token, start / NATIVE_RATE, end / NATIVE_RATE))
        previous_end = end
    return words


def _sound_end(samples: memoryview, start: int, limit: int) -> int:
    """The end of the last 5 ms block in ``[start, limit)`` louder than silence (``start`` if none)."""
    end = limit
    while end > start:
        block = samples[max(start, end - _BLOCK) : end]
        if max(block) > _SILENCE_LEVEL or -min(block) > _SILENCE_LEVEL:
            return end
        end -= _BLOCK
    return start


def _resample(pcm: bytes, sample_rate: int) -> bytes:
    """16-bit mono samples at 22,050 Hz to ``sample_rate``, through FFmpeg's resampler."""
    if sample_rate == NATIVE_RATE or not pcm:
        return pcm
    frame = av.AudioFrame(format="s16", layout="mono", samples=len(pcm) // 2)
    frame.planes[0].update(pcm)
    frame.sample_rate = NATIVE_RATE
    resampler = av.AudioResampler(format="s16", layout="mono", rate=sample_rate)
    out = [*resampler.resample(frame), *resampler.resample(None)]
    return b"".join(bytes(f.planes[0])[: 2 * f.samples] for f in out)


def _load() -> ctypes.CDLL:
    """Load and initialize libespeak-ng once per process."""
    with EspeakEngine._lock:
        if EspeakEngine._library is not None:
            return EspeakEngine._library
        try:
            import espeakng_loader
        except ImportError:
            raise EngineUnavailable(
                f"the espeak engine needs espeak-ng: {_INSTALL_HINT} (GPL-3.0), or use the fast engine"
            ) from None
        try:
            lib = ctypes.CDLL(espeakng_loader.get_library_path())
        except OSError as error:
            raise EngineUnavailable(
                f"espeak-ng could not be loaded ({error}); reinstall: {_INSTALL_HINT}"
            ) from None
        lib.espeak_Initialize.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int)
        lib.espeak_SetSynthCallback.argtypes = (_Callback,)
        lib.espeak_SetVoiceByName.argtypes = (ctypes.c_char_p,)
        lib.espeak_SetParameter.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_int)
        lib.espeak_Synth.argtypes = (
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        )
        data = espeakng_loader.get_data_path().encode()
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data, _INITIALIZE_DONT_EXIT)
        if rate != NATIVE_RATE:
            raise EngineUnavailable(
                f"espeak-ng did not start (it answered {rate}); reinstall: {_INSTALL_HINT}"
            )
        EspeakEngine._library = lib
        return lib
