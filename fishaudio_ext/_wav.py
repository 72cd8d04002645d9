"""WAV headers made honest once the whole audio is known.

A streamed WAV starts before its length is known, so its RIFF and ``data`` sizes are placeholders
(0 or 0xFFFFFFFF); players and decoders that trust them stop early or refuse the file.
"""

from __future__ import annotations

import struct

_RIFF_HEADER = 12  # "RIFF", size, "WAVE"
_CHUNK_HEADER = 8  # id, size


def complete_wav(audio: bytes) -> bytes:
    """``audio`` with the RIFF and ``data`` sizes of its header set to what it holds.

    Anything that is not a RIFF/WAVE file with a ``data`` chunk is returned unchanged, as is a WAV whose
    sizes are already right.
    """
    if len(audio) < _RIFF_HEADER or audio[:4] != b"RIFF" or audio[8:12] != b"WAVE":
        return audio
    position = _RIFF_HEADER
    while position + _CHUNK_HEADER <= len(audio):
        chunk_id = audio[position : position + 4]
        (size,) = struct.unpack_from("<I", audio, position + 4)
        if chunk_id == b"data":
            body = position + _CHUNK_HEADER
            data_size = len(audio) - body
            if size == data_size and struct.unpack_from("<I", audio, 4)[0] == len(audio) - 8:
                return audio
            fixed = bytearray(audio)
            struct.pack_into("<I", fixed, 4, len(audio) - 8)
            struct.pack_into("<I", fixed, position + 4, data_size)
            return bytes(fixed)
        position += _CHUNK_HEADER + size + (size & 1)  # chunks are padded to an even length
    return audio
