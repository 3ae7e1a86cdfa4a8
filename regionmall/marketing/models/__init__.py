"""Marketing's tables, one module per concept; re-exported here."""
from .allocations import *  # noqa: F403 - M1: order line shares (refund claw-back)
from .campaigns import *  # noqa: F403 - M2: festival campaigns
from .coupons import *  # noqa: F403 - M1: coupon campaigns, templates, coupons, uses
from .groupbuy import *  # noqa: F403 - M3: group buy offers, groups, members
from .members import *  # noqa: F403 - M2: member levels (RFM) and benefits
from .promotions import *  # noqa: F403 - M1: promotions and their uses
from .rebates import *  # noqa: F403 - M2: distributor rebates
from .traffic import *  # noqa: F403 - M2: live-stream link and follow-up QR
