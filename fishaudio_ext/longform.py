"""Long texts: how they are cut into pieces, what they cost, and how a job reports its progress.

``client.tts.convert_long`` and ``client.tts.stream_long`` use these; they are public so that a text can
be inspected and priced before anything is sent::

    from fishaudio_ext.longform import estimate, split_text

    pieces = split_text(chapter)
    print(len(pieces), estimate(chapter, model="s1").usd)
"""

from ._join import JoinError
from ._longform import (
    DEFAULT_MAX_CONCURRENCY,
    BudgetExceededError,
    Estimate,
    PieceFailedError,
    Progress,
    estimate,
)
from ._split import DEFAULT_MAX_CHARS, Piece, split_text

__all__ = [
    "DEFAULT_MAX_CHARS",
    "DEFAULT_MAX_CONCURRENCY",
    "BudgetExceededError",
    "Estimate",
    "JoinError",
    "Piece",
    "PieceFailedError",
    "Progress",
    "estimate",
    "split_text",
]
