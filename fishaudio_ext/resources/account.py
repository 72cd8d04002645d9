"""``client.account``: API credit and package."""

from __future__ import annotations

from fishaudio_api.api.wallet import get_api_credit, get_package
from fishaudio_api.models import APICreditEntity, PackageEntity

from .._http import AsyncHTTP, RequestArgs, SyncHTTP
from .._parse import parse_json_object
from .._request_options import RequestOptions
from .._unset import unset_if_none

# The wallet endpoints take a user id; "self" is the owner of the API key, the only one a key may read.
_SELF = "self"


def _credits_args(check_free_credit: bool | None) -> RequestArgs:
    return get_api_credit._get_kwargs(_SELF, check_free_credit=unset_if_none(check_free_credit))


class AccountClient:
    """Credit and package of the API key's owner."""

    def __init__(self, http: SyncHTTP) -> None:
        self._http = http

    def get_credits(
        self, *, check_free_credit: bool | None = None, request_options: RequestOptions | None = None
    ) -> APICreditEntity:
        """The API credit balance (``credits.credit``, a decimal string).

        Example: ``print(f"Available credits: {float(client.account.get_credits().credit)}")``
        """
        response = self._http.request(_credits_args(check_free_credit), request_options)
        return parse_json_object(response, APICreditEntity)

    def get_package(self, *, request_options: RequestOptions | None = None) -> PackageEntity:
        """The active package (``package.balance`` of ``package.total``)."""
        response = self._http.request(get_package._get_kwargs(_SELF), request_options)
        return parse_json_object(response, PackageEntity)


class AsyncAccountClient:
    """Credit and package of the API key's owner (async)."""

    def __init__(self, http: AsyncHTTP) -> None:
        self._http = http

    async def get_credits(
        self, *, check_free_credit: bool | None = None, request_options: RequestOptions | None = None
    ) -> APICreditEntity:
        """The API credit balance; see :meth:`AccountClient.get_credits`."""
        response = await self._http.request(_credits_args(check_free_credit), request_options)
        return parse_json_object(response, APICreditEntity)

    async def get_package(self, *, request_options: RequestOptions | None = None) -> PackageEntity:
        """The active package; see :meth:`AccountClient.get_package`."""
        response = await self._http.request(get_package._get_kwargs(_SELF), request_options)
        return parse_json_object(response, PackageEntity)
