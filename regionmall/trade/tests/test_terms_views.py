"""The merchant's trade-terms page: amounts in yuan, districts of the region, pickup points."""

import pytest
from django.urls import reverse

from regionmall.accounts.roles import Role
from regionmall.testing.factories import approved_merchant, district, make_user
from regionmall.trade.models import MerchantTerms, PickupPoint

pytestmark = pytest.mark.django_db
URL = "/merchant/trade-terms/"


@pytest.fixture
def shop(db):
    district("330783", "东阳市")
    district("330727", "磐安县")
    return approved_merchant()


def _form(**overrides):
    data = {"free_shipping_threshold_fen": "199", "base_shipping_fen": "10.5",
            "per_kg_fen": "2", "local_delivery_fen": "6", "wholesale_min_quantity": "20",
            "wholesale_min_amount_fen": "500", "offers_local_delivery": "on",
            "local_330783": "on", "fee_330727": "15", "accepts_samples": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_url_name():
    assert reverse("trade:merchant_terms") == URL


def test_only_merchants(client, shop):
    assert client.get(URL).status_code == 302
    client.force_login(make_user(Role.ENTERPRISE_BUYER))
    assert client.get(URL).status_code == 403


def test_page_shows_defaults_and_the_region_districts(client, shop):
    client.force_login(shop[1])
    body = client.get(URL).content.decode()
    assert "磐安县" in body and 'value="99.00"' in body and 'value="8.00"' in body


def test_save_converts_yuan_to_fen(client, shop):
    merchant, owner = shop
    client.force_login(owner)
    response = client.post(URL, _form())
    assert response.status_code == 302
    terms = MerchantTerms.objects.get(merchant=merchant)
    assert (terms.free_shipping_threshold_fen, terms.base_shipping_fen, terms.per_kg_fen) == (
        19_900, 1_050, 200)
    assert terms.district_fees == {"330727": 1_500} and terms.local_districts == ["330783"]
    assert (terms.wholesale_min_quantity, terms.wholesale_min_amount_fen) == (20, 50_000)
    assert terms.offers_local_delivery and terms.accepts_samples and not terms.allows_drop_ship
    body = client.get(URL).content.decode()
    assert 'value="10.50"' in body and 'name="fee_330727" value="15.00"' in body


@pytest.mark.parametrize("overrides", [
    {"base_shipping_fen": "-1"}, {"base_shipping_fen": "abc"}, {"per_kg_fen": "5000"},
    {"wholesale_min_quantity": "x"}, {"fee_330727": "-3"},
    {"local_330783": None},  # local delivery offered to no district
])
def test_bad_input_saves_nothing(client, shop, overrides):
    merchant, owner = shop
    client.force_login(owner)
    response = client.post(URL, _form(**overrides))
    assert response.status_code == 422
    assert "has-error" in response.content.decode() or 'class="errorlist"' in (
        response.content.decode())
    assert not MerchantTerms.objects.filter(merchant=merchant).exists()


def test_pickup_points_on_the_page(client, shop):
    merchant, owner = shop
    client.force_login(owner)
    added = client.post(reverse("trade:merchant_pickup_new"),
                        {"name": "东阳门店", "district_code": "330783", "address": "艺海路 1 号"})
    assert added.status_code == 302
    point = PickupPoint.objects.get(merchant=merchant)
    assert "东阳门店" in client.get(URL).content.decode()
    bad = client.post(reverse("trade:merchant_pickup_new"),
                      {"name": "", "district_code": "000000", "address": ""})
    assert bad.status_code == 422 and PickupPoint.objects.count() == 1
    client.post(reverse("trade:merchant_pickup_edit", args=[point.pk]),
                {"name": "东阳旗舰店", "district_code": "330727", "address": "新地址 2 号"})
    point.refresh_from_db()
    assert (point.name, point.district.code, point.is_active) == ("东阳旗舰店", "330727", False)
    _, stranger = approved_merchant()
    client.force_login(stranger)
    assert client.post(reverse("trade:merchant_pickup_delete",
                               args=[point.pk])).status_code == 404
    client.force_login(owner)
    client.post(reverse("trade:merchant_pickup_delete", args=[point.pk]))
    assert not PickupPoint.objects.exists()
