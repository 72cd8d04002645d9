"""Server-Sent Events from an HTTP response, parsed by the generated layer one event at a time.

Like an audio stream, it is read once, and the connection goes back to the pool when the events end, the
stream is closed, or it is used as a context manager.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from types import TracebackType
from typing import Generic, TypeVar

import httpx

from ._http import connection_error
from ._response_info import ResponseInfo, info_of
from .exceptions import APIResponseValidationError, StreamConsumedError

E = TypeVar("E")

# What the generated parser raises on an event whose data does not match the spec.
_MALFORMED = (ValueError, KeyError, TypeError, AttributeError, RecursionError)


def _malformed_event(response: httpx.Response, error: Exception) -> APIResponseValidationError:
    what = f"{response.request.method} {response.request.url.path}"
    return APIResponseValidationError(
        response.status_code,
        f"{what} sent an event that does not match the spec: {type(error).__name__}: {error}"[:500],
        None,
        headers=response.headers,
    )


class EventStream(Generic[E]):
    """The events of a response, each a generated model, as they arrive.

    Example::

        with client.api.text_to_speech_with_timestamps(body=TTSRequest(text="Hi")) as events:
            for event in events:
                print(event.chunk_seq)
    """

    def __init__(self, response: httpx.Response, iter_events: Callable[[Iterable[str]], Iterator[E]]) -> None:
        self._response = response
        self._iter_events = iter_events
        self._started = False

    @property
    def response(self) -> ResponseInfo:
        """The status and headers of the answer (``.generation_id``...), known before the first event."""
        return info_of(self._response)

    def __iter__(self) -> Iterator[E]:
        if self._started:
            raise StreamConsumedError()
        self._started = True
        return self._events()

    def _events(self) -> Iterator[E]:
        try:
            yield from self._iter_events(self._response.iter_lines())
        except httpx.HTTPError as error:
            raise connection_error(error, self._response.request) from error
        except _MALFORMED as error:
            raise _malformed_event(self._response, error) from error
        finally:
            self._response.close()

    def close(self) -> None:
        """Release the connection without reading the remaining events."""
        self._started = True
        self._response.close()

    def __enter__(self) -> EventStream[E]:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncEventStream(Generic[E]):
    """The async twin of :class:`EventStream`: ``async for event in stream``."""

    def __init__(
        self, response: httpx.Response, aiter_events: Callable[[AsyncIterable[str]], AsyncIterator[E]]
    ) -> None:
        self._response = response
        self._aiter_events = aiter_events
        self._started = False

    @property
    def response(self) -> ResponseInfo:
        """The status and headers of the answer (``.generation_id``...), known before the first event."""
        return info_of(self._response)

    def __aiter__(self) -> AsyncIterator[E]:
        if self._started:
            raise StreamConsumedError()
        self._started = True
        return self._events()

    async def _events(self) -> AsyncIterator[E]:
        try:
            async for event in self._aiter_events(self._response.aiter_lines()):
                yield event
        except httpx.HTTPError as error:
            raise connection_error(error, self._response.request) from error
        except _MALFORMED as error:
            raise _malformed_event(self._response, error) from error
        finally:
            await self._response.aclose()

    async def close(self) -> None:
        """Release the connection without reading the remaining events."""
        self._started = True
        await self._response.aclose()

    async def __aenter__(self) -> AsyncEventStream[E]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
