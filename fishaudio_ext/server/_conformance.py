"""``assert_conforms``: check that a response is one the spec documents, with the server's own registry.

It checks the status (listed for the operation, or covered by a ``5XX`` range), the documented headers
present, the media type, and the body: JSON against its schema, audio as ``format: binary`` bytes, an
SSE stream event by event against the schema in ``x-event-schema``, and no body where none is documented.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx

from ._spec import Spec, escape_pointer_token, load_spec, schema_errors
from ._validation import media_type

_MAX_LISTED = 5


def _response_key(responses: dict[str, Any], status: int) -> str | None:
    for key in (str(status), f"{status // 100}XX", "default"):
        if key in responses:
            return key
    return None


def _sse_events(text: str) -> Iterator[tuple[str, str]]:
    """(event type, data) of each event of a ``text/event-stream`` body."""
    for block in text.replace("\r\n", "\n").split("\n\n"):
        event, data = "message", []
        for line in block.split("\n"):
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                event = value
            elif field == "data":
                data.append(value)
        if data:
            yield event, "\n".join(data)


def _check(spec: Spec, pointer: str, instance: object, what: str) -> None:
    errors = schema_errors(spec, pointer, instance)
    if errors:
        listed = "; ".join(
            f"at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:200]}"
            for e in errors[:_MAX_LISTED]
        )
        raise AssertionError(f"{what} does not match the spec ({len(errors)} problems): {listed}")


def assert_conforms(
    method: str, path: str, response: httpx.Response, *, content: bytes | None = None
) -> None:
    """Raise AssertionError unless ``response`` is a documented answer of ``method`` ``path``.

    ``path`` is the request path (``/model/abc``; a query string is ignored). The body is read from
    ``response`` (read it first for a streamed one) or taken from ``content``. Example::

        response = httpx.post(f"{server.url}/v1/tts", json={"text": "Hi"}, headers=auth)
        assert_conforms("POST", "/v1/tts", response)
    """
    spec = load_spec()
    url_path = urlsplit(path).path
    found = spec.find(method, url_path)
    if found is None:
        raise AssertionError(f"{method.upper()} {url_path} is not an operation of the spec")
    operation = found[0]
    name = f"{operation.method} {operation.template}"
    status = response.status_code
    key = _response_key(operation.definition["responses"], status)
    if key is None:
        documented = ", ".join(operation.definition["responses"])
        raise AssertionError(f"{name} does not document status {status} (it documents {documented})")
    pointer, definition = spec.resolve(f"{operation.pointer}/responses/{escape_pointer_token(key)}")
    for header, described in (definition.get("headers") or {}).items():
        value = response.headers.get(header)
        if value is not None and "schema" in described:
            header_pointer = f"{pointer}/headers/{escape_pointer_token(header)}/schema"
            _check(spec, header_pointer, value, f"{name} {status}: header {header}")
    body = response.content if content is None else content
    contents = definition.get("content") or {}
    if not contents:
        if body:
            raise AssertionError(f"{name} {status} documents no body, got {len(body)} bytes: {body[:100]!r}")
        return
    kind = media_type(response.headers.get("content-type"))
    if kind is None or kind not in contents:
        raise AssertionError(f"{name} {status} is documented as {', '.join(contents)}, got {kind}")
    schema_pointer = f"{pointer}/content/{escape_pointer_token(kind)}/schema"
    what = f"{name} {status} body"
    if kind == "application/json" or kind.endswith("+json"):
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise AssertionError(f"{what} is not JSON: {exc}: {body[:100]!r}") from exc
        _check(spec, schema_pointer, data, what)
    elif kind == "text/event-stream":
        text = body.decode("utf-8")
        _check(spec, schema_pointer, text, what)
        event_pointer = f"{pointer}/content/{escape_pointer_token(kind)}/x-event-schema"
        has_event_schema = "x-event-schema" in contents[kind]
        for index, (event, data) in enumerate(_sse_events(text)):
            if event == "message" and has_event_schema:
                _check(spec, event_pointer, json.loads(data), f"{what}, event {index}")
    elif kind.startswith("text/"):
        _check(spec, schema_pointer, body.decode("utf-8"), what)
    else:
        _check(spec, schema_pointer, body, what)
