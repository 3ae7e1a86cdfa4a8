"""``/api/v1/marketing``: each part mounts its own sub-router here."""

from ninja import Router

router = Router(tags=["marketing"])
from regionmall.marketing.api import m2  # noqa: E402 - M2: members, rebates, campaigns, traffic

router.add_router("", m2.router)
from regionmall.marketing.api import groupbuy  # noqa: E402 - M3: group buy

router.add_router("/groups", groupbuy.router)
from regionmall.marketing.api import coupons, promotions  # noqa: E402 - M1: promotions, coupons

router.add_router("", promotions.router)
router.add_router("", coupons.router)
