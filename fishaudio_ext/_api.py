"""What ``client.api`` is made of: an operation of the spec, bound to a client's one request path.

``_api_namespace.py`` (generated from the spec) lists every operation as a class attribute made by one of
the ``sync_*``/``async_*`` functions below, from the generated layer's public request builder
(``request_args``) and success parser. Calling it builds the request with the generated signature, sends
it through :class:`~fishaudio_ext._http.SyncHTTP` (auth, headers, timeouts, retries, error mapping,
:class:`RequestOptions`) and returns the generated model, or a stream for audio and Server-Sent Events.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, overload

import httpx
from fishaudio_api.response_facts import SUCCESS_MEDIA_TYPES, SUCCESS_SCHEMAS

from ._api_operation import Operation
from ._api_streams import AsyncEventStream, EventStream
from ._http import AsyncHTTP, RequestArgs, SyncHTTP
from ._parse import parse_json_object
from ._request_options import RequestOptions
from ._response_info import info_of, remember
from ._streaming import AsyncAudioStream, AudioStream

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self is Python 3.11+

P = ParamSpec("P")
R = TypeVar("R")
E = TypeVar("E")


class SyncAPIBase:
    """The operations of the API for :class:`~fishaudio_ext.FishAudio`, with the client's settings."""

    def __init__(self, http: SyncHTTP, options: RequestOptions | None = None) -> None:
        self._http = http
        self._options = options

    def with_options(self, options: RequestOptions | None) -> Self:
        """The same operations, each call sent with ``options`` (timeout, retries, extra headers/query)."""
        return self if options is None else type(self)(self._http, options)


class AsyncAPIBase:
    """The operations of the API for :class:`~fishaudio_ext.AsyncFishAudio`; see :class:`SyncAPIBase`."""

    def __init__(self, http: AsyncHTTP, options: RequestOptions | None = None) -> None:
        self._http = http
        self._options = options

    def with_options(self, options: RequestOptions | None) -> Self:
        """The same operations, each call sent with ``options``; see :meth:`SyncAPIBase.with_options`."""
        return self if options is None else type(self)(self._http, options)


class SyncCall(Generic[P, R]):
    """An operation bound to one namespace: call it with the generated layer's arguments."""

    def __init__(
        self,
        api: SyncAPIBase,
        operation: Operation,
        build: Callable[P, RequestArgs],
        result: Callable[[httpx.Response], R],
    ) -> None:
        self.operation = operation
        self.request_args = build
        """The generated layer's request builder: what a call with the same arguments would send."""
        # The namespace's settings, not the namespace: it keeps this call, and a cycle would leave the
        # pool to the garbage collector, which may run after the event loop has gone.
        self._http = api._http
        self._options = api._options
        self._result = result
        self._stream = operation.response in ("audio", "events")
        self._response_types = SUCCESS_MEDIA_TYPES[operation.id]

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        response = self._http.request(
            self.request_args(*args, **kwargs),
            self._options,
            stream=self._stream,
            idempotent=self.operation.idempotent,
            response_types=self._response_types,
        )
        return self._result(response)


class AsyncCall(Generic[P, R]):
    """An operation bound to one async namespace: ``await`` it with the generated layer's arguments."""

    def __init__(
        self,
        api: AsyncAPIBase,
        operation: Operation,
        build: Callable[P, RequestArgs],
        result: Callable[[httpx.Response], R],
    ) -> None:
        self.operation = operation
        self.request_args = build
        """The generated layer's request builder: what a call with the same arguments would send."""
        # The namespace's settings, not the namespace: it keeps this call, and a cycle would leave the
        # pool to the garbage collector, which may run after the event loop has gone.
        self._http = api._http
        self._options = api._options
        self._result = result
        self._stream = operation.response in ("audio", "events")
        self._response_types = SUCCESS_MEDIA_TYPES[operation.id]

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        response = await self._http.request(
            self.request_args(*args, **kwargs),
            self._options,
            stream=self._stream,
            idempotent=self.operation.idempotent,
            response_types=self._response_types,
        )
        return self._result(response)


