"""FishAudio and AsyncFishAudio: configuration, the connection pool, and the resource namespaces."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Final

import httpx

from ._constants import DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_READ_TIMEOUT
from ._http import AsyncHTTP, HTTPSettings, SyncHTTP
from ._redact import remember_key
from ._request_options import check_max_retries, check_timeout, header_problem
from ._retry import SYSTEM_CLOCK, Clock
from .exceptions import ConfigurationError
from .resources.tts import AsyncTTSClient, TTSClient

if TYPE_CHECKING:
    from ._api_namespace import API, AsyncAPI
    from .resources.account import AccountClient, AsyncAccountClient
    from .resources.asr import ASRClient, AsyncASRClient
    from .resources.voices import AsyncVoicesClient, VoicesClient

_HEADER_SAFE_KEY: Final = re.compile(r"[\x21-\x7e]+")
DEFAULT_TIMEOUT: Final = httpx.Timeout(DEFAULT_READ_TIMEOUT, connect=DEFAULT_CONNECT_TIMEOUT)


class _NotGiven:
    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = _NotGiven()
"""Marks an argument left out, where None has a meaning of its own (``timeout=None``: wait forever)."""


def _settings(
    *,
    api_key: str | None,
    base_url: str | None,
    timeout: float | httpx.Timeout | _NotGiven | None,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
    injected: httpx.Client | httpx.AsyncClient | None,
    clock: Clock,
) -> HTTPSettings:
    """Resolve the client configuration: arguments first, then the injected client, then the environment."""
    api_key = (api_key or os.environ.get("FISH_API_KEY") or "").strip()
    if not api_key:
        raise ConfigurationError(
            "No API key: pass FishAudio(api_key=...) or set the FISH_API_KEY environment variable."
        )
    if not _HEADER_SAFE_KEY.fullmatch(api_key):
        # Never echo the key: this message ends up in logs.
        raise ConfigurationError(
            "The API key holds spaces or control characters that an HTTP header cannot carry;"
            " check how it was read."
        )
    check_max_retries(max_retries)
    if base_url is None and injected is not None and str(injected.base_url):
        base_url = str(injected.base_url)
    base_url = base_url or os.environ.get("FISH_BASE_URL") or DEFAULT_BASE_URL
    if not base_url.startswith(("http://", "https://")):
        raise ConfigurationError(f"base_url must start with http:// or https://, got {base_url!r}.")
    _check_address(base_url)
    if isinstance(timeout, _NotGiven):
        # An injected client keeps its own timeout unless one is passed here explicitly.
        resolved = None if injected is not None else DEFAULT_TIMEOUT
    else:
        check_timeout(timeout)
        resolved = httpx.Timeout(timeout)
    settings = HTTPSettings(
        api_key=api_key,
        base_url=base_url,
        timeout=resolved,
        max_retries=max_retries,
        headers=_checked_headers(default_headers),
        clock=clock,
    )
    # While the client's settings live, no log record of the libraries it drives, nor any error, shows it.
    remember_key(api_key, owner=settings)
    return settings


def _check_address(base_url: str) -> None:
    """Refuse a base_url that no request could be sent to, here rather than as an httpx error later."""
    try:
        url = httpx.URL(base_url)
        port = url.port
    except httpx.InvalidURL as error:
        raise ConfigurationError(f"base_url is not a valid URL ({error}), got {base_url!r}.") from None
    if not url.host:
        raise ConfigurationError(f"base_url names no host, got {base_url!r}.")
    if port is not None and not 0 < port < 65536:
        raise ConfigurationError(f"base_url's port must be 1 to 65535, got {base_url!r}.")


def _checked_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """``default_headers`` as a dict, once every name and value is one an HTTP header can carry."""
    problem = header_problem("default_headers", headers)
    if problem is not None:
        raise ConfigurationError(problem[0])
    return dict(headers or {})


class FishAudio:
    """The synchronous Fish Audio client.

    Example::

        client = FishAudio()  # reads FISH_API_KEY
        audio = client.tts.convert(text="Hello, welcome to Fish Audio!")

    Args:
        api_key: the API key; defaults to the ``FISH_API_KEY`` environment variable.
        base_url: the API's address; defaults to ``FISH_BASE_URL``, else https://api.fish.audio.
        timeout: seconds, or an ``httpx.Timeout`` per phase; default 5 s to connect and 600 s to read.
            ``None`` waits forever. With ``httpx_client`` and no ``timeout``, that client's timeout applies.
        max_retries: retries of a failed request (connection errors, timeouts, 408, 409, 429, 5xx; a change
            only when it cannot have been acted on, see the README).
        default_headers: headers added to every request.
        httpx_client: your own ``httpx.Client`` (proxies, certificates, transports). Its base URL is used when
            ``base_url`` is not given; its headers are kept. It is not closed by :meth:`close`.
        clock: how retries wait; tests pass a fake one.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | _NotGiven | None = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        httpx_client: httpx.Client | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        if httpx_client is not None and not isinstance(httpx_client, httpx.Client):
            raise TypeError(f"httpx_client must be an httpx.Client, got {type(httpx_client).__name__}")
        settings = _settings(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            injected=httpx_client,
            clock=clock,
        )
        client = httpx_client if httpx_client is not None else httpx.Client()
        self._http = SyncHTTP(client, settings, owns_client=httpx_client is None)

    @functools.cached_property
    def tts(self) -> TTSClient:
        """Text to speech: ``convert`` (the whole audio), ``stream`` (as it is made), ``stream_websocket``,
        ``live`` (a session of many utterances)."""
        return TTSClient(self._http)

    # voices, account and asr are made, and their modules imported, on first use: with the generated
    # endpoints and models they need, they would add some 15 ms to every import.

    @functools.cached_property
    def voices(self) -> VoicesClient:
        """Voice models: list, get, create (clone), update and delete them."""
        from .resources.voices import VoicesClient

        return VoicesClient(self._http)

    @functools.cached_property
    def account(self) -> AccountClient:
        """Credit and package of the API key's owner."""
        from .resources.account import AccountClient

        return AccountClient(self._http)

    @functools.cached_property
    def asr(self) -> ASRClient:
        """Speech to text."""
        from .resources.asr import ASRClient

        return ASRClient(self._http)

    @functools.cached_property
    def api(self) -> API:
        """Every operation of the API, with the generated layer's arguments and models.

        Example: ``client.api.get_model("bf322df2096a46f18c579d0baa36f41d").title``
        """
        from ._api_namespace import API

        return API(self._http)

    @property
    def base_url(self) -> str:
        """Where requests go."""
        return self._http.settings.base_url

    def close(self) -> None:
        """Close the connection pool (not an injected httpx client); later requests raise ClientStateError.

        A stream still open keeps its connection until it ends, then the pool closes. Never closed, the
        pool is released once neither the client nor any of its namespaces or streams is referenced.
        """
        self._http.close()

    def __enter__(self) -> FishAudio:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"FishAudio(base_url={self.base_url!r})"


