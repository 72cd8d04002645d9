"""``/v1/tts/live``: text in, audio out over one WebSocket (``spec/asyncapi.yaml``), served by ``_app``.

The gateway has checked the key (401), the per-key concurrency limit (429) and the ``fail`` faults before
the route runs; a key that cannot pay for one character is refused here (402), still as an HTTP answer
with the API's JSON body. After the handshake, a reader task decodes the client's frames into a queue
while one :class:`~fishaudio_ext.server._live_session.LiveSession` after another answers them (a new
``start`` after ``finish``/``stop`` begins the next), so a client that goes away is noticed at once: the
session is cancelled, even while it waits on the pacing, its concurrency slot is freed, and both tasks
are finished before the route returns. Frames that break the protocol (text, not a MessagePack map) end
the session with ``finish``/``error`` and close codes 1003 and 1007.

A socket is closed when it reaches the connection time limit (``live_max_connection_seconds``, the
API's ``LIVE_MAX_CONNECTION_SECONDS`` by default), whatever it is doing: a session in progress is
cancelled without ``finish``, as when the client leaves. Fish Audio does not document the close code;
this server uses 1001 (going away), what load balancers and gateways send when they end a connection
for its age, with a reason that names the limit.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any, Final

import msgpack
from starlette.routing import BaseRoute, WebSocketRoute
from starlette.types import Message
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from ._context import ServerContext
from ._errors import insufficient_credit
from ._faults import LIVE_PATH
from ._live_session import (
    GOING_AWAY,
    INVALID_PAYLOAD,
    UNSUPPORTED_DATA,
    LiveSession,
    SessionEnded,
    close_reason,
)
from ._pricing import UnpricedModel, tts_cost, tts_model

# Events read ahead of the session: enough for any burst of text, while a client that floods the socket
# is made to wait (the reader stops reading) instead of growing the server's memory.
_QUEUE_SIZE: Final = 256
_DENIAL_EXTENSION: Final = "websocket.http.response"

Item = dict[str, Any] | SessionEnded


def _decode(message: Message) -> Item:
    """The event of one received frame, or the :class:`SessionEnded` its breach of the protocol calls for."""
    data = message.get("bytes")
    if data is None:
        return SessionEnded(
            "Frames must be binary MessagePack maps: a text frame was received",
            UNSUPPORTED_DATA,
            "text frames are not supported: send binary MessagePack",
        )
    try:
        event = msgpack.unpackb(data)
    except (ValueError, TypeError, msgpack.UnpackException) as error:  # what msgpack raises for bad input
        text = f"A frame is not valid MessagePack: {error}"
        return SessionEnded(text, INVALID_PAYLOAD, "invalid MessagePack")
    if not isinstance(event, dict):
        return SessionEnded(
            f"A frame must be a MessagePack map with an event name, not a {type(event).__name__}",
            INVALID_PAYLOAD,
            "a frame must be a MessagePack map",
        )
    return event


async def _serve(context: ServerContext, websocket: WebSocket) -> None:
    """Run the sessions of an accepted socket until one fails, the client goes away, the ``drop`` fault
    breaks it, or the socket reaches its time limit."""
    queue: asyncio.Queue[Item] = asyncio.Queue(_QUEUE_SIZE)

    async def read() -> None:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            await queue.put(_decode(message))

    async def next_event() -> dict[str, Any]:
        item = await queue.get()
        if isinstance(item, SessionEnded):
            raise item
        return item

    async def answer() -> None:
        # The client may leave while audio is being sent: nothing to tell anyone then.
        with contextlib.suppress(WebSocketDisconnect):
            while await LiveSession(context, websocket, next_event).run():
                pass  # finished: the socket waits for the next start, holding no slot meanwhile

    reader = asyncio.create_task(read(), name="fishaudio-local-live-reader")
    worker = asyncio.create_task(answer(), name="fishaudio-local-live-session")
    limit = context.live_max_connection_seconds
    try:
        done, _ = await asyncio.wait((reader, worker), timeout=limit, return_when=asyncio.FIRST_COMPLETED)
        if not done:
            worker.cancel()  # the session in progress ends here; its slot is freed as it unwinds
            await asyncio.gather(worker, return_exceptions=True)
            await _close(websocket, GOING_AWAY, f"The connection reached its time limit of {limit:g} s")
            return
        # The session's outcome first (a drop must reach uvicorn); otherwise the client is gone.
        (worker if worker.done() else reader).result()
    finally:
        for task in (reader, worker):
            task.cancel()
        await asyncio.gather(reader, worker, return_exceptions=True)


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    """Close the socket unless the session being cancelled already has."""
    if websocket.application_state == WebSocketState.CONNECTED:
        with contextlib.suppress(WebSocketDisconnect):
            await websocket.close(code, close_reason(reason))


async def _refuse_unpaid(context: ServerContext, websocket: WebSocket) -> bool:
    """Refuse the handshake with a 402 when the key cannot pay for one character; True if it did."""
    try:
        model = tts_model(websocket.headers.get("model"))
    except UnpricedModel:
        return False  # refused with its reason at the start event, like any other bad setting
    if tts_cost(model, "a") <= context.account(websocket).credit:
        return False
    response = insufficient_credit().response
    if _DENIAL_EXTENSION in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(response)
    else:  # a server without the denial extension can only close the connection
        await websocket.close(1008, close_reason("Insufficient API credit"))
    return True


def live_routes(context: ServerContext) -> Sequence[BaseRoute]:
    """The ``/v1/tts/live`` route of ``context``'s server."""

    async def live(websocket: WebSocket) -> None:
        if await _refuse_unpaid(context, websocket):
            return
        await websocket.accept()
        await _serve(context, websocket)

    return [WebSocketRoute(LIVE_PATH, live)]
