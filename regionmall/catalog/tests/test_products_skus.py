"""SKU generation from spec axes, SKU edits and wholesale tier prices."""

from __future__ import annotations

import pytest

from regionmall.catalog.models import AttributeDefinition, AttributeType, Category, Sku
from regionmall.catalog.services import products as services
from regionmall.catalog.services.skus import MAX_SKUS, valid_gtin
from regionmall.core.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def test_two_axes_make_their_cartesian_product(merchant_owner, make_product):
    product = make_product(attributes={"material": "红木", "colour": ["红", "黑", "原木色"],
                                       "size": ["1.8米", "2米"]})
    skus = services.generate_skus(merchant_owner, product)
    assert len(skus) == 6
    assert [s.spec for s in skus[:2]] == [{"colour": "红", "size": "1.8米"},
                                          {"colour": "红", "size": "2米"}]
    assert {s.spec_key for s in skus} == {f"colour={c}|size={z}" for c in ("红", "黑", "原木色")
                                          for z in ("1.8米", "2米")}
    assert [s.code for s in skus] == [f"{product.pk}-{n}" for n in range(1, 7)]
    assert all(s.price_fen == product.price_fen and s.is_active for s in skus)


def test_regeneration_keeps_codes_and_prices_and_deactivates_vanished(merchant_owner,
                                                                      make_product):
    product = make_product()  # colour 红/黑 × size 1.8米/2米
    first = {s.spec_key: s for s in services.generate_skus(merchant_owner, product)}
    red_18 = first["colour=红|size=1.8米"]
    services.update_sku(merchant_owner, red_18, {"code": "HM-RED-18", "price_fen": 1500000})
    services.update_product(merchant_owner, product, {"attributes": {
        "material": "红木", "colour": ["红", "原木色"], "size": ["1.8米", "2米"]}})

    second = {s.spec_key: s for s in services.generate_skus(merchant_owner, product)}
    assert set(second) == {"colour=红|size=1.8米", "colour=红|size=2米",
                           "colour=原木色|size=1.8米", "colour=原木色|size=2米"}
    kept = second["colour=红|size=1.8米"]
    assert kept.pk == red_18.pk and kept.code == "HM-RED-18" and kept.price_fen == 1500000
    assert second["colour=红|size=2米"].pk == first["colour=红|size=2米"].pk
    assert second["colour=原木色|size=2米"].code == f"{product.pk}-6"  # numbering carries on
    black = Sku.objects.filter(product=product, spec__colour="黑")
    assert black.count() == 2 and not black.filter(is_active=True).exists()
    assert Sku.objects.filter(product=product).count() == 6  # nothing deleted


def test_regeneration_is_idempotent(merchant_owner, make_product):
    product = make_product()
    first = [s.pk for s in services.generate_skus(merchant_owner, product)]
    assert [s.pk for s in services.generate_skus(merchant_owner, product)] == first


def test_a_manually_deactivated_sku_stays_off(merchant_owner, make_product):
    product = make_product()
    sku = services.generate_skus(merchant_owner, product)[0]
    services.update_sku(merchant_owner, sku, {"is_active": False})
    services.generate_skus(merchant_owner, product)
    sku.refresh_from_db()
    assert not sku.is_active


def test_no_axes_make_one_default_sku(merchant_owner, make_product, operator):
    plain = Category.objects.create(name="茶具", slug="tea-set")
    product = make_product(category=plain, attributes={})
    skus = services.generate_skus(merchant_owner, product)
    assert len(skus) == 1 and skus[0].spec == {} and skus[0].spec_key == ""


def test_an_axis_without_values_is_named(merchant_owner, make_product):
    product = make_product(attributes={"material": "红木", "colour": ["红"]})
    with pytest.raises(ValidationFailed) as raised:
        services.generate_skus(merchant_owner, product)
    assert "尺寸" in raised.value.fields["attributes.size"][0]
    assert not product.skus.exists()


