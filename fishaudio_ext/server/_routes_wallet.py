"""``GET /wallet/{user_id}/api-credit`` and ``GET /wallet/{user_id}/package``: the key owner's wallet.

``user_id`` is ``self`` or the owner's own id; another user's wallet is refused (403). The package is a
byte allowance (1M UTF-8 bytes, about 12 hours of speech per the pricing page) that shrinks as text is
synthesized; it is informational, billing uses the credit.
"""

from __future__ import annotations

import datetime
from typing import Final

from fishaudio_api.models import APICreditEntity, PackageEntity
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ._context import ServerContext
from ._errors import fail
from ._pricing import to_usd_text
from ._state import Account

PACKAGE_TYPE: Final = "api"
PACKAGE_BYTES: Final = 1_000_000
PACKAGE_DAYS: Final = 365


def _owner(context: ServerContext, request: Request, user_id: str) -> Account:
    account = context.account(request)
    if user_id not in ("self", account.user_id):
        raise fail(403, "Permission denied", reason="A key may only read its own wallet")
    return account


def routes(context: ServerContext) -> list[BaseRoute]:
    """The wallet routes of ``context``'s server."""

    async def get_api_credit(request: Request) -> Response:
        valid = await context.validate(request)
        account = _owner(context, request, valid.path["user_id"])
        entity = APICreditEntity(
            id=account.id,
            user_id=account.user_id,
            credit=to_usd_text(account.credit),
            cumulative_top_up=to_usd_text(account.top_up),
            created_at=datetime.datetime.fromisoformat(account.created_at),
            updated_at=datetime.datetime.fromisoformat(account.updated_at),
            has_phone_sha256=False,
            # The local server gives no free credit; the field is only set when it was asked about.
            has_free_credit=False if valid.query["check_free_credit"] else None,
        )
        return JSONResponse(entity.to_dict())

    async def get_package(request: Request) -> Response:
        valid = await context.validate(request)
        account = _owner(context, request, valid.path["user_id"])
        created = datetime.datetime.fromisoformat(account.created_at)
        package = PackageEntity(
            user_id=account.user_id,
            type_=PACKAGE_TYPE,
            total=PACKAGE_BYTES,
            balance=max(0, PACKAGE_BYTES - account.synthesized_bytes),
            created_at=created,
            updated_at=datetime.datetime.fromisoformat(account.updated_at),
            finished_at=created + datetime.timedelta(days=PACKAGE_DAYS),
        )
        # No spec version has `_id`, but the official SDK 1.3.0 requires it to parse a package.
        package.additional_properties["_id"] = account.id
        return JSONResponse(package.to_dict())

    return [
        Route("/wallet/{user_id}/api-credit", get_api_credit, methods=["GET"]),
        Route("/wallet/{user_id}/package", get_package, methods=["GET"]),
    ]
