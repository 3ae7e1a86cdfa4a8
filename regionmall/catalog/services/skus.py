"""SKUs and wholesale tier prices.

SKUs are the cartesian product of the spec axes' values (e.g. 颜色 × 尺寸). Generating again
after the merchant changed those values keeps every SKU whose combination survives — with its
code, barcode, price and tiers — adds the new combinations and deactivates the vanished ones
(never deletes: orders point at SKUs). A kept SKU keeps its ``is_active`` as the merchant
left it, so a combination switched off by hand is not switched back on behind their back.

``spec_key`` is canonical — ``code=value`` pairs sorted by code — so reordering axes in the
schema does not orphan SKUs.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from regionmall.catalog.attributes import effective_schema, spec_axes
from regionmall.catalog.models import Product, ProductState, Sku, TierPrice
from regionmall.catalog.services._access import (
    fail,
    lock_own_product,
    pk_of,
    product_changed,
    refresh,
    refresh_min_price,
)
from regionmall.core.errors import Conflict, NotFound, ValidationFailed

MAX_SKUS = 200
MAX_TIERS = 10
MAX_MEASURE = 2_000_000_000  # fits every integer column
MAX_PRICE_FEN = 10_000_000_000
SKU_FIELDS = ("code", "barcode", "price_fen", "weight_g", "volume_cm3", "is_active")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,59}$")
LIVE_STATES = frozenset({ProductState.ON_SALE, ProductState.PENDING_REVIEW})


def spec_key(spec: Mapping[str, str]) -> str:
    return "|".join(f"{code}={spec[code]}" for code in sorted(spec))


def combinations(product: Product) -> list[dict[str, str]]:
    """Every spec combination the product's attribute values offer (one empty spec when the
    category has no axes), or ValidationFailed naming an axis without values / too many."""
    axes = spec_axes(effective_schema(product.category))
    errors: dict[str, list[str]] = {}
    lists: list[list[str]] = []
    for axis in axes:
        values = product.attributes.get(axis.code)
        if not isinstance(values, list) or not values:
            fail(errors, f"attributes.{axis.code}",
                 _("Give the values of %(name)s first.") % {"name": axis.name})
        else:
            lists.append([str(v) for v in values])
    if errors:
        raise ValidationFailed(_("Some spec values are missing."), fields=errors)
    total = 1
    for values in lists:
        total *= len(values)
    if total > MAX_SKUS:
        message = _("These spec values make %(n)d SKUs; at most %(max)d are allowed per "
                    "product.") % {"n": total, "max": MAX_SKUS}
        raise ValidationFailed(message, fields={"skus": [message]})
    codes = [axis.code for axis in axes]
    return [dict(zip(codes, combo, strict=True)) for combo in itertools.product(*lists)]


def generate_skus(user, product: Product | int) -> list[Sku]:
    """Bring the SKUs in line with the spec values; returns the current combinations' SKUs."""
    with transaction.atomic():
        locked, merchant = lock_own_product(user, product)
        combos = combinations(locked)
        existing = {sku.spec_key: sku for sku in Sku.objects.filter(product=locked)}
        wanted = {spec_key(spec): spec for spec in combos}
        vanished = [sku.pk for key, sku in existing.items() if key not in wanted and sku.is_active]
        if vanished:
            Sku.objects.filter(pk__in=vanished).update(is_active=False)
        fresh = [key for key in wanted if key not in existing]
        codes = _free_codes(locked, merchant.pk, len(fresh))
        Sku.objects.bulk_create([
            Sku(product=locked, merchant_id=merchant.pk, code=code, spec=wanted[key],
                spec_key=key, price_fen=locked.price_fen)
            for key, code in zip(fresh, codes, strict=True)
        ])
        by_key = {sku.spec_key: sku for sku in Sku.objects.filter(product=locked)}
        refresh_min_price(locked)
        product_changed(locked.pk)
    refresh(product)
    return [by_key[key] for key in wanted]


def _free_codes(product: Product, merchant_id: int, count: int) -> list[str]:
    """``<product id>-<n>`` codes, n counting on from the highest used, skipping any the
    merchant already uses elsewhere."""
    prefix = f"{product.pk}-"
    taken = set(Sku.objects.filter(merchant_id=merchant_id, code__startswith=prefix)
                .values_list("code", flat=True))
    used = [int(c[len(prefix):]) for c in taken if c[len(prefix):].isdigit()]
    n = max(used, default=0)
    out: list[str] = []
    while len(out) < count:
        n += 1
        if f"{prefix}{n}" not in taken:
            out.append(f"{prefix}{n}")
    return out


def _lock_own_sku(user, sku: Sku | int) -> tuple[Sku, Product, Any]:
    found = Sku.objects.filter(pk=pk_of(sku)).values_list("product_id", flat=True).first()
    if found is None:
        raise NotFound(_("SKU not found."))
    product, merchant = lock_own_product(user, found)
    locked = Sku.objects.select_for_update().get(pk=pk_of(sku))
    return locked, product, merchant


