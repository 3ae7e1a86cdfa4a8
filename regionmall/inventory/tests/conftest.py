import pytest

from regionmall.inventory import services
from regionmall.testing.factories import approved_merchant, make_sku


@pytest.fixture
def shop(db):
    merchant, owner = approved_merchant()
    return merchant, owner


@pytest.fixture
def stocked(shop):
    """(merchant, owner, warehouse, sku) with 5 units on hand."""
    merchant, owner = shop
    warehouse = services.default_warehouse(merchant)
    sku = make_sku(merchant)
    services.adjust_stock(owner, warehouse=warehouse, sku_id=sku.pk, delta=5, reason="入库")
    return merchant, owner, warehouse, sku
