"""Export a merchant's catalogue to Excel: one sheet per category, the template's columns.

An export re-imports as it is (its hidden ``_meta`` sheet names each sheet's category), which
is how a merchant copies a catalogue, or edits prices in bulk and imports the result as new
drafts. Read-only: nothing is written, so no transaction is needed.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.utils import timezone

from regionmall.catalog.importing.columns import columns_for
from regionmall.catalog.importing.exporting import product_rows
from regionmall.catalog.importing.workbook import XLSX_TYPE, SheetBook
from regionmall.catalog.models import Category, Product, Sku, TierPrice
from regionmall.catalog.services._access import acting_merchant
from regionmall.regions.models import Division


def export_catalogue(user) -> tuple[bytes, str, str]:
    """(workbook bytes, file name, content type) of every product of ``user``'s shop."""
    merchant = acting_merchant(user)
    return export_for_merchant(merchant.pk), export_name(), XLSX_TYPE


def export_name() -> str:
    return f"catalogue-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def export_for_merchant(merchant_id: int) -> bytes:
    products = Product.objects.filter(merchant_id=merchant_id)
    category_ids = list(products.order_by().values_list("category_id", flat=True).distinct())
    categories = Category.objects.filter(pk__in=category_ids).order_by("position", "id")
    origin_ids = set(products.exclude(origin=None).values_list("origin_id", flat=True))
    origins = _origin_labels(origin_ids)
    book = SheetBook()
    active = Sku.objects.filter(is_active=True).order_by("id").prefetch_related(
        Prefetch("tier_prices", queryset=TierPrice.objects.order_by("min_quantity")))
    for category in categories:
        _schema, columns = columns_for(category)
        queryset = (products.filter(category=category).order_by("id")
                    .prefetch_related(Prefetch("skus", queryset=active, to_attr="active_skus")))

        def rows(queryset=queryset, columns=columns):
            for product in queryset.iterator(chunk_size=500):
                yield from product_rows(product, columns, origins)

        book.product_sheet(category, columns, rows())
    return book.finish()


def _origin_labels(origin_ids: set[int]) -> dict[int, str]:
    """The district's name, or its code when another district has the same name."""
    found = list(Division.objects.filter(pk__in=origin_ids).values_list("pk", "code", "name"))
    names = {name for _pk, _code, name in found}
    shared = set(Division.objects.filter(level=Division.Level.DISTRICT, name__in=names)
                 .values("name").annotate(n=Count("id")).filter(n__gt=1)
                 .values_list("name", flat=True))
    return {pk: code if name in shared else name for pk, code, name in found}
