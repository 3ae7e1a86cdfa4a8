"""The live promotions, as one cached, immutable snapshot that pricing and badges read.

Why a snapshot: the pricing pipeline runs on every cart, checkout and API call, and the
product pages show badges; reading the promotion table each time would add a query to all
of them. The snapshot holds every active promotion that has not ended yet (scheduled ones
too — each use checks the clock), so it stays right as time passes; it is rebuilt when a
promotion is written (``invalidate`` after commit) or after ``TTL`` seconds, which bounds how
stale a budget figure can be. Budgets are never trusted from here for money: placing an
order spends them with a conditional UPDATE (``services.promotions.spend``).

It also knows whether anybody holds a usable coupon at all, so that carts in a deployment
without coupons never read a wallet. Cost: one query on a cold cache, plus one to load the
live promotions when there are any (and the category tree or SKU products when promotions
are scoped by them); none on a warm cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import BigIntegerField, Value
from django.utils import timezone

from regionmall.catalog.lookups import category_parents
from regionmall.marketing.models import (
    Coupon,
    CouponState,
    Promotion,
    PromotionKind,
    PromotionScope,
    PromotionState,
)

CACHE_KEY = "marketing:live-promotions:v1"
TTL = 60

ITEM_KINDS = frozenset({PromotionKind.PERCENT, PromotionKind.FIXED_PRICE,
                        PromotionKind.BUY_N_GET_M})


@dataclass(frozen=True)
class LinePlace:
    """Where a line sits, for scope checks: its SKU, product, shop and category."""

    sku_id: int
    product_id: int
    merchant_id: int
    category_id: int | None = None


@dataclass(frozen=True)
class LivePromotion:
    id: int
    merchant_id: int | None
    name: str
    kind: str
    scope: str
    targets: frozenset[int]
    categories: frozenset[int]          # category scope: the targets and their descendants
    tiers: tuple[tuple[int, int], ...]  # (spend_fen, off_fen), ascending by spend
    percent_off: int | None
    fixed_price_fen: int | None
    buy_n: int | None
    get_m: int | None
    min_spend_fen: int
    starts_at: datetime
    ends_at: datetime
    new_customers_only: bool
    member_levels: frozenset[str]
    district_codes: tuple[str, ...]
    exclusive: bool
    budget_left_fen: int | None          # None: no budget

    @property
    def ref(self) -> str:
        return f"promotion:{self.id}"

    @property
    def is_platform(self) -> bool:
        return self.merchant_id is None

    def live_at(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at

    def affordable(self, amount_fen: int) -> bool:
        """Whether the remaining budget covers ``amount_fen`` (a promotion that cannot give
        the whole discount is skipped rather than given in part)."""
        return self.budget_left_fen is None or amount_fen <= self.budget_left_fen

    def covers(self, place: LinePlace) -> bool:
        """Whether the promotion's scope includes this line (a shop's promotion covers only
        its own goods)."""
        if self.merchant_id is not None and place.merchant_id != self.merchant_id:
            return False
        if self.scope == PromotionScope.ALL:
            return True
        if self.scope == PromotionScope.MERCHANTS:
            return place.merchant_id in self.targets
        if self.scope == PromotionScope.CATEGORY:
            return place.category_id is not None and place.category_id in self.categories
        if self.scope == PromotionScope.PRODUCT:
            return place.product_id in self.targets
        if self.scope == PromotionScope.SKU:
            return place.sku_id in self.targets
        return False

    def covers_product(self, product_id: int, merchant_id: int,
                       category_id: int | None) -> bool:
        """For badges: whether any of the product's specs could be covered."""
        if self.scope == PromotionScope.SKU:
            return False  # decided per SKU: see ``Snapshot.sku_products``
        return self.covers(LinePlace(0, product_id, merchant_id, category_id))


