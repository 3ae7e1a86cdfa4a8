"""The demo region's trade: stock for the demo SKUs, buyers with addresses, a few merchants'
trade terms, and a year of orders in every state — all through the trade and inventory
services, replayed in time order with the clock overridden (``now=``), so every order has a
real history (state log, events) and the periodic jobs (timeout cancel, auto-complete) act
on it at the hours they would have run.

Deterministic: the plan (:mod:`regionmall.demo.trade_plan`) comes from one seeded
``random.Random`` and is relative to ``now``; only order numbers (random by design) differ
between runs. Call :func:`seed_trade` after the catalogue seed; it does nothing when orders
exist already.
"""

from __future__ import annotations

import heapq
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from regionmall.accounts import services as accounts
from regionmall.catalog.lookups import product_sku_ids, sku_snapshots
from regionmall.catalog.selectors import products_of_merchant
from regionmall.core.errors import DomainError
from regionmall.demo import payments_seed, region_data
from regionmall.demo.trade_plan import (
    SEED,
    Buyer,
    PlannedOrder,
    Sellable,
    Shops,
    plan_orders,
    stock_needed,
)
from regionmall.inventory.services import adjust_stock, default_warehouse
from regionmall.merchants.selectors import merchants_for_review
from regionmall.trade import selectors as trade_selectors
from regionmall.trade.pricing import LineRequest
from regionmall.trade.services import addresses, checkout, orders, terms

BELT_KINDS = {"dongyang-furniture": "furniture", "wuyi-tea": "tea", "pujiang-fruit": "fruit"}
EXTRA_SHOPPERS = 40
JOB_TICK = timedelta(hours=1)
STREETS = ["人民路", "解放路", "振兴路", "江滨路", "八一北街", "丹溪路", "环城西路", "宾虹路"]


@dataclass
class TradeSeedReport:
    created: bool
    buyers: int = 0
    stocked_skus: int = 0
    checkouts: int = 0
    skipped: int = 0
    orders_by_state: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.created:
            return "demo orders: already present, left as they are"
        states = ", ".join(f"{k}={v}" for k, v in sorted(self.orders_by_state.items()))
        return (f"demo orders: {self.checkouts} checkouts, "
                f"{sum(self.orders_by_state.values())} orders ({states}), "
                f"{self.buyers} buyers, stock for {self.stocked_skus} SKUs "
                f"in {self.seconds:.1f}s")


@transaction.atomic
def seed_trade(report: object | None = None, *, seed: int = SEED, now: datetime | None = None,
               days: int = 365) -> TradeSeedReport:
    """Load stock and a year of orders (after the catalogue). A no-op when orders exist.

    When the region seed passes its ``SeedReport``, the result is attached as
    ``report.trade``.
    """
    started = time.perf_counter()
    if trade_selectors.any_orders():
        result = TradeSeedReport(created=False)
    else:
        # Local time: the plan's days start at local midnight, shops open 07:00-23:00.
        result = _load(seed, timezone.localtime(now or timezone.now()), days)
        result.seconds = time.perf_counter() - started
    if report is not None:
        report.trade = result
    return result


# --- who sells what -------------------------------------------------------------------------


def _shops() -> tuple[dict[int, object], list[Sellable]]:
    """Approved belt merchants and their on-sale SKUs."""
    merchants = {m.pk: m for m in merchants_for_review(state="approved") if m.belt is not None
                 and m.belt.slug in BELT_KINDS}
    kinds: dict[int, str] = {}
    for merchant in merchants.values():
        for product in products_of_merchant(merchant, state="on_sale").order_by("id"):
            for sku_id in product_sku_ids(product.pk):
                kinds[sku_id] = BELT_KINDS[merchant.belt.slug]
    sellables = [Sellable(s.sku_id, s.merchant_id, s.price_fen, kinds[s.sku_id])
                 for s in sku_snapshots(kinds).values() if s.sellable]
    return merchants, sorted(sellables, key=lambda s: s.sku_id)


def _terms(merchants: dict[int, object], featured) -> Shops:
    """The demo shop delivers itself around Dongyang and Yongkang and has a showroom for
    self-pickup; it and a few tea and fruit shops drop-ship for distributors."""
    if featured is None:
        return Shops()
    local = ("330783", "330784")
    terms.update_terms(featured.applicant, {
        "offers_local_delivery": True, "local_districts": list(local),
        "local_delivery_fen": 3000, "allows_drop_ship": True,
        "free_shipping_threshold_fen": 200_000})
    terms.create_pickup_point(featured.applicant, {
        "name": "卢宅红木展厅", "district_code": "330783", "address": "东阳市吴宁街道卢宅街 18 号"})
    drop_ship = {featured.pk}
    for merchant in sorted(merchants.values(), key=lambda m: m.pk):
        if merchant.belt.slug != "dongyang-furniture" and len(drop_ship) < 5:
            terms.update_terms(merchant.applicant, {"allows_drop_ship": True})
            drop_ship.add(merchant.pk)
    return Shops(featured=featured.pk, local={featured.pk: local},
                 drop_ship=frozenset(drop_ship), pickup=frozenset({featured.pk}))


