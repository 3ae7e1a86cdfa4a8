"""Flash-sale orders in bulk (``trade.services.flash``): what the COPY writer puts in the
tables reads back exactly as the ORM would have written it, the held units move last and
all-or-nothing, order numbers are redrawn when taken.

Runs on whatever database is configured: SQLite (``bulk_create``) by default, PostgreSQL
(``COPY``) with DATABASE_URL — the point is that both say the same."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from regionmall.core.bulk import any_of
from regionmall.core.models import OutboxEvent
from regionmall.inventory import services as inventory
from regionmall.testing.factories import approved_merchant, district, make_user, sellable_sku
from regionmall.trade.models import Checkout, Order, OrderAdjustment, OrderLine, OrderStateLog
from regionmall.trade.services import addresses, numbers
from regionmall.trade.services import flash as trade_flash

# Inventory's rows, read directly (other centres do not import its models).
Reservation = apps.get_model("inventory", "Reservation")
Stock = apps.get_model("inventory", "Stock")
StockMovement = apps.get_model("inventory", "StockMovement")

# Characters the COPY text format escapes, and some it does not need to.
TRICKY = 'tab\there, new\nline, back\\slash, quote" and 中文 \\N'


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """Argon2 costs ~0.7 s a user; these tests make many users and test no passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _shop(units: int = 10, stock: int = 20):
    merchant, _owner = approved_merchant()
    sku = sellable_sku(merchant, price_fen=8_000, stock=stock)
    inventory.reserve("flash:77", [(sku.pk, units)])
    offer = trade_flash.FlashOffer(
        event_id=77, merchant_id=merchant.pk, sku_id=sku.pk, product_name=f"秒杀 {TRICKY}",
        spec={"颜色": "红", "note": TRICKY, "n": [1, 2.5, None, True]}, list_price_fen=8_000,
        sale_price_fen=5_000, pay_minutes=7, reservation="flash:77")
    return sku, offer


def _buyer(with_address: bool = True):
    user = make_user()
    if with_address:
        addresses.add_address(user, {"recipient": "李秒杀", "mobile": "13812345678",
                                     "district": district().code, "detail": "人民路 1 号"})
    return user


def _held(reference: str) -> int:
    return sum(Reservation.objects.filter(reference=reference, state="held")
               .values_list("quantity", flat=True))


@pytest.mark.django_db
def test_bulk_written_orders_read_back_as_the_orm_writes_them():
    sku, offer = _shop(units=10)
    buyers = [_buyer(), _buyer(), _buyer(with_address=False)]
    requests = [trade_flash.FlashRequest(f"77-{b.pk}-t{i}", b.pk, 1 + (i == 1))
                for i, b in enumerate(buyers)]
    now = timezone.now()
    with transaction.atomic():
        written = trade_flash.write_flash_orders([(offer, requests)], now=now)
        assert _held("flash:77") == 10            # nothing moved before the last step
        trade_flash.move_held_units(written)
    assert _held("flash:77") == 10 - 4
    placed = written.placed
    assert set(placed) == {r.ticket for r in requests}
    for request, buyer in zip(requests, buyers, strict=True):
        done = placed[request.ticket]
        order = Order.objects.get(number=done.order_number)
        assert len(order.number) == 22 and order.number.isdigit()
        assert (order.pk, order.buyer_id, order.merchant_id, order.state) == (
            done.order_id, buyer.pk, offer.merchant_id, "awaiting_payment")
        assert (order.items_fen, order.discount_fen, order.total_fen) == (
            8_000 * request.quantity, -3_000 * request.quantity, 5_000 * request.quantity)
        assert order.created_at == now and order.pay_deadline == now + timedelta(minutes=7)
        default = buyer.addresses.order_by("-is_default", "-id").first()
        assert order.ship_to == (addresses.snapshot(default) if default else {})
        checkout = Checkout.objects.get(pk=order.checkout_id)
        assert (checkout.number, checkout.idempotency_key, checkout.total_fen) == (
            done.checkout_number, f"flash:{request.ticket}", order.total_fen)
        line = OrderLine.objects.get(order=order)
        assert (line.sku_id, line.product_name, line.spec, line.quantity) == (
            sku.pk, offer.product_name, offer.spec, request.quantity)
        adjustment = OrderAdjustment.objects.get(order=order)
        assert (adjustment.kind, adjustment.amount_fen) == ("flash_sale", order.discount_fen)
        log = OrderStateLog.objects.get(order=order)
        assert (log.to_state, log.actor_id, log.at) == ("awaiting_payment", buyer.pk, now)
        assert _held(order.number) == request.quantity
    # The units only changed hands: the stock row holds exactly what it held before.
    assert Stock.objects.get(sku=sku).reserved == 10
    movement = StockMovement.objects.filter(reference="flash:77").latest("id")
    assert movement.reason == "4 moved to 3 order(s)"
    event = OutboxEvent.objects.get(topic="trade.orders_placed")
    assert sorted(o["order"] for o in event.payload["orders"]) == sorted(
        p.order_number for p in placed.values())


