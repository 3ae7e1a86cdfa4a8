"""A merchant edits its own trade terms and pickup points; bad input changes nothing."""

import pytest

from regionmall.accounts.roles import Role
from regionmall.core.errors import Forbidden, NotFound, ValidationFailed
from regionmall.core.models import OutboxEvent
from regionmall.testing.factories import approved_merchant, district, make_user
from regionmall.trade.models import MerchantTerms, PickupPoint
from regionmall.trade.services import terms as services


@pytest.fixture
def shop(db):
    district("330783", "东阳市")
    district("330727", "磐安县")
    merchant, owner = approved_merchant()
    return merchant, owner


def test_defaults_until_saved(shop):
    merchant, owner = shop
    terms = services.terms_for_user(owner)
    assert terms.pk is None and terms.accepts_samples and not terms.allows_drop_ship


def test_update_saves_and_publishes(shop):
    merchant, owner = shop
    terms = services.update_terms(owner, {
        "free_shipping_threshold_fen": 19_900, "base_shipping_fen": 1_000, "per_kg_fen": 300,
        "district_fees": {"330727": 1_500}, "offers_local_delivery": True,
        "local_districts": ["330783", "330783"], "local_delivery_fen": 600,
        "wholesale_min_quantity": 20, "wholesale_min_amount_fen": 50_000,
        "allows_drop_ship": True, "accepts_samples": False,
    })
    saved = MerchantTerms.objects.get(merchant=merchant)
    assert saved.pk == terms.pk
    assert saved.district_fees == {"330727": 1_500}
    assert saved.local_districts == ["330783"]
    assert (saved.wholesale_min_quantity, saved.wholesale_min_amount_fen) == (20, 50_000)
    assert saved.allows_drop_ship and not saved.accepts_samples
    assert OutboxEvent.objects.filter(topic="trade.terms_changed").count() == 1


def test_partial_update_keeps_the_rest(shop):
    merchant, owner = shop
    services.update_terms(owner, {"wholesale_min_quantity": 5})
    services.update_terms(owner, {"allows_drop_ship": True})
    saved = MerchantTerms.objects.get(merchant=merchant)
    assert saved.wholesale_min_quantity == 5 and saved.allows_drop_ship


@pytest.mark.parametrize("data, field", [
    ({"base_shipping_fen": -1}, "base_shipping_fen"),
    ({"base_shipping_fen": 100_001}, "base_shipping_fen"),
    ({"per_kg_fen": 1.5}, "per_kg_fen"),
    ({"free_shipping_threshold_fen": "abc"}, "free_shipping_threshold_fen"),
    ({"wholesale_min_amount_fen": 100_000_001}, "wholesale_min_amount_fen"),
    ({"wholesale_min_quantity": -3}, "wholesale_min_quantity"),
    ({"wholesale_min_quantity": True}, "wholesale_min_quantity"),
    ({"district_fees": {"999999": 100}}, "district_fees"),
    ({"district_fees": {"330727": -5}}, "district_fees"),
    ({"district_fees": ["330727"]}, "district_fees"),
    ({"local_districts": ["330783", "110101"]}, "local_districts"),
    ({"offers_local_delivery": True, "local_districts": []}, "local_districts"),
    ({"allows_drop_ship": "yes"}, "allows_drop_ship"),
    ({"colour": "red"}, "colour"),
])
def test_bad_input_names_the_field_and_writes_nothing(shop, data, field):
    merchant, owner = shop
    with pytest.raises(ValidationFailed) as info:
        services.update_terms(owner, data)
    assert field in info.value.fields
    assert not MerchantTerms.objects.filter(merchant=merchant).exists()
    assert not OutboxEvent.objects.filter(topic="trade.terms_changed").exists()


def test_a_township_code_is_not_a_district(shop):
    from regionmall.regions.models import Division

    Division.objects.create(code="330783104", name="横店镇", level="township")
    merchant, owner = shop
    with pytest.raises(ValidationFailed):
        services.update_terms(owner, {"local_districts": ["330783104"]})


def test_only_merchant_users(shop):
    with pytest.raises(Forbidden):
        services.update_terms(make_user(Role.SHOPPER), {"per_kg_fen": 1})
    with pytest.raises(Forbidden):
        services.update_terms(make_user(Role.ENTERPRISE_BUYER), {"per_kg_fen": 1})
    with pytest.raises(NotFound):  # merchant role but no shop
        services.update_terms(make_user(Role.MERCHANT_STAFF), {"per_kg_fen": 1})


def test_pickup_points_crud_and_isolation(shop):
    merchant, owner = shop
    point = services.create_pickup_point(owner, {"name": "横店自提点", "district_code": "330783",
                                                 "address": "横店镇万盛街 8 号"})
    assert point.merchant_id == merchant.pk and point.district.code == "330783"
    services.update_pickup_point(owner, point.pk, {"is_active": False, "name": "横店门店"})
    point.refresh_from_db()
    assert (point.name, point.is_active) == ("横店门店", False)
    other_merchant, other_owner = approved_merchant()
    with pytest.raises(NotFound):
        services.update_pickup_point(other_owner, point.pk, {"name": "偷改"})
    with pytest.raises(NotFound):
        services.delete_pickup_point(other_owner, point.pk)
    assert services.delete_pickup_point(owner, point.pk) is True
    assert not PickupPoint.objects.filter(pk=point.pk).exists()


@pytest.mark.parametrize("data, field", [
    ({"name": "", "district_code": "330783", "address": "某街 1 号"}, "name"),
    ({"name": "自提点", "district_code": "999999", "address": "某街 1 号"}, "district_code"),
    ({"name": "自提点", "district_code": "330783", "address": ""}, "address"),
])
def test_pickup_point_validation(shop, data, field):
    merchant, owner = shop
    with pytest.raises(ValidationFailed) as info:
        services.create_pickup_point(owner, data)
    assert field in info.value.fields
    assert not PickupPoint.objects.exists()
