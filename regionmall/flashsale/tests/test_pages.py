"""Pages: storefront list / sale / buy / my tickets, product badge, merchant and platform
consoles, and the role boundary of each (embedded mode, the default)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from regionmall.flashsale.services import events
from regionmall.flashsale.tests.support import (
    buyer,
    embedded,  # noqa: F401
    fast_hashing,  # noqa: F401
    model,
    operator,
    proposal,
    running_event,
    shop,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("embedded")]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_list_and_the_sale_page_show_price_countdown_and_live_units(client):
    _m, owner, sku = shop(stock=20, price_fen=12_800)
    event = running_event(owner, sku, quantity=8, sale_price_fen=6_600)
    page = client.get(reverse("flashsale:list"), **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert "¥66.00" in html and "¥128.00" in html and 'data-countdown="' in html
    assert "<strong>8</strong> of 8 left" in html
    detail = client.get(reverse("flashsale:event", args=[event.pk]), **EN).content.decode()
    assert "Log in to buy" in detail
    fragment = client.get(reverse("flashsale:remaining", args=[event.pk]), **EN)
    assert fragment["Cache-Control"] == "no-store"
    assert "8</strong> of 8" in fragment.content.decode()


def test_a_shopper_buys_through_the_page_and_sees_the_order(client):
    _m, owner, sku = shop(stock=20)
    event = running_event(owner, sku, quantity=3)
    user = buyer()
    client.force_login(user)
    answer = client.post(reverse("flashsale:buy", args=[event.pk]), {"quantity": "1"},
                         HTTP_HX_REQUEST="true", **EN)
    assert answer.status_code == 200
    assert 'data-status="ordered"' in answer.content.decode()
    ticket = model("flashsale.FlashTicket").objects.get(user=user)
    assert reverse("trade:order_detail", args=[ticket.order_number]) in answer.content.decode()
    again = client.post(reverse("flashsale:buy", args=[event.pk]), {"quantity": "1"},
                        HTTP_HX_REQUEST="true", **EN)
    assert "You have reached the limit" in again.content.decode()
    mine = client.get(reverse("flashsale:mine"), **EN).content.decode()
    assert ticket.order_number in mine
    poll = client.get(reverse("flashsale:ticket", args=[ticket.ticket]), **EN)
    assert 'data-status="ordered"' in poll.content.decode()


def test_ticket_pages_are_private_and_buying_needs_a_buyer(client):
    _m, owner, sku = shop(stock=20)
    event = running_event(owner, sku, quantity=3)
    user = buyer()
    client.force_login(user)
    client.post(reverse("flashsale:buy", args=[event.pk]), {"quantity": "1"})
    ticket = model("flashsale.FlashTicket").objects.get(user=user).ticket
    client.force_login(buyer())
    assert client.get(reverse("flashsale:ticket", args=[ticket])).status_code == 404
    client.logout()
    assert client.post(reverse("flashsale:buy", args=[event.pk])).status_code == 302
    assert client.get(reverse("flashsale:mine")).status_code == 302
    client.force_login(owner)                         # a merchant may not buy
    refused = client.post(reverse("flashsale:buy", args=[event.pk]), HTTP_HX_REQUEST="true",
                          **EN)
    assert "Only shoppers and enterprise buyers" in refused.content.decode()


def test_the_product_page_shows_the_flash_badge(client):
    _m, owner, sku = shop(stock=20)
    event = running_event(owner, sku, quantity=3, sale_price_fen=3_300)
    html = client.get(reverse("catalog:product", args=[sku.product_id]), **EN).content.decode()
    assert 'data-testid="fs-badge"' in html and "¥33.00" in html
    assert reverse("flashsale:remaining", args=[event.pk]) in html


def test_a_merchant_proposes_through_the_console_and_sees_only_its_own(client):
    _m, owner, sku = shop(stock=50, price_fen=10_000)
    client.force_login(owner)
    form = client.get(reverse("flashsale:merchant_new"), **EN)
    assert form.status_code == 200 and str(sku.pk) in form.content.decode()
    data = proposal(sku)
    post = {"sku_id": sku.pk, "sale_price": "59.90", "quantity": "20",
            "starts_at": localtime(data["starts_at"]).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": localtime(data["ends_at"]).strftime("%Y-%m-%dT%H:%M"),
            "per_user_limit": "2",
            "user_rps": "5", "audience": "everyone", "district": "", "pay_minutes": "10",
            "action": "propose"}
    bad = client.post(reverse("flashsale:merchant_new"), {**post, "sale_price": "120"}, **EN)
    assert bad.status_code == 422 and "below the list price" in bad.content.decode()
    done = client.post(reverse("flashsale:merchant_new"), post)
    event = model("flashsale.FlashSaleEvent").objects.get()
    assert done.status_code == 302 and (event.state, event.sale_price_fen) == ("proposed", 5_990)
    assert client.get(reverse("flashsale:merchant_detail", args=[event.pk])).status_code == 200
    assert event.title in client.get(reverse("flashsale:merchant_list")).content.decode()
    _m2, other, _sku2 = shop()
    client.force_login(other)
    assert client.get(reverse("flashsale:merchant_detail", args=[event.pk])).status_code == 404
    assert client.post(reverse("flashsale:merchant_cancel", args=[event.pk])).status_code == 404
    assert event.title not in client.get(reverse("flashsale:merchant_list")).content.decode()
    client.force_login(buyer())
    assert client.get(reverse("flashsale:merchant_list")).status_code == 403


def test_an_operator_reviews_and_controls_a_sale(client):
    _m, owner, sku = shop(stock=50)
    event = events.create_event(owner, proposal(sku, quantity=10))
    client.force_login(operator())
    queue = client.get(reverse("flashsale:platform_list"), **EN).content.decode()
    assert event.title in queue
    client.post(reverse("flashsale:platform_approve", args=[event.pk]))
    event.refresh_from_db()
    assert event.state == "approved"
    client.post(reverse("flashsale:platform_pause", args=[event.pk]), {"reason": "check"})
    event.refresh_from_db()
    assert event.paused is True
    page = client.get(reverse("flashsale:platform_detail", args=[event.pk]), **EN)
    assert page.status_code == 200 and 'data-testid="fs-reconcile"' in page.content.decode()
    client.post(reverse("flashsale:platform_stop", args=[event.pk]), {"reason": "测试"})
    event.refresh_from_db()
    assert event.state == "cancelled"
    client.force_login(owner)                         # merchants do not enter the platform
    assert client.get(reverse("flashsale:platform_list")).status_code == 403
    assert client.post(reverse("flashsale:platform_approve", args=[event.pk])).status_code == 403
