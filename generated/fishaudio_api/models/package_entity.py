from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.package_entity_scheduled_change_type_0 import (
        PackageEntityScheduledChangeType0,
    )


T = TypeVar("T", bound="PackageEntity")


@_attrs_define
class PackageEntity:
    user_id: str
    type_: str
    total: int
    balance: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    finished_at: datetime.datetime | None | Unset = UNSET
    stripe_subscription_id: None | str | Unset = UNSET
    stripe_price_id: None | str | Unset = UNSET
    billing_period: None | str | Unset = UNSET
    current_period_end: datetime.datetime | None | Unset = UNSET
    cancel_at_period_end: bool | None | Unset = UNSET
    cancel_at: datetime.datetime | None | Unset = UNSET
    scheduled_change: None | PackageEntityScheduledChangeType0 | Unset = UNSET
    last_synced_at: datetime.datetime | None | Unset = UNSET
    subscription_currency: None | str | Unset = UNSET
    extra_balance: int | None | Unset = 0
    has_used_trial: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.package_entity_scheduled_change_type_0 import (
            PackageEntityScheduledChangeType0,  # noqa: PLC0415
        )

        user_id = self.user_id

        type_ = self.type_

        total = self.total

        balance = self.balance

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        stripe_subscription_id: None | str | Unset
        if isinstance(self.stripe_subscription_id, Unset):
            stripe_subscription_id = UNSET
        else:
            stripe_subscription_id = self.stripe_subscription_id

        stripe_price_id: None | str | Unset
        if isinstance(self.stripe_price_id, Unset):
            stripe_price_id = UNSET
        else:
            stripe_price_id = self.stripe_price_id

        billing_period: None | str | Unset
        if isinstance(self.billing_period, Unset):
            billing_period = UNSET
        else:
            billing_period = self.billing_period

        current_period_end: None | str | Unset
        if isinstance(self.current_period_end, Unset):
            current_period_end = UNSET
        elif isinstance(self.current_period_end, datetime.datetime):
            current_period_end = self.current_period_end.isoformat()
        else:
            current_period_end = self.current_period_end

        cancel_at_period_end: bool | None | Unset
        if isinstance(self.cancel_at_period_end, Unset):
            cancel_at_period_end = UNSET
        else:
            cancel_at_period_end = self.cancel_at_period_end

        cancel_at: None | str | Unset
        if isinstance(self.cancel_at, Unset):
            cancel_at = UNSET
        elif isinstance(self.cancel_at, datetime.datetime):
            cancel_at = self.cancel_at.isoformat()
        else:
            cancel_at = self.cancel_at

        scheduled_change: dict[str, Any] | None | Unset
        if isinstance(self.scheduled_change, Unset):
            scheduled_change = UNSET
        elif isinstance(self.scheduled_change, PackageEntityScheduledChangeType0):
            scheduled_change = self.scheduled_change.to_dict()
        else:
            scheduled_change = self.scheduled_change

        last_synced_at: None | str | Unset
        if isinstance(self.last_synced_at, Unset):
            last_synced_at = UNSET
        elif isinstance(self.last_synced_at, datetime.datetime):
            last_synced_at = self.last_synced_at.isoformat()
        else:
            last_synced_at = self.last_synced_at

        subscription_currency: None | str | Unset
        if isinstance(self.subscription_currency, Unset):
            subscription_currency = UNSET
        else:
            subscription_currency = self.subscription_currency

        extra_balance: int | None | Unset
        if isinstance(self.extra_balance, Unset):
            extra_balance = UNSET
        else:
            extra_balance = self.extra_balance

        has_used_trial = self.has_used_trial

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user_id": user_id,
                "type": type_,
                "total": total,
                "balance": balance,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at
        if stripe_subscription_id is not UNSET:
            field_dict["stripe_subscription_id"] = stripe_subscription_id
        if stripe_price_id is not UNSET:
            field_dict["stripe_price_id"] = stripe_price_id
        if billing_period is not UNSET:
            field_dict["billing_period"] = billing_period
        if current_period_end is not UNSET:
            field_dict["current_period_end"] = current_period_end
        if cancel_at_period_end is not UNSET:
            field_dict["cancel_at_period_end"] = cancel_at_period_end
        if cancel_at is not UNSET:
            field_dict["cancel_at"] = cancel_at
        if scheduled_change is not UNSET:
            field_dict["scheduled_change"] = scheduled_change
        if last_synced_at is not UNSET:
            field_dict["last_synced_at"] = last_synced_at
        if subscription_currency is not UNSET:
            field_dict["subscription_currency"] = subscription_currency
        if extra_balance is not UNSET:
            field_dict["extra_balance"] = extra_balance
        if has_used_trial is not UNSET:
            field_dict["has_used_trial"] = has_used_trial

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.package_entity_scheduled_change_type_0 import (
            PackageEntityScheduledChangeType0,  # noqa: PLC0415
        )

        d = dict(src_dict)
        user_id = d.pop("user_id")

        type_ = d.pop("type")

        total = d.pop("total")

        balance = d.pop("balance")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at").replace("Z", "+00:00"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at").replace("Z", "+00:00"))

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data.replace("Z", "+00:00"))

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        def _parse_stripe_subscription_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stripe_subscription_id = _parse_stripe_subscription_id(d.pop("stripe_subscription_id", UNSET))

        def _parse_stripe_price_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stripe_price_id = _parse_stripe_price_id(d.pop("stripe_price_id", UNSET))

        def _parse_billing_period(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        billing_period = _parse_billing_period(d.pop("billing_period", UNSET))

        def _parse_current_period_end(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                current_period_end_type_0 = datetime.datetime.fromisoformat(data.replace("Z", "+00:00"))

                return current_period_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        current_period_end = _parse_current_period_end(d.pop("current_period_end", UNSET))

        def _parse_cancel_at_period_end(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        cancel_at_period_end = _parse_cancel_at_period_end(d.pop("cancel_at_period_end", UNSET))

        def _parse_cancel_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancel_at_type_0 = datetime.datetime.fromisoformat(data.replace("Z", "+00:00"))

                return cancel_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        cancel_at = _parse_cancel_at(d.pop("cancel_at", UNSET))

        def _parse_scheduled_change(data: object) -> None | PackageEntityScheduledChangeType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                scheduled_change_type_0 = PackageEntityScheduledChangeType0.from_dict(data)

                return scheduled_change_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PackageEntityScheduledChangeType0 | Unset, data)

        scheduled_change = _parse_scheduled_change(d.pop("scheduled_change", UNSET))

        def _parse_last_synced_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_synced_at_type_0 = datetime.datetime.fromisoformat(data.replace("Z", "+00:00"))

                return last_synced_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_synced_at = _parse_last_synced_at(d.pop("last_synced_at", UNSET))

        def _parse_subscription_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subscription_currency = _parse_subscription_currency(d.pop("subscription_currency", UNSET))

        def _parse_extra_balance(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        extra_balance = _parse_extra_balance(d.pop("extra_balance", UNSET))

        has_used_trial = d.pop("has_used_trial", UNSET)

        package_entity = cls(
            user_id=user_id,
            type_=type_,
            total=total,
            balance=balance,
            created_at=created_at,
            updated_at=updated_at,
            finished_at=finished_at,
            stripe_subscription_id=stripe_subscription_id,
            stripe_price_id=stripe_price_id,
            billing_period=billing_period,
            current_period_end=current_period_end,
            cancel_at_period_end=cancel_at_period_end,
            cancel_at=cancel_at,
            scheduled_change=scheduled_change,
            last_synced_at=last_synced_at,
            subscription_currency=subscription_currency,
            extra_balance=extra_balance,
            has_used_trial=has_used_trial,
        )

        package_entity.additional_properties = d
        return package_entity

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