def test_more_than_the_cap_is_refused_with_a_clear_error(merchant_owner, furniture_category,
                                                         make_product):
    AttributeDefinition.objects.create(category=furniture_category, code="pattern", name="花纹",
                                       type=AttributeType.TEXT, is_spec_axis=True)
    sizes = [f"{n}cm" for n in range(30)]
    patterns = [f"纹{n}" for n in range(7)]
    product = make_product(attributes={"colour": ["红", "黑", "原木色"], "size": sizes,
                                       "pattern": patterns})
    with pytest.raises(ValidationFailed) as raised:
        services.generate_skus(merchant_owner, product)
    message = raised.value.fields["skus"][0]
    assert "630" in message and str(MAX_SKUS) in message
    assert not product.skus.exists()


def test_min_price_follows_the_cheapest_active_sku(merchant_owner, make_product):
    product = make_product(price_fen=100000)
    skus = services.generate_skus(merchant_owner, product)
    services.update_sku(merchant_owner, skus[1], {"price_fen": 80000})
    product.refresh_from_db()
    assert product.min_price_fen == 80000
    services.update_sku(merchant_owner, skus[1], {"is_active": False})
    product.refresh_from_db()
    assert product.min_price_fen == 100000


def test_sku_codes_are_unique_per_merchant(merchant_owner, other_owner, make_product):
    mine = services.generate_skus(merchant_owner, make_product())
    services.update_sku(merchant_owner, mine[0], {"code": "HM-001"})
    with pytest.raises(ValidationFailed) as raised:
        services.update_sku(merchant_owner, mine[1], {"code": "HM-001"})
    assert "code" in raised.value.fields
    theirs = services.generate_skus(other_owner, make_product(owner=other_owner))
    assert services.update_sku(other_owner, theirs[0], {"code": "HM-001"}).code == "HM-001"


def test_generated_codes_skip_codes_already_taken(merchant_owner, make_product):
    product = make_product()
    other = services.generate_skus(merchant_owner, make_product())
    services.update_sku(merchant_owner, other[0], {"code": f"{product.pk}-1"})
    codes = [s.code for s in services.generate_skus(merchant_owner, product)]
    assert f"{product.pk}-1" not in codes and len(set(codes)) == 4


@pytest.mark.parametrize(("data", "field"), [
    ({"code": ""}, "code"),
    ({"code": "红木-1"}, "code"),
    ({"code": "has space"}, "code"),
    ({"barcode": "6901234567891"}, "barcode"),  # wrong check digit
    ({"barcode": "69012345"}, "barcode"),
    ({"price_fen": 0}, "price_fen"),
    ({"price_fen": "9.9"}, "price_fen"),
    ({"weight_g": -1}, "weight_g"),
    ({"volume_cm3": 1.5}, "volume_cm3"),
    ({"is_active": "no"}, "is_active"),
    ({"spec": {}}, "spec"),
])
def test_bad_sku_edits_name_the_field(merchant_owner, make_product, data, field):
    sku = services.generate_skus(merchant_owner, make_product())[0]
    with pytest.raises(ValidationFailed) as raised:
        services.update_sku(merchant_owner, sku, data)
    assert field in raised.value.fields


def test_sku_edit(merchant_owner, make_product):
    sku = services.generate_skus(merchant_owner, make_product())[0]
    updated = services.update_sku(merchant_owner, sku, {
        "barcode": "6901234567892", "weight_g": 45000, "volume_cm3": 900000})
    assert (updated.barcode, updated.weight_g, updated.volume_cm3) == (
        "6901234567892", 45000, 900000)


@pytest.mark.parametrize(("code", "ok"), [("6901234567892", True), ("96385074", True),
                                          ("036000291452", True), ("10614141000415", True),
                                          ("6901234567890", False), ("12345", False),
                                          ("69012345678a2", False)])
def test_gtin_check_digit(code, ok):
    assert valid_gtin(code) is ok


