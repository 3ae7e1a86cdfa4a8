"""The demo region's year of orders, planned without a database (pure, deterministic).

:func:`plan_orders` decides, from one seeded ``random.Random``, who buys what and when over
the past year (with the region's seasons: Spring Festival gifts, the spring tea harvest, the
summer-autumn fruit season, 618 and Double 11), and how each order's life goes: paid and
shipped and confirmed, completed by the auto-complete job, left unpaid until the timeout
job cancels it, cancelled by the buyer or by the merchant, refunded, disputed — and, for the
last days, still waiting for shipment or on its way, plus a few placed minutes ago and not yet
paid. ``trade_seed`` then replays the plan through the real services in time order.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

SEED = 20261130
DAYS = 365
PAY_TIMEOUT = timedelta(minutes=30)
AUTO_COMPLETE = timedelta(days=10)

# Lifecycle of an order, by outcome (for orders older than a couple of weeks).
OUTCOME_WEIGHTS = [("completed", 60), ("auto_completed", 14), ("timeout", 8),
                   ("buyer_cancelled", 7), ("merchant_cancelled", 3), ("refunded", 4),
                   ("refunding", 2), ("disputed", 2)]
BUYER_REASONS = ["不想要了", "地址填错了，重新下单", "重复下单了", "买错规格了"]
MERCHANT_REASONS = ["暂时缺货，抱歉", "该规格已停产", "物流暂时无法送达该地区"]
REFUND_REASONS = ["商品与描述不符", "运输途中损坏", "七天无理由退货", "茶叶受潮"]
NOTES = ["请尽快发货", "送人的，包装好一点", "工作日白天送货", "到了先打电话", "不要放快递柜"]
INVOICE_TITLES = [("金华市婺城区佳福超市", "92330702MA2EXAMP1X"),
                  ("义乌市小商品贸易有限公司", "91330782MA29TRADE3"), ("个人", "")]


@dataclass(frozen=True)
class Sellable:
    """One on-sale SKU of an approved demo merchant."""

    sku_id: int
    merchant_id: int
    price_fen: int
    kind: str  # furniture | tea | fruit


@dataclass(frozen=True)
class Buyer:
    username: str
    districts: tuple[str, ...]   # district code of each of its addresses, in order
    wholesale: bool = False
    customers: tuple[str, ...] = ()  # drop-ship customers' district codes (distributors)


@dataclass
class PlannedOrder:
    buyer: str
    address: int          # index into the buyer's addresses (customers follow its own)
    district: str
    lines: list[tuple[int, int]]
    placed_at: datetime
    outcome: str
    steps: list[tuple[datetime, str, str]] = field(default_factory=list)  # (at, action, why)
    delivery: dict[int, str] = field(default_factory=dict)
    invoice: dict | None = None
    drop_ship: bool = False
    note: str = ""


@dataclass(frozen=True)
class Shops:
    """What the plan knows about merchants' terms (set by the seed before ordering)."""

    featured: int | None = None                 # the demo merchant: more orders, some to ship
    local: dict[int, tuple[str, ...]] = field(default_factory=dict)  # merchant -> districts
    drop_ship: frozenset[int] = frozenset()
    pickup: frozenset[int] = frozenset()


def _rate(day: date) -> dict[str, float]:
    """Expected checkouts per kind on ``day``: a base plus the region's seasons."""
    rate = {"furniture": 0.45, "tea": 0.35, "fruit": 0.3}
    md = (day.month, day.day)
    if (1, 15) <= md <= (2, 12):                 # Spring Festival gifts
        rate["tea"] += 1.0
        rate["fruit"] += 0.8
    if (3, 25) <= md <= (5, 15):                 # spring tea: 明前, 雨前
        rate["tea"] += 1.4
    if (7, 5) <= md <= (10, 25):                 # grapes, peaches, then 红美人 citrus
        rate["fruit"] += 1.3
    if (6, 16) <= md <= (6, 18):                 # 618
        rate = {k: v * 2.5 for k, v in rate.items()}
    if (11, 9) <= md <= (11, 12):                # Double 11
        rate = {k: v * 4 for k, v in rate.items()}
    if day.weekday() >= 5:
        rate = {k: v * 1.25 for k, v in rate.items()}
    return rate


