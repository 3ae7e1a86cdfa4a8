"""The roles a user can hold; other centres import this, never accounts.models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SHOPPER = "shopper", _("Shopper")
    ENTERPRISE_BUYER = "enterprise_buyer", _("Enterprise buyer")
    MERCHANT_OWNER = "merchant_owner", _("Merchant owner")
    MERCHANT_STAFF = "merchant_staff", _("Merchant staff")
    OPERATOR = "operator", _("Platform operator")
    SUPERVISOR = "supervisor", _("Government supervisor")
    WAREHOUSE = "warehouse", _("Warehouse staff")
    COURIER = "courier", _("Courier")


MERCHANT_ROLES = frozenset({Role.MERCHANT_OWNER, Role.MERCHANT_STAFF})
BUYER_ROLES = frozenset({Role.SHOPPER, Role.ENTERPRISE_BUYER})
