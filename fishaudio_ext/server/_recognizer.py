"""Speech recognition for audio the local server did not produce: pocketsphinx and its English model.

Audio the server produced is never recognised here: ``/v1/asr`` gives back its exact text and word timings
from what it remembers. Other audio goes to pocketsphinx (the ``[speech]`` extra, BSD-2-Clause), which
ships a US English model; on espeak-ng's speech its word error rate is ~44 % in the clearest voices and
80-95 % in others (``scripts/bench``, ``server_asr_wer``): it tells speech that says the words from noise,
it is no transcription service. Without pocketsphinx, :func:`recognize` raises :class:`NoRecognizer`.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from typing import TYPE_CHECKING, Any, Final

from ._codecs import decode_pcm
from ._speech import Word

if TYPE_CHECKING:
    from ._state import Transcript

SAMPLE_RATE: Final = 16000  # what the English model was trained on
_FRAMES_PER_SECOND = 100  # pocketsphinx's default frame rate
_ALTERNATE = re.compile(r"\(\d+\)$")  # "read(2)": the second pronunciation of "read"
LANGUAGES: Final = ("en",)
_SILENCE_PEAK = 100  # of 32767 (-50 dBFS): audio never louder than this says nothing


class NoRecognizer(Exception):
    """No recognizer can transcribe this audio; the message says why and what to install."""


_lock = threading.Lock()
_decoder: Any = None
_initial_cmn = ""


def recognizer_installed() -> bool:
    """Whether pocketsphinx is installed (without loading its model)."""
    return importlib.util.find_spec("pocketsphinx") is not None


def recognize(audio: bytes, language: str | None = None) -> Transcript:
    """Transcribe decodable ``audio`` with pocketsphinx: its words, their timings, the duration.

    Raises :class:`NoRecognizer` without pocketsphinx or for a ``language`` other than English, and
    ValueError for audio FFmpeg cannot decode.
    """
    from ._state import Transcript

    if language and language.lower().split("-")[0] not in LANGUAGES:
        raise NoRecognizer(f"the local server recognises English speech only, not {language!r}")
    pcm = decode_pcm(audio, SAMPLE_RATE)
    if pcm is None:
        raise ValueError("the audio could not be decoded")
    duration = len(pcm) / 2 / SAMPLE_RATE
    if _peak(pcm) < _SILENCE_PEAK:  # the recognizer would hear words in silence
        return Transcript("", (), duration, "")
    with _lock:
        decoder = _english_decoder()
        # pocketsphinx adapts its cepstral mean to each utterance: start from the same one every time, so
        # the same audio always gives the same words, whatever was transcribed before.
        decoder.set_cmn(_initial_cmn)
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        words = [
            Word(
                _ALTERNATE.sub("", segment.word),
                segment.start_frame / _FRAMES_PER_SECOND,
                (segment.end_frame + 1) / _FRAMES_PER_SECOND,
            )
            for segment in decoder.seg()
            if segment.word[:1] not in ("<", "[")  # <s>, </s>, <sil>, [NOISE]: not words
        ]
    text = " ".join(word.text for word in words)
    return Transcript(text, tuple(words), duration, "en")


def _peak(pcm: bytes) -> int:
    samples = memoryview(pcm).cast("h")
    return max(max(samples, default=0), -min(samples, default=0))


def _english_decoder() -> Any:
    global _decoder, _initial_cmn
    if _decoder is None:
        try:
            from pocketsphinx import Decoder
        except ImportError:
            raise NoRecognizer(
                "the local server transcribes only audio it produced: for other audio install a"
                " recognizer with pip install 'fishaudio-ext[speech]'"
            ) from None
        _decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")
        _initial_cmn = _decoder.get_cmn()
    return _decoder
