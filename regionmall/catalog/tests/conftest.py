"""Catalog fixtures shared by every catalog test module (products, search, imports, pages).

- Users by role: ``operator``, ``supervisor``, ``shopper``; ``make_user(role)``.
- ``district``: 东阳市 (330783) under 金华市, a product origin.
- ``make_merchant(sc_licence=False, state="approved")``: a merchant walked through the
  merchants services (application, licence, submit, approve[, suspend]); returns its owner.
- ``merchant_owner``: owner of an approved merchant that HOLDS a verified SC food licence;
  ``merchant`` is that merchant. ``other_owner`` / ``other_merchant``: a second approved
  merchant WITHOUT an SC licence.
- ``furniture_category`` (slug ``furniture``, 家具): material (choice, filterable, required),
  length (number, cm), style (choice, filterable), colour (choice spec axis, required),
  size (text spec axis without choices, required).
- ``produce_category`` (slug ``tea``, 茶叶): origin (text, required), grade (choice, required,
  filterable), harvest_date (date), organic (boolean, filterable), weight (choice spec axis,
  required); requires an ``inspection_report`` product document and the merchant's
  ``sc_food_licence``.
- ``make_category(name, slug, parent=None, attributes=[...], **fields)``: any other category.
- ``make_product(owner=None, category=None, *, publish=False, **data)``: a draft through
  ``services.products.create_product`` with complete attributes for the two categories above;
  ``publish=True`` also generates SKUs, adds the required product documents and publishes.
- ``valid_attributes(category)``, ``pdf()``, ``png()``, ``jpg()``: helpers.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from regionmall.accounts.roles import Role
from regionmall.catalog.models import AttributeDefinition, AttributeType, Category
from regionmall.merchants.validators import compute_uscc_check

PASSWORD = "tea-garden-2025"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_seq = itertools.count(1)

FURNITURE_ATTRIBUTES: dict[str, Any] = {
    "material": "红木", "length": "180", "style": "新中式",
    "colour": ["红", "黑"], "size": ["1.8米", "2米"],
}
PRODUCE_ATTRIBUTES: dict[str, Any] = {
    "origin": "浙江安吉", "grade": "特级", "harvest_date": "2025-04-01", "organic": True,
    "weight": ["250克", "500克"],
}


def valid_attributes(category: Category) -> dict[str, Any]:
    """Complete, valid attribute values for the fixture categories (empty for others)."""
    return dict({"furniture": FURNITURE_ATTRIBUTES, "tea": PRODUCE_ATTRIBUTES}.get(
        category.slug, {}))


def make_uscc(seq: int | None = None) -> str:
    body = f"91330783MA{(seq or next(_seq)):07d}"
    return body + compute_uscc_check(body)


def pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _image_bytes(fmt: str, size: tuple[int, int] = (8, 8)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(out, format=fmt)
    return out.getvalue()


def png(name: str = "photo.png", size: tuple[int, int] = (8, 8)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _image_bytes("PNG", size), content_type="image/png")


def jpg(name: str = "photo.jpg", size: tuple[int, int] = (8, 8)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _image_bytes("JPEG", size), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Argon2 is deliberately slow; catalog tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def make_user(db) -> Callable:
    def make(role: str = Role.SHOPPER, username: str | None = None):
        return get_user_model().objects.create_user(
            username=username or f"{role}_{next(_seq)}", password=PASSWORD, role=role
        )

    return make


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR, "catalog_operator")


@pytest.fixture
def supervisor(make_user):
    return make_user(Role.SUPERVISOR, "catalog_supervisor")


@pytest.fixture
def shopper(make_user):
    return make_user(Role.SHOPPER, "catalog_shopper")


@pytest.fixture
def district(db):
    from regionmall.regions.models import Division

    city, _ = Division.objects.get_or_create(
        code="330700", defaults={"name": "金华市", "level": Division.Level.CITY})
    found, _ = Division.objects.get_or_create(
        code="330783",
        defaults={"name": "东阳市", "level": Division.Level.DISTRICT, "parent": city})
    return found


@pytest.fixture
def make_merchant(make_user, operator, district) -> Callable:
    """Owner (a user) of a merchant walked into ``state`` through the merchants services."""
    from regionmall.merchants import services as merchants

    def make(*, sc_licence: bool = False, state: str = "approved", name: str | None = None):
        user = make_user(Role.SHOPPER)
        code = make_uscc()
        merchant = merchants.create_application(user, {
            "subject_type": "company", "company_name": name or f"东阳红木家具厂{next(_seq)}",
            "credit_code": code, "legal_person": "陈建国", "district": district.pk,
            "contact_mobile": "13800138000", "description": "红木家具、茶叶",
        })
        year_ago, next_year = date.today() - timedelta(days=365), date.today() + timedelta(365)
        merchants.add_qualification(user, merchant, "business_licence", code, pdf("l.pdf"),
                                    year_ago, next_year)
        if sc_licence:
            merchants.add_qualification(user, merchant, "sc_food_licence", "SC11633078300001",
                                        pdf("sc.pdf"), year_ago, next_year)
        if state == "draft":
            return user
        merchants.submit(user, merchant)
        merchants.approve(operator, merchant)
        if state == "suspended":
            merchants.suspend(operator, merchant, "销售假冒商品")
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def merchant_owner(make_merchant):
    """Owner of an approved merchant holding a verified SC food licence."""
    return make_merchant(sc_licence=True, name="东阳明清红木家具有限公司")


@pytest.fixture
def merchant(merchant_owner):
    from regionmall.merchants.selectors import merchant_for_user

    return merchant_for_user(merchant_owner)


@pytest.fixture
def other_owner(make_merchant):
    """Owner of a second approved merchant, without an SC licence."""
    return make_merchant(name="安吉白茶合作社")


@pytest.fixture
def other_merchant(other_owner):
    from regionmall.merchants.selectors import merchant_for_user

    return merchant_for_user(other_owner)


def _attr(category: Category, code: str, name: str, type_: str, position: int, **extra):
    return AttributeDefinition.objects.create(
        category=category, code=code, name=name, type=type_, position=position, **extra)


@pytest.fixture
def make_category(db) -> Callable:
    """``make_category(name, slug, parent=None, attributes=[{code, name, type, ...}], **fields)``
    — a category with its own schema rows, written directly (fast, no operator needed)."""

    def make(name: str, slug: str, parent: Category | None = None,
             attributes: list[dict] | None = None, **fields) -> Category:
        category = Category.objects.create(name=name, slug=slug, parent=parent, **fields)
        for position, spec in enumerate(attributes or [], start=1):
            values = {"position": position, **spec}
            AttributeDefinition.objects.create(category=category, **values)
        return category

    return make


@pytest.fixture
def furniture_category(db) -> Category:
    category = Category.objects.create(name="家具", slug="furniture", position=1)
    _attr(category, "material", "材质", AttributeType.CHOICE, 1,
          choices=["红木", "实木", "藤编", "板材"], required=True, filterable=True)
    _attr(category, "length", "长度", AttributeType.NUMBER, 2, unit="cm")
    _attr(category, "style", "风格", AttributeType.CHOICE, 3,
          choices=["新中式", "明式", "清式", "现代"], filterable=True)
    _attr(category, "colour", "颜色", AttributeType.CHOICE, 4,
          choices=["红", "黑", "原木色"], required=True, is_spec_axis=True)
    _attr(category, "size", "尺寸", AttributeType.TEXT, 5, required=True, is_spec_axis=True)
    return category


@pytest.fixture
def produce_category(db) -> Category:
    category = Category.objects.create(
        name="茶叶", slug="tea", position=2,
        required_product_documents=["inspection_report"],
        required_merchant_qualifications=["sc_food_licence"],
    )
    _attr(category, "origin", "产地", AttributeType.TEXT, 1, required=True)
    _attr(category, "grade", "等级", AttributeType.CHOICE, 2,
          choices=["特级", "一级", "二级"], required=True, filterable=True)
    _attr(category, "harvest_date", "采摘日期", AttributeType.DATE, 3)
    _attr(category, "organic", "有机种植", AttributeType.BOOLEAN, 4, filterable=True)
    _attr(category, "weight", "规格", AttributeType.CHOICE, 5,
          choices=["250克", "500克", "1000克"], required=True, is_spec_axis=True)
    return category


@pytest.fixture
def add_inspection_report() -> Callable:
    """Attach a current inspection report to ``product`` (as its owner)."""

    def add(user, product, **overrides):
        from regionmall.catalog.services import products as services

        args = {"kind": "inspection_report", "number": "JC2025-001", "file": pdf(),
                "issued_on": date.today() - timedelta(days=10),
                "expires_on": date.today() + timedelta(days=180)}
        args.update(overrides)
        return services.add_document(user, product, **args)

    return add


@pytest.fixture
def make_product(merchant_owner, furniture_category, district, add_inspection_report):
    """A product through the services: a draft, or on sale with ``publish=True``."""

    def make(owner=None, category=None, *, publish: bool = False, **data):
        from regionmall.catalog.services import products as services
        from regionmall.catalog.services.publishing import required_documents

        owner = owner or merchant_owner
        category = category or furniture_category
        values = {
            "category": category, "name": "东阳红木新中式沙发", "brand": "明清坊",
            "origin": district, "description": "东阳木雕工艺，榫卯结构。", "unit": "套",
            "price_fen": 1280000, "attributes": valid_attributes(category),
        }
        values.update(data)
        product = services.create_product(owner, values)
        if publish:
            services.generate_skus(owner, product)
            for kind in required_documents(category):
                add_inspection_report(owner, product, kind=kind)
            product = services.publish(owner, product)
        return product

    return make
