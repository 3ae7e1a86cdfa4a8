import pytest

from regionmall.accounts.roles import Role
from regionmall.inventory.models import Stock
from regionmall.testing.factories import approved_merchant, make_user

pytestmark = pytest.mark.django_db
BASE = "/api/v1/inventory"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_merchant_sees_and_adjusts_own_stock(client, stocked):
    merchant, owner, warehouse, sku = stocked
    client.force_login(owner)
    rows = client.get(f"{BASE}/stock").json()["items"]
    assert [(r["sku_id"], r["on_hand"], r["available"]) for r in rows] == [(sku.pk, 5, 5)]
    response = post(client, f"{BASE}/stock/adjust",
                    {"warehouse_id": warehouse.pk, "sku_id": sku.pk, "delta": -2,
                     "reason": "破损"})
    assert response.status_code == 200, response.content
    assert response.json()["on_hand"] == 3
    moves = client.get(f"{BASE}/movements").json()["items"]
    assert moves[0]["reason"] == "破损" and moves[0]["on_hand_delta"] == -2


def test_adjust_refusals_use_error_shape(client, stocked):
    merchant, owner, warehouse, sku = stocked
    client.force_login(owner)
    response = post(client, f"{BASE}/stock/adjust",
                    {"warehouse_id": warehouse.pk, "sku_id": sku.pk, "delta": -6,
                     "reason": "x"})
    assert response.status_code == 409 and response.json()["code"] == "below_reserved"
    missing = post(client, f"{BASE}/stock/adjust",
                   {"warehouse_id": warehouse.pk, "sku_id": sku.pk, "reason": "x"})
    assert missing.status_code == 422
    assert Stock.objects.get(sku=sku).on_hand == 5


def test_other_merchant_sees_none_and_cannot_adjust(client, stocked):
    merchant, owner, warehouse, sku = stocked
    _other, other_owner = approved_merchant()
    client.force_login(other_owner)
    assert client.get(f"{BASE}/stock").json()["items"] == []
    response = post(client, f"{BASE}/stock/adjust",
                    {"warehouse_id": warehouse.pk, "sku_id": sku.pk, "delta": 1,
                     "reason": "x"})
    assert response.status_code == 404
    assert Stock.objects.get(sku=sku).on_hand == 5


@pytest.mark.parametrize("role", [Role.SHOPPER, Role.OPERATOR, Role.SUPERVISOR, Role.COURIER])
def test_non_merchants_get_404_and_anonymous_401(client, role, stocked):
    client.force_login(make_user(role))
    assert client.get(f"{BASE}/stock").status_code == 404
    client.logout()
    assert client.get(f"{BASE}/stock").status_code == 401


def test_warehouses_listed_and_created(client, shop):
    merchant, owner = shop
    client.force_login(owner)
    assert len(client.get(f"{BASE}/warehouses").json()) == 1  # default made on first need
    created = post(client, f"{BASE}/warehouses", {"name": "横店前置仓"})
    assert created.status_code == 201
    assert [w["name"] for w in client.get(f"{BASE}/warehouses").json()][-1] == "横店前置仓"

