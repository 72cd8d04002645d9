"""``stream``: play audio as it arrives and keep it, the official SDK's helper of that name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ._play import play
from ._save import AudioBytes, audio_chunks


def stream(audio: AudioBytes | Iterable[bytes], *, player: str | None = None) -> bytes:
    """Play ``audio`` while it arrives and return all of it, to save or replay without synthesizing again.

    It plays as :func:`play` does (ffplay or mpv chunk by chunk, ``player`` to pick one) and records each
    chunk on the way. Example::

        audio = stream(client.tts.stream(text="Hello"))
        save(audio, "hello.mp3")

    Raises:
        DependencyError, PlaybackError: as :func:`play`.
        TypeError: ``audio`` is a str, an async iterable (``await play(stream)`` plays those), or not audio.
    """
    chunks = audio_chunks(audio)
    if not isinstance(chunks, Iterable):
        raise TypeError("stream() plays sync audio; for an async stream use `await play(audio)`")
    kept: list[bytes] = []

    def recorded(chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            kept.append(chunk)
            yield chunk

    play(recorded(chunks), player=player)
    return b"".join(kept)
