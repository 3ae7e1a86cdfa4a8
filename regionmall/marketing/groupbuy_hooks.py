"""Group buy's registrations with trade (imported once by ``marketing.hooks``): the group
price as a member-price hook (kind ``group``), and the order-placed / order-paid hooks that
run inside trade's checkout and payment transactions (see ``services.groupbuy_flow``)."""

from regionmall.marketing.services import groupbuy_flow
from regionmall.trade.hooks import register_order_paid_hook, register_order_placed_hook
from regionmall.trade.pricing import register_member_price_hook

register_member_price_hook(groupbuy_flow.group_price)
register_order_placed_hook(groupbuy_flow.on_order_placed)
register_order_paid_hook(groupbuy_flow.on_order_paid)
