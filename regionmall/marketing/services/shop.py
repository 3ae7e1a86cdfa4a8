"""The caller's shop, for merchant-side marketing use cases (rebates, campaigns)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import MERCHANT_ROLES
from regionmall.core.errors import NotFound
from regionmall.merchants.selectors import merchant_for_user


def open_shop_of(user):
    """The approved merchant ``user`` owns or works for: a 403 for other roles, a 404 when
    the shop is not (or no longer) open."""
    require_role(user, *MERCHANT_ROLES)
    merchant = merchant_for_user(user)
    if merchant is None or merchant.state != "approved":
        raise NotFound(_("You have no open shop."))
    return merchant
