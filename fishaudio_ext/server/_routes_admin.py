"""``/_local/*``: control of a running server over HTTP, for tests that start it as a separate process.

Not part of the Fish Audio API. Answered only to loopback clients (403 otherwise), and, but for
``health``, only with the server's own key (``Authorization: Bearer <key>``, the key ``fishaudio serve``
prints; 401 otherwise). Browsers cannot send that header to another site without a CORS preflight, which
this server never grants, so no web page can reset the state or add a fault; the gateway's ``Host`` and
``Origin`` checks keep pages from reading the answers too.

* ``GET /_local/health``: ``{"status": "ok"}`` (no key: it says only that the server runs).
* ``GET /_local/faults``: the active faults; ``POST`` adds one (a JSON object of at most 64 KiB, see
  :meth:`Faults.add`; 400 for an invalid one, which is not stored); ``DELETE`` clears them all and
  releases held requests.
* ``POST /_local/reset``: back to the initial state (voices, credit, faults).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable
from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ._context import ServerContext
from ._errors import fish_error
from ._validation import JSON, media_type, read_limited_body

MAX_ADMIN_BODY_BYTES: Final = 64 * 1024

Endpoint = Callable[[Request], Awaitable[Response]]


def _is_local(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def routes(context: ServerContext) -> list[BaseRoute]:
    """The admin routes of ``context``'s server."""

    def admin(endpoint: Endpoint) -> Endpoint:
        async def checked(request: Request) -> Response:
            if not _is_local(request):
                return fish_error(403, "The admin endpoints only answer loopback clients")
            if not context.is_admin(request.headers):
                return fish_error(
                    401, "The admin endpoints need the server's key: Authorization: Bearer <key>"
                )
            return await endpoint(request)

        return checked

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            kind = media_type(request.headers.get("content-type"))
            if kind != JSON:
                return fish_error(415, f"Unsupported content type {kind}: a fault is sent as {JSON}")
            raw = await read_limited_body(request, MAX_ADMIN_BODY_BYTES)
            try:
                context.faults.add(json.loads(raw))
            except (ValueError, TypeError, RecursionError) as exc:
                return fish_error(400, f"Invalid fault: {exc}")
            return JSONResponse([f.to_dict() for f in context.faults.active()], 201)
        if request.method == "DELETE":
            context.faults.clear()
        return JSONResponse([f.to_dict() for f in context.faults.active()])

    async def reset(request: Request) -> Response:
        context.reset()
        return JSONResponse({"status": "ok"})

    return [
        Route("/_local/health", health, methods=["GET"]),
        Route("/_local/faults", admin(faults), methods=["GET", "POST", "DELETE"]),
        Route("/_local/reset", admin(reset), methods=["POST"]),
    ]
