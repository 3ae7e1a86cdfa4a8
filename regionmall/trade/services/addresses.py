"""The buyer's address book: add, edit, delete, choose the default.

Addresses are places in the region (a district from ``regions``, optionally one of its
townships), because delivery fees, local delivery and the county dashboards all key on the
division code. Orders copy the address into a snapshot at checkout, so editing or deleting an
address never rewrites an order's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from regionmall.accounts.mobile import normalise_mobile
from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.regions.models import Division
from regionmall.trade.models import Address

MAX_ADDRESSES = 20


def _code(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, Division):
        return raw.code
    return str(raw).strip()


def clean_address(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate address fields; raise ValidationFailed naming every bad field, write nothing."""
    errors: dict[str, list[str]] = {}
    recipient = str(data.get("recipient") or "").strip()
    if not 1 <= len(recipient) <= 30:
        errors["recipient"] = [_("Enter the recipient's name (at most 30 characters).")]
    try:
        mobile = normalise_mobile(str(data.get("mobile") or ""))
    except ValueError as exc:
        errors["mobile"] = [str(exc)]
        mobile = ""
    detail = str(data.get("detail") or "").strip()
    if not 4 <= len(detail) <= 200:
        errors["detail"] = [_("Enter the street, building and door number (4 to 200 "
                              "characters).")]
    district_code, township_code = _code(data.get("district")), _code(data.get("township"))
    wanted = [c for c in (district_code, township_code) if c]
    found = {d.code: d for d in Division.objects.filter(code__in=wanted)} if wanted else {}
    district = found.get(district_code)
    if district is None or district.level != Division.Level.DISTRICT:
        errors["district"] = [_("Choose a district of the region.")]
        district = None
    township = None
    if township_code:
        township = found.get(township_code)
        if (township is None or township.level != Division.Level.TOWNSHIP
                or district is None or township.parent_id != district.pk):
            errors["township"] = [_("Choose a township of the chosen district.")]
            township = None
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return {"recipient": recipient, "mobile": mobile, "district": district,
            "township": township, "detail": detail}


def _own(user, address_id: int | Address, *, lock: bool = False) -> Address:
    pk = address_id.pk if isinstance(address_id, Address) else address_id
    qs = Address.objects.filter(pk=pk, user_id=getattr(user, "pk", None))
    if lock:
        qs = qs.select_for_update()
    address = qs.first()
    if address is None:
        raise NotFound(_("No such address."))
    return address


def _make_default(user, address: Address) -> None:
    Address.objects.filter(user=user, is_default=True).exclude(pk=address.pk).update(
        is_default=False)
    if not address.is_default:
        Address.objects.filter(pk=address.pk).update(is_default=True)
        address.is_default = True


def add_address(user, data: Mapping[str, Any]) -> Address:
    """Add an address; the first one (or one marked default) becomes the default."""
    fields = clean_address(data)
    with transaction.atomic():
        # Lock the user's rows (not COUNT ... FOR UPDATE: PostgreSQL refuses aggregates).
        count = len(Address.objects.select_for_update().filter(user=user)
                    .values_list("pk", flat=True))
        if count >= MAX_ADDRESSES:
            raise ValidationFailed(
                _("You can keep at most %(n)d addresses; delete one first.")
                % {"n": MAX_ADDRESSES}, fields={"__all__": [_("Too many addresses.")]})
        address = Address.objects.create(user=user, **fields)
        if count == 0 or data.get("is_default"):
            _make_default(user, address)
    return address


def update_address(user, address_id: int | Address, data: Mapping[str, Any]) -> Address:
    """Change an address of ``user`` (someone else's: NotFound)."""
    fields = clean_address(data)
    with transaction.atomic():
        address = _own(user, address_id, lock=True)
        for name, value in fields.items():
            setattr(address, name, value)
        address.save(update_fields=[*fields])
        if data.get("is_default"):
            _make_default(user, address)
    return address


def set_default(user, address_id: int | Address) -> Address:
    with transaction.atomic():
        address = _own(user, address_id, lock=True)
        _make_default(user, address)
    return address


def delete_address(user, address_id: int | Address) -> None:
    """Delete an address; if it was the default, the newest remaining one takes over."""
    with transaction.atomic():
        address = _own(user, address_id, lock=True)
        was_default = address.is_default
        address.delete()
        if was_default:
            successor = Address.objects.filter(user=user).order_by("-id").first()
            if successor is not None:
                _make_default(user, successor)


def snapshot(address: Address) -> dict[str, Any]:
    """The frozen copy of an address an order keeps (``Order.ship_to``)."""
    district = address.district
    township = address.township
    place = "".join(d.name for d in (district, township) if d is not None)
    return {
        "recipient": address.recipient, "mobile": address.mobile,
        "district_code": district.code, "district": district.name,
        "township_code": township.code if township else "",
        "township": township.name if township else "",
        "detail": address.detail, "full": f"{place}{address.detail}",
    }
