"""The ASGI application: the endpoints of every operation in the spec, behind the :class:`Gateway`.

The ``/v1/tts/live`` WebSocket endpoint is ``_live_endpoint.live_routes(context)``, served like the other
routes: by the time it runs, the gateway has checked the bearer key (401), the per-key concurrency limit
(429) and the ``fail`` faults, refusing the handshake with the API's status and JSON body; the ``delay``,
``drop`` and ``websocket_finish_error`` faults are the endpoint's to apply.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, ExceptionHandler

from . import (
    _live_endpoint,
    _routes_admin,
    _routes_asr,
    _routes_generic,
    _routes_tts,
    _routes_voice_design,
    _routes_voices,
    _routes_wallet,
)
from ._context import ServerContext
from ._errors import Problem, fish_error
from ._gateway import Gateway


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return exc.response


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return fish_error(exc.status_code, str(exc.detail), headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Starlette logs and re-raises it after this answer; the client gets the API's error shape.
    return fish_error(500, "Internal server error", reason=type(exc).__name__)


def create_app(context: ServerContext) -> ASGIApp:
    """The ASGI app serving ``context``'s state; run it with uvicorn (``LocalServer`` does)."""
    routes: list[BaseRoute] = [
        *_routes_tts.routes(context),
        *_routes_asr.routes(context),
        *_routes_voice_design.routes(context),
        *_routes_voices.routes(context),
        *_routes_wallet.routes(context),
        *_routes_admin.routes(context),
        *_live_endpoint.live_routes(context),
    ]
    # Last: an operation of the spec that no route above serves still gets a spec-conforming answer.
    routes += _routes_generic.routes(context, routes)
    handlers: dict[object, ExceptionHandler] = {
        Problem: _problem,
        HTTPException: _http_exception,
        Exception: _unexpected,
    }
    app = Starlette(routes=routes, exception_handlers=handlers)
    return Gateway(app, context)
