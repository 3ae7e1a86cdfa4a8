"""Drop-shipping details: checked per merchant by ``validate_drop_ship`` (checkout calls it)."""

import pytest

from regionmall.core.errors import ValidationFailed
from regionmall.trade.models import MerchantTerms
from regionmall.trade.wholesale import validate_drop_ship

ALLOWS = MerchantTerms(merchant_id=1, allows_drop_ship=True)


def test_valid_details_are_normalised():
    out = validate_drop_ship(ALLOWS, {"sender_name": "  杭州优选分销  ",
                                      "sender_mobile": "+86 139-0000-1234"})
    assert out == {"sender_name": "杭州优选分销", "sender_mobile": "13900001234",
                   "hide_prices": True}


def test_hide_prices_defaults_true_and_can_be_false():
    data = {"sender_name": "分销商", "sender_mobile": "13900001234"}
    assert validate_drop_ship(ALLOWS, data)["hide_prices"] is True
    assert validate_drop_ship(ALLOWS, data | {"hide_prices": False})["hide_prices"] is False
    assert validate_drop_ship(ALLOWS, data | {"hide_prices": "off"})["hide_prices"] is False


@pytest.mark.parametrize("terms", [None, MerchantTerms(merchant_id=1),
                                   MerchantTerms(merchant_id=1, allows_drop_ship=False)])
def test_refused_when_the_merchant_does_not_drop_ship(terms):
    with pytest.raises(ValidationFailed) as info:
        validate_drop_ship(terms, {"sender_name": "分销商", "sender_mobile": "13900001234"})
    assert "drop_ship" in info.value.fields


@pytest.mark.parametrize("data, field", [
    ({"sender_name": "", "sender_mobile": "13900001234"}, "drop_ship.sender_name"),
    ({"sender_name": "字" * 31, "sender_mobile": "13900001234"}, "drop_ship.sender_name"),
    ({"sender_name": 12, "sender_mobile": "13900001234"}, "drop_ship.sender_name"),
    ({"sender_name": "分销商", "sender_mobile": "12345"}, "drop_ship.sender_mobile"),
    ({"sender_name": "分销商"}, "drop_ship.sender_mobile"),
    ({"sender_name": "分销商", "sender_mobile": "13900001234", "hide_prices": "maybe"},
     "drop_ship.hide_prices"),
])
def test_bad_fields_named(data, field):
    with pytest.raises(ValidationFailed) as info:
        validate_drop_ship(ALLOWS, data)
    assert field in info.value.fields


def test_thirty_characters_is_fine():
    out = validate_drop_ship(ALLOWS, {"sender_name": "字" * 30, "sender_mobile": "13900001234"})
    assert len(out["sender_name"]) == 30
