"""One checkout over two merchants: two orders under one payment request, in one transaction."""

import pytest
from django.apps import apps
from django.utils import translation

from regionmall.accounts.roles import Role
from regionmall.core.errors import Forbidden, NotFound, ValidationFailed
from regionmall.core.models import OutboxEvent
from regionmall.inventory.selectors import available
from regionmall.inventory.services import OutOfStock
from regionmall.testing.factories import make_user
from regionmall.trade.models import (
    Checkout,
    Order,
    OrderAdjustment,
    OrderState,
    OrderStateLog,
    PickupPoint,
)
from regionmall.trade.services import cart, checkout
from regionmall.trade.tests.orders_support import (
    buyer,
    district,
    fast_hashing,  # noqa: F401
    place,
    reservation_model,
    shop,
    township,
)

pytestmark = pytest.mark.django_db
TITLE = "金华某某贸易有限公司"


def _reservations(number: str) -> list[tuple[int, str]]:
    return list(reservation_model().objects.filter(reference=number)
                .values_list("quantity", "state"))


def test_two_merchants_make_two_orders_under_one_checkout(django_capture_on_commit_callbacks):
    _a, _owner_a, sku_a = shop(price_fen=5_000, weight_g=500)
    _b, _owner_b, sku_b = shop(price_fen=12_000, tiers=((2, 10_000),))
    user, address = buyer()
    cart.add_item(cart.owner_of(user), sku_a.pk, 1)
    cart.add_item(cart.owner_of(user), sku_b.pk, 2)

    with django_capture_on_commit_callbacks(execute=True):
        result = place(user, address, (sku_a, 1), (sku_b, 2), note="请尽快发货",
                       invoice={"title": TITLE, "tax_number": "91330700ma28x1234k"})

    assert Checkout.objects.count() == 1
    orders = {o.merchant_id: o for o in result.orders.all()}
    assert len(orders) == 2
    a, b = orders[sku_a.merchant_id], orders[sku_b.merchant_id]
    # Merchant A: ¥50 + ¥8 express (under the ¥99 free-shipping threshold).
    assert (a.items_fen, a.discount_fen, a.shipping_fen, a.total_fen) == (5_000, 0, 800, 5_800)
    # Merchant B: 2 × ¥120 list, tier price ¥100 from 2 units, free shipping.
    assert (b.items_fen, b.discount_fen, b.shipping_fen, b.total_fen) == (24_000, -4_000, 0,
                                                                          20_000)
    assert result.total_fen == a.total_fen + b.total_fen == 25_800
    for order in (a, b):
        assert order.state == OrderState.AWAITING_PAYMENT
        assert order.checkout_id == result.pk and order.buyer_id == user.pk
        assert order.ship_to["recipient"] == "王小明"
        assert order.ship_to["district_code"] == district().code
        assert order.invoice == {"title": TITLE, "tax_number": "91330700MA28X1234K"}
        assert order.buyer_note == "请尽快发货"
        assert order.pay_deadline > order.created_at
        total = order.items_fen + sum(order.adjustments.values_list("amount_fen", flat=True))
        assert total == order.total_fen  # the receipt explains the whole total
    line_b = b.lines.get()
    assert (line_b.quantity, line_b.list_price_fen, line_b.unit_price_fen,
            line_b.line_total_fen) == (2, 12_000, 10_000, 20_000)
    kinds = set(OrderAdjustment.objects.filter(order=b).values_list("kind", flat=True))
    assert kinds == {"tier", "shipping"}
    assert OrderAdjustment.objects.get(order=a, kind="shipping").amount_fen == 800
    # Stock held per order, referenced by the order number.
    assert _reservations(a.number) == [(1, "held")]
    assert _reservations(b.number) == [(2, "held")]
    assert available([sku_a.pk, sku_b.pk]) == {sku_a.pk: 9, sku_b.pk: 8}
    # Logged and announced, once per order.
    assert OrderStateLog.objects.filter(to_state=OrderState.AWAITING_PAYMENT).count() == 2
    placed = OutboxEvent.objects.filter(topic="trade.order_placed")
    assert sorted(e.payload["order"] for e in placed) == sorted([a.number, b.number])
    # The bought lines left the cart after commit.
    assert cart.cart_items(cart.owner_of(user)) == []


def test_order_numbers_are_distinct_and_sortable():
    _m, _o, sku = shop(stock=50)
    user, address = buyer()
    numbers = [place(user, address, (sku, 1)).orders.get().number for _ in range(5)]
    assert len(set(numbers)) == 5
    assert all(len(n) == 22 and n.isdigit() for n in numbers)


def _nothing_written(sku_ids) -> None:
    assert Checkout.objects.count() == 0
    assert Order.objects.count() == 0
    assert not OutboxEvent.objects.filter(topic="trade.order_placed").exists()
    assert reservation_model().objects.count() == 0


def test_out_of_stock_while_reserving_leaves_nothing(monkeypatch):
    """The second merchant's hold fails after the first's succeeded: all rolled back."""
    _a, _oa, sku_a = shop()
    _b, _ob, sku_b = shop()
    user, address = buyer()
    real = checkout.reserve
    calls = []

    def flaky(reference, lines):
        calls.append(reference)
        if len(calls) == 2:
            raise OutOfStock("sold out meanwhile")
        return real(reference, lines)

    monkeypatch.setattr(checkout, "reserve", flaky)
    with pytest.raises(OutOfStock):
        place(user, address, (sku_a, 1), (sku_b, 1))
    _nothing_written([sku_a.pk, sku_b.pk])
    assert available([sku_a.pk, sku_b.pk]) == {sku_a.pk: 10, sku_b.pk: 10}


