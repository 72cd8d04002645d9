"""ResponseInfo: what the server answered besides the body (status, headers, generation id), kept with
every result and error.

Audio, streams and errors carry it as ``.response``. The response models are the generated layer's classes,
which have no room for it: :func:`response_of` finds theirs (and everyone else's).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping, Sequence

import attrs
import httpx
from fishaudio_api.facts import GENERATION_ID_HEADER

from ._redact import redact_text

# Gateways and the API itself disagree on the header name; the first one present wins.
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-trace-id")


def redacted_headers(headers: Mapping[str, str] | Sequence[tuple[str, str]] | None) -> httpx.Headers:
    """``headers`` with every known key and bearer token redacted (a server may echo them back)."""
    headers = httpx.Headers(headers)
    if all(redact_text(value) == value for value in headers.values()):
        return headers
    return httpx.Headers([(name, redact_text(value)) for name, value in headers.multi_items()])


@attrs.frozen
class ResponseInfo:
    """The HTTP status and headers of the answer a result or an error came from.

    For a WebSocket stream it is the handshake's answer (status 101). Example::

        audio = client.tts.convert(text="Hello")
        print(audio.response.status, audio.response.generation_id)

    Attributes:
        status: the HTTP status code.
        headers: the response headers (any key a server echoes back is redacted).
    """

    status: int
    headers: httpx.Headers = attrs.field(converter=redacted_headers)

    @property
    def generation_id(self) -> str | None:
        """The ``X-Generation-Id`` of a synthesis or transcription: quote it in support requests."""
        generation_id: str | None = self.headers.get(GENERATION_ID_HEADER)
        return generation_id

    @property
    def request_id(self) -> str | None:
        """The server's request id, if it sent one."""
        return next((self.headers[name] for name in REQUEST_ID_HEADERS if name in self.headers), None)


def info_of(response: httpx.Response) -> ResponseInfo:
    return ResponseInfo(response.status_code, response.headers)


# Results that cannot hold an attribute of their own (the generated models), by id(), while they live.
_KEPT: dict[int, tuple[weakref.ref[object], ResponseInfo]] = {}
_LOCK = threading.RLock()  # re-entered when a collection inside the lock frees a remembered result


def remember(result: object, info: ResponseInfo) -> None:
    """Keep ``info`` for ``result`` (a generated model) until ``result`` is garbage collected."""
    key = id(result)

    def forget(_: weakref.ref[object]) -> None:
        # Runs while the result is being freed: its id cannot yet belong to another object.
        with _LOCK:
            entry = _KEPT.get(key)
            if entry is not None and entry[0] is ref:
                del _KEPT[key]

    ref = weakref.ref(result, forget)
    with _LOCK:
        _KEPT[key] = (ref, info)


def response_of(result: object) -> ResponseInfo | None:
    """The status and headers of the answer ``result`` came from, or None for a result made locally.

    ``result`` is anything a call returned or raised: a voice, a page of voices, the credit, a transcript,
    audio, a stream, an error. Example: ``response_of(client.voices.get(voice_id)).headers["date"]``.
    """
    own = getattr(result, "response", None)
    if isinstance(own, ResponseInfo):
        return own
    with _LOCK:
        entry = _KEPT.get(id(result))
    if entry is None or entry[0]() is not result:
        return None
    return entry[1]