def test_last_active_sku_of_a_live_product_cannot_be_switched_off(merchant_owner, make_product):
    product = make_product(publish=True)
    skus = list(product.skus.all())
    for sku in skus[:-1]:
        services.update_sku(merchant_owner, sku, {"is_active": False})
    with pytest.raises(ValidationFailed) as raised:
        services.update_sku(merchant_owner, skus[-1], {"is_active": False})
    assert "is_active" in raised.value.fields


def test_another_shops_sku_is_not_found(merchant_owner, other_owner, make_product):
    sku = services.generate_skus(merchant_owner, make_product())[0]
    with pytest.raises(NotFound):
        services.update_sku(other_owner, sku, {"price_fen": 1})
    with pytest.raises(NotFound):
        services.set_tier_prices(other_owner, sku, [(10, 1)])
    with pytest.raises(NotFound):
        services.generate_skus(other_owner, sku.product_id)


# --- tier prices ----------------------------------------------------------------------------


def test_tier_prices_replace_the_previous_set(merchant_owner, make_product):
    sku = services.generate_skus(merchant_owner, make_product(price_fen=10000))[0]
    services.set_tier_prices(merchant_owner, sku, [(10, 9500), (50, 9000), (200, 8000)])
    tiers = services.set_tier_prices(merchant_owner, sku, [(20, 9000), (100, 8500)])
    assert [(t.min_quantity, t.price_fen) for t in tiers] == [(20, 9000), (100, 8500)]
    assert list(sku.tier_prices.values_list("min_quantity", flat=True)) == [20, 100]
    assert services.set_tier_prices(merchant_owner, sku, []) == []
    assert not sku.tier_prices.exists()


@pytest.mark.parametrize(("tiers", "field"), [
    ([(1, 9000)], "tiers.0"),                       # a tier starts at 2 units
    ([(10, 9000), (10, 8000)], "tiers.1"),           # quantities must rise
    ([(10, 9000), (5, 8000)], "tiers.1"),
    ([(10, 9000), (50, 9000)], "tiers.1"),           # prices must fall
    ([(10, 9000), (50, 9500)], "tiers.1"),
    ([(10, 10001)], "tiers.0"),                      # not above the SKU price
    ([(10, 0)], "tiers.0"),
    ([(10, 9.5)], "tiers.0"),
    ([("ten", 9000)], "tiers.0"),
    ([(10,)], "tiers.0"),
    ([(n + 2, 9000 - n) for n in range(11)], "tiers"),
])
def test_bad_tiers_are_refused_and_keep_the_old_ones(merchant_owner, make_product, tiers, field):
    sku = services.generate_skus(merchant_owner, make_product(price_fen=10000))[0]
    services.set_tier_prices(merchant_owner, sku, [(5, 9900)])
    with pytest.raises(ValidationFailed) as raised:
        services.set_tier_prices(merchant_owner, sku, tiers)
    assert field in raised.value.fields
    assert list(sku.tier_prices.values_list("min_quantity", "price_fen")) == [(5, 9900)]


def test_tiers_accept_dicts_and_equal_to_sku_price(merchant_owner, make_product):
    sku = services.generate_skus(merchant_owner, make_product(price_fen=10000))[0]
    tiers = services.set_tier_prices(merchant_owner, sku, [
        {"min_quantity": 2, "price_fen": 10000}, {"min_quantity": 10, "price_fen": 9000}])
    assert len(tiers) == 2


def test_sku_price_cannot_drop_below_its_tiers(merchant_owner, make_product):
    sku = services.generate_skus(merchant_owner, make_product(price_fen=10000))[0]
    services.set_tier_prices(merchant_owner, sku, [(10, 9000)])
    with pytest.raises(ValidationFailed) as raised:
        services.update_sku(merchant_owner, sku, {"price_fen": 8000})
    assert "price_fen" in raised.value.fields
    assert services.update_sku(merchant_owner, sku, {"price_fen": 9000}).price_fen == 9000
