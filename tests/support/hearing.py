"""Does audio say a text? A recognizer limited to the text's vocabulary listens, and we count its errors.

pocketsphinx's open-vocabulary English model gets ~44 % of espeak-ng's words wrong (the README's figure);
limited to the words of the text, in any order and any number (a grammar of ``(w1 | w2 | ...)*``, not the
sentence itself), it hears speech that says them almost word for word, and hears nothing in tones or noise.
"""

from __future__ import annotations

from pocketsphinx import Decoder

from fishaudio_ext.server._codecs import decode_pcm


def heard(audio: bytes, vocabulary: str) -> str:
    """What a recognizer that knows only the words of ``vocabulary`` hears in ``audio`` (any format)."""
    words = " | ".join(sorted({word.strip(".,!?;:\"'") for word in vocabulary.lower().split()} - {""}))
    decoder = Decoder(samprate=16000, loglevel="FATAL")
    decoder.add_jsgf_string("said", f"#JSGF V1.0;\ngrammar said;\npublic <said> = ( {words} )*;\n")
    decoder.activate_search("said")
    pcm = decode_pcm(audio, 16000)
    assert pcm is not None, "the audio does not decode"
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return hypothesis.hypstr if hypothesis is not None else ""


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance from ``reference`` (lower case, no punctuation) over its length."""
    ref = [word.strip(".,!?").lower() for word in reference.split()]
    hyp = hypothesis.split()
    row = list(range(len(hyp) + 1))
    for i, expected in enumerate(ref, 1):
        diagonal, row[0] = row[0], i
        for j, got in enumerate(hyp, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (expected != got))
    return row[len(hyp)] / len(ref)