class SyncOperation(Generic[P, R]):
    """A class attribute of the sync namespace; reading it from a namespace gives a :class:`SyncCall`."""

    def __init__(
        self,
        operation: Operation,
        build: Callable[P, RequestArgs],
        result: Callable[[httpx.Response], R],
    ) -> None:
        self.operation = operation
        self._build = build
        self._result = result
        self._name = operation.id

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, api: None, owner: type) -> Self: ...
    @overload
    def __get__(self, api: SyncAPIBase, owner: type) -> SyncCall[P, R]: ...
    def __get__(self, api: SyncAPIBase | None, owner: type) -> Self | SyncCall[P, R]:
        if api is None:
            return self
        call = SyncCall(api, self.operation, self._build, self._result)
        # Kept on the namespace: the next read finds it there without coming back here.
        api.__dict__[self._name] = call
        return call


class AsyncOperation(Generic[P, R]):
    """A class attribute of the async namespace; reading it from a namespace gives an :class:`AsyncCall`."""

    def __init__(
        self,
        operation: Operation,
        build: Callable[P, RequestArgs],
        result: Callable[[httpx.Response], R],
    ) -> None:
        self.operation = operation
        self._build = build
        self._result = result
        self._name = operation.id

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, api: None, owner: type) -> Self: ...
    @overload
    def __get__(self, api: AsyncAPIBase, owner: type) -> AsyncCall[P, R]: ...
    def __get__(self, api: AsyncAPIBase | None, owner: type) -> Self | AsyncCall[P, R]:
        if api is None:
            return self
        call = AsyncCall(api, self.operation, self._build, self._result)
        api.__dict__[self._name] = call
        return call


# What each kind of success response becomes. Sync and async differ only for streams.


def _json_result(operation: Operation, parse: Callable[[Any], R]) -> Callable[[httpx.Response], R]:
    schema = SUCCESS_SCHEMAS[operation.id]

    def result(response: httpx.Response) -> R:
        model = parse_json_object(response, parse, schema)
        remember(model, info_of(response))  # for response_of(model): the generated class has no room for it
        return model

    return result


def _no_result(response: httpx.Response) -> None:
    return None


def sync_json(
    operation: Operation, build: Callable[P, RequestArgs], parse: Callable[[Any], R]
) -> SyncOperation[P, R]:
    return SyncOperation(operation, build, _json_result(operation, parse))


def sync_audio(operation: Operation, build: Callable[P, RequestArgs]) -> SyncOperation[P, AudioStream]:
    return SyncOperation(operation, build, AudioStream)


def sync_events(
    operation: Operation,
    build: Callable[P, RequestArgs],
    iter_events: Callable[[Iterable[str]], Iterator[E]],
) -> SyncOperation[P, EventStream[E]]:
    return SyncOperation(operation, build, lambda response: EventStream(response, iter_events))


def sync_empty(operation: Operation, build: Callable[P, RequestArgs]) -> SyncOperation[P, None]:
    return SyncOperation(operation, build, _no_result)


def async_json(
    operation: Operation, build: Callable[P, RequestArgs], parse: Callable[[Any], R]
) -> AsyncOperation[P, R]:
    return AsyncOperation(operation, build, _json_result(operation, parse))


def async_audio(operation: Operation, build: Callable[P, RequestArgs]) -> AsyncOperation[P, AsyncAudioStream]:
    return AsyncOperation(operation, build, AsyncAudioStream)


def async_events(
    operation: Operation,
    build: Callable[P, RequestArgs],
    aiter_events: Callable[[AsyncIterable[str]], AsyncIterator[E]],
) -> AsyncOperation[P, AsyncEventStream[E]]:
    return AsyncOperation(operation, build, lambda response: AsyncEventStream(response, aiter_events))


def async_empty(operation: Operation, build: Callable[P, RequestArgs]) -> AsyncOperation[P, None]:
    return AsyncOperation(operation, build, _no_result)
