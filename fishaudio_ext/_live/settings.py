"""What a live session's utterances are spoken with: the session's settings, and one utterance's overrides
of them, turned into the checked :class:`~.connection.LiveRequest` of that utterance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from .._http import HTTPSettings
from ..types import AudioFormat, LatencyMode, ReferenceAudio, TTSConfig
from ..types._checks import invalid
from ..types._model import ModelName, check_model
from ..types._tts_config import with_overrides
from ..types._websocket_options import WebSocketOptions
from .connection import LiveRequest, live_request

if TYPE_CHECKING:
    from fishaudio_api.tts_settings import TTSOverrides
    from typing_extensions import Unpack


@attrs.frozen
class LiveSettings:
    """A session's config, model and connection options, as ``live()`` (or ``stream_websocket``) got them."""

    http: HTTPSettings = attrs.field(repr=False)
    config: TTSConfig
    model: str
    options: WebSocketOptions | None

    def request(
        self,
        *,
        config: TTSConfig | None = None,
        model: ModelName | None = None,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> LiveRequest:
        """One utterance's request: the session's settings with the given ones applied (None keeps them).

        Raises:
            ValidationError: a setting is invalid.
        """
        config = with_overrides(
            self.config if config is None else config,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            **overrides,
        )
        return live_request(
            self.http, config, self.model if model is None else check_model(model), self.options
        )


def check_flush_sentences(value: object, *, optional: bool = False) -> None:
    """Raise unless ``value`` is True or False (or None, when ``optional``: the session's choice).

    Raises:
        ValidationError: it is anything else, which would be taken as true or false by accident.
    """
    if isinstance(value, bool) or (optional and value is None):
        return
    allowed = "True, False or None (the session's)" if optional else "True or False"
    raise invalid("flush_sentences", value, allowed)
