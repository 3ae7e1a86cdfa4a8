"""Publishing rules and the product state machine.

draft/off_sale --publish--> on_sale, or pending_review when the category (or an ancestor)
requires review; pending_review --approve--> on_sale / --reject--> draft; on_sale
--take_off_sale--> off_sale; on_sale/off_sale/pending_review --take_down (supervision, with a
reason)--> taken_down --restore (operator)--> off_sale.

Every move locks the product row, re-reads the state under the lock, asks the model's
transition whether it may proceed (so two actors at once cannot both succeed), logs a
:class:`ProductStateLog`, publishes its own event and ``catalog.product_changed``.

Publishing refuses a product with gaps, naming each: required attributes, product documents
(current, e.g. an inspection report), the shop's qualifications (verified and current, e.g.
the SC food licence), SKUs, price, and a shop that is not approved.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.catalog.attributes import ancestry, effective_schema, validate_attributes
from regionmall.catalog.models import Category, Product, ProductState, ProductStateLog
from regionmall.catalog.services._access import (
    MERCHANT_APPROVED,
    fail,
    lock_own_product,
    lock_product,
    product_changed,
    refresh,
)
from regionmall.catalog.services.schema import DOCUMENT_KINDS, QUALIFICATION_KINDS
from regionmall.catalog.services.skus import combinations, spec_key
from regionmall.core.errors import IllegalTransition, ValidationFailed
from regionmall.core.events import publish as publish_event
from regionmall.merchants.selectors import qualifications_of

MAX_REASON = 500
ACTION_LABELS = {
    "publish": gettext_lazy("publish"),
    "submit_for_review": gettext_lazy("publish"),
    "put_on_sale": gettext_lazy("put on sale"),
    "send_back": gettext_lazy("reject"),
    "take_off_sale": gettext_lazy("take off sale"),
    "take_down": gettext_lazy("take down"),
    "restore": gettext_lazy("restore"),
}


# --- what a category demands (inherited from its ancestors) ---------------------------------


def requires_review(category: Category) -> bool:
    return any(c.requires_review for c in ancestry(category))


def required_documents(category: Category, chain: list[Category] | None = None) -> list[str]:
    """Product document kinds ``category`` and its ancestors demand (pass ``chain`` =
    ``ancestry(category)`` when you already have it)."""
    return _union(c.required_product_documents for c in chain or ancestry(category))


def required_qualifications(category: Category,
                            chain: list[Category] | None = None) -> list[str]:
    return _union(c.required_merchant_qualifications for c in chain or ancestry(category))


def _union(lists) -> list[str]:
    out: dict[str, None] = {}
    for kinds in lists:
        out.update(dict.fromkeys(kinds or []))
    return list(out)


# --- the publishing check -------------------------------------------------------------------


def publishing_gaps(product: Product) -> dict[str, list[str]]:
    """field -> localised messages naming what keeps ``product`` off sale (empty: ready)."""
    gaps: dict[str, list[str]] = {}
    category = product.category
    merchant = product.merchant
    if not category.is_active:
        fail(gaps, "category", _("This category is no longer in use."))
    if merchant.state != MERCHANT_APPROVED:
        fail(gaps, "merchant", _("Your shop is %(state)s; its products cannot go on sale.")
             % {"state": _merchant_state_label(merchant.state)})
    schema = effective_schema(category)
    codes = {d.code for d in schema}
    try:
        validate_attributes(schema, {k: v for k, v in product.attributes.items() if k in codes},
                            for_publish=True)
    except ValidationFailed as exc:
        for field, messages in exc.fields.items():
            for message in messages:
                fail(gaps, field, message)
    if product.price_fen <= 0:
        fail(gaps, "price_fen", _("Set a price."))
    _sku_gaps(product, gaps)
    chain = ancestry(category)
    today = timezone.localdate()
    current = Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    held = set(product.documents.filter(current).values_list("kind", flat=True))
    for kind in required_documents(category, chain):
        if kind not in held:
            fail(gaps, "documents", _("Missing document: %(kind)s (current, for this product).")
                 % {"kind": DOCUMENT_KINDS.get(kind, kind)})
    verified = set(qualifications_of(merchant).filter(current, verified=True)
                   .values_list("kind", flat=True))
    for kind in required_qualifications(category, chain):
        if kind not in verified:
            fail(gaps, "qualifications",
                 _("Missing shop qualification: %(kind)s (verified and current).")
                 % {"kind": QUALIFICATION_KINDS.get(kind, kind)})
    return gaps


def _sku_gaps(product: Product, gaps: dict[str, list[str]]) -> None:
    active = list(product.skus.filter(is_active=True).values_list("spec_key", flat=True))
    if not active:
        fail(gaps, "skus", _("No active SKU: generate the SKUs first."))
        return
    try:
        wanted = {spec_key(spec) for spec in combinations(product)}
    except ValidationFailed:
        return  # the missing spec values are already reported as attribute gaps
    if any(key not in wanted for key in active):
        fail(gaps, "skus", _("The SKUs no longer match the spec values; generate them again."))


def _merchant_state_label(state: str) -> str:
    labels = {"suspended": _("suspended"), "draft": _("not open yet"),
              "submitted": _("under review"), "rejected": _("not approved")}
    return str(labels.get(state, state))


# --- moves ----------------------------------------------------------------------------------


def publish(user, product: Product | int) -> Product:
    """Put a complete draft (or off-sale product) on sale, or into the review queue."""
    with transaction.atomic():
        locked, _merchant = lock_own_product(user, product)
        if locked.state not in (ProductState.DRAFT, ProductState.OFF_SALE):
            _illegal(locked, "publish")
        _refuse_gaps(locked)
        if requires_review(locked.category):
            _move(locked, "submit_for_review", user, topic="catalog.product_submitted")
        else:
            _move(locked, "put_on_sale", user, topic="catalog.product_published")
    refresh(product)
    return locked


def take_off_sale(user, product: Product | int) -> Product:
    """The merchant withdraws a product from sale (a suspended shop may too)."""
    with transaction.atomic():
        locked, _merchant = lock_own_product(user, product)
        _move(locked, "take_off_sale", user, topic="catalog.product_off_sale")
    refresh(product)
    return locked


def approve_review(operator, product: Product | int) -> Product:
    """An operator lets a reviewed product go on sale; the gaps are checked again."""
    require_role(operator, Role.OPERATOR)
    with transaction.atomic():
        locked = lock_product(product)
        if locked.state != ProductState.PENDING_REVIEW:
            _illegal(locked, "put_on_sale")
        _refuse_gaps(locked)
        _move(locked, "put_on_sale", operator, topic="catalog.product_published")
    refresh(product)
    return locked


def reject_review(operator, product: Product | int, reason: str) -> Product:
    """Send a reviewed product back to draft; the merchant sees the reason."""
    require_role(operator, Role.OPERATOR)
    with transaction.atomic():
        locked = lock_product(product)
        reason = _clean_reason(reason)
        _move(locked, "send_back", operator, reason, topic="catalog.product_rejected")
    refresh(product)
    return locked


def take_down(actor, product: Product | int, reason: str) -> Product:
    """Supervision removes a product from sale (a counterfeit, a false claim), with a reason."""
    require_role(actor, Role.SUPERVISOR, Role.OPERATOR)
    with transaction.atomic():
        locked = lock_product(product)
        reason = _clean_reason(reason)
        locked.takedown_reason = reason
        _move(locked, "take_down", actor, reason, topic="catalog.product_taken_down")
    refresh(product)
    return locked


def restore(operator, product: Product | int, reason: str) -> Product:
    """An operator lifts a takedown; the product comes back off sale, for the merchant to
    publish again once fixed."""
    require_role(operator, Role.OPERATOR)
    with transaction.atomic():
        locked = lock_product(product)
        reason = _clean_reason(reason)
        locked.takedown_reason = ""
        _move(locked, "restore", operator, reason, topic="catalog.product_restored")
    refresh(product)
    return locked


def _refuse_gaps(product: Product) -> None:
    gaps = publishing_gaps(product)
    if gaps:
        summary = " ".join(m for messages in gaps.values() for m in messages)
        raise ValidationFailed(_("The product cannot go on sale yet: %(missing)s")
                               % {"missing": summary}, code="product_incomplete", fields=gaps)


def _illegal(product: Product, action: str) -> None:
    raise IllegalTransition(
        _("Cannot %(action)s a product that is %(state)s.")
        % {"action": ACTION_LABELS[action], "state": ProductState(product.state).label})


def _move(product: Product, action: str, actor, reason: str = "", *, topic: str) -> None:
    transition = getattr(product, action)
    if not can_proceed(transition):
        _illegal(product, action)
    from_state = product.state
    transition()
    if product.state == ProductState.ON_SALE:
        product.published_at = timezone.now()
    product.save()
    ProductStateLog.objects.create(product=product, from_state=from_state,
                                   to_state=product.state, actor=actor, reason=reason)
    payload: dict[str, Any] = {
        "product_id": product.pk, "merchant_id": product.merchant_id,
        "from_state": from_state, "to_state": product.state,
        "actor_id": getattr(actor, "pk", None), "reason": reason,
    }
    publish_event(topic, payload)
    product_changed(product.pk)


def _clean_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(_("Give a reason."),
                               fields={"reason": [_("This field is required.")]})
    if len(text) > MAX_REASON:
        message = _("At most %(n)d characters.") % {"n": MAX_REASON}
        raise ValidationFailed(_("The reason is too long."), fields={"reason": [message]})
    return text