# --- who buys -------------------------------------------------------------------------------


def _address(rng: random.Random, user, name: str, mobile: str, district: str) -> None:
    towns = [code for code, _n, parent in region_data.TOWNSHIPS if parent == district]
    addresses.add_address(user, {
        "recipient": name, "mobile": mobile, "district": district,
        "township": rng.choice(towns) if towns and rng.random() < 0.6 else "",
        "detail": f"{rng.choice(STREETS)}{rng.randint(1, 399)}号{rng.randint(1, 30)}幢"
                  f"{rng.randint(101, 2602)}室"})


def _buyers(rng: random.Random) -> tuple[dict[str, object], list[Buyer]]:
    User = get_user_model()  # noqa: N806
    districts = [code for code, _name in region_data.DISTRICTS]
    users: dict[str, object] = {}
    planned: list[Buyer] = []
    shopper = User.objects.get(username="shopper")
    _address(rng, shopper, "赵小满", shopper.mobile or "13800000001", "330783")
    _address(rng, shopper, "赵小满", shopper.mobile or "13800000001", "330702")
    users["shopper"] = shopper
    planned.append(Buyer("shopper", ("330783", "330702")))
    buyer = User.objects.get(username="buyer")
    _address(rng, buyer, "万家福采购部", buyer.mobile or "13800000002", "330702")
    customers = ("330782", "330784", "330781")
    for n, district in enumerate(customers):
        _address(rng, buyer, f"{rng.choice(region_data.SURNAMES)}女士", f"1370000{n + 1:04d}",
                 district)
    users["buyer"] = buyer
    planned.append(Buyer("buyer", ("330702",), wholesale=True, customers=customers))
    for n in range(EXTRA_SHOPPERS):
        name = rng.choice(region_data.SURNAMES) + rng.choice(region_data.GIVEN)
        mobile = f"1361234{n + 1:04d}"
        user = accounts.register_shopper(mobile, None, display_name=name)
        own = rng.sample(districts, 2 if rng.random() < 0.3 else 1)
        for district in own:
            _address(rng, user, name, mobile, district)
        users[user.username] = user
        planned.append(Buyer(user.username, tuple(own)))
    return users, planned


# --- stock ----------------------------------------------------------------------------------


def _stock(rng: random.Random, merchants, sellables: list[Sellable], need: dict[int, int]
           ) -> int:
    for sku in sellables:
        merchant = merchants[sku.merchant_id]
        spare = rng.randint(3, 25) if sku.kind == "furniture" else rng.randint(40, 300)
        adjust_stock(merchant.applicant, warehouse=default_warehouse(merchant), sku_id=sku.sku_id,
                     delta=need.get(sku.sku_id, 0) + spare, reason="演示库存：期初入库")
    return len(sellables)


# --- replaying the year ---------------------------------------------------------------------


def _load(seed: int, now: datetime, days: int) -> TradeSeedReport:
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not security
    operator = get_user_model().objects.get(username="operator")
    merchants, sellables = _shops()
    featured = next((m for m in merchants.values() if m.slug == "lu-redwood"), None)
    shops = _terms(merchants, featured)
    users, buyers = _buyers(rng)
    plan = plan_orders(sellables, buyers, now=now, shops=shops, seed=seed, days=days)
    stocked = _stock(rng, merchants, sellables, stock_needed(plan))
    book = {name: list(trade_selectors.addresses_of(user).order_by("id"))
            for name, user in users.items()}
    points = {pk: terms.pickup_points_of(pk, active_only=True).first() for pk in shops.pickup}
    payments_seed.onboard(operator, merchants.values())
    replay = _Replay(users, book, points, merchants, operator)
    replay.run(plan, now)
    payments_seed.settle(merchants.values(), now)
    counts = Counter()
    for buyer in users.values():
        counts.update(trade_selectors.buyer_counts(buyer))
    return TradeSeedReport(created=True, buyers=len(buyers), stocked_skus=stocked,
                           checkouts=replay.placed, skipped=replay.skipped,
                           orders_by_state={k: v for k, v in counts.items() if v})