def _count(rng: random.Random, expected: float) -> int:
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def _quantity(rng: random.Random, kind: str, wholesale: bool) -> int:
    if wholesale:
        return {"furniture": rng.randint(2, 6), "tea": rng.randint(10, 30),
                "fruit": rng.randint(10, 40)}[kind]
    if kind == "furniture":
        return 2 if rng.random() < 0.1 else 1
    return rng.choice([1, 1, 1, 2, 2, 3])


def _lines(rng, by_kind, by_merchant, kind: str, wholesale: bool, shops: Shops,
           merchant: int | None = None) -> list[tuple[int, int]]:
    pool = by_kind[kind]
    merchants = sorted({s.merchant_id for s in pool})
    weights = [4 if m == shops.featured else 1 for m in merchants]
    chosen = [merchant if merchant in by_merchant else rng.choices(merchants, weights)[0]]
    if merchant is None and rng.random() < 0.2:  # a split checkout: a second merchant
        other = rng.choice(sorted(by_merchant))
        if other not in chosen:
            chosen.append(other)
    lines: dict[int, int] = {}
    for merchant in chosen:
        skus = by_merchant[merchant]
        for sku in rng.sample(skus, min(len(skus), 2 if rng.random() < 0.25 else 1)):
            lines[sku.sku_id] = _quantity(rng, sku.kind, wholesale)
    return sorted(lines.items())


def _steps(rng: random.Random, outcome: str, placed: datetime) -> list[tuple[datetime, str, str]]:
    minutes, hours, days = (lambda a, b: timedelta(minutes=rng.randint(a, b)),
                            lambda a, b: timedelta(hours=rng.randint(a, b)),
                            lambda a, b: timedelta(days=rng.randint(a, b),
                                                   hours=rng.randint(0, 20)))
    paid = placed + minutes(1, 25)
    shipped = paid + hours(3, 60)
    out: list[tuple[datetime, str, str]] = []
    if outcome == "timeout":
        return out
    if outcome == "buyer_cancelled":
        return [(placed + minutes(2, 25), "cancel_buyer", rng.choice(BUYER_REASONS))]
    out.append((paid, "pay", rng.choice(["wechat", "alipay", "unionpay", "citizen_card"])))
    if outcome == "to_ship":
        return out
    if outcome == "merchant_cancelled":
        return out + [(paid + hours(2, 30), "cancel_merchant", rng.choice(MERCHANT_REASONS))]
    out.append((shipped, "ship", ""))
    if outcome in ("completed", "refunded"):
        confirmed = shipped + days(2, 8)
        out.append((confirmed, "confirm", ""))
        if outcome == "refunded":
            refund = confirmed + days(1, 5)
            out += [(refund, "refund", rng.choice(REFUND_REASONS)),
                    (refund + days(1, 3), "refunded", "")]
    elif outcome == "refunding":
        out.append((shipped + days(1, 3), "refund", rng.choice(REFUND_REASONS)))
    elif outcome == "disputed":
        out.append((shipped + days(2, 6), "dispute", ""))
    return out  # "auto_completed" and "shipped": the auto-complete job finishes them


def plan_orders(sellables: list[Sellable], buyers: list[Buyer], *, now: datetime,
                shops: Shops = Shops(), seed: int = SEED, days: int = DAYS
                ) -> list[PlannedOrder]:
    """Every demo checkout of the past ``days`` and its life, deterministically from ``seed``.

    Steps later than ``now`` are dropped, so recent orders end where they are at ``now``
    (awaiting shipment, shipped...). Orders are returned in the time they were placed.
    """
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not security
    by_kind: dict[str, list[Sellable]] = defaultdict(list)
    by_merchant: dict[int, list[Sellable]] = defaultdict(list)
    for sku in sorted(sellables, key=lambda s: s.sku_id):
        by_kind[sku.kind].append(sku)
        by_merchant[sku.merchant_id].append(sku)
    kinds = [k for k in ("furniture", "tea", "fruit") if by_kind[k]]
    shoppers = [b for b in buyers if not b.wholesale]
    wholesalers = [b for b in buyers if b.wholesale]
    plan: list[PlannedOrder] = []
    if not kinds or not shoppers:
        return plan
    start = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    for offset in range(days + 1):
        day = start + timedelta(days=offset)
        for kind in kinds:
            for _ in range(_count(rng, _rate(day.date())[kind])):
                placed = day + timedelta(minutes=rng.randint(7 * 60, 23 * 60))
                if placed > now - timedelta(hours=1):
                    continue
                wholesale = bool(wholesalers) and rng.random() < 0.08
                buyer = rng.choice(wholesalers if wholesale else shoppers)
                plan.append(_order(rng, buyer, kind, placed, now, by_kind, by_merchant,
                                   shops, wholesale))
    plan += _recent(rng, shoppers, kinds, now, by_kind, by_merchant, shops)
    plan.sort(key=lambda o: o.placed_at)
    return plan


