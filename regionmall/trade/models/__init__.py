"""Trade tables, one module per concern."""

from regionmall.trade.models.cart import *  # noqa: F403
from regionmall.trade.models.cart import __all__ as _cart
from regionmall.trade.models.orders import *  # noqa: F403
from regionmall.trade.models.orders import __all__ as _orders
from regionmall.trade.models.terms import *  # noqa: F403
from regionmall.trade.models.terms import __all__ as _terms
from regionmall.trade.models.wholesale import *  # noqa: F403
from regionmall.trade.models.wholesale import __all__ as _wholesale

__all__ = [*_cart, *_orders, *_terms, *_wholesale]