@dataclass(frozen=True)
class Snapshot:
    promotions: tuple[LivePromotion, ...]
    sku_products: dict[int, int]   # SKU-scoped promotions' SKU ids -> product ids (badges)
    built_at: datetime
    coupons_held: bool = True      # False: nobody holds a usable coupon (wallets not read)

    def live(self, now: datetime | None = None) -> list[LivePromotion]:
        now = now or timezone.now()
        return [p for p in self.promotions if p.live_at(now)]

    @property
    def needs_categories(self) -> bool:
        return any(p.scope == PromotionScope.CATEGORY for p in self.promotions)




def _descendants(roots: set[int], parents: dict[int, int | None]) -> frozenset[int]:
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    seen: set[int] = set()
    stack = [r for r in roots if r in parents]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(children.get(node, ()))
    return frozenset(seen)


def _ints(values) -> frozenset[int]:
    out = set()
    for value in values or ():
        try:
            out.add(int(value))
        except (TypeError, ValueError):
            continue
    return frozenset(out)


def build(now: datetime | None = None) -> Snapshot:
    """Read the promotions that are active and not over yet (one query, plus the category
    tree when a promotion is scoped to categories)."""
    now = now or timezone.now()
    # One query answers both "which promotions are live" and "does anyone hold a coupon"
    # (-1 in the union): then carts of a shop with neither cost no further query.
    ids = (Promotion.objects.filter(state=PromotionState.ACTIVE, ends_at__gt=now).order_by()
           .values_list("pk", flat=True))
    held = (Coupon.objects.filter(state=CouponState.AVAILABLE, valid_until__gt=now).order_by()
            .annotate(mark=Value(-1, output_field=BigIntegerField()))
            .values_list("mark", flat=True))
    found = set(ids.union(held))
    wanted = sorted(pk for pk in found if pk > 0)
    rows = list(Promotion.objects.filter(pk__in=wanted).order_by("id")) if wanted else []
    parents = (category_parents()
               if any(r.scope == PromotionScope.CATEGORY for r in rows) else {})
    promotions = []
    for row in rows:
        targets = _ints(row.target_ids)
        promotions.append(LivePromotion(
            id=row.pk, merchant_id=row.merchant_id, name=row.name, kind=row.kind,
            scope=row.scope, targets=targets,
            categories=(_descendants(set(targets), parents)
                        if row.scope == PromotionScope.CATEGORY else frozenset()),
            tiers=tuple(sorted((int(s), int(o)) for s, o in (row.tiers or []))),
            percent_off=row.percent_off, fixed_price_fen=row.fixed_price_fen,
            buy_n=row.buy_n, get_m=row.get_m, min_spend_fen=int(row.min_spend_fen or 0),
            starts_at=row.starts_at, ends_at=row.ends_at,
            new_customers_only=row.new_customers_only,
            member_levels=frozenset(str(v) for v in (row.member_levels or [])),
            district_codes=tuple(str(v) for v in (row.district_codes or [])),
            exclusive=row.exclusive, budget_left_fen=row.budget_left_fen))
    sku_ids = {sku for p in promotions if p.scope == PromotionScope.SKU for sku in p.targets}
    sku_products: dict[int, int] = {}
    if sku_ids:
        from regionmall.catalog.lookups import sku_snapshots

        sku_products = {sid: snap.product_id for sid, snap in sku_snapshots(sku_ids).items()}
    return Snapshot(tuple(promotions), sku_products, now, coupons_held=-1 in found)


def snapshot() -> Snapshot:
    """The cached snapshot (built on a miss)."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = build()
        cache.set(CACHE_KEY, found, TTL)
    return found


def coupon_claimed() -> None:
    """A coupon was issued: a snapshot that says "nobody holds one" is now wrong."""
    found = cache.get(CACHE_KEY)
    if found is not None and not found.coupons_held:
        invalidate()


def invalidate() -> None:
    """Drop the snapshot now and again after the current transaction commits (a reader in
    between may have cached the old rows)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
