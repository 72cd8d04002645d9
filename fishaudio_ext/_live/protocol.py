"""The ``/v1/tts/live`` protocol: the frames the client sends, and what each frame from the server means.

Every frame is one MessagePack map in a binary WebSocket message (``spec/asyncapi.yaml``); the events are
the generated ``Live*`` models. The two that come once per item, ``text`` and ``audio``, are packed and
read as plain maps of the models' shape: building a model per frame would more than double the cost of
encoding and decoding it (``tests/unit/test_live_protocol.py`` holds the maps to the models). No I/O
here: the sync and async sessions share all of it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, Iterable
from typing import Final

import msgpack
from fishaudio_api.facts import REFERENCE_NOT_FOUND_MESSAGE
from fishaudio_api.models import LiveFinishEvent, LiveLogEvent, LiveStartEvent, LiveStopEvent
from fishaudio_api.tts_settings import tts_request

from .._errors import shorten
from .._sentences import TextItem as TextItem  # what a live text iterator yields
from ..exceptions import FishAudioError, ReferenceNotFoundError, ValidationError, WebSocketError
from ..types import FlushEvent, TextEvent, TTSConfig
from ..types._checks import check_str

log = logging.getLogger("fishaudio_ext")


_TEXT_ITEMS = "str, TextEvent or FlushEvent"
# Frames quoted in error messages are cut here: an audio frame can be megabytes long.
_QUOTE_CHARS = 200


def _pack(event: dict[str, object]) -> bytes:
    return bytes(msgpack.packb(event, use_bin_type=True))


STOP_FRAME: Final = _pack(LiveStopEvent(event="stop").to_dict())
"""The last frame of a session: no more text."""


def start_frame(config: TTSConfig) -> bytes:
    """The first frame: the generated ``start`` event with the whole synthesis request and empty text.

    The request is the generated ``TTSRequest`` of the ``POST /v1/tts`` body, so the two transports send
    identical settings: only those the user set, reference audio as bytes.
    """
    return _pack(LiveStartEvent(event="start", request=tts_request(config, text="")).to_dict())


def check_text_stream(text_stream: object, *, asynchronous: bool) -> None:
    """Raise unless ``text_stream`` can be iterated as the client needs (sync, or async for the async client).

    Raises:
        ValidationError: it cannot; a str is refused too, as it would be sent one character at a time.
    """
    usable = isinstance(text_stream, AsyncIterable if asynchronous else Iterable)
    if usable and not isinstance(text_stream, (str, bytes, bytearray, memoryview)):
        return
    kind = "an async iterable (such as an async generator)" if asynchronous else "an iterable"
    hint = (
        "; wrap a single text in a list: [text]" if isinstance(text_stream, str) and not asynchronous else ""
    )
    raise ValidationError(
        f"text_stream must be {kind} of {_TEXT_ITEMS}, not {type(text_stream).__name__}{hint}",
        field="text_stream",
        value=text_stream,
        allowed=f"{kind} of {_TEXT_ITEMS}",
    )


def item_frame(item: object) -> bytes:
    """The frame for one item of the caller's text iterator.

    Raises:
        ValidationError: ``item`` is not a str, TextEvent or FlushEvent.
    """
    if isinstance(item, str):
        check_str("text_stream item", item)
        return _pack({"event": "text", "text": item})  # LiveTextEvent
    if isinstance(item, (TextEvent, FlushEvent)):
        return _pack(item.to_event())
    raise ValidationError(
        f"text_stream yielded a {type(item).__name__}: allowed {_TEXT_ITEMS}",
        field="text_stream",
        value=item,
        allowed=_TEXT_ITEMS,
    )


def sent_characters(item: object) -> int:
    """The characters of text a text iterator's item carries (0 for a flush)."""
    if isinstance(item, str):
        return len(item)
    return len(item.text) if isinstance(item, TextEvent) else 0


def read_frame(frame: str | bytes) -> bytes | LiveFinishEvent | None:
    """Decode one frame from the server.

    Returns the audio of an ``audio`` event, or the ``finish`` event that ends a successful session
    (reason ``stop``). A ``log`` event goes to the ``fishaudio_ext`` logger and an unknown event is
    skipped: both return None.

    Raises:
        ReferenceNotFoundError: ``finish`` with the unknown voice's error, as ``POST /v1/tts`` raises it.
        WebSocketError: ``finish`` with any other reason (``event`` holds the whole decoded map), or a frame
            that is not a MessagePack map with an ``event`` name.
    """
    if isinstance(frame, str):
        raise WebSocketError(
            shorten(f"The server sent a text frame instead of MessagePack: {frame[:_QUOTE_CHARS]!r}")
        )
    try:
        data = msgpack.unpackb(frame)
    except (ValueError, TypeError, msgpack.UnpackException) as error:  # what msgpack raises for bad input
        raise WebSocketError(
            shorten(
                f"The server sent a frame that is not valid MessagePack ({error}): {frame[:_QUOTE_CHARS]!r}"
            )
        ) from error
    if not isinstance(data, dict):
        raise WebSocketError(f"The server sent a {type(data).__name__} instead of an event map", event=data)
    name = data.get("event")
    if name == "audio":  # LiveAudioEvent: the audio is all the session needs of it
        audio = data.get("audio")
        if not isinstance(audio, bytes):
            raise WebSocketError("The server sent an audio event without audio bytes", event=data)
        return audio
    if name == "finish":
        if not isinstance(data.get("reason"), str):
            raise WebSocketError("The server sent a finish event without a reason", event=data)
        finish = LiveFinishEvent.from_dict(data)
        if finish.reason != "stop":
            raise _finish_error(data)
        return finish
    if name == "log":
        entry = LiveLogEvent.from_dict(data)
        text = entry.message if isinstance(entry.message, str) else repr(entry.to_dict())
        log.info("Server log: %s", shorten(text))
        return None
    if not isinstance(name, str):
        raise WebSocketError("The server sent a map without an event name", event=data)
    log.debug("Ignoring the unknown server event %r", name)  # the protocol asks clients to skip them
    return None


def _finish_error(data: dict[object, object]) -> FishAudioError:
    """The error for a ``finish`` event that ends the session with a failure."""
    message = data.get("message")
    if isinstance(message, str) and message.startswith(REFERENCE_NOT_FOUND_MESSAGE):
        # What POST /v1/tts answers with 400: the same class, whichever way the voice was asked for.
        error = ReferenceNotFoundError(400, shorten(message), data)
        error.event = error.body  # the finish event, redacted
        error.response = None  # the session gives it the answer there was: the handshake's
        return error
    return WebSocketError(_failure_message(data), event=data)


def _failure_message(data: dict[object, object]) -> str:
    reason = data.get("reason")
    message = data.get("message")
    if not isinstance(message, str) or not message:
        # No message field: say whatever else the server put in the event.
        extra = {key: value for key, value in data.items() if key not in ("event", "reason")}
        message = repr(extra)[:_QUOTE_CHARS] if extra else "no message given"
    prefix = "with an error" if reason == "error" else f"with reason {shorten(repr(reason))}"
    return f"The server ended the session {prefix}: {shorten(message)}"
