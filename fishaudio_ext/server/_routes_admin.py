"""``/_local/*``: control of a running server over HTTP, for tests that start it as a separate process.

Not part of the Fish Audio API and answered only to loopback clients (403 otherwise); no API key needed.

* ``GET /_local/health``: ``{"status": "ok"}``.
* ``GET /_local/faults``: the active faults; ``POST`` adds one (JSON, see :meth:`Faults.add`);
  ``DELETE`` clears them all and releases held requests.
* ``POST /_local/reset``: back to the initial state (voices, credit, faults).
"""

from __future__ import annotations

import ipaddress
import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ._context import ServerContext
from ._errors import fish_error


def _is_local(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def routes(context: ServerContext) -> list[BaseRoute]:
    """The admin routes of ``context``'s server."""

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def faults(request: Request) -> Response:
        if not _is_local(request):
            return fish_error(403, "The admin endpoints only answer loopback clients")
        if request.method == "POST":
            try:
                context.faults.add(json.loads(await request.body()))
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                return fish_error(400, f"Invalid fault: {exc}")
            return JSONResponse([f.to_dict() for f in context.faults.active()], 201)
        if request.method == "DELETE":
            context.faults.clear()
        return JSONResponse([f.to_dict() for f in context.faults.active()])

    async def reset(request: Request) -> Response:
        if not _is_local(request):
            return fish_error(403, "The admin endpoints only answer loopback clients")
        context.reset()
        return JSONResponse({"status": "ok"})

    return [
        Route("/_local/health", health, methods=["GET"]),
        Route("/_local/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/_local/reset", reset, methods=["POST"]),
    ]