def update_sku(user, sku: Sku | int, data: Mapping[str, Any]) -> Sku:
    """Change a SKU's code, barcode, price, weight, volume or active flag."""
    with transaction.atomic():
        locked, product, merchant = _lock_own_sku(user, sku)
        values = _clean_sku(data, locked, product, merchant.pk)
        for field, value in values.items():
            setattr(locked, field, value)
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as exc:
            raise Conflict(_("This SKU code was just taken; please try again.")) from exc
        refresh_min_price(product)
        product_changed(product.pk)
    refresh(sku)
    return locked


def _clean_sku(data: Mapping[str, Any], sku: Sku, product: Product,
               merchant_id: int) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for field in sorted(set(data) - set(SKU_FIELDS)):
        fail(errors, field, _("Unknown field."))
    if "code" in data:
        code = str(data["code"] or "").strip()
        if not CODE.match(code):
            fail(errors, "code", _("Use 1-60 letters, digits and . _ / -"))
        elif Sku.objects.filter(merchant_id=merchant_id, code=code).exclude(pk=sku.pk).exists():
            fail(errors, "code", _("Another of your SKUs already has this code."))
        out["code"] = code
    if "barcode" in data:
        out["barcode"] = str(data["barcode"] or "").strip()
        if out["barcode"] and not valid_gtin(out["barcode"]):
            fail(errors, "barcode", _("Enter a valid EAN/UPC barcode (8, 12, 13 or 14 digits)."))
    if "price_fen" in data:
        out["price_fen"] = _whole(data["price_fen"], "price_fen", errors, low=1,
                                  high=MAX_PRICE_FEN)
        top = sku.tier_prices.order_by("-price_fen").values_list("price_fen", flat=True).first()
        if top is not None and out["price_fen"] < top:
            fail(errors, "price_fen", _("Tier prices must not exceed the SKU price; change "
                                        "them first."))
    for field in ("weight_g", "volume_cm3"):
        if field in data:
            out[field] = _whole(data[field], field, errors, low=0)
    if "is_active" in data:
        if not isinstance(data["is_active"], bool):
            fail(errors, "is_active", _("Answer yes or no."))
        elif not data["is_active"] and product.state in LIVE_STATES:
            others = product.skus.filter(is_active=True).exclude(pk=sku.pk).exists()
            if not others:
                fail(errors, "is_active", _("A product on sale needs at least one active SKU; "
                                            "take it off sale first."))
        out["is_active"] = data["is_active"]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return out


def set_tier_prices(user, sku: Sku | int, tiers: Iterable[Any]) -> list[TierPrice]:
    """Replace the SKU's wholesale tiers: (min_quantity, price_fen) from 2 units up, the
    unit price falling as the quantity rises and never above the SKU price."""
    with transaction.atomic():
        locked, product, _merchant = _lock_own_sku(user, sku)
        rows = _clean_tiers(list(tiers), locked.price_fen)
        TierPrice.objects.filter(sku=locked).delete()
        created = TierPrice.objects.bulk_create(
            [TierPrice(sku=locked, min_quantity=q, price_fen=p) for q, p in rows])
        product_changed(product.pk)
    return created


def _clean_tiers(raw: list[Any], sku_price: int) -> list[tuple[int, int]]:
    errors: dict[str, list[str]] = {}
    if len(raw) > MAX_TIERS:
        message = _("At most %(n)d tiers.") % {"n": MAX_TIERS}
        raise ValidationFailed(message, fields={"tiers": [message]})
    rows: list[tuple[int, int]] = []
    for i, tier in enumerate(raw):
        key = f"tiers.{i}"
        if isinstance(tier, Mapping):
            tier = (tier.get("min_quantity"), tier.get("price_fen"))
        if not isinstance(tier, list | tuple) or len(tier) != 2:
            fail(errors, key, _("Give a quantity and a unit price."))
            continue
        quantity = _whole(tier[0], key, errors, low=2)
        price = _whole(tier[1], key, errors, low=1, high=MAX_PRICE_FEN)
        if key in errors:
            continue
        if rows and quantity <= rows[-1][0]:
            fail(errors, key, _("Quantities must rise from tier to tier."))
        elif rows and price >= rows[-1][1]:
            fail(errors, key, _("The unit price must fall as the quantity rises."))
        elif price > sku_price:
            fail(errors, key, _("A tier price cannot exceed the SKU price."))
        rows.append((quantity, price))
    if errors:
        raise ValidationFailed(_("Please correct the tier prices."), fields=errors)
    return rows


def _whole(raw: Any, field: str, errors: dict, *, low: int, high: int = MAX_MEASURE) -> int:
    value = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and raw.strip().isdigit():
        value = int(raw.strip())
    if value is None or value < low or value > high:
        fail(errors, field, _("Enter a whole number of at least %(n)d.") % {"n": low})
        return 0
    return value


def valid_gtin(code: str) -> bool:
    """EAN-8, UPC-A (12), EAN-13 or ITF-14 with a correct check digit (GS1 mod 10)."""
    if not code.isdigit() or len(code) not in (8, 12, 13, 14):
        return False
    digits = [int(c) for c in code]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check