class AsyncFishAudio:
    """The asynchronous Fish Audio client; the same arguments as :class:`FishAudio`.

    Example::

        async with AsyncFishAudio() as client:
            audio = await client.tts.convert(text="Hello!")
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | _NotGiven | None = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        httpx_client: httpx.AsyncClient | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        if httpx_client is not None and not isinstance(httpx_client, httpx.AsyncClient):
            raise TypeError(f"httpx_client must be an httpx.AsyncClient, got {type(httpx_client).__name__}")
        settings = _settings(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            injected=httpx_client,
            clock=clock,
        )
        client = httpx_client if httpx_client is not None else httpx.AsyncClient()
        self._http = AsyncHTTP(client, settings, owns_client=httpx_client is None)

    @functools.cached_property
    def tts(self) -> AsyncTTSClient:
        """Text to speech: ``convert`` (the whole audio), ``stream`` (as it is made), ``stream_websocket``,
        ``live`` (a session of many utterances)."""
        return AsyncTTSClient(self._http)

    # Made on first use, as in FishAudio.

    @functools.cached_property
    def voices(self) -> AsyncVoicesClient:
        """Voice models: list, get, create (clone), update and delete them."""
        from .resources.voices import AsyncVoicesClient

        return AsyncVoicesClient(self._http)

    @functools.cached_property
    def account(self) -> AsyncAccountClient:
        """Credit and package of the API key's owner."""
        from .resources.account import AsyncAccountClient

        return AsyncAccountClient(self._http)

    @functools.cached_property
    def asr(self) -> AsyncASRClient:
        """Speech to text."""
        from .resources.asr import AsyncASRClient

        return AsyncASRClient(self._http)

    @functools.cached_property
    def api(self) -> AsyncAPI:
        """Every operation of the API, awaitable: ``await client.api.list_models()``."""
        from ._api_namespace import AsyncAPI

        return AsyncAPI(self._http)

    @property
    def base_url(self) -> str:
        """Where requests go."""
        return self._http.settings.base_url

    async def close(self) -> None:
        """Close the connection pool (not an injected httpx client); later requests raise ClientStateError.

        A stream still open, for example one that an un-awaited ``save`` or ``play`` task is reading, keeps
        its connection until it ends, then the pool closes.
        """
        await self._http.close()

    async def __aenter__(self) -> AsyncFishAudio:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"AsyncFishAudio(base_url={self.base_url!r})"
