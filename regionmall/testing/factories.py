"""Build the objects many tests need: users, approved merchants, SKUs with stock.

Merchants are made through the merchants services (so they are really approved, with a
verified licence); catalog rows are created directly because only their existence matters
to the centres that use these factories.
"""

from __future__ import annotations

import itertools
from datetime import date

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from regionmall.accounts.roles import Role
from regionmall.catalog.models import Category, Product, Sku
from regionmall.merchants import services as merchant_services
from regionmall.merchants.validators import compute_uscc_check
from regionmall.regions.models import Division

_seq = itertools.count(1)


def make_user(role: str = Role.SHOPPER, username: str | None = None, **extra):
    n = next(_seq)
    return get_user_model().objects.create_user(
        username=username or f"{role}-{n}", password="Str0ng-pass!", role=role, **extra)


def district(code: str = "330783", name: str = "东阳市") -> Division:
    city, _ = Division.objects.get_or_create(code="330700",
                                             defaults={"name": "金华市", "level": "city"})
    division, _ = Division.objects.get_or_create(
        code=code, defaults={"name": name, "level": "district", "parent": city})
    return division


def approved_merchant(owner=None, name: str | None = None):
    """An approved merchant (and its owner user) through the real onboarding services."""
    n = next(_seq)
    owner = owner or make_user(Role.SHOPPER)
    operator = make_user(Role.OPERATOR)
    first17 = f"91330783{n:09d}"
    code = first17 + compute_uscc_check(first17)
    merchant = merchant_services.create_application(owner, {
        "company_name": name or f"测试商家{n}", "district": district().pk,
        "contact_mobile": "13900000000", "credit_code": code, "legal_person": "张三",
    })
    merchant_services.add_qualification(
        owner, merchant, "business_licence", code,
        ContentFile(b"%PDF-1.4 test", name="licence.pdf"), date(2026, 1, 1), None)
    merchant_services.submit(owner, merchant)
    merchant = merchant_services.approve(operator, merchant)
    owner.refresh_from_db()
    return merchant, owner


def make_sku(merchant, *, price_fen: int = 10_000, name: str | None = None,
             category: Category | None = None) -> Sku:
    n = next(_seq)
    category = category or Category.objects.get_or_create(
        slug="test-goods", defaults={"name": "测试商品"})[0]
    product = Product.objects.create(merchant=merchant, category=category,
                                     name=name or f"测试商品{n}", price_fen=price_fen,
                                     min_price_fen=price_fen)
    return Sku.objects.create(product=product, merchant=merchant, code=f"T{n}",
                              spec_key="", price_fen=price_fen)


def sellable_sku(merchant, price_fen: int = 10_000, stock: int = 10,
                 tiers: tuple[tuple[int, int], ...] = (), *, weight_g: int = 0,
                 name: str | None = None) -> Sku:
    """A SKU that can be bought: its product on sale (set directly — tests only), ``stock``
    units in the merchant's default warehouse, and ``tiers`` as ((min_qty, price_fen), ...)."""
    from regionmall.catalog.models import TierPrice
    from regionmall.inventory import services as inventory_services

    sku = make_sku(merchant, price_fen=price_fen, name=name)
    Product.objects.filter(pk=sku.product_id).update(state="on_sale")
    if weight_g:
        Sku.objects.filter(pk=sku.pk).update(weight_g=weight_g)
        sku.weight_g = weight_g
    for min_quantity, tier_price in tiers:
        TierPrice.objects.create(sku=sku, min_quantity=min_quantity, price_fen=tier_price)
    if stock:
        inventory_services.adjust_stock(
            merchant.applicant, warehouse=inventory_services.default_warehouse(merchant),
            sku_id=sku.pk, delta=stock, reason="test stock")
    return sku


def update_sku(sku, *, product_state: str | None = None, **fields) -> Sku:
    """Tests only: change a SKU's columns directly (``price_fen``, ``is_active``, ``spec``,
    ``weight_g``...) and, with ``product_state``, its product's state (e.g. "off_sale")."""
    if fields:
        Sku.objects.filter(pk=sku.pk).update(**fields)
    if product_state is not None:
        Product.objects.filter(pk=sku.product_id).update(state=product_state)
    sku.refresh_from_db()
    return sku
