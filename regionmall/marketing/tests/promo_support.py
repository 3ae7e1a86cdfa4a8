"""Helpers of the promotion and coupon tests: promotions and coupons created through the
real services (a merchant's owner for shop offers, an operator for the platform's), carts
priced through trade's real pipeline with marketing's hooks registered."""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from regionmall.accounts.roles import Role
from regionmall.marketing.services import coupons as coupon_services
from regionmall.marketing.services import promotions as promotion_services
from regionmall.testing.factories import make_user
from regionmall.trade.pricing import LineRequest, PricingContext, price_lines
from regionmall.trade.tests.orders_support import (  # noqa: F401 - re-exported
    buyer,
    fast_hashing,
    key,
    place,
    shop,
)

NEVER_FREE = {"free_shipping_threshold_fen": 10_000_000, "base_shipping_fen": 800}



def model(app: str, name: str):
    """Another centre's table, for set-up and assertions (marketing code never imports
    other centres' models; tests read them through the app registry)."""
    return apps.get_model(app, name)


def operator():
    return make_user(Role.OPERATOR)


def window(**changes) -> dict:
    now = timezone.now()
    data = {"starts_at": (now - timedelta(hours=1)).isoformat(),
            "ends_at": (now + timedelta(days=7)).isoformat()}
    data.update(changes)
    return data


def shop_promo(owner, kind: str, **fields):
    """A merchant's promotion through the service (scope: the whole shop by default)."""
    data = {"name": fields.pop("name", "店庆"), "kind": kind, "scope": "all", **window()}
    data.update(fields)
    return promotion_services.create_promotion(owner, data)


def platform_promo(kind: str, *, by=None, **fields):
    data = {"name": fields.pop("name", "平台大促"), "kind": kind, "scope": "all", **window()}
    data.update(fields)
    return promotion_services.create_promotion(by or operator(), data, platform=True)


def coupon_template(owner=None, *, platform: bool = False, by=None, claim: bool = True,
                    **fields):
    """A campaign with one coupon kind; 满50减5 valid 7 days after claiming by default."""
    now = timezone.now()
    template = {"kind": "amount", "amount_off_fen": 500, "threshold_fen": 5_000,
                "valid_days": 7, "total_quantity": 100, "per_user_limit": 1}
    template.update(fields)
    user = by or (operator() if platform else owner)
    campaign = coupon_services.create_campaign(
        user, {"name": "领券中心", "claim_starts_at": (now - timedelta(hours=1)).isoformat(),
               "claim_ends_at": (now + timedelta(days=3)).isoformat()},
        platform=platform, templates=[template])
    return campaign.templates.get()


def priced(*lines, user=None, district: str | None = "330783", coupon_ids=None, **ctx):
    extras = {} if coupon_ids is None else {"coupon_ids": list(coupon_ids)}
    context = PricingContext(buyer=user, district_code=district, extras=extras, **ctx)
    return price_lines(context, [LineRequest(sku.pk, qty) for sku, qty in lines])


def steps(group) -> list[tuple[str, int]]:
    """The group's order-level steps as (label, amount) without shipping."""
    return [(a.label, a.amount_fen) for a in group.adjustments if a.kind != "shipping"]


def never_free(merchant) -> None:
    model("trade", "MerchantTerms").objects.update_or_create(merchant=merchant,
                                                              defaults=NEVER_FREE)


def invariants(cart) -> None:
    """Trade's pipeline invariants (the same as trade's own pricing tests)."""
    for group in cart.groups:
        line_steps = sum(a.amount_fen for line in group.counted_lines for a in line.adjustments)
        group_steps = sum(a.amount_fen for a in group.adjustments)
        assert group.total_fen == group.items_fen + line_steps + group_steps
        assert group.subtotal_fen >= 0 and group.total_fen >= 0
        assert all(a.amount_fen <= 0 for a in group.adjustments if a.kind != "shipping")
        assert all(a.label for a in group.adjustments)
        for line in group.lines:
            assert line.line_total_fen == line.unit_price_fen * line.quantity
    assert cart.total_fen == cart.items_fen + cart.discount_fen + cart.shipping_fen
