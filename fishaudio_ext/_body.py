"""What the request path accepts as a response body: its encoding, its media type and its size. No I/O.

An operation declares the media types of its successful answer (``response_types``, from the spec).
Audio is already compressed, so for audio the client asks for no compression (``identity``) and refuses
a compressed body; for JSON it asks for gzip and decodes it itself, counting the decoded bytes as they
come, so that a small compressed "bomb" never becomes gigabytes in memory.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import httpx

from ._constants import MAX_ERROR_BODY_BYTES, MAX_JSON_BODY_BYTES
from .exceptions import APIResponseValidationError, ResponseTooLargeError

JSON_MEDIA_TYPE = "application/json"
JSON_RESPONSE: tuple[str, ...] = (JSON_MEDIA_TYPE,)
"""The ``response_types`` of an operation answering JSON, the default of the request path."""
_GZIP = ("gzip", "x-gzip")
_DECODE_BLOCK = 1024 * 1024


def accept_encoding(response_types: Sequence[str]) -> str:
    """The ``Accept-Encoding`` of a request whose successful answer has these media types."""
    return "gzip" if JSON_MEDIA_TYPE in response_types else "identity"


def media_type(headers: httpx.Headers) -> str | None:
    """The media type of a Content-Type header, without parameters, lower case (``audio/mpeg``)."""
    return headers.get("content-type", "").partition(";")[0].strip().lower() or None


def declares(response_types: Sequence[str], received: str) -> bool:
    """Whether ``received`` is one of ``response_types``, which may hold ranges such as ``audio/*``.

    Example: ``declares(("audio/*",), "audio/x-wav")`` is True, ``declares(("audio/*",), "text/html")``
    False.
    """
    family = received.partition("/")[0] + "/*"
    return any(declared in (received, family, "*/*") for declared in response_types)


def _encodings(headers: httpx.Headers) -> list[str]:
    names = (name.strip().lower() for name in headers.get("content-encoding", "").split(","))
    return [name for name in names if name not in ("", "identity")]


def check_success(response: httpx.Response, response_types: Sequence[str]) -> None:
    """Raise unless a successful answer's headers say it is what the operation declares.

    A Content-Type the operation does not declare (a proxy's or captive portal's HTML page, a JSON
    error body on an audio endpoint) and an encoding the client did not ask for are
    :class:`APIResponseValidationError`. An operation that declares no content accepts anything, and an
    answer without a Content-Type is judged by its body (RFC 9110 section 8.3 leaves its type open).
    """
    if not response_types:
        return
    what = f"{response.request.method} {response.request.url.path}"
    encodings = _encodings(response.headers)
    asked = accept_encoding(response_types)
    if encodings and not (asked == "gzip" and len(encodings) == 1 and encodings[0] in _GZIP):
        raise APIResponseValidationError(
            response.status_code,
            f"{what} returned a body encoded as {', '.join(encodings)!r}, though the client asked for"
            f" {asked!r}",
            headers=response.headers,
        )
    received = media_type(response.headers)
    if received is not None and not declares(response_types, received):
        raise APIResponseValidationError(
            response.status_code,
            f"{what} returned {received} where the API answers {', '.join(response_types)}"
            " (a proxy's or login page, or an error sent with a success status)",
            headers=response.headers,
        )


class BodyReader:
    """Decodes a body as its raw bytes arrive and stops at the byte limit that applies to it.

    An error answer is cut at :data:`MAX_ERROR_BODY_BYTES` (its message is cut shorter still), as is the
    content of an operation that declares none; a JSON answer past :data:`MAX_JSON_BODY_BYTES` raises
    :class:`ResponseTooLargeError`; audio has no limit (its size is what the caller asked for).
    """

    def __init__(
        self, response: httpx.Response, response_types: Sequence[str], *, decoded: bool = False
    ) -> None:
        self._response = response
        self._fail_when_cut = response.is_success and JSON_MEDIA_TYPE in response_types
        if not response.is_success or not response_types:
            self._limit: int | None = MAX_ERROR_BODY_BYTES
        elif self._fail_when_cut:
            self._limit = MAX_JSON_BODY_BYTES
        else:
            self._limit = None
        # An error answer may come gzip-encoded whatever was asked; any other encoding is kept as sent.
        gzip = not decoded and [name in _GZIP for name in _encodings(response.headers)] == [True]
        self._decompressor = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16) if gzip else None
        self._parts: list[bytes] = []
        self._size = 0

    def feed(self, raw: bytes) -> bool:
        """Take the next raw bytes; False once the limit is reached (read no more)."""
        if self._decompressor is None:
            return self._keep(raw if self._limit is None else raw[: self._limit - self._size + 1])
        while raw:
            # At most a block per call: zlib holds a call's whole output twice while it assembles it.
            room = _DECODE_BLOCK if self._limit is None else self._limit - self._size + 1
            try:
                data = self._decompressor.decompress(raw, min(room, _DECODE_BLOCK))
            except zlib.error as error:
                if self._fail_when_cut:
                    raise self._invalid(f"is not valid gzip ({error})") from None
                return False
            if not self._keep(data):
                return False
            raw = self._decompressor.unconsumed_tail
        return True

    def _keep(self, data: bytes) -> bool:
        self._parts.append(data)
        self._size += len(data)
        return self._limit is None or self._size <= self._limit

    def body(self) -> bytes:
        """The decoded body; raises ResponseTooLargeError for a JSON answer over its limit."""
        if self._limit is not None and self._size > self._limit:
            if self._fail_when_cut:
                request = self._response.request
                raise ResponseTooLargeError(
                    self._response.status_code,
                    f"{request.method} {request.url.path} returned more than {self._limit // 2**20} MiB of"
                    " JSON (counted after decompression): the client reads no more",
                    headers=self._response.headers,
                    limit=self._limit,
                )
            self._parts[-1] = self._parts[-1][: len(self._parts[-1]) - (self._size - self._limit)]
        return b"".join(self._parts)

    def _invalid(self, problem: str) -> APIResponseValidationError:
        request = self._response.request
        return APIResponseValidationError(
            self._response.status_code,
            f"{request.method} {request.url.path} returned a body that {problem}",
            headers=self._response.headers,
        )
