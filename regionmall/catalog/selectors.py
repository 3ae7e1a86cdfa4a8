"""Read-only catalog queries for pages, the API and other centres.

Each selector loads what its page shows in a fixed number of queries (select_related and
prefetches), so a product with 200 SKUs costs no more round trips than one with two.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import Role
from regionmall.catalog.attributes import effective_schema
from regionmall.catalog.models import (
    AttributeDefinition,
    Category,
    Product,
    ProductDocument,
    ProductState,
    ProductTag,
    ProductTagStatus,
    Sku,
    Tag,
    TierPrice,
)
from regionmall.merchants.selectors import merchant_for_user

_TREE_DEPTH = 4  # children prefetched this many levels down (trees here are 2-4 deep)


# --- categories and schemas -----------------------------------------------------------------


def category_tree(*, include_inactive: bool = False) -> list[Category]:
    """Root categories with ``children`` prefetched a few levels deep (active only unless
    asked: the storefront hides retired categories, the operator's editor shows them)."""
    qs = Category.objects.all() if include_inactive else Category.objects.filter(is_active=True)
    lookups = []
    path = ""
    for _ in range(_TREE_DEPTH):
        path = f"{path}__children" if path else "children"
        lookups.append(Prefetch(path, queryset=qs.order_by("position", "id")))
    return list(qs.filter(parent__isnull=True).prefetch_related(*lookups))


def categories_with_schema(*, include_inactive: bool = False) -> list[Category]:
    """Every category, tree order, each with ``.schema`` (its effective schema, inherited
    definitions included) and ``.depth`` — in two queries, not one per level per category."""
    qs = Category.objects.all() if include_inactive else Category.objects.filter(is_active=True)
    categories = list(qs.order_by("position", "id"))
    by_pk = {c.pk: c for c in categories}
    own: dict[int, list[AttributeDefinition]] = {}
    for definition in AttributeDefinition.objects.filter(category_id__in=by_pk):
        own.setdefault(definition.category_id, []).append(definition)
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        parent = category.parent_id if category.parent_id in by_pk else None
        children.setdefault(parent, []).append(category)
    ordered: list[Category] = []

    def walk(parent: int | None, inherited: list[AttributeDefinition], depth: int) -> None:
        for category in children.get(parent, []):
            by_code = {d.code: d for d in inherited}
            for definition in sorted(own.get(category.pk, []), key=lambda d: (d.position, d.pk)):
                by_code.pop(definition.code, None)
                by_code[definition.code] = definition
            category.schema = list(by_code.values())
            category.depth = depth
            ordered.append(category)
            if depth < 20:  # a corrupt cycle cannot recurse forever
                walk(category.pk, category.schema, depth + 1)

    walk(None, [], 0)
    return ordered


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug, is_active=True).first()


def schema_for(category: Category) -> list[AttributeDefinition]:
    return effective_schema(category)


def tags(family: str | None = None) -> QuerySet[Tag]:
    qs = Tag.objects.all()
    return qs.filter(family=family) if family else qs


# --- products -------------------------------------------------------------------------------


def merchant_of(user) -> Any:
    """The shop ``user`` works for, or None."""
    return merchant_for_user(user)


def products_of_merchant(merchant, state: str | None = None) -> QuerySet[Product]:
    """The shop's products for its console list, newest first."""
    if merchant is None:
        return Product.objects.none()
    qs = Product.objects.filter(merchant_id=merchant.pk).select_related("category", "origin")
    return qs.filter(state=state) if state else qs


def _skus_with_tiers(active_only: bool) -> Prefetch:
    skus = Sku.objects.filter(is_active=True) if active_only else Sku.objects.all()
    skus = skus.order_by("id").prefetch_related(
        Prefetch("tier_prices", queryset=TierPrice.objects.order_by("min_quantity")))
    return Prefetch("skus", queryset=skus)


def product_for_owner(user, pk: Any) -> Product | None:
    """One of ``user``'s shop's products with everything the editor shows (None otherwise)."""
    merchant = merchant_for_user(user)
    if merchant is None or not str(pk).isdigit():
        return None
    return (
        Product.objects.filter(pk=pk, merchant_id=merchant.pk)
        .select_related("category", "origin", "merchant")
        .prefetch_related(
            _skus_with_tiers(active_only=False), "images", "documents",
            Prefetch("product_tags", queryset=ProductTag.objects.select_related("tag")
                     .order_by("status", "tag__family", "tag__name")))
        .first()
    )


def public_product(pk: Any) -> Product | None:
    """A product on sale, as the product page shows it: active SKUs with tier prices,
    accepted tags, gallery, current documents, category, origin, merchant."""
    if not str(pk).isdigit():
        return None
    return (
        Product.objects.filter(pk=pk, state=ProductState.ON_SALE)
        .select_related("category", "origin", "merchant", "merchant__district")
        .prefetch_related(
            _skus_with_tiers(active_only=True), "images",
            Prefetch("documents", queryset=ProductDocument.objects.order_by("kind", "id")),
            Prefetch("product_tags", to_attr="accepted_tags",
                     queryset=ProductTag.objects.filter(status=ProductTagStatus.ACCEPTED)
                     .select_related("tag").order_by("tag__family", "tag__name")))
        .first()
    )


def product_for_staff(user, pk: Any) -> Product | None:
    """Any product, for platform operators and government supervisors (None for others)."""
    if not has_role(user, [Role.OPERATOR, Role.SUPERVISOR]) or not str(pk).isdigit():
        return None
    return (Product.objects.filter(pk=pk).select_related("category", "origin", "merchant")
            .prefetch_related(_skus_with_tiers(active_only=False), "documents").first())


def review_queue() -> QuerySet[Product]:
    """Products waiting for an operator, oldest change first (nobody waits behind newer)."""
    return (Product.objects.filter(state=ProductState.PENDING_REVIEW)
            .select_related("category", "merchant").order_by("updated_at", "id"))


def taken_down_products() -> QuerySet[Product]:
    return (Product.objects.filter(state=ProductState.TAKEN_DOWN)
            .select_related("category", "merchant").order_by("-updated_at", "-id"))


def tag_suggestions(product: Product) -> QuerySet[ProductTag]:
    """A product's tag rows (suggested first), for the merchant to accept or reject."""
    return (ProductTag.objects.filter(product_id=product.pk).select_related("tag")
            .order_by("status", "tag__family", "tag__name"))


def state_history(product: Product) -> QuerySet:
    return product.state_logs.select_related("actor")
