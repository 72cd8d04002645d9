"""Real sizes in the header of WAV audio whose whole length is known.

The API streams WAV before it knows how long the audio will be, so its header carries placeholder sizes
(a ``data`` chunk of almost 4 GiB): players then report a one-second clip as 24.8 hours, and Python's
``wave`` module counts 2,147,483,520 frames. Once all the audio has arrived its length is known, and the
two sizes can be written: :func:`complete_wav` does it for audio in memory, :class:`WavSizes` for audio
written to a file chunk by chunk. Anything that is not such a WAV is left exactly as it is.
"""

from __future__ import annotations

import struct
from typing import IO, Final

HEAD_BYTES: Final = 64 * 1024
"""How far into the audio the ``data`` chunk is looked for (past ``fmt``, ``LIST``, ``fact``...)."""

_MAX_SIZE: Final = 0xFFFFFFFF  # a RIFF size is 32 bits: longer audio cannot be described


def size_fixes(head: bytes, total: int) -> list[tuple[int, bytes]]:
    """Where to write which bytes so that a WAV of ``total`` bytes starting with ``head`` has real sizes.

    Returns ``[]`` when there is nothing to correct: not a RIFF/WAVE file, sizes already right, a ``data``
    chunk followed by other chunks (its size is then real), a header cut short, or audio too long for
    32-bit sizes. Never raises on malformed input.
    """
    position = _data_chunk(head)
    if position is None:
        return []
    (declared,) = struct.unpack_from("<I", head, position + 4)
    return _data_fixes(head, total, position, declared)


def data_offset(head: bytes) -> int | None:
    """Where the samples start in a WAV file beginning with ``head``, or None if it is not one (or the
    header does not fit in ``head``)."""
    position = _data_chunk(head)
    return None if position is None else position + 8


def _data_chunk(head: bytes) -> int | None:
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    position = 12
    while position + 8 <= len(head):
        chunk_id = head[position : position + 4]
        if chunk_id == b"data":
            return position
        (size,) = struct.unpack_from("<I", head, position + 4)
        position += 8 + size + (size & 1)  # chunks are padded to an even length
    return None  # no data chunk within the head: truncated, or not audio we can vouch for


def _data_fixes(head: bytes, total: int, position: int, declared: int) -> list[tuple[int, bytes]]:
    available = total - (position + 8)
    if available < 0 or total - 8 > _MAX_SIZE:
        return []
    if declared == 0 or declared > available:
        data_size = available  # a placeholder: the samples run to the end of the audio
    elif available in (declared, declared + (declared & 1)):  # with or without the pad byte
        data_size = declared  # already right, and the last chunk: only RIFF may be wrong
    else:
        return []  # more chunks follow the samples, so the sizes were written knowingly
    fixes = []
    if data_size != declared:
        fixes.append((position + 4, struct.pack("<I", data_size)))
    (riff_size,) = struct.unpack_from("<I", head, 4)
    if riff_size != total - 8:
        fixes.append((4, struct.pack("<I", total - 8)))
    return fixes


def complete_wav(audio: bytes) -> bytes:
    """``audio`` with real sizes in its header if it is a whole WAV file with placeholder sizes.

    Anything else (MP3, Opus, PCM, a WAV whose sizes are right, a header cut short) comes back unchanged,
    as the same object. Example: ``wave.open(io.BytesIO(complete_wav(audio))).getnframes()`` is then the
    real number of frames.
    """
    fixes = size_fixes(audio[:HEAD_BYTES], len(audio))
    if not fixes:
        return audio
    fixed = bytearray(audio)
    for offset, value in fixes:
        fixed[offset : offset + len(value)] = value
    return bytes(fixed)


class WavSizes:
    """Watches audio written to a file chunk by chunk, then corrects the file's WAV header in place.

    Example::

        sizes = WavSizes()
        for chunk in chunks:
            file.write(chunk)
            sizes.add(chunk)
        sizes.write_to(file)  # the file must be seekable; it is left positioned at its end
    """

    def __init__(self) -> None:
        self._head = bytearray()
        self._total = 0

    def add(self, chunk: bytes) -> None:
        """Account for ``chunk``, just written after the previous ones."""
        if len(self._head) < HEAD_BYTES:
            self._head += chunk[: HEAD_BYTES - len(self._head)]
        self._total += len(chunk)

    def write_to(self, file: IO[bytes]) -> None:
        """Correct the header of ``file``, which holds exactly the chunks given to :meth:`add`."""
        fixes = size_fixes(bytes(self._head), self._total)
        for offset, value in fixes:
            file.seek(offset)
            file.write(value)
        if fixes:
            file.seek(0, 2)
