"""The ASGI application: the endpoints of every operation in the spec, behind the :class:`Gateway`.

The ``/v1/tts/live`` WebSocket endpoint lives in ``_live_endpoint.py``: when that module exists, its
``live_routes(context)`` is called and the routes it returns are served like the others. By the time such
a route runs, the gateway has checked the bearer key (401), the per-key concurrency limit (429) and the
``fail`` faults, refusing the handshake with the API's status and JSON body (the ``delay`` and ``drop``
faults are left to the endpoint: ``take_delay``/``take_drop`` with ``GET /v1/tts/live``). What it can use:

* ``context.account(websocket)``: whose session it is;
* ``context.check("/components/schemas/LiveStartEvent", event)``: 422-style issues, defaults filled in
  (pass the ``start`` request through ``_routes_tts.accept_legacy_opus_kbps`` first, as SDK 1.3.0 sends
  ``opus_bitrate: 32``);
* ``_routes_tts.check_tts_request`` (400s: sample rate, unknown voice, multi-speaker on s1) and
  ``_routes_tts.charge_text`` (402) for each piece of text synthesized;
* ``_synthesis.SynthesisSession``: one encoder across flushes (``_synthesis.synthesized_chunks`` gives
  the pieces of each text chunk as it is made, ``finish()`` the tail) and ``_synthesis.paced`` to pace
  them; ``context.remember_digest`` so ASR knows the result;
* ``context.faults.take_websocket_finish_error()``: when not None, end with ``finish``/``error`` after
  that many ``audio`` frames.

Until the module exists, ``/v1/tts/live`` is not served.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Final, Protocol, cast

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, ExceptionHandler

from . import (
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

LIVE_ENDPOINT_MODULE: Final = f"{__package__}._live_endpoint"


class LiveEndpointModule(Protocol):
    """What ``_live_endpoint.py`` provides: the WebSocket route(s) for ``/v1/tts/live``."""

    def live_routes(self, context: ServerContext) -> Sequence[BaseRoute]:
        """Return the routes, built around the server's shared state."""
        ...


def _live_routes(context: ServerContext) -> list[BaseRoute]:
    try:
        module = cast(LiveEndpointModule, importlib.import_module(LIVE_ENDPOINT_MODULE))
    except ModuleNotFoundError as exc:
        if exc.name != LIVE_ENDPOINT_MODULE:
            raise  # the module exists but something it imports is missing: that is a real error
        return []
    return list(module.live_routes(context))


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
        *_live_routes(context),
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
