"""The ASGI layer in front of the endpoints: what the hosted API does before a request reaches its handler.

First, on every route (admin included), the ``Host`` and ``Origin`` checks of ``_origins`` (403), so
that no web page elsewhere can use or read the server. Then, in order: route lookup in the spec (unknown
path 404, wrong method 405), on the WebSocket the handshake delay if one is set, the API key (401), the
per-key concurrency limit (429), then the injected faults (delay, fail, drop; on ``/v1/tts/live`` only
fail, the endpoint applies the others to its audio frames). The concurrency slot is held until the
response's last byte, so a streamed response counts for as long as it streams; a WebSocket session holds
one from its ``start`` event to its end.

``/_local/*`` (the admin endpoints) skips the rest: they check the server's own key themselves.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Final

from fishaudio_api.facts import LIVE_TTS_PATH
from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._context import ACCOUNT_SCOPE_KEY, OPERATION_SCOPE_KEY, ServerContext
from ._errors import fish_error, too_many_requests, unauthorized
from ._faults import Failure
from ._origins import host_problem, origin_problem
from ._state import Account

ADMIN_PREFIX: Final = "/_local/"
# The WebSocket is described by asyncapi.yaml, not by an OpenAPI operation; it gets the same key and limit.
WEBSOCKET_PATHS: Final = (LIVE_TTS_PATH,)


class ConnectionDropped(Exception):
    """Raised to make the server close a response's connection mid-body (the ``drop`` fault)."""


# uvicorn's websockets-sansio protocol logs this after every handshake refused with an HTTP answer
# (Kludex/uvicorn PR #3138); here that is the only way an app returns without a handshake.
_DENIAL_NOISE = "ASGI callable returned without completing handshake."


class _QuietDrops(logging.Filter):
    """Keeps the injected drops out of uvicorn's error log: they are the point, not a bug. Likewise the
    spurious error uvicorn logs for a WebSocket handshake refused with an HTTP answer (401, 429 ...)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], ConnectionDropped):
            return False
        return record.getMessage() != _DENIAL_NOISE


def quiet_dropped_connections() -> None:
    """Install the log filter on uvicorn's error logger (idempotent)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietDrops) for f in logger.filters):
        logger.addFilter(_QuietDrops())


def failure_response(failure: Failure) -> Response:
    """The response of a ``fail`` fault: its body as JSON, or as text when it is a string."""
    if isinstance(failure.body, str):
        return PlainTextResponse(failure.body, failure.status, headers=failure.headers)
    return JSONResponse(failure.body, failure.status, headers=failure.headers)


class Gateway:
    """ASGI middleware applying authentication, limits and faults to API requests."""

    def __init__(self, app: ASGIApp, context: ServerContext) -> None:
        self.app = app
        self.context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        own_host = self.context.listen_host
        refused = host_problem(headers.get("host"), own_host) or origin_problem(
            headers.get("origin"), own_host
        )
        if refused is not None:
            await _answer(scope, receive, send, fish_error(403, refused))
            return
        if scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        method = scope.get("method", "GET")
        path: str = scope["path"]
        if scope["type"] == "http":
            found = self.context.spec.find(method, path)
            if found is None:
                allowed = self.context.spec.has_path(path)
                status, message = (405, "Method not allowed") if allowed else (404, "Not found")
                await fish_error(status, message)(scope, receive, send)
                return
            scope[OPERATION_SCOPE_KEY] = found[0]
        elif path not in WEBSOCKET_PATHS:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket" and self.context.live_handshake_delay:
            # What TLS and the distance to the hosted API add to a handshake, when the server emulates it.
            await asyncio.sleep(self.context.live_handshake_delay)
        account = self.context.authenticate(headers)
        if account is None:
            await _answer(scope, receive, send, unauthorized())
            return
        key = account.key_hash
        if not self.context.limiter.try_acquire(key):
            await _answer(scope, receive, send, too_many_requests(self.context.limiter.limit))
            return
        if scope["type"] == "websocket":
            # A session is refused while its key's slots are all busy, but an open socket is not work:
            # the session takes its slot when its ``start`` event arrives (see ``_live_session``).
            self.context.limiter.release(key)
            await self._handle(scope, receive, send, method, path, account)
            return
        try:
            await self._handle(scope, receive, send, method, path, account)
        finally:
            self.context.limiter.release(key)

    async def _handle(
        self, scope: Scope, receive: Receive, send: Send, method: str, path: str, account: Account
    ) -> None:
        faults = self.context.faults
        # On the WebSocket, the endpoint holds the first audio frame instead (the time to first audio).
        delay = faults.take_delay(method, path) if scope["type"] == "http" else None
        if delay:
            await faults.pause(delay)
        failure = faults.take_failure(method, path)
        if failure is not None:
            await _answer(scope, receive, send, failure_response(failure))
            return
        scope[ACCOUNT_SCOPE_KEY] = account
        drop_after = faults.take_drop(method, path) if scope["type"] == "http" else None
        if drop_after is None:
            await self.app(scope, receive, send)
            return
        dropper = _Dropper(send, drop_after)
        try:
            await self.app(scope, receive, dropper)
        except BaseException:
            if dropper.dropped:
                # Whatever wrapped it on the way out, uvicorn must see the drop to close the transport.
                raise ConnectionDropped(f"dropped after {drop_after} chunks, as injected") from None
            raise


class _Dropper:
    """A ``send`` that passes the response start and ``after`` body chunks, then breaks off."""

    def __init__(self, send: Send, after: int) -> None:
        self._send = send
        self._left = after
        self.dropped = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.body":
            if self._left == 0:
                self.dropped = True
                raise ConnectionDropped("dropped as injected")
            if message.get("body"):
                self._left -= 1
        await self._send(message)


async def _answer(scope: Scope, receive: Receive, send: Send, response: Response) -> None:
    """Send ``response``; on a WebSocket handshake, as an HTTP denial when the server supports one."""
    if scope["type"] == "http":
        await response(scope, receive, send)
        return
    if "websocket.http.response" not in scope.get("extensions", {}):
        await send({"type": "websocket.close", "code": 1008, "reason": _close_reason(response)})
        return
    await send(
        {
            "type": "websocket.http.response.start",
            "status": response.status_code,
            "headers": response.raw_headers,
        }
    )
    await send({"type": "websocket.http.response.body", "body": response.body})


def _close_reason(response: Response) -> str:
    try:
        message = json.loads(bytes(response.body)).get("message", "")
    except (ValueError, AttributeError):
        message = ""
    return str(message)[:120]
