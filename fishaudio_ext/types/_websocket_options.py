"""How a ``/v1/tts/live`` connection behaves (``stream_websocket``, ``live``): keepalive, limits, timeouts."""

from __future__ import annotations

import math
from typing import Any

import attrs
from fishaudio_api.facts import LIVE_MAX_CONNECTION_SECONDS

from ._checks import Validator, invalid


def _above_zero(*, integer: bool = False, optional: bool = False) -> Validator:
    """An attrs validator: a finite number above 0 (an int when ``integer``; None too when ``optional``)."""
    allowed = f"{'a whole number' if integer else 'a number'} above 0" + (", or None" if optional else "")
    kinds = (int,) if integer else (int, float)

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, kinds) or not math.isfinite(value) or value <= 0:
            raise invalid(attribute.name, value, allowed)

    return validate


@attrs.frozen(kw_only=True)
class WebSocketOptions:
    """Settings of the ``/v1/tts/live`` connection; the defaults suit long generations.

    The names are those of the official SDK's ``WebSocketOptions``, so code written for it keeps working;
    there, None means "the library's default", here it turns the feature off where that is allowed.
    Example: ``WebSocketOptions(keepalive_ping_timeout_seconds=120, receive_timeout_seconds=90)``.

    Attributes:
        keepalive_ping_interval_seconds: how often a ping checks that the connection is alive; None sends
            none. Idle connections are otherwise dropped by proxies after 30 to 120 s.
        keepalive_ping_timeout_seconds: how long to wait for the pong before the connection counts as
            dead (close code 1011); None waits forever. Generous by default: a busy server answers late.
        max_message_size_bytes: the largest message accepted from the server; one audio frame can be
            several MiB.
        queue_size: received messages held while your code is busy with earlier ones; when it is full the
            client stops reading, which makes the server wait instead of memory growing.
        open_timeout_seconds: limit for connecting and the WebSocket handshake
            (:class:`~fishaudio_ext.APITimeoutError` when exceeded).
        close_timeout_seconds: limit for the closing handshake, and for your text iterator to hand back
            control when the stream is closed early.
        receive_timeout_seconds: once all text is sent, the longest the server may stay silent before
            :class:`~fishaudio_ext.WebSocketError` is raised; None waits forever. While your iterator is
            still producing text, silence is normal (the server waits for more) and is not timed; nor is
            the time your code spends between chunks.
        max_connection_seconds: how long the server keeps one connection open (the API's documented
            limit); a live session gives a socket no new utterance past 90 % of it, and opens another.
    """

    keepalive_ping_interval_seconds: float | None = attrs.field(
        default=20.0, validator=_above_zero(optional=True)
    )
    keepalive_ping_timeout_seconds: float | None = attrs.field(
        default=60.0, validator=_above_zero(optional=True)
    )
    max_message_size_bytes: int = attrs.field(default=16 * 1024 * 1024, validator=_above_zero(integer=True))
    queue_size: int = attrs.field(default=16, validator=_above_zero(integer=True))
    open_timeout_seconds: float = attrs.field(default=10.0, validator=_above_zero())
    close_timeout_seconds: float = attrs.field(default=5.0, validator=_above_zero())
    receive_timeout_seconds: float | None = attrs.field(default=60.0, validator=_above_zero(optional=True))
    max_connection_seconds: float = attrs.field(
        default=float(LIVE_MAX_CONNECTION_SECONDS), validator=_above_zero()
    )
