"""The error responses the server sends, in Fish Audio's shapes, and the exception that carries them.

Every error but 422 is ``{"status", "message", "reason"?}`` (the errors page); a 422 is a top-level array
of issues; a body that cannot be parsed gets a plain-text message, as the errors page says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

import attrs
from starlette.responses import JSONResponse, PlainTextResponse, Response


@attrs.frozen
class Issue:
    """One validation problem, as the API reports it in a 422 body."""

    loc: tuple[str | int, ...]
    type: str
    msg: str
    location: str
    ctx: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The wire form: ``{"loc", "type", "msg", "in", "ctx"?}``."""
        body: dict[str, Any] = {
            "loc": list(self.loc),
            "type": self.type,
            "msg": self.msg,
            "in": self.location,
        }
        if self.ctx is not None:
            body["ctx"] = dict(self.ctx)
        return body


class Problem(Exception):
    """Raised by a handler to answer with ``response`` instead of going on."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def reason_phrase(status: int) -> str:
    """The standard phrase for a status, e.g. ``Service Unavailable`` for 503."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def fish_error(
    status: int, message: str, *, reason: str | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A Fish-style error: ``{"status": 404, "message": "Model not found", "reason": null}``."""
    return JSONResponse({"status": status, "message": message, "reason": reason}, status, headers=headers)


def fail(
    status: int, message: str, *, reason: str | None = None, headers: Mapping[str, str] | None = None
) -> Problem:
    """A :class:`Problem` carrying :func:`fish_error`; ``raise fail(404, "Model not found")``."""
    return Problem(fish_error(status, message, reason=reason, headers=headers))


def validation_error(issues: Sequence[Issue]) -> JSONResponse:
    """A 422 with the upstream array body."""
    return JSONResponse([issue.to_dict() for issue in issues], 422)


def parse_error(message: str) -> PlainTextResponse:
    """A 400 for a body that cannot be parsed: plain text, not JSON, as the errors page documents."""
    return PlainTextResponse(message, 400)


def unauthorized() -> JSONResponse:
    """A missing or wrong API key."""
    return fish_error(401, "Invalid API key")


def too_many_requests(limit: int) -> JSONResponse:
    """The concurrency limit is reached; the client should retry after a second."""
    return fish_error(
        429,
        f"Too many concurrent requests: at most {limit} requests per API key may run at once",
        headers={"Retry-After": "1"},
    )


def insufficient_credit() -> Problem:
    """The wallet cannot pay for the request."""
    return fail(402, "Insufficient API credit")
