"""Merchants onboarded at the channels as sub-merchants (WeChat Pay ``sub_mchid``, Alipay
royalty receiver, a citizen-card merchant id).

Why verify: in channel mode the channel pays the merchant's share straight into the account
behind the sub-merchant id. A mistyped or borrowed id would send a merchant's money to
someone else, so an id only becomes VERIFIED when the channel's own record of it (registered
name and unified social credit code) matches our merchant record; otherwise it is REJECTED
with the reason. Operators register and verify; merchants see their own.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.core.errors import Conflict, NotFound, ValidationFailed
from regionmall.merchants.selectors import merchant_for_viewer
from regionmall.payments.channels import registry
from regionmall.payments.channels.base import ChannelError
from regionmall.payments.models import SubMerchant, SubMerchantState

_ID = re.compile(r"^[A-Za-z0-9_\-]{4,64}$")


def normalise_name(name: str) -> str:
    """Compare names as the registries write them: full-width and half-width brackets and
    letters are the same (NFKC), spaces do not count."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name or ""))).upper()


def verified_id(merchant_id: int, channel: str) -> str | None:
    """The merchant's verified sub-merchant id at ``channel`` (the gateway's check)."""
    return (SubMerchant.objects.filter(merchant_id=merchant_id, channel=channel,
                                       state=SubMerchantState.VERIFIED)
            .values_list("sub_merchant_id", flat=True).first())


def register(operator, merchant_id: int, channel: str, sub_merchant_id: str) -> SubMerchant:
    """Record (or change) a merchant's sub-merchant id at a channel; it starts PENDING."""
    require_role(operator, Role.OPERATOR)
    merchant = merchant_for_viewer(operator, int(merchant_id))
    if merchant is None:
        raise NotFound(_("No such merchant."))
    channel = str(channel or "").strip()
    sub_id = str(sub_merchant_id or "").strip()
    errors: dict[str, list[str]] = {}
    if channel not in registry.enabled_codes():
        errors["channel"] = [_("Choose a channel this deployment uses.")]
    if not _ID.match(sub_id):
        errors["sub_merchant_id"] = [_("4 to 64 letters, digits, - or _.")]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    try:
        with transaction.atomic():
            row, created = SubMerchant.objects.select_for_update().get_or_create(
                merchant_id=merchant.pk, channel=channel,
                defaults={"sub_merchant_id": sub_id})
            if not created and row.sub_merchant_id != sub_id:
                row.sub_merchant_id = sub_id
                row.state = SubMerchantState.PENDING
                row.registered_name = row.registered_credit_code = row.note = ""
                row.verified_at = None
                row.save()
    except IntegrityError:
        raise Conflict(_("This sub-merchant id is already registered for another merchant."),
                       code="sub_merchant_taken",
                       fields={"sub_merchant_id": [_("Already in use.")]}) from None
    return row


def verify(operator, submerchant_id: int) -> SubMerchant:
    """Ask the channel what it has on file for the id and compare it with the merchant
    record. The channel call happens outside any transaction."""
    require_role(operator, Role.OPERATOR)
    row = SubMerchant.objects.select_related("merchant").filter(pk=submerchant_id).first()
    if row is None:
        raise NotFound(_("No such sub-merchant."))
    try:
        info = registry.get(row.channel).sub_merchant_info(row.sub_merchant_id)
    except ChannelError as exc:
        state, note, name, code = SubMerchantState.REJECTED, str(exc.message), "", ""
    else:
        name, code = info.name, info.credit_code
        merchant = row.merchant
        reasons = []
        if not info.active:
            reasons.append(_("the channel reports this sub-merchant as inactive"))
        if normalise_name(info.name) != normalise_name(merchant.company_name):
            reasons.append(_("registered name “%(theirs)s” differs from “%(ours)s”")
                           % {"theirs": info.name, "ours": merchant.company_name})
        if (str(info.credit_code or "").strip().upper()
                != str(merchant.credit_code or "").strip().upper()):
            reasons.append(_("credit code “%(theirs)s” differs from “%(ours)s”")
                           % {"theirs": info.credit_code or "—",
                              "ours": merchant.credit_code or "—"})
        state = SubMerchantState.REJECTED if reasons else SubMerchantState.VERIFIED
        note = "; ".join(str(r) for r in reasons)
    with transaction.atomic():
        row = SubMerchant.objects.select_for_update().get(pk=row.pk)
        row.state = state
        row.note = note[:200]
        row.registered_name = str(name or "")[:100]
        row.registered_credit_code = str(code or "")[:18]
        row.verified_at = timezone.now() if state == SubMerchantState.VERIFIED else None
        row.save()
    return row
