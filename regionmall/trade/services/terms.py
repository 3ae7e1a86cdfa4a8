"""A merchant edits its own trade terms and pickup points.

Terms: shipping rule (free-shipping threshold, base fee for the first kilogram, fee per
further kilogram, base-fee overrides by district code), local delivery (offered, districts,
fee), mixed-batch minimums, drop-shipping and samples. Amounts are integer fen here (pages
convert yuan with ``core.money.to_fen``); every amount is checked against a sane maximum so a
slip of the finger ("80000" meaning ¥800.00 entered as yuan) is caught.

Who: the merchant's owner and staff (same as stock), in any merchant state, so a shop can
set up its terms before it goes live. District codes must be districts of the region
(``regions.Division`` level district).

Every write runs in one transaction and publishes ``trade.terms_changed`` (pricing caches may
hang off it); bad input raises :class:`ValidationFailed` with ``fields`` and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import MERCHANT_ROLES
from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.core.events import publish
from regionmall.core.money import format_fen
from regionmall.merchants.selectors import merchant_for_user
from regionmall.regions.selectors import districts
from regionmall.trade.models import MerchantTerms, PickupPoint

MAX_SHIPPING_FEN = 100_000            # ¥1,000 for one parcel's fee
MAX_THRESHOLD_FEN = 10_000_000        # ¥100,000 free-shipping threshold
MAX_MIN_AMOUNT_FEN = 100_000_000      # ¥1,000,000 mixed-batch minimum
MAX_MIN_QUANTITY = 1_000_000
MAX_DISTRICT_OVERRIDES = 200

AMOUNT_LIMITS = {
    "free_shipping_threshold_fen": MAX_THRESHOLD_FEN,
    "base_shipping_fen": MAX_SHIPPING_FEN,
    "per_kg_fen": MAX_SHIPPING_FEN,
    "local_delivery_fen": MAX_SHIPPING_FEN,
    "wholesale_min_amount_fen": MAX_MIN_AMOUNT_FEN,
}
FLAGS = ("offers_local_delivery", "allows_drop_ship", "accepts_samples")
EDITABLE = (*AMOUNT_LIMITS, "wholesale_min_quantity", "district_fees", "local_districts", *FLAGS)


def _merchant_of(user):
    require_role(user, *MERCHANT_ROLES)
    merchant = merchant_for_user(user)
    if merchant is None:
        raise NotFound(_("You have no shop yet."))
    return merchant


def terms_of(merchant_id: int) -> MerchantTerms:
    """The merchant's terms, or an unsaved row holding the defaults when it has none."""
    return (MerchantTerms.objects.filter(merchant_id=merchant_id).first()
            or MerchantTerms(merchant_id=merchant_id))


def terms_for_user(user) -> MerchantTerms:
    return terms_of(_merchant_of(user).pk)


def district_names(codes: Iterable[str] | None = None) -> dict[str, str]:
    """``{code: name}`` of the region's districts (all, or just ``codes``)."""
    qs = districts()
    if codes is not None:
        qs = qs.filter(code__in=set(codes))
    return dict(qs.values_list("code", "name"))


# --- validation -----------------------------------------------------------------------------


def _whole(value: Any) -> int | None:
    """An int (or a digit string) or None; bools and floats are not amounts."""
    if isinstance(value, bool | float):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _amount(value: Any, limit: int, errors: dict, field: str) -> int | None:
    number = _whole(value)
    if number is None or number < 0:
        errors[field] = [_("Enter an amount of zero or more.")]
        return None
    if number > limit:
        errors[field] = [_("At most %(max)s.") % {"max": format_fen(limit)}]
        return None
    return number


def _codes(value: Any, errors: dict, field: str) -> list[str] | None:
    if isinstance(value, str):
        value = [part for part in value.replace("，", ",").replace(" ", ",").split(",") if part]
    if not isinstance(value, list | tuple) or not all(isinstance(c, str) for c in value):
        errors[field] = [_("Give a list of district codes.")]
        return None
    codes = list(dict.fromkeys(c.strip() for c in value if c.strip()))
    return codes


def _check_known(codes: Iterable[str], known: set[str], errors: dict, field: str) -> None:
    unknown = sorted(set(codes) - known)
    if unknown:
        errors[field] = [_("Not a district of this region: %(codes)s")
                         % {"codes": "、".join(unknown)}]


