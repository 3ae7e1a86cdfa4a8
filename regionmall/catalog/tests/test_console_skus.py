"""The SKU matrix editor: generate from spec values, edit every SKU and its tiers in one POST,
all-or-nothing with errors on the failing cells."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regionmall.catalog.models import Sku, TierPrice
from regionmall.catalog.services import products as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_skus(make_product, merchant_owner):
    product = make_product()
    services.generate_skus(merchant_owner, product)
    return product


def matrix_post(product, **overrides) -> dict:
    """Every SKU as it is, with one ``10件起`` tier each; ``overrides`` keyed by field name."""
    data: dict = {}
    for n, sku in enumerate(product.skus.order_by("id"), start=1):
        p = f"sku-{sku.pk}"
        data.update({f"{p}-code": f"HM-{n:02d}", f"{p}-barcode": "", f"{p}-price": "12000.00",
                     f"{p}-weight_g": "35000", f"{p}-volume_cm3": "900000",
                     f"{p}-is_active": "on", f"{p}-tier_qty": ["10"],
                     f"{p}-tier_price": ["11500.00"]})
    data.update(overrides)
    return data


def test_generate_then_matrix_shows_one_row_per_combination(client, merchant_owner,
                                                            make_product):
    product = make_product()
    client.force_login(merchant_owner)
    empty = client.get(reverse("catalog:merchant_skus", args=[product.pk]))
    assert empty.context["rows"] == []
    generate = client.post(reverse("catalog:merchant_skus_generate", args=[product.pk]))
    assert generate.status_code == 302
    page = client.get(reverse("catalog:merchant_skus", args=[product.pk]))
    labels = sorted(" / ".join(row.labels) for row in page.context["rows"])
    assert labels == ["红 / 1.8米", "红 / 2米", "黑 / 1.8米", "黑 / 2米"]
    assert "红 / 1.8米" in page.content.decode()


def test_generate_refusal_names_the_missing_axis(client, merchant_owner, make_product):
    product = make_product(attributes={"material": "红木", "colour": ["红"]})  # no size
    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_skus_generate", args=[product.pk]),
                           follow=True)
    assert "尺寸" in response.content.decode()
    assert not Sku.objects.filter(product=product).exists()


def test_saving_all_rows_with_tiers(client, merchant_owner, with_skus):
    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_skus", args=[with_skus.pk]),
                           matrix_post(with_skus))
    assert response.status_code == 302, response.content.decode()[:3000]
    skus = list(with_skus.skus.order_by("id"))
    assert [s.code for s in skus] == ["HM-01", "HM-02", "HM-03", "HM-04"]
    assert {s.price_fen for s in skus} == {1200000} and {s.weight_g for s in skus} == {35000}
    assert TierPrice.objects.filter(sku__product=with_skus).count() == 4
    assert set(TierPrice.objects.values_list("min_quantity", "price_fen")) == {(10, 1150000)}
    with_skus.refresh_from_db()
    assert with_skus.min_price_fen == 1200000


def test_one_bad_price_saves_nothing_and_marks_the_cell(client, merchant_owner, with_skus):
    before = list(Sku.objects.filter(product=with_skus).order_by("id")
                  .values_list("code", "price_fen"))
    third = with_skus.skus.order_by("id")[2]
    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_skus", args=[with_skus.pk]),
                           matrix_post(with_skus, **{f"sku-{third.pk}-price": "十二"}))
    assert response.status_code == 422
    rows = {row.sku.pk: row for row in response.context["rows"]}
    assert "price" in rows[third.pk].form.errors
    assert all(not row.form.errors for pk, row in rows.items() if pk != third.pk)
    after = list(Sku.objects.filter(product=with_skus).order_by("id")
                 .values_list("code", "price_fen"))
    assert after == before and not TierPrice.objects.exists()
    body = response.content.decode()
    assert "Nothing was saved" in body or "未保存" in body
    assert 'value="HM-01"' in body  # what was typed is kept


def test_a_refusal_from_the_service_rolls_back_earlier_rows(client, merchant_owner, with_skus):
    """Rows 1-3 pass the form and the service; row 4's tier is above its price, which only
    the service knows: rows 1-3 must be rolled back too."""
    fourth = with_skus.skus.order_by("id")[3]
    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_skus", args=[with_skus.pk]), matrix_post(
        with_skus, **{f"sku-{fourth.pk}-tier_price": ["13000.00"]}))
    assert response.status_code == 422
    row = next(r for r in response.context["rows"] if r.sku.pk == fourth.pk)
    assert row.tier_errors
    assert not Sku.objects.filter(code__startswith="HM-").exists()
    assert not TierPrice.objects.exists()


def test_duplicate_codes_in_one_post_are_marked(client, merchant_owner, with_skus):
    first, second = with_skus.skus.order_by("id")[:2]
    client.force_login(merchant_owner)
    response = client.post(reverse("catalog:merchant_skus", args=[with_skus.pk]), matrix_post(
        with_skus, **{f"sku-{first.pk}-code": "SAME", f"sku-{second.pk}-code": "SAME"}))
    assert response.status_code == 422
    flagged = [r for r in response.context["rows"] if "code" in r.form.errors]
    assert {r.sku.pk for r in flagged} == {first.pk, second.pk}


def test_lowering_price_and_tiers_together_is_accepted(client, merchant_owner, with_skus):
    client.force_login(merchant_owner)
    url = reverse("catalog:merchant_skus", args=[with_skus.pk])
    assert client.post(url, matrix_post(with_skus)).status_code == 302
    cheaper = {}
    for sku in with_skus.skus.all():
        cheaper[f"sku-{sku.pk}-price"] = "9000"
        cheaper[f"sku-{sku.pk}-tier_price"] = ["8500"]
    response = client.post(url, matrix_post(with_skus, **cheaper))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(TierPrice.objects.values_list("price_fen", flat=True)) == {850000}
