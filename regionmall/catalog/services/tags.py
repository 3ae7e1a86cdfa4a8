"""Tags: jieba auto-tagging through the TagRule dictionary, and the merchant's decisions.

``suggest_tags`` segments the product's name, description and attribute values with jieba
(``analyse.extract_tags`` for the salient words plus ``cut_for_search`` for every word and
sub-word), and a rule fires when its keyword is one of those tokens — or, for regional names
jieba splits (东阳红木 -> 东阳 / 红木), when the keyword appears verbatim in the name. Each
hit becomes a ``suggested`` ProductTag unless the product already has a row for that tag: a
rejected tag is never suggested again, an accepted one is not touched. Suggestions whose
keyword no longer matches (the merchant renamed the product) are withdrawn.

Only accepted tags are searchable. A compliance tag is a claim (SC licensed, organic...), so
it can be accepted only when the evidence is on file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import jieba
import jieba.analyse
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.catalog.attributes import effective_schema
from regionmall.catalog.models import (
    Product,
    ProductTag,
    ProductTagStatus,
    Tag,
    TagFamily,
    TagRule,
)
from regionmall.catalog.services._access import (
    lock_own_product,
    pk_of,
    product_changed,
    refresh,
)
from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.merchants.selectors import qualifications_of

jieba.setLogLevel(logging.WARNING)

TOP_K = 30
# Evidence for compliance tags, keyed by tag slug (names are aliases): any one of the listed
# sources suffices. ("qualification", kind): the shop holds it verified and current;
# ("document", kind): the product carries it, current; ("attribute", code): the product's
# boolean attribute is true.
EVIDENCE: dict[str, tuple[tuple[str, str], ...]] = {
    "sc": (("qualification", "sc_food_licence"),),
    "ccc": (("qualification", "ccc_certificate"), ("document", "ccc_certificate")),
    "organic": (("attribute", "organic"), ("document", "organic_certificate")),
    "green-food": (("document", "green_food_certificate"),),
}
EVIDENCE_ALIASES = {
    "sc": "sc", "sc认证": "sc", "sc-licence": "sc", "食品生产许可": "sc",
    "3c": "ccc", "3c认证": "ccc", "ccc": "ccc",
    "有机": "organic", "有机食品": "organic", "有机产品": "organic",
    "绿色食品": "green-food", "green-food": "green-food",
}


# --- suggestions ----------------------------------------------------------------------------


def load_rules() -> list[TagRule]:
    """The whole dictionary (small: hundreds of rows). Bulk callers load it once."""
    return list(TagRule.objects.select_related("tag"))


def product_text(product: Product) -> str:
    """Name, description and attribute values (a true boolean contributes its name)."""
    parts = [product.name, product.description]
    names = {d.code: d.name for d in effective_schema(product.category)}
    for code, value in (product.attributes or {}).items():
        if value is True:
            parts.append(names.get(code, ""))
        elif isinstance(value, list):
            parts.extend(str(v) for v in value)
        elif value not in (False, None):
            parts.append(str(value))
    parts.extend(str(item.get("value", "")) for item in product.extra_attributes or [])
    return "\n".join(p for p in parts if p)


def tokens_of(text: str) -> set[str]:
    tokens = set(jieba.analyse.extract_tags(text, topK=TOP_K))
    tokens.update(t.strip() for t in jieba.cut_for_search(text))
    tokens.discard("")
    return {t.lower() for t in tokens}


def match_rules(product: Product, rules: Iterable[TagRule]) -> dict[int, tuple[Tag, str]]:
    """tag id -> (tag, first matching keyword) for every rule that fires on ``product``."""
    tokens = tokens_of(product_text(product))
    name = product.name.lower()
    hits: dict[int, tuple[Tag, str]] = {}
    for rule in rules:
        keyword = rule.keyword.strip().lower()
        if not keyword or rule.tag_id in hits:
            continue
        if keyword in tokens or (len(keyword) >= 2 and keyword in name):
            hits[rule.tag_id] = (rule.tag, rule.keyword)
    return hits


def suggest_tags(product: Product, *, rules: list[TagRule] | None = None) -> list[ProductTag]:
    """Create suggestions for newly matching tags; returns the ones created now."""
    with transaction.atomic():
        hits = match_rules(product, load_rules() if rules is None else rules)
        existing = set(ProductTag.objects.filter(product=product).values_list("tag_id", flat=True))
        ProductTag.objects.filter(product=product, status=ProductTagStatus.SUGGESTED,
                                  source="auto").exclude(tag_id__in=hits).delete()
        fresh = [
            ProductTag(product=product, tag=tag, status=ProductTagStatus.SUGGESTED,
                       source="auto", matched_keyword=keyword[:30])
            for tag_id, (tag, keyword) in hits.items() if tag_id not in existing
        ]
        return ProductTag.objects.bulk_create(fresh)


# --- the merchant's decisions ---------------------------------------------------------------


def accept_tag(user, product_tag: ProductTag | int) -> ProductTag:
    """Accept a suggestion (compliance tags only with evidence on file)."""
    with transaction.atomic():
        found, product = _lock_own_tag(user, product_tag)
        _require_evidence(product, found.tag)
        if found.status != ProductTagStatus.ACCEPTED:
            found.status = ProductTagStatus.ACCEPTED
            found.save(update_fields=["status"])
            product_changed(product.pk)
    refresh(product_tag)
    return found


def reject_tag(user, product_tag: ProductTag | int) -> ProductTag:
    """Reject a suggestion (or drop an accepted tag); it will not be suggested again."""
    with transaction.atomic():
        found, product = _lock_own_tag(user, product_tag)
        was_accepted = found.status == ProductTagStatus.ACCEPTED
        found.status = ProductTagStatus.REJECTED
        found.save(update_fields=["status"])
        if was_accepted:
            product_changed(product.pk)
    refresh(product_tag)
    return found


def add_tag(user, product: Product | int, tag: Tag | int) -> ProductTag:
    """The merchant tags a product by hand (accepted at once, evidence rule included)."""
    with transaction.atomic():
        locked, _merchant = lock_own_product(user, product)
        found_tag = Tag.objects.filter(pk=pk_of(tag)).first()
        if found_tag is None:
            raise NotFound(_("Tag not found."))
        _require_evidence(locked, found_tag)
        row, created = ProductTag.objects.get_or_create(
            product=locked, tag=found_tag,
            defaults={"status": ProductTagStatus.ACCEPTED, "source": "manual"})
        if not created and row.status != ProductTagStatus.ACCEPTED:
            row.status = ProductTagStatus.ACCEPTED
            row.save(update_fields=["status"])
        product_changed(locked.pk)
    return row


def _lock_own_tag(user, product_tag: ProductTag | int) -> tuple[ProductTag, Product]:
    product_id = (ProductTag.objects.filter(pk=pk_of(product_tag))
                  .values_list("product_id", flat=True).first())
    if product_id is None:
        raise NotFound(_("Tag not found."))
    product, _merchant = lock_own_product(user, product_id)
    found = ProductTag.objects.select_related("tag").get(pk=pk_of(product_tag))
    return found, product


# --- compliance evidence --------------------------------------------------------------------


def evidence_rule(tag: Tag) -> str | None:
    """The EVIDENCE key for a compliance tag (by slug, then by name), or None."""
    for key in (tag.slug.lower(), tag.name.strip().lower()):
        if key in EVIDENCE_ALIASES:
            return EVIDENCE_ALIASES[key]
    return None


def has_evidence(product: Product, tag: Tag) -> bool:
    """Whether a compliance claim is backed (non-compliance tags always are)."""
    if tag.family != TagFamily.COMPLIANCE:
        return True
    rule = evidence_rule(tag)
    if rule is None:
        return False
    current = Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())
    for source, kind in EVIDENCE[rule]:
        if source == "attribute" and (product.attributes or {}).get(kind) is True:
            return True
        if source == "document" and product.documents.filter(current, kind=kind).exists():
            return True
        if source == "qualification" and qualifications_of(product.merchant).filter(
                current, kind=kind, verified=True).exists():
            return True
    return False


def _require_evidence(product: Product, tag: Tag) -> None:
    if has_evidence(product, tag):
        return
    message = _("%(tag)s is a compliance claim: %(needed)s") % {
        "tag": tag.name, "needed": _evidence_hint(tag)}
    raise ValidationFailed(message, code="tag_evidence_missing", fields={"tag": [message]})


def _evidence_hint(tag: Tag) -> Any:
    hints = {
        "sc": _("it needs your shop's verified, current SC food production licence."),
        "ccc": _("it needs a CCC certificate for the shop or the product."),
        "organic": _("mark the product organic or upload an organic certificate."),
        "green-food": _("upload a green food certificate for the product."),
    }
    return hints.get(evidence_rule(tag) or "", _("only the platform can confirm this tag."))
