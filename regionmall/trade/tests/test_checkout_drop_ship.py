"""Drop-shipping: a distributor orders for its own customer; the merchant ships to that
customer with the distributor as sender, and the parcel shows no prices."""

import pytest
from django.urls import reverse

from regionmall.accounts.roles import Role
from regionmall.core.errors import ValidationFailed
from regionmall.trade.models import Checkout
from regionmall.trade.services import addresses
from regionmall.trade.tests.orders_support import (
    buyer,
    district,
    fast_hashing,  # noqa: F401
    place,
    shop,
)

pytestmark = pytest.mark.django_db
SENDER = {"sender_name": "义乌优选分销", "sender_mobile": "13900001234", "hide_prices": True}


def _distributor_with_customer():
    user, _own_address = buyer(Role.ENTERPRISE_BUYER)
    customer = addresses.add_address(user, {
        "recipient": "终端客户陈女士", "mobile": "13700007777", "district": district().code,
        "detail": "南市街道花园路 99 号"})
    return user, customer


def test_drop_ship_order_goes_to_the_customer_with_the_distributor_as_sender(client):
    merchant, owner, sku = shop(price_fen=8_800, terms={"allows_drop_ship": True})
    user, customer = _distributor_with_customer()
    order = place(user, customer, (sku, 2), drop_ship=SENDER).orders.get()
    assert order.ship_to["recipient"] == "终端客户陈女士"
    assert order.ship_to["mobile"] == "13700007777"
    assert order.drop_ship == SENDER

    client.force_login(owner)
    page = client.get(reverse("trade:merchant_order_detail", args=[order.number]))
    assert page.status_code == 200
    assert "义乌优选分销" in page.content.decode()
    listing = client.get(reverse("trade:merchant_orders") + "?state=awaiting_payment")
    assert "义乌优选分销" in listing.content.decode()

    slip = client.get(reverse("trade:packing_slip", args=[order.number]))
    html = slip.content.decode()
    assert slip.status_code == 200
    assert "义乌优选分销" in html and "终端客户陈女士" in html
    assert merchant.company_name not in html.split('data-testid="packing-slip"')[1]
    assert "¥" not in html and "88.00" not in html and "176.00" not in html


def test_refused_when_the_merchant_does_not_drop_ship():
    _m, _o, sku = shop()  # default terms: no drop-shipping
    user, customer = _distributor_with_customer()
    with pytest.raises(ValidationFailed) as info:
        place(user, customer, (sku, 1), drop_ship=SENDER)
    assert "drop_ship" in info.value.fields
    assert Checkout.objects.count() == 0


def test_refused_when_one_of_the_merchants_does_not_drop_ship():
    _a, _oa, sku_a = shop(terms={"allows_drop_ship": True})
    _b, _ob, sku_b = shop()
    user, customer = _distributor_with_customer()
    with pytest.raises(ValidationFailed):
        place(user, customer, (sku_a, 1), (sku_b, 1), drop_ship=SENDER)
    assert Checkout.objects.count() == 0


def test_sender_details_are_validated():
    _m, _o, sku = shop(terms={"allows_drop_ship": True})
    user, customer = _distributor_with_customer()
    with pytest.raises(ValidationFailed) as info:
        place(user, customer, (sku, 1), drop_ship={"sender_name": "", "sender_mobile": "1"})
    assert {"drop_ship.sender_name", "drop_ship.sender_mobile"} <= set(info.value.fields)


def test_only_enterprise_buyers_drop_ship():
    _m, _o, sku = shop(terms={"allows_drop_ship": True})
    user, address = buyer(Role.SHOPPER)
    with pytest.raises(ValidationFailed) as info:
        place(user, address, (sku, 1), drop_ship=SENDER)
    assert "drop_ship" in info.value.fields


def test_ordinary_packing_slip_names_the_merchant_and_shows_no_prices(client):
    merchant, owner, sku = shop(price_fen=3_300)
    user, address = buyer()
    order = place(user, address, (sku, 1)).orders.get()
    client.force_login(owner)
    html = client.get(reverse("trade:packing_slip", args=[order.number])).content.decode()
    assert merchant.company_name in html and "¥" not in html
