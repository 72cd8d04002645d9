"""What each request costs, from the prices the spec states (``fishaudio_api.facts``).

Amounts are integers of micro-USD (1e-6 USD) so that balances add up exactly.

* TTS: each model's price per million UTF-8 bytes of text (``KnownTTSModel`` ``x-models``). A ``model``
  header the spec does not know is served, and billed, as the API's default model, as the API does.
  A model the spec knows but gives no price yet is refused (:class:`UnpricedModel`): billing it as
  another model would hide the missing price.
* ASR: the price per audio hour, the duration rounded up to the whole second.
* Voice design: the price per successful request.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Final

from fishaudio_api.facts import (
    ASR_USD_PER_AUDIO_HOUR,
    KNOWN_TTS_MODEL_VALUES,
    MULTI_SPEAKER_TTS_MODELS,
    TTS_MODEL_HEADER_DEFAULT,
    TTS_MODEL_USD_PER_MILLION_BYTES,
    VOICE_DESIGN_USD_PER_REQUEST,
)

MICROS_PER_USD: Final = 1_000_000
SECONDS_PER_HOUR: Final = 3600
DEFAULT_CREDIT: Final = Decimal("10.00")
"""The credit each API key starts with, in USD (the local server's choice, not an API fact)."""


def to_micros(usd: Decimal | float | int | str) -> int:
    """``Decimal("1.5")`` USD as 1_500_000 micro-USD."""
    return int(Decimal(str(usd)) * MICROS_PER_USD)


def to_usd_text(micros: int) -> str:
    """1_500_000 micro-USD as ``"1.500000"``, the API's decimal-string form of a balance."""
    return f"{Decimal(micros) / MICROS_PER_USD:.6f}"


# USD per million bytes is micro-USD per byte.
TTS_MICROS_PER_BYTE: Final = {
    model: Decimal(str(usd)) for model, usd in TTS_MODEL_USD_PER_MILLION_BYTES.items()
}
ASR_MICROS_PER_SECOND: Final = Decimal(to_micros(ASR_USD_PER_AUDIO_HOUR)) / SECONDS_PER_HOUR
VOICE_DESIGN_MICROS: Final = to_micros(VOICE_DESIGN_USD_PER_REQUEST)


class UnpricedModel(Exception):
    """The spec lists this TTS model but states no price for it, so the local server cannot bill it."""

    def __init__(self, model: str) -> None:
        super().__init__(
            f"Model {model!r} has no price in the spec (KnownTTSModel x-models): "
            "the local server cannot bill it until one is added"
        )
        self.model = model


def tts_model(header: str | None) -> str:
    """The model a request is served (and billed) with: the header's if the spec knows it, else the
    API's default model.

    Raises:
        UnpricedModel: the spec knows the model but gives no price for it.
    """
    model = header if header in KNOWN_TTS_MODEL_VALUES else TTS_MODEL_HEADER_DEFAULT
    if model not in TTS_MICROS_PER_BYTE:
        raise UnpricedModel(model)
    return model


def is_multi_speaker(model: str) -> bool:
    """Whether ``model`` takes several voices in one request."""
    return model in MULTI_SPEAKER_TTS_MODELS


def tts_cost(model: str, text: str) -> int:
    """Micro-USD for synthesizing ``text`` with ``model`` (as returned by :func:`tts_model`)."""
    return math.ceil(TTS_MICROS_PER_BYTE[model] * len(text.encode("utf-8")))


def asr_cost(duration: float) -> int:
    """Micro-USD for transcribing ``duration`` seconds of audio."""
    return math.ceil(ASR_MICROS_PER_SECOND * math.ceil(duration))