@dataclass
class _Replay:
    users: dict
    book: dict
    points: dict
    merchants: dict
    operator: object
    placed: int = 0
    skipped: int = 0
    checkouts: dict = field(default_factory=dict)

    def run(self, plan: list[PlannedOrder], now: datetime) -> None:
        """Every placement, move and job run, in time order."""
        events: list[tuple[datetime, int, str, int, str]] = []
        for n, order in enumerate(plan):
            events.append((order.placed_at, 0, "place", n, ""))
            events += [(at, 1, action, n, why) for at, action, why in order.steps]
            for at in _job_times(order):
                if at <= now:
                    events.append((at, 2, "jobs", -1, ""))
        heapq.heapify(events)
        last_jobs = None
        while events:
            at, _prio, action, n, why = heapq.heappop(events)
            if action == "jobs":
                if at != last_jobs:
                    orders.cancel_expired(now=at)
                    orders.auto_complete_due(now=at)
                    last_jobs = at
                continue
            if action == "place":
                self._place(n, plan[n])
            elif n in self.checkouts:
                self._move(self.checkouts[n], plan[n], action, why, at)
        orders.cancel_expired(now=now)
        orders.auto_complete_due(now=now)

    def _place(self, n: int, order: PlannedOrder) -> None:
        buyer = self.users[order.buyer]
        pickup = {m: self.points[m].pk for m, option in order.delivery.items()
                  if option == "pickup" and self.points.get(m) is not None}
        drop_ship = None
        if order.drop_ship:
            drop_ship = {"sender_name": "万家福优选", "sender_mobile": "13800000002",
                         "hide_prices": True}
        try:
            placed = checkout.place_order(
                buyer, idempotency_key=f"demo-{n:06d}",
                lines=[LineRequest(sku_id=s, quantity=q) for s, q in order.lines],
                address_id=self.book[order.buyer][order.address].pk, delivery=order.delivery,
                pickup_point_ids=pickup, invoice=order.invoice, drop_ship=drop_ship,
                note=order.note, now=order.placed_at)
        except DomainError:
            self.skipped += 1  # e.g. a SKU taken off sale since: the shop would refuse too
            return
        self.checkouts[n] = placed
        self.placed += 1

    def _move(self, placed, order: PlannedOrder, action: str, why: str, at: datetime) -> None:
        buyer = self.users[order.buyer]
        try:
            if action == "pay":
                placed.refresh_from_db()
                if payments_seed.enabled():  # a Payment, the sandbox's record, the ledger
                    payments_seed.pay(buyer, placed.number, at)
                else:
                    orders.pay_checkout(placed.number, amount_fen=placed.total_fen,
                                        channel=why, paid_at=at)
                return
            for index, row in enumerate(placed.orders.order_by("id")):
                owner = self.merchants[row.merchant_id].applicant
                when = at + timedelta(minutes=7 * index)
                if action == "ship":
                    carrier, prefix = _carrier(row.pk)
                    orders.ship(owner, row, carrier, f"{prefix}{row.number[-12:]}", now=when)
                elif action == "confirm":
                    orders.confirm_receipt(buyer, row, now=when)
                elif action == "cancel_buyer":
                    orders.cancel_by_buyer(buyer, row, why, now=when)
                elif action == "cancel_merchant":
                    orders.cancel_by_merchant(owner, row, why, now=when)
                    payments_seed.refund_rest(row.number, "order_cancelled",
                                              f"cancel:{row.number}", when)
                elif action == "refund":
                    orders.start_refund(row, why, actor=self.operator, now=when)
                    payments_seed.refund_rest(row.number, why, f"refunding:{row.number}",
                                              when)
                elif action == "refunded" and row.state == "refunding":
                    # (the refund flow above finishes the order once the money is back)
                    orders.finish_refund(row, actor=self.operator, now=when)
                elif action == "dispute":
                    orders.set_disputed(row, True)
        except DomainError:
            self.skipped += 1


def _job_times(order: PlannedOrder) -> list[datetime]:
    """When the hourly jobs would next run after this order's deadline / auto-complete."""
    def tick(at: datetime) -> datetime:
        return at.replace(minute=0, second=0, microsecond=0) + JOB_TICK

    times = [tick(order.placed_at + checkout.pay_timeout())]
    shipped = [at for at, action, _why in order.steps if action == "ship"]
    if shipped:
        times.append(tick(shipped[0] + orders.auto_complete_after() + timedelta(minutes=30)))
    return times


CARRIERS = [("SF", "SF"), ("ZTO", "7"), ("YTO", "YT"), ("STO", "77"), ("YD", "43"),
            ("JD", "JDV"), ("EMS", "E"), ("JTSD", "JT")]


def _carrier(seed: int) -> tuple[str, str]:
    return CARRIERS[seed % len(CARRIERS)]
