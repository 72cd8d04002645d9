"""``client.account``: API credit and package, a thin layer over ``client.api``'s wallet operations."""

from __future__ import annotations

from fishaudio_api.api.wallet import get_api_credit
from fishaudio_api.models import PackageEntity

from .._api import async_json, sync_json
from .._api_namespace import API, AsyncAPI
from .._api_operations import OPERATIONS
from .._http import AsyncHTTP, SyncHTTP
from .._request_options import RequestOptions
from .._unset import unset_if_none
from ..types._credits import Credits

# The wallet endpoints take a user id; "self" is the owner of the API key, the only one a key may read.
_SELF = "self"


class _AccountAPI(API):
    """``client.api`` with the balance read as :class:`Credits`, its decimal strings as ``Decimal``."""

    get_api_credit = sync_json(OPERATIONS["get_api_credit"], get_api_credit.request_args, Credits.from_dict)  # type: ignore[assignment]


class _AsyncAccountAPI(AsyncAPI):
    """The async twin of :class:`_AccountAPI`."""

    get_api_credit = async_json(OPERATIONS["get_api_credit"], get_api_credit.request_args, Credits.from_dict)  # type: ignore[assignment]


class AccountClient:
    """Credit and package of the API key's owner."""

    def __init__(self, http: SyncHTTP) -> None:
        self._api = _AccountAPI(http)

    def get_credits(
        self, *, check_free_credit: bool | None = None, request_options: RequestOptions | None = None
    ) -> Credits:
        """The API credit balance; ``credits.credit`` is a ``Decimal``.

        Example: ``print(f"Available credits: {client.account.get_credits().credit}")``
        """
        api = self._api.with_options(request_options)
        return api.get_api_credit(_SELF, check_free_credit=unset_if_none(check_free_credit))

    def get_package(self, *, request_options: RequestOptions | None = None) -> PackageEntity:
        """The active package (``package.balance`` of ``package.total``)."""
        return self._api.with_options(request_options).get_package(_SELF)


class AsyncAccountClient:
    """Credit and package of the API key's owner (async)."""

    def __init__(self, http: AsyncHTTP) -> None:
        self._api = _AsyncAccountAPI(http)

    async def get_credits(
        self, *, check_free_credit: bool | None = None, request_options: RequestOptions | None = None
    ) -> Credits:
        """The API credit balance; see :meth:`AccountClient.get_credits`."""
        api = self._api.with_options(request_options)
        return await api.get_api_credit(_SELF, check_free_credit=unset_if_none(check_free_credit))

    async def get_package(self, *, request_options: RequestOptions | None = None) -> PackageEntity:
        """The active package; see :meth:`AccountClient.get_package`."""
        return await self._api.with_options(request_options).get_package(_SELF)
