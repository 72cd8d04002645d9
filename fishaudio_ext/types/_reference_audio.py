"""A voice sample and its transcript, for instant voice cloning."""

from __future__ import annotations

import attrs

from ._checks import invalid, str_field


def _audio_bytes(value: bytes | bytearray | memoryview) -> bytes:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if not isinstance(value, (bytes, bytearray)):
        # A path is the usual mistake: say how to get the bytes.
        raise invalid("audio", value, "the audio file's bytes, e.g. Path(...).read_bytes()")
    if not value:
        raise invalid("audio", value, "non-empty audio bytes")
    return bytes(value)


def _audio_repr(audio: bytes) -> str:
    return f"<{len(audio)} bytes>"


@attrs.frozen(kw_only=True)
class ReferenceAudio:
    """A voice sample and its exact transcript, for instant (zero-shot) voice cloning.

    Example: ``ReferenceAudio(audio=Path("me.wav").read_bytes(), text="What I say in the recording.")``.
    10 to 30 seconds of clean WAV, MP3 or FLAC speech works best. The repr shows the audio's length only.

    Attributes:
        audio: the sample's bytes (a bytearray or memoryview is copied to bytes).
        text: the transcript of the sample.
    """

    audio: bytes = attrs.field(converter=_audio_bytes, repr=_audio_repr)
    text: str = attrs.field(validator=str_field())