def clean_terms(data: Mapping[str, Any], current: MerchantTerms) -> dict[str, Any]:
    """Validate ``data`` (any subset of the editable fields) into field values.

    Missing keys keep ``current``'s values, so the API can PUT the whole object and a page
    may post only what it shows.
    """
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for field, limit in AMOUNT_LIMITS.items():
        if field in data:
            clean[field] = _amount(data[field], limit, errors, field)
    if "wholesale_min_quantity" in data:
        qty = _whole(data["wholesale_min_quantity"])
        if qty is None or not 0 <= qty <= MAX_MIN_QUANTITY:
            errors["wholesale_min_quantity"] = [
                _("Enter a whole number from 0 to %(max)s.") % {"max": MAX_MIN_QUANTITY}]
        clean["wholesale_min_quantity"] = qty
    for flag in FLAGS:
        if flag in data:
            if not isinstance(data[flag], bool):
                errors[flag] = [_("Choose yes or no.")]
            clean[flag] = data[flag]
    wanted: set[str] = set()
    if "district_fees" in data:
        fees = data["district_fees"]
        if not isinstance(fees, Mapping) or len(fees) > MAX_DISTRICT_OVERRIDES:
            errors["district_fees"] = [_("Give district codes with their fee in fen.")]
        else:
            cleaned_fees = {}
            for code, fee in fees.items():
                value = _amount(fee, MAX_SHIPPING_FEN, errors, "district_fees")
                if value is None:
                    break
                cleaned_fees[str(code).strip()] = value
            clean["district_fees"] = cleaned_fees
            wanted |= set(cleaned_fees)
    if "local_districts" in data:
        codes = _codes(data["local_districts"], errors, "local_districts")
        if codes is not None:
            clean["local_districts"] = codes
            wanted |= set(codes)
    known = set(district_names(wanted)) if wanted else set()
    if "district_fees" in clean and "district_fees" not in errors:
        _check_known(clean["district_fees"], known, errors, "district_fees")
    if "local_districts" in clean and "local_districts" not in errors:
        _check_known(clean["local_districts"], known, errors, "local_districts")
    offers = clean.get("offers_local_delivery", current.offers_local_delivery)
    local = clean.get("local_districts", current.local_districts)
    if offers is True and not local and "local_districts" not in errors:
        errors["local_districts"] = [_("Choose the districts you deliver to yourself.")]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return clean


# --- writes ---------------------------------------------------------------------------------


def update_terms(user, data: Mapping[str, Any]) -> MerchantTerms:
    """Save the merchant's terms (creating its row on first save)."""
    merchant = _merchant_of(user)
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={key: [_("Unknown field.")] for key in unknown})
    with transaction.atomic():
        terms, _created = MerchantTerms.objects.select_for_update().get_or_create(
            merchant=merchant)
        values = clean_terms(data, terms)
        for field, value in values.items():
            setattr(terms, field, value)
        terms.save()
        publish("trade.terms_changed", {"merchant_id": merchant.pk, "actor_id": user.pk,
                                        "fields": sorted(values)})
    return terms


def pickup_points_of(merchant_id: int, *, active_only: bool = False) -> QuerySet[PickupPoint]:
    qs = PickupPoint.objects.filter(merchant_id=merchant_id).select_related("district")
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("-is_active", "id")


def _clean_point(data: Mapping[str, Any], current: PickupPoint | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for field, high in (("name", 60), ("address", 200)):
        if field in data or current is None:
            raw = data.get(field)
            text = raw.strip() if isinstance(raw, str) else ""
            if not 1 <= len(text) <= high:
                errors[field] = [_("Required, at most %(max)s characters.") % {"max": high}]
            clean[field] = text
    if "district_code" in data or current is None:
        code = str(data.get("district_code") or "").strip()
        district = districts().filter(code=code).first() if code else None
        if district is None:
            errors["district_code"] = [_("Choose a district of this region.")]
        clean["district"] = district
    if "is_active" in data:
        if not isinstance(data["is_active"], bool):
            errors["is_active"] = [_("Choose yes or no.")]
        clean["is_active"] = data["is_active"]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return clean


def create_pickup_point(user, data: Mapping[str, Any]) -> PickupPoint:
    """Add a self-pickup point (``name``, ``district_code``, ``address``)."""
    merchant = _merchant_of(user)
    values = _clean_point(data, None)
    with transaction.atomic():
        point = PickupPoint.objects.create(merchant=merchant, **values)
        publish("trade.terms_changed", {"merchant_id": merchant.pk, "actor_id": user.pk,
                                        "fields": ["pickup_points"]})
    return point


def _own_point(merchant, point_id: int) -> PickupPoint:
    point = (PickupPoint.objects.select_for_update()
             .filter(pk=point_id, merchant=merchant).first())
    if point is None:
        raise NotFound(_("No such pickup point."))
    return point


def update_pickup_point(user, point_id: int, data: Mapping[str, Any]) -> PickupPoint:
    merchant = _merchant_of(user)
    with transaction.atomic():
        point = _own_point(merchant, point_id)
        for field, value in _clean_point(data, point).items():
            setattr(point, field, value)
        point.save()
        publish("trade.terms_changed", {"merchant_id": merchant.pk, "actor_id": user.pk,
                                        "fields": ["pickup_points"]})
    return point


def delete_pickup_point(user, point_id: int) -> bool:
    """Delete a pickup point; one that orders refer to is deactivated instead.

    Returns True when deleted, False when only deactivated (the orders keep pointing at it).
    """
    merchant = _merchant_of(user)
    with transaction.atomic():
        point = _own_point(merchant, point_id)
        try:
            with transaction.atomic():
                point.delete()
            deleted = True
        except ProtectedError:
            PickupPoint.objects.filter(pk=point.pk).update(is_active=False)
            deleted = False
        publish("trade.terms_changed", {"merchant_id": merchant.pk, "actor_id": user.pk,
                                        "fields": ["pickup_points"]})
    return deleted
