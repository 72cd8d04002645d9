"""Turn successful JSON responses into the generated layer's typed models, or a documented error."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from .exceptions import APIResponseValidationError

T = TypeVar("T")


def parse_json_object(response: httpx.Response, from_dict: Callable[[Mapping[str, Any]], T]) -> T:
    """Parse a JSON object body with ``from_dict``; any other body raises APIResponseValidationError."""
    what = f"{response.request.method} {response.request.url.path}"
    try:
        data = json.loads(response.content)
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to parse
        raise _invalid(response, f"{what} returned a body that is not JSON") from None
    if not isinstance(data, dict):
        raise _invalid(response, f"{what} returned a JSON {type(data).__name__}, expected an object", data)
    try:
        return from_dict(data)
    except KeyError as error:
        raise _invalid(response, f"{what} returned an object without the field {error}", data) from None
    except (TypeError, ValueError, AttributeError) as error:
        raise _invalid(
            response, f"{what} returned an object that does not match the spec: {error}", data
        ) from None


def _invalid(response: httpx.Response, message: str, body: object = None) -> APIResponseValidationError:
    if body is None:
        body = response.text[:500]
    return APIResponseValidationError(response.status_code, message, body, headers=response.headers)
