"""Storefront checkout and order pages, the address book, and the merchant's order pages."""

import re

import pytest
from django.urls import reverse

from regionmall.accounts.roles import Role
from regionmall.testing.factories import make_user
from regionmall.trade.models import Address, Checkout, Order, OrderState
from regionmall.trade.services import cart, orders
from regionmall.trade.tests.orders_support import (
    buyer,
    district,
    fast_hashing,  # noqa: F401
    place,
    shop,
    township,
)

pytestmark = pytest.mark.django_db


def _key(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)


def test_checkout_page_from_the_cart_submit_and_pay(client, django_capture_on_commit_callbacks):
    merchant_a, _oa, sku_a = shop(price_fen=5_000, terms={
        "offers_local_delivery": True, "local_districts": [district().code],
        "local_delivery_fen": 300})
    _b, _ob, sku_b = shop(price_fen=12_000)
    user, address = buyer()
    cart.add_item(cart.owner_of(user), sku_a.pk, 1)
    cart.add_item(cart.owner_of(user), sku_b.pk, 1)
    client.force_login(user)

    page = client.get(reverse("trade:checkout"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "¥58.00" in html          # ¥50 + ¥8 shipping for merchant A
    assert "¥178.00" in html         # grand total: 58 + 120 (free shipping)
    assert f'name="delivery_{merchant_a.pk}"' in html and "local_same_day" in html
    key = _key(html)

    # HTMX re-pricing: same-day local delivery costs ¥3 instead of ¥8.
    form = {"sku": [sku_a.pk, sku_b.pk], "qty": [1, 1], "address": address.pk,
            f"delivery_{merchant_a.pk}": "local_same_day", "idempotency_key": key}
    partial = client.post(reverse("trade:checkout_quote"), form, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "¥173.00" in partial.content.decode()
    assert "<html" not in partial.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("trade:checkout_submit"), form | {"note": "放门口"})
    checkout = Checkout.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("trade:checkout_result", args=[checkout.number])
    assert checkout.total_fen == 17_300
    assert cart.cart_items(cart.owner_of(user)) == []
    # Double submit of the same form: same checkout.
    again = client.post(reverse("trade:checkout_submit"), form)
    assert again["Location"] == done["Location"] and Checkout.objects.count() == 1

    # The result page sends the buyer to the payments centre's pay page (by URL name).
    result = client.get(done["Location"])
    pay_url = reverse("payments:pay", args=[checkout.number])
    assert result.status_code == 200 and f'href="{pay_url}"' in result.content.decode()
    # What the gateway calls once a channel confirms the money.
    orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox")
    paid = client.get(done["Location"])
    assert paid.status_code == 200
    assert set(Order.objects.values_list("state", flat=True)) == {OrderState.AWAITING_SHIPMENT}
    assert 'data-testid="go-pay"' not in paid.content.decode()


def test_buy_now_lines_and_errors(client):
    _m, _o, sku = shop(stock=1)
    user, address = buyer()
    client.force_login(user)
    page = client.get(reverse("trade:checkout") + f"?sku={sku.pk}&qty=3")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="problems"' in html and "disabled" in html  # only 1 left
    response = client.post(reverse("trade:checkout_submit"), {
        "sku": sku.pk, "qty": 3, "address": address.pk, "idempotency_key": _key(html)})
    assert response.status_code == 422
    assert Checkout.objects.count() == 0


def test_empty_cart_goes_back_to_the_cart(client):
    user, _address = buyer()
    client.force_login(user)
    response = client.get(reverse("trade:checkout"))
    assert response.status_code == 302


def test_pages_need_a_buyer(client):
    assert client.get(reverse("trade:checkout")).status_code == 302       # to login
    assert client.get(reverse("trade:order_list")).status_code == 302
    _m, owner, _sku = shop()
    client.force_login(owner)
    assert client.get(reverse("trade:order_list")).status_code == 403
    shopper = make_user(Role.SHOPPER)
    client.force_login(shopper)
    assert client.get(reverse("trade:merchant_orders")).status_code == 403


def test_address_book_pages(client):
    user = make_user(Role.SHOPPER)
    client.force_login(user)
    town = township()
    options = client.get(reverse("trade:address_townships") + f"?district={district().code}")
    assert town.name in options.content.decode()
    bad = client.post(reverse("trade:address_add"), {"recipient": "", "mobile": "1",
                                                     "district": district().code})
    assert bad.status_code == 422 and 'class="error"' in bad.content.decode()
    back = reverse("trade:checkout") + "?sku=1&qty=1"
    saved = client.post(reverse("trade:address_add"), {
        "recipient": "张飞", "mobile": "13800004444", "district": district().code,
        "township": town.code, "detail": "吴宁街道 3 号", "next": back})
    address = Address.objects.get(user=user)
    assert saved["Location"] == f"{back}&address={address.pk}"
    assert address.is_default and address.township == town
    listing = client.get(reverse("trade:address_list")).content.decode()
    assert "张飞" in listing
    edit = client.post(reverse("trade:address_edit", args=[address.pk]), {
        "recipient": "张翼德", "mobile": "13800004444", "district": district().code,
        "detail": "吴宁街道 3 号"})
    assert edit.status_code == 302
    address.refresh_from_db()
    assert address.recipient == "张翼德" and address.township is None
    stranger = make_user(Role.SHOPPER)
    client.force_login(stranger)
    assert client.get(reverse("trade:address_edit", args=[address.pk])).status_code == 404
    assert client.post(reverse("trade:address_delete", args=[address.pk])).status_code == 404
    client.force_login(user)
    assert client.post(reverse("trade:address_delete", args=[address.pk])).status_code == 302
    assert not Address.objects.filter(user=user).exists()


def test_my_orders_tabs_detail_cancel_and_confirm(client):
    _m, owner, sku = shop()
    user, address = buyer()
    unpaid = place(user, address, (sku, 1)).orders.get()
    paying = place(user, address, (sku, 2))
    orders.pay_checkout(paying.number, amount_fen=paying.total_fen, channel="sandbox")
    shipped = orders.ship(owner, paying.orders.get(), "EMS", "EA123456789CN")
    client.force_login(user)

    listing = client.get(reverse("trade:order_list")).content.decode()
    assert listing.count('data-testid="order"') == 2
    only_unpaid = client.get(reverse("trade:order_list") + "?state=awaiting_payment")
    assert only_unpaid.content.decode().count('data-testid="order"') == 1

    detail = client.get(reverse("trade:order_detail", args=[shipped.number])).content.decode()
    assert "EA123456789CN" in detail and 'data-testid="timeline"' in detail
    assert detail.count("<li><strong>") == 3  # placed, paid, shipped

    client.post(reverse("trade:order_cancel", args=[unpaid.number]))
    assert Order.objects.get(pk=unpaid.pk).state == OrderState.CANCELLED
    client.post(reverse("trade:order_confirm", args=[shipped.number]))
    assert Order.objects.get(pk=shipped.pk).state == OrderState.COMPLETED
    # Cancelling again is refused with a message, not a crash.
    again = client.post(reverse("trade:order_cancel", args=[unpaid.number]), follow=True)
    assert again.status_code == 200 and 'class="message error"' in again.content.decode()

    stranger, _a = buyer()
    client.force_login(stranger)
    assert client.get(reverse("trade:order_detail", args=[unpaid.number])).status_code == 404
    assert client.post(reverse("trade:order_cancel", args=[unpaid.number])).status_code == 404


def test_merchant_orders_to_ship(client):
    _m, owner, sku = shop()
    user, address = buyer()
    checkout = place(user, address, (sku, 1))
    orders.pay_checkout(checkout.number, amount_fen=checkout.total_fen, channel="sandbox")
    order = checkout.orders.get()
    client.force_login(owner)
    listing = client.get(reverse("trade:merchant_orders")).content.decode()
    assert order.number in listing and 'name="tracking_number"' in listing

    bad = client.post(reverse("trade:merchant_order_ship", args=[order.number]),
                      {"carrier": "SF", "tracking_number": "12"})
    assert bad.status_code == 422 and 'class="error"' in bad.content.decode()
    good = client.post(reverse("trade:merchant_order_ship", args=[order.number]),
                       {"carrier": "SF", "tracking_number": "SF1234567890", "from": "list"})
    assert good.status_code == 302 and good["Location"] == reverse("trade:merchant_orders")
    assert Order.objects.get(pk=order.pk).state == OrderState.SHIPPED

    other = place(user, address, (sku, 1)).orders.get()
    refused = client.post(reverse("trade:merchant_order_cancel", args=[other.number]),
                          {"reason": ""})
    assert refused.status_code == 422
    client.post(reverse("trade:merchant_order_cancel", args=[other.number]),
                {"reason": "暂停营业"})
    assert Order.objects.get(pk=other.pk).cancel_reason == "暂停营业"

    _rival, rival_owner, _s = shop()
    client.force_login(rival_owner)
    assert client.get(reverse("trade:merchant_order_detail", args=[order.number])
                      ).status_code == 404
    assert client.get(reverse("trade:packing_slip", args=[order.number])).status_code == 404
    assert order.number not in client.get(reverse("trade:merchant_orders") + "?state="
                                          ).content.decode()
