"""Wholesale pages: buyers' sample and RFQ pages, the merchant's RFQ and sample consoles."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from regionmall.accounts.roles import Role
from regionmall.testing.factories import approved_merchant, district, make_user, sellable_sku
from regionmall.trade.models import Order, Rfq, RfqState, SampleRequest, SampleState
from regionmall.trade.services import addresses
from regionmall.trade.services import wholesale as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    district()
    merchant, owner = approved_merchant(name="武义茶业")
    sku = sellable_sku(merchant, price_fen=8_800, stock=40, tiers=((10, 8_000),))
    buyer = make_user(Role.ENTERPRISE_BUYER)
    address = addresses.add_address(buyer, {
        "recipient": "吴采购", "mobile": "13900001234", "district": "330783",
        "detail": "吴宁街道艺海路 1 号"})
    return {"merchant": merchant, "owner": owner, "sku": sku, "buyer": buyer,
            "address": address}


def test_pages_are_for_enterprise_buyers(client, world):
    urls = [reverse("trade:sample_new") + f"?product={world['sku'].product_id}",
            reverse("trade:rfq_new") + f"?sku={world['sku'].pk}",
            reverse("trade:my_rfqs"), reverse("trade:my_samples")]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(make_user(Role.SHOPPER))
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(world["buyer"])
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_sample_form_creates_a_request(client, world):
    client.force_login(world["buyer"])
    url = reverse("trade:sample_new") + f"?product={world['sku'].product_id}"
    page = client.get(url)
    assert "武义茶业" in page.content.decode()
    response = client.post(url, {"product": world["sku"].product_id,
                                 "address_id": world["address"].pk, "note": "先寄 50 克"})
    assert response.status_code == 302 and response["Location"] == reverse("trade:my_samples")
    sample = SampleRequest.objects.get()
    assert sample.note == "先寄 50 克" and sample.address["recipient"] == "吴采购"
    assert "先寄 50 克" in client.get(reverse("trade:my_samples")).content.decode()
    # A second visit says it was asked already and offers no form.
    assert "already asked" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_sample_form_shows_field_errors(client, world):
    client.force_login(world["buyer"])
    url = reverse("trade:sample_new") + f"?product={world['sku'].product_id}"
    response = client.post(url, {"product": world["sku"].product_id, "address_id": "",
                                 "recipient": "", "mobile": "12", "district_code": "",
                                 "detail": ""})
    assert response.status_code == 422
    assert 'class="form-row has-error"' in response.content.decode()
    assert not SampleRequest.objects.exists()


def test_unknown_or_unsellable_product_is_404(client, world):
    client.force_login(world["buyer"])
    assert client.get(reverse("trade:sample_new") + "?product=999999").status_code == 404
    assert client.get(reverse("trade:rfq_new") + "?sku=abc").status_code == 404


def test_rfq_form_then_quote_accept_and_order(client, world):
    client.force_login(world["buyer"])
    url = reverse("trade:rfq_new") + f"?sku={world['sku'].pk}"
    assert "¥80.00" in client.get(url).content.decode()  # the tier is shown
    bad = client.post(url, {"sku": world["sku"].pk, "quantity": "0"})
    assert bad.status_code == 422
    response = client.post(url, {"sku": world["sku"].pk, "quantity": "25", "note": "春茶"})
    assert response.status_code == 302
    rfq = Rfq.objects.get()
    # The merchant quotes from its console (HTMX card).
    client.force_login(world["owner"])
    listing = client.get(reverse("trade:merchant_rfqs")).content.decode()
    assert "春茶" in listing and f'id="rfq-{rfq.pk}"' in listing
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    card = client.post(reverse("trade:merchant_rfq_quote", args=[rfq.pk]),
                       {"price": "75.50", "valid_until": day, "note": "含税"},
                       HTTP_HX_REQUEST="true")
    assert card.status_code == 200 and "¥75.50" in card.content.decode()
    # The buyer accepts and turns it into an order.
    client.force_login(world["buyer"])
    mine = client.get(reverse("trade:my_rfqs")).content.decode()
    assert "¥75.50" in mine and "¥1,887.50" in mine
    quote_id = Rfq.objects.get().quote.pk
    accepted = client.post(reverse("trade:rfq_accept", args=[rfq.pk]), {"quote": quote_id})
    assert accepted["Location"] == reverse("trade:rfq_order", args=[rfq.pk])
    confirm = client.get(accepted["Location"])
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "¥1,887.50" in body and "idempotency_key" in body
    key = confirm.context["idempotency_key"]
    placed = client.post(accepted["Location"], {
        "idempotency_key": key, "address_id": world["address"].pk, "delivery": "express"})
    assert placed.status_code == 302, placed.content.decode()[:2000]
    order = Order.objects.get()
    assert order.checkout.number in placed["Location"]
    assert order.lines.get().unit_price_fen == 7_550
    assert Rfq.objects.get().state == RfqState.ORDERED
    # A second submit of the same form lands on the same checkout.
    again = client.post(accepted["Location"], {
        "idempotency_key": key, "address_id": world["address"].pk, "delivery": "express"})
    assert again.status_code == 302 and Order.objects.count() == 1


def test_quote_form_errors_stay_in_the_card(client, world):
    rfq = services.create_rfq(world["buyer"], world["sku"].pk, 25)
    client.force_login(world["owner"])
    too_far = (timezone.localdate() + timedelta(days=120)).isoformat()
    card = client.post(reverse("trade:merchant_rfq_quote", args=[rfq.pk]),
                       {"price": "abc", "valid_until": too_far}, HTTP_HX_REQUEST="true")
    assert card.status_code == 200 and "has-error" in card.content.decode()
    plain = client.post(reverse("trade:merchant_rfq_quote", args=[rfq.pk]),
                        {"price": "10", "valid_until": too_far})
    assert plain.status_code == 422
    assert Rfq.objects.get().state == RfqState.OPEN


def test_merchant_pages_are_scoped_to_its_shop(client, world):
    rfq = services.create_rfq(world["buyer"], world["sku"].pk, 25)
    sample = services.request_sample(world["buyer"], world["sku"].product_id,
                                     address_id=world["address"].pk)
    _, stranger = approved_merchant()
    client.force_login(stranger)
    assert f"rfq-{rfq.pk}" not in client.get(reverse("trade:merchant_rfqs")).content.decode()
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    assert client.post(reverse("trade:merchant_rfq_quote", args=[rfq.pk]),
                       {"price": "1", "valid_until": day}).status_code == 404
    assert client.post(reverse("trade:merchant_sample_approve",
                               args=[sample.pk])).status_code == 404
    client.force_login(world["buyer"])
    assert client.get(reverse("trade:merchant_rfqs")).status_code == 403


def test_merchant_decides_samples_by_htmx(client, world):
    sample = services.request_sample(world["buyer"], world["sku"].product_id,
                                     address_id=world["address"].pk, note="要看包装")
    client.force_login(world["owner"])
    listing = client.get(reverse("trade:merchant_samples")).content.decode()
    assert "要看包装" in listing
    empty_reason = client.post(reverse("trade:merchant_sample_decline", args=[sample.pk]),
                               {"reason": ""}, HTTP_HX_REQUEST="true")
    assert empty_reason.status_code == 200 and 'class="error"' in empty_reason.content.decode()
    card = client.post(reverse("trade:merchant_sample_approve", args=[sample.pk]),
                       HTTP_HX_REQUEST="true")
    assert card.status_code == 200 and f'id="sample-{sample.pk}"' in card.content.decode()
    assert SampleRequest.objects.get().state == SampleState.APPROVED


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_do_not_query_per_row(client, world):
    """Lists load catalog data for the whole page at once (two lookups), not per row."""
    def add_rows(n):
        for _ in range(n):
            rfq = services.create_rfq(world["buyer"], sellable_sku(world["merchant"]).pk, 5)
            services.quote_rfq(world["owner"], rfq, unit_price_fen=100,
                               valid_until=timezone.now() + timedelta(days=2))
            services.request_sample(world["buyer"], sellable_sku(world["merchant"]).product_id,
                                    address_id=world["address"].pk)

    add_rows(1)
    urls = {"buyer": [reverse("trade:my_rfqs"), reverse("trade:my_samples")],
            "owner": [reverse("trade:merchant_rfqs") + "?state=quoted",
                      reverse("trade:merchant_samples")]}
    before = {}
    for who, pages in urls.items():
        client.force_login(world[who])
        before.update({url: _count_queries(client, url) for url in pages})
    add_rows(4)
    for who, pages in urls.items():
        client.force_login(world[who])
        for url in pages:
            assert _count_queries(client, url) == before[url], url
            assert before[url] <= 12, (url, before[url])


def _accepted(world, price=7_000):
    rfq = services.create_rfq(world["buyer"], world["sku"].pk, 12)
    services.quote_rfq(world["owner"], rfq, unit_price_fen=price,
                       valid_until=timezone.now() + timedelta(days=3))
    services.accept_quote(world["buyer"], rfq.pk)
    return rfq


def test_drop_ship_from_the_quote_order_page(client, world):
    from regionmall.trade.services import terms

    rfq = _accepted(world)
    url = reverse("trade:rfq_order", args=[rfq.pk])
    client.force_login(world["buyer"])
    assert "ds_sender_name" not in client.get(url).content.decode()  # merchant does not offer
    terms.update_terms(world["owner"], {"allows_drop_ship": True})
    assert "ds_sender_name" in client.get(url).content.decode()
    form = {"idempotency_key": "drop-ship-form-1", "address_id": world["address"].pk,
            "delivery": "express", "ds_sender_name": "杭州优选", "ds_sender_mobile": "123"}
    refused = client.post(url, form)
    assert refused.status_code == 422 and not Order.objects.exists()
    assert 'class="error" role="alert"' in refused.content.decode()
    placed = client.post(url, form | {"ds_sender_mobile": "13700001111"})
    assert placed.status_code == 302
    order = Order.objects.get()
    assert order.drop_ship == {"sender_name": "杭州优选", "sender_mobile": "13700001111",
                               "hide_prices": False}
