"""The demo year of orders: a deterministic plan with every lifecycle, replayed through the
trade services into orders in every state, never overselling."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from regionmall.demo.trade_plan import Buyer, Sellable, Shops, plan_orders, stock_needed

NOW = datetime(2026, 11, 28, 15, 30, tzinfo=dt_timezone(timedelta(hours=8)))
SELLABLES = ([Sellable(n, 1, 380_000 + n, "furniture") for n in range(1, 6)]
             + [Sellable(n, 2, 12_800 + n, "tea") for n in range(6, 12)]
             + [Sellable(n, 3, 6_900 + n, "fruit") for n in range(12, 16)])
BUYERS = [Buyer("shopper", ("330783", "330702")), Buyer("a", ("330784",)),
          Buyer("b", ("330726",)), Buyer("buyer", ("330702",), wholesale=True,
                                          customers=("330782", "330781"))]
SHOPS = Shops(featured=1, local={1: ("330783", "330784")}, drop_ship=frozenset({1, 2}),
              pickup=frozenset({1}))


def test_the_plan_is_deterministic_and_covers_every_lifecycle():
    plan = plan_orders(SELLABLES, BUYERS, now=NOW, shops=SHOPS, seed=5)
    again = plan_orders(SELLABLES, BUYERS, now=NOW, shops=SHOPS, seed=5)
    assert [(o.buyer, o.lines, o.placed_at, o.outcome, o.steps) for o in plan] == [
        (o.buyer, o.lines, o.placed_at, o.outcome, o.steps) for o in again]
    other = plan_orders(SELLABLES, BUYERS, now=NOW, shops=SHOPS, seed=6)
    assert [o.lines for o in plan] != [o.lines for o in other]

    assert 300 <= len(plan) <= 1_500
    outcomes = Counter(o.outcome for o in plan)
    for outcome in ("completed", "auto_completed", "timeout", "buyer_cancelled",
                    "merchant_cancelled", "refunded", "to_ship"):
        assert outcomes[outcome] >= 1, outcomes
    assert plan == sorted(plan, key=lambda o: o.placed_at)
    assert plan[0].placed_at >= NOW - timedelta(days=366)
    for order in plan:
        assert order.lines and all(q >= 1 for _sku, q in order.lines)
        assert all(order.placed_at < at <= NOW for at, _a, _w in order.steps)
        assert [at for at, _a, _w in order.steps] == sorted(at for at, _a, _w in order.steps)
    # Seasons: Double 11 sells more than an ordinary November week's days.
    def on(day):
        return sum(1 for o in plan if o.placed_at.date() == day)
    assert on(datetime(2026, 11, 11).date()) > on(datetime(2026, 11, 4).date())
    # The demo shop has orders waiting to be shipped now; some orders are not paid yet.
    to_ship = [o for o in plan if o.outcome == "to_ship"]
    assert all(s in range(1, 6) for o in to_ship for s, _q in o.lines)
    assert any(o.outcome == "timeout" and o.placed_at > NOW - timedelta(minutes=30)
               for o in plan)
    assert any(o.drop_ship for o in plan) and any(o.delivery for o in plan)
    need = stock_needed(plan)
    assert sum(need.values()) == sum(q for o in plan for _s, q in o.lines)


def check_trade_loaded(summary: str) -> None:
    """Run by ``test_demo_region`` after the one full demo seed of the suite."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from regionmall.demo.trade_seed import seed_trade
    from regionmall.inventory.selectors import available
    from regionmall.merchants.selectors import merchant_for_user
    from regionmall.trade import selectors

    assert "demo orders:" in summary
    assert apps.get_model("trade", "Checkout").objects.count() >= 40
    states = dict(apps.get_model("trade", "Order").objects.values_list("state")
                  .annotate(n=Count("id")))
    for state in ("awaiting_payment", "awaiting_shipment", "shipped", "completed",
                  "cancelled", "refunded"):
        assert states.get(state, 0) >= 1, states

    users = get_user_model().objects
    shopper = users.get(username="shopper")
    mine = selectors.orders_of_buyer(shopper)
    assert mine.exists()
    placed = mine.order_by("created_at").first()
    assert [log.to_state for log in placed.state_logs.all()][0] == "awaiting_payment"
    assert selectors.addresses_of(shopper).count() == 2

    featured = merchant_for_user(users.get(username="merchant"))
    waiting = selectors.orders_for_merchant(featured, "awaiting_shipment")
    assert waiting.count() >= 3
    # History: orders spread over the period, not all created "now".
    oldest = selectors.orders_for_merchant(featured).order_by("created_at").first()
    assert oldest.created_at < waiting.first().created_at - timedelta(days=7)
    # Nothing oversold: every SKU that sold still has zero or more units free.
    sku_ids = {line.sku_id for order in selectors.orders_for_merchant(featured)
               for line in order.lines.all()}
    assert all(units >= 0 for units in available(sku_ids).values())

    again = seed_trade()
    assert not again.created  # orders exist: left as they are
