"""Credits: the account's API credit balance, with its decimal strings read as ``Decimal``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
from fishaudio_api.models import APICreditEntity
from fishaudio_api.types import UNSET, Unset


def _decimal(value: object) -> Any:
    """A decimal string of the API as a ``Decimal`` (exact, unlike float); UNSET stays UNSET."""
    if isinstance(value, (Unset, Decimal)):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal number") from None


@attrs.define
class Credits(APICreditEntity):
    """The API credit balance: ``credit`` (and ``cumulative_top_up``, when sent) as exact ``Decimal``.

    The generated ``APICreditEntity`` keeps the wire's decimal strings; ``to_dict()`` writes them back as
    such. Example: ``client.account.get_credits().credit`` is ``Decimal("12.3400")``.
    """

    # Keyword-only: a field defined again by a subclass moves after the inherited ones with defaults.
    credit: Decimal = attrs.field(converter=_decimal, kw_only=True)  # type: ignore[assignment]
    cumulative_top_up: Decimal | Unset = attrs.field(  # type: ignore[assignment]
        converter=_decimal, kw_only=True, default=UNSET
    )

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        for name in ("credit", "cumulative_top_up"):
            if isinstance(data.get(name), Decimal):
                data[name] = str(data[name])
        return data