@pytest.mark.django_db
def test_a_reservation_short_of_units_moves_nothing():
    _sku, offer = _shop(units=2)
    buyers = [_buyer(with_address=False) for _ in range(3)]
    requests = [trade_flash.FlashRequest(f"77-{b.pk}-x", b.pk, 1) for b in buyers]
    with pytest.raises(inventory.OutOfStock), transaction.atomic():
        trade_flash.place_flash_orders([(offer, requests)])
    assert _held("flash:77") == 2
    assert not Order.objects.exists() and not Checkout.objects.exists()
    assert not Reservation.objects.exclude(reference="flash:77").exists()


@pytest.mark.django_db
def test_the_transfer_halves_must_share_the_callers_transaction():
    sku, _offer = _shop(units=3)
    assert inventory.transfer_reservation("flash:77", [("A1", 1)]) == 1   # its own atomic
    with pytest.raises(inventory.OutOfStock), transaction.atomic():
        staged = inventory.stage_transfer("flash:77", [("A2", 1), ("A3", 5)])
        assert staged.units == 6 and _held("A3") == 5      # staged, not yet taken
        inventory.finish_transfer(staged)                    # only 2 left: refused
    assert (_held("flash:77"), _held("A2"), _held("A3")) == (2, 0, 0)
    assert Stock.objects.get(sku=sku).reserved == 3


@pytest.mark.django_db(transaction=True)
def test_staging_a_transfer_outside_a_transaction_is_refused():
    _sku, _offer = _shop(units=3)
    with pytest.raises(RuntimeError):
        inventory.stage_transfer("flash:77", [("B1", 1)])
    assert _held("B1") == 0 and _held("flash:77") == 3


@pytest.mark.django_db
def test_taken_order_numbers_are_redrawn():
    _sku, offer = _shop(units=5)
    buyer = _buyer(with_address=False)
    now = timezone.now()
    with transaction.atomic():
        first = trade_flash.place_flash_orders(
            [(offer, [trade_flash.FlashRequest("77-1-a", buyer.pk, 1)])], now=now)
    taken = first["77-1-a"].order_number
    draws = iter([[taken, taken], [taken], [taken], ["2"], ["3"]])

    def make_many(count, _now):   # keeps offering the taken number before fresh ones
        return next(draws)[:count] if count else []

    fresh = trade_flash._fresh_numbers(2, now, make_many, Order)
    assert sorted(fresh) == ["2", "3"]


def test_many_numbers_at_once_have_the_usual_shape():
    now = timezone.now()
    orders = numbers.order_numbers(2_000, now)
    checkouts = numbers.checkout_numbers(3, now)
    stamp = numbers.order_number(now)[:14]
    assert len(orders) == 2_000 and len(set(orders)) > 1_990
    assert all(len(n) == 22 and n.isdigit() and n.startswith(stamp) for n in orders)
    assert all(len(n) == 23 and n.startswith("P" + stamp) for n in checkouts)
    tails = [int(n[14:]) for n in orders]
    assert max(tails) > 10**7 and min(tails) < 9 * 10**7      # the whole 8-digit range


@pytest.mark.django_db
def test_any_of_finds_values_with_or_without_the_separator():
    names = ["plain", "with,comma", "带,中文", "x" * 40]
    users = {make_user(username=name).pk: name for name in names}
    model = get_user_model()
    found = model.objects.filter(any_of("username", names))
    assert set(found.values_list("username", flat=True)) == set(names)
    assert model.objects.filter(any_of("pk", list(users)[:2])).count() == 2
    assert not model.objects.filter(any_of("pk", [])).exists()
    empty = model.objects.filter(any_of("first_name", [""]))   # an empty value is a value
    assert empty.count() == model.objects.filter(first_name="").count() == len(names)
    if connection.vendor == "postgresql":   # the joined form is what travels
        sql, _params = found.query.sql_with_params()
        assert "unnest(%s::text[])" in sql      # one value has the separator
        sql, _params = model.objects.filter(any_of("username", ["a"])).query.sql_with_params()
        assert "string_to_array" in sql
