"""Platform commission per category, in basis points (500 = 5 %).

A category without its own rate uses its nearest ancestor's, then the deployment default
``REGIONMALL_COMMISSION_BP``. Rates apply when a split is computed (after the after-sales
window), and each split stores the rates it used in ``Split.detail``, so changing a rate
never changes what an already-settled order paid.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.catalog.lookups import category_parents
from regionmall.core.errors import NotFound, ValidationFailed
from regionmall.payments.models import CommissionRate
from regionmall.payments.splitting import BP


def default_rate() -> int:
    return int(getattr(settings, "REGIONMALL_COMMISSION_BP", 500))


def own_rates() -> dict[int, int]:
    """``{category_id: rate_bp}`` for the categories that have their own rate."""
    return dict(CommissionRate.objects.values_list("category_id", "rate_bp"))


def rates_for(category_ids: Iterable[int | None]) -> dict[int | None, int]:
    """The effective rate of each category (ancestor fallback, then the default), in two
    queries however deep the tree or many the categories."""
    own = own_rates()
    parents = category_parents()
    fallback = default_rate()
    result: dict[int | None, int] = {}
    for category_id in set(category_ids):
        current, seen = category_id, set()
        rate = fallback
        while current is not None and current not in seen:
            if current in own:
                rate = own[current]
                break
            seen.add(current)
            current = parents.get(current)
        result[category_id] = rate
    return result


def rate_for(category_id: int | None) -> int:
    return rates_for([category_id])[category_id]


def clean_rate(raw) -> int | None:
    """A rate in basis points from a form or API value; "" / None means "inherit"."""
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = -1
    if not 0 <= value <= BP:
        raise ValidationFailed(_("Please correct the marked fields."), fields={
            "rate_bp": [_("A rate is 0 to 10000 basis points (0 % to 100 %).")]})
    return value


def set_rate(operator, category_id: int, rate_bp) -> int | None:
    """An operator sets a category's own rate (None / "" removes it: the category inherits
    again). Returns the stored rate or None."""
    require_role(operator, Role.OPERATOR)
    rate = clean_rate(rate_bp)
    if category_id not in category_parents():
        raise NotFound(_("No such category."))
    with transaction.atomic():
        if rate is None:
            CommissionRate.objects.filter(category_id=category_id).delete()
        else:
            CommissionRate.objects.update_or_create(category_id=category_id,
                                                    defaults={"rate_bp": rate})
    return rate