def test_refused_when_more_than_available():
    _m, _o, sku = shop(stock=2)
    user, address = buyer()
    with pytest.raises(ValidationFailed) as info:
        place(user, address, (sku, 3))
    assert info.value.code == "not_orderable"
    assert any("2" in p for p in info.value.fields["lines"])
    _nothing_written([sku.pk])


def test_refused_when_not_on_sale():
    _m, _o, sku = shop()
    apps.get_model("catalog", "Product").objects.filter(pk=sku.product_id).update(state="off_sale")
    user, address = buyer()
    with pytest.raises(ValidationFailed):
        place(user, address, (sku, 1))
    _nothing_written([sku.pk])


def test_refused_when_local_delivery_not_offered():
    merchant, _o, sku = shop()
    user, address = buyer()
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        place(user, address, (sku, 1), delivery={merchant.pk: "local_same_day"})
    assert "local delivery" in " ".join(info.value.fields["lines"])
    _nothing_written([sku.pk])


def test_local_delivery_where_offered():
    merchant, _o, sku = shop(terms={"offers_local_delivery": True,
                                    "local_districts": [district().code],
                                    "local_delivery_fen": 600})
    user, address = buyer()
    order = place(user, address, (sku, 1), delivery={merchant.pk: "local_next_day"}
                  ).orders.get()
    assert (order.delivery_option, order.shipping_fen, order.total_fen) == (
        "local_next_day", 600, 5_600)


def test_wholesale_minimum_unmet_is_refused_for_enterprise_buyers():
    _m, _o, sku = shop(terms={"wholesale_min_quantity": 5})
    user, address = buyer(Role.ENTERPRISE_BUYER)
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        place(user, address, (sku, 2))
    assert "mixed-batch" in info.value.message
    _nothing_written([sku.pk])
    assert place(user, address, (sku, 5)).orders.get().lines.get().quantity == 5


@pytest.mark.parametrize("invoice, field", [
    ({"title": "公司", "tax_number": "123"}, "invoice.tax_number"),
    ({"title": "公司", "tax_number": "91330700MA28X1234K-"}, "invoice.tax_number"),
    ({"title": "", "tax_number": "91330700MA28X1234K"}, "invoice.title"),
])
def test_bad_invoice_is_refused(invoice, field):
    _m, _o, sku = shop()
    user, address = buyer()
    with pytest.raises(ValidationFailed) as info:
        place(user, address, (sku, 1), invoice=invoice)
    assert field in info.value.fields
    _nothing_written([sku.pk])


def test_personal_invoice_needs_no_tax_number():
    _m, _o, sku = shop()
    user, address = buyer()
    order = place(user, address, (sku, 1), invoice={"title": "王小明"}).orders.get()
    assert order.invoice == {"title": "王小明", "tax_number": ""}


def test_someone_elses_address_is_not_found():
    _m, _o, sku = shop()
    user, _address = buyer()
    _other, their_address = buyer()
    with pytest.raises(NotFound):
        place(user, their_address, (sku, 1))
    _nothing_written([sku.pk])


@pytest.mark.parametrize("role", [Role.MERCHANT_OWNER, Role.OPERATOR, Role.SUPERVISOR])
def test_only_buyers_place_orders(role):
    _m, _o, sku = shop()
    _user, address = buyer()
    with pytest.raises(Forbidden):
        place(make_user(role), address, (sku, 1))


def test_bad_quantities_and_keys():
    _m, _o, sku = shop()
    user, address = buyer()
    with pytest.raises(ValidationFailed):
        place(user, address, (sku, 0))
    with pytest.raises(ValidationFailed):
        place(user, address, (sku, 1), idempotency_key="short")
    with pytest.raises(ValidationFailed):
        checkout.place_order(user, idempotency_key="k" * 10, lines=[], address_id=address.pk,
                             delivery={})
    _nothing_written([sku.pk])


def test_self_pickup_needs_an_active_point_of_that_merchant():
    merchant, _o, sku = shop()
    other, _o2, _sku2 = shop()
    user, address = buyer()
    mine = PickupPoint.objects.create(merchant=merchant, name="东阳门店", district=district(),
                                      address="横店影视城旁")
    theirs = PickupPoint.objects.create(merchant=other, name="别家门店", district=district(),
                                        address="某处")
    with pytest.raises(ValidationFailed):
        place(user, address, (sku, 1), delivery={merchant.pk: "pickup"})
    with pytest.raises(ValidationFailed):
        place(user, address, (sku, 1), delivery={merchant.pk: "pickup"},
              pickup_point_ids={merchant.pk: theirs.pk})
    order = place(user, address, (sku, 1), delivery={merchant.pk: "pickup"},
                  pickup_point_ids={merchant.pk: mine.pk}).orders.get()
    assert (order.pickup_point_id, order.shipping_fen) == (mine.pk, 0)


def test_the_address_is_a_snapshot():
    from regionmall.trade.services import addresses

    _m, _o, sku = shop()
    user, address = buyer()
    town = township()
    addresses.update_address(user, address.pk, {
        "recipient": "李四", "mobile": "13900000001", "district": district().code,
        "township": town.code, "detail": "吴宁街道艺海路 1 号"})
    order = place(user, address, (sku, 1)).orders.get()
    addresses.update_address(user, address.pk, {
        "recipient": "张三", "mobile": "13900000002", "district": district().code,
        "detail": "别处 2 号"})
    order.refresh_from_db()
    assert order.ship_to["recipient"] == "李四"
    assert order.ship_to["full"] == "东阳市吴宁街道吴宁街道艺海路 1 号"
