"""What each request costs, from the pricing page (developer-guide/models-pricing/pricing-and-rate-limits).

Amounts are integers of micro-USD (1e-6 USD) so that balances add up exactly.

* TTS: USD 15.00 per million UTF-8 bytes of text (``s2.1-pro``, ``s2-pro``, ``s1``), free for
  ``s2.1-pro-free``; an unknown ``model`` header falls back to the paid ``s2.1-pro``, as the API does.
* ASR: USD 0.36 per audio hour, rounded up to the whole second.
* Voice design: USD 0.01 per successful request.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Final

MICROS_PER_USD: Final = 1_000_000
FALLBACK_TTS_MODEL: Final = "s2.1-pro"
TTS_MICROS_PER_BYTE: Final = {
    "s2.1-pro": 15,
    "s2.1-pro-free": 0,
    "s2-pro": 15,
    "s1": 15,
    # Deprecated names the official SDK 1.3.0 still sends; billed like s1.
    "speech-1.5": 15,
    "speech-1.6": 15,
}
S2_FAMILY: Final = frozenset({"s2.1-pro", "s2.1-pro-free", "s2-pro"})
ASR_MICROS_PER_SECOND: Final = 100  # USD 0.36 / 3600 s
VOICE_DESIGN_MICROS: Final = 10_000  # USD 0.01
DEFAULT_CREDIT: Final = Decimal("10.00")
"""The credit each API key starts with, in USD."""


def tts_model(header: str | None) -> str:
    """The model a request is served (and billed) with: the header's, or ``s2.1-pro`` if unknown."""
    return header if header in TTS_MICROS_PER_BYTE else FALLBACK_TTS_MODEL


def tts_cost(model: str, text: str) -> int:
    """Micro-USD for synthesizing ``text`` with ``model`` (as returned by :func:`tts_model`)."""
    return TTS_MICROS_PER_BYTE[model] * len(text.encode("utf-8"))


def asr_cost(duration: float) -> int:
    """Micro-USD for transcribing ``duration`` seconds of audio."""
    return ASR_MICROS_PER_SECOND * math.ceil(duration)


def to_micros(usd: Decimal | float | int | str) -> int:
    """``Decimal("1.5")`` USD as 1_500_000 micro-USD."""
    return int(Decimal(str(usd)) * MICROS_PER_USD)


def to_usd_text(micros: int) -> str:
    """1_500_000 micro-USD as ``"1.500000"``, the API's decimal-string form of a balance."""
    return f"{Decimal(micros) / MICROS_PER_USD:.6f}"