def _order(rng, buyer: Buyer, kind: str, placed: datetime, now: datetime, by_kind,
           by_merchant, shops: Shops, wholesale: bool, outcome: str | None = None,
           merchant: int | None = None) -> PlannedOrder:
    age = now - placed
    if outcome is None:
        outcome = rng.choices([o for o, _w in OUTCOME_WEIGHTS],
                              [w for _o, w in OUTCOME_WEIGHTS])[0]
        if outcome in ("refunding", "disputed") and age > timedelta(days=40):
            outcome = "completed"
    lines = _lines(rng, by_kind, by_merchant, kind, wholesale, shops, merchant)
    owner_of = {s.sku_id: m for m, group in by_merchant.items() for s in group}
    merchants = {owner_of[sku_id] for sku_id, _qty in lines}
    drop_ship = bool(buyer.customers) and rng.random() < 0.5 and merchants <= shops.drop_ship
    if drop_ship:
        index = len(buyer.districts) + rng.randrange(len(buyer.customers))
        district = buyer.customers[index - len(buyer.districts)]
    else:
        index = rng.randrange(len(buyer.districts))
        district = buyer.districts[index]
    delivery: dict[int, str] = {}
    for merchant in sorted(merchants):
        if district in shops.local.get(merchant, ()) and rng.random() < 0.4:
            delivery[merchant] = rng.choice(["local_same_day", "local_next_day"])
        elif merchant in shops.pickup and district in shops.local.get(merchant, ()) \
                and rng.random() < 0.15:
            delivery[merchant] = "pickup"
    invoice = None
    if wholesale or rng.random() < 0.08:
        title, tax = rng.choice(INVOICE_TITLES)
        invoice = {"title": title, "tax_number": tax}
    steps = [s for s in _steps(rng, outcome, placed) if s[0] <= now]
    return PlannedOrder(
        buyer=buyer.username, address=index, district=district, lines=lines, placed_at=placed,
        outcome=outcome, steps=steps, delivery=delivery, invoice=invoice, drop_ship=drop_ship,
        note=rng.choice(NOTES) if rng.random() < 0.15 else "")


def _recent(rng, shoppers, kinds, now, by_kind, by_merchant, shops) -> list[PlannedOrder]:
    """Work for today: a few orders of the demo shop to ship, and a few just placed and not
    paid yet (the timeout job cancels them 30 minutes after they were placed)."""
    out = []
    furniture = "furniture" if "furniture" in kinds else kinds[0]
    for n in range(4):
        placed = now - timedelta(hours=3 + 5 * n, minutes=rng.randint(0, 50))
        buyer = shoppers[0] if n == 0 else rng.choice(shoppers)
        out.append(_order(rng, buyer, furniture, placed, now, by_kind, by_merchant, shops,
                          False, outcome="to_ship", merchant=shops.featured))
    for n in range(3):
        placed = now - timedelta(minutes=4 + 6 * n)
        buyer = shoppers[0] if n == 0 else rng.choice(shoppers)
        out.append(_order(rng, buyer, rng.choice(kinds), placed, now, by_kind, by_merchant,
                          shops, False, outcome="timeout"))
    return out


def stock_needed(plan: list[PlannedOrder]) -> dict[int, int]:
    """Units each SKU must have so that every planned order can be placed."""
    need: dict[int, int] = defaultdict(int)
    for order in plan:
        for sku_id, quantity in order.lines:
            need[sku_id] += quantity
    return dict(need)
