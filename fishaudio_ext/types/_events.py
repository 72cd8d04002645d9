"""What a ``stream_websocket`` text iterator may yield besides plain strings."""

from __future__ import annotations

import attrs
from fishaudio_api.models import LiveFlushEvent, LiveTextEvent

from ._checks import str_field


@attrs.frozen(kw_only=True)
class TextEvent:
    """Text to add to the server's buffer; yielding ``TextEvent(text="Hi")`` equals yielding ``"Hi"``.

    Attributes:
        text: the text to speak.
    """

    text: str = attrs.field(validator=str_field())

    def to_event(self) -> dict[str, object]:
        """Return the wire message, ``{"event": "text", "text": ...}``."""
        return dict(LiveTextEvent(event="text", text=self.text).to_dict())


@attrs.frozen
class FlushEvent:
    """Make the server synthesize the text it has buffered now, without waiting for more.

    Example: yield ``FlushEvent()`` after a sentence to hear it at once.
    """

    def to_event(self) -> dict[str, object]:
        """Return the wire message, ``{"event": "flush"}``."""
        return dict(LiveFlushEvent(event="flush").to_dict())
