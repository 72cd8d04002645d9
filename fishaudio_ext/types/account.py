"""The official SDK's ``fishaudio.types.account``: the account's credit and package."""

from __future__ import annotations

from typing import TypeAlias

from fishaudio_api.models import PackageEntity

from ._credits import Credits

Package: TypeAlias = PackageEntity
"""The account's prepaid package."""

__all__ = ["Credits", "Package"]
