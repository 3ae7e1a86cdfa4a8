import pytest

from regionmall.accounts.roles import Role
from regionmall.inventory.models import Stock
from regionmall.testing.factories import approved_merchant, make_user

pytestmark = pytest.mark.django_db


def test_stock_page_lists_own_rows(client, stocked):
    merchant, owner, warehouse, sku = stocked
    client.force_login(owner)
    page = client.get("/merchant/stock/")
    assert page.status_code == 200
    assert sku.code in page.content.decode()


@pytest.mark.parametrize("role", [Role.SHOPPER, Role.OPERATOR, Role.SUPERVISOR])
def test_stock_page_refused_outside_merchant_console(client, role):
    client.force_login(make_user(role))
    assert client.get("/merchant/stock/").status_code == 403


def test_adjust_via_htmx(client, stocked):
    merchant, owner, warehouse, sku = stocked
    client.force_login(owner)
    stock = Stock.objects.get(sku=sku)
    response = client.post("/merchant/stock/adjust/",
                           {"stock_id": stock.pk, "delta": "3", "reason": "到货"})
    assert response.status_code == 200
    stock.refresh_from_db()
    assert stock.on_hand == 8
    bad = client.post("/merchant/stock/adjust/", {"stock_id": stock.pk, "reason": "x"})
    assert bad.status_code == 422
    stock.refresh_from_db()
    assert stock.on_hand == 8


def test_cannot_adjust_another_merchants_stock(client, stocked):
    merchant, owner, warehouse, sku = stocked
    _other, other_owner = approved_merchant()
    client.force_login(other_owner)
    stock = Stock.objects.get(sku=sku)
    response = client.post("/merchant/stock/adjust/",
                           {"stock_id": stock.pk, "delta": "3", "reason": "x"})
    assert response.status_code == 404
    stock.refresh_from_db()
    assert stock.on_hand == 5
