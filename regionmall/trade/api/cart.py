"""``/api/v1/trade/cart`` and ``/api/v1/trade/pricing/quote``.

Works for a user (JWT bearer or the session) and for a guest (the session cookie: the cart
token lives in the session, so a cookie-less client gets a fresh cart with its first add and
keeps it by sending back the cookie it received). Cookie requests that change something must
carry the CSRF token, exactly as with the session auth elsewhere; bearer requests need none.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.csrf import get_token
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie

from regionmall.accounts.auth import JWTAuth
from regionmall.trade.pricing import MAX_LINES, MAX_QUANTITY, LineRequest, PricedCart, price_lines
from regionmall.trade.services import cart as cart_services

router = Router(tags=["cart"])


class _Guest:
    """Truthy stand-in for ``request.auth`` when nobody is logged in."""

    is_authenticated = False


class CartAuth(APIKeyCookie):
    """Bearer JWT, else the session, else an anonymous guest — never a refusal, except a bad
    bearer token (401) or a cookie request without its CSRF token (403)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)
        self._jwt = JWTAuth()

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header[:7].lower() == "bearer ":
            user = self._jwt.authenticate(request, header[7:].strip())
            if user is None:
                raise AuthenticationError()
            return user
        if request.COOKIES.get(self.param_name):
            self._get_key(request)  # the CSRF check: the cookie is ambient authority
        user = request.user
        return user if user.is_authenticated and user.is_active else _Guest()

    def authenticate(self, request, key):  # pragma: no cover - __call__ does the work
        return None


cart_auth = CartAuth()


# --- schemas --------------------------------------------------------------------------------


class AdjustmentOut(Schema):
    kind: str
    label: str
    amount_fen: int


class LineOut(Schema):
    sku_id: int
    sku_code: str
    product_id: int
    product_name: str
    spec: dict
    image: str
    merchant_id: int
    quantity: int
    list_price_fen: int
    unit_price_fen: int
    line_total_fen: int
    adjustments: list[AdjustmentOut]
    sellable: bool
    available: int
    weight_g: int
    added_price_fen: int | None
    price_changed: bool
    counted: bool
    problems: list[str]


class GroupOut(Schema):
    merchant_id: int
    merchant_name: str
    lines: list[LineOut]
    items_fen: int
    subtotal_fen: int
    adjustments: list[AdjustmentOut]
    shipping_fen: int
    total_fen: int
    delivery_option: str
    problems: list[str]


class CartOut(Schema):
    groups: list[GroupOut]
    items_fen: int
    discount_fen: int
    shipping_fen: int
    total_fen: int
    problems: list[str]
    line_count: int
    orderable: bool


class AddIn(Schema):
    sku_id: int
    quantity: int = Field(1, ge=1, le=MAX_QUANTITY)


class QuantityIn(Schema):
    quantity: int = Field(..., ge=0, le=MAX_QUANTITY, description="0 removes the line")


class QuoteLineIn(Schema):
    sku_id: int
    quantity: int = Field(..., ge=1, le=MAX_QUANTITY)


class QuoteIn(Schema):
    lines: list[QuoteLineIn] = Field(..., min_length=1, max_length=MAX_LINES)
    district_code: str | None = Field(None, max_length=12)
    delivery: dict[int, str] = Field(default_factory=dict,
                                     description="merchant id -> express, local_same_day, "
                                                 "local_next_day or pickup")


def _line(line) -> dict:
    return {
        "sku_id": line.sku_id, "sku_code": line.sku_code, "product_id": line.product_id,
        "product_name": line.product_name, "spec": line.spec, "image": line.image,
        "merchant_id": line.merchant_id, "quantity": line.quantity,
        "list_price_fen": line.list_price_fen, "unit_price_fen": line.unit_price_fen,
        "line_total_fen": line.line_total_fen,
        "adjustments": [vars(adj) for adj in line.adjustments],
        "sellable": line.sellable, "available": line.available, "weight_g": line.weight_g,
        "added_price_fen": line.added_price_fen, "price_changed": line.price_changed,
        "counted": line.counted, "problems": line.problems,
    }


def cart_payload(priced: PricedCart) -> dict:
    """The API shape of a priced cart (also what ``/pricing/quote`` answers)."""
    return {
        "groups": [{
            "merchant_id": g.merchant_id, "merchant_name": g.merchant_name,
            "lines": [_line(line) for line in g.lines], "items_fen": g.items_fen,
            "subtotal_fen": g.subtotal_fen, "adjustments": [vars(a) for a in g.adjustments],
            "shipping_fen": g.shipping_fen, "total_fen": g.total_fen,
            "delivery_option": g.delivery_option, "problems": g.problems,
        } for g in priced.groups],
        "items_fen": priced.items_fen, "discount_fen": priced.discount_fen,
        "shipping_fen": priced.shipping_fen, "total_fen": priced.total_fen,
        "problems": priced.problems, "line_count": len(priced.lines),
        "orderable": priced.orderable,
    }


def _priced(request, owner) -> dict:
    user = request.user
    ctx = cart_services.context_for(
        user, district_code=cart_services.default_district_code(user))
    return cart_payload(cart_services.price_items(ctx, cart_services.cart_items(owner)))


# --- endpoints ------------------------------------------------------------------------------


@router.get("/cart", response=CartOut, auth=cart_auth,
            summary="The current cart, priced live (user or guest session)")
def get_cart(request):
    if not request.COOKIES.get(settings.CSRF_COOKIE_NAME):
        get_token(request)  # hand cookie clients the CSRF token their writes will need
    return _priced(request, cart_services.owner_for(request, create=False))


@router.post("/cart/items", response=CartOut, auth=cart_auth,
             summary="Add a SKU to the cart (quantities add up)")
def add_item(request, payload: AddIn):
    owner = cart_services.owner_for(request)
    cart_services.add_item(owner, payload.sku_id, payload.quantity)
    return _priced(request, owner)


@router.patch("/cart/items/{sku_id}", response=CartOut, auth=cart_auth,
              summary="Change a line's quantity (0 removes it)")
def set_quantity(request, sku_id: int, payload: QuantityIn):
    owner = cart_services.owner_for(request, create=False)
    cart_services.set_quantity(owner, sku_id, payload.quantity)
    return _priced(request, owner)


@router.delete("/cart/items/{sku_id}", response=CartOut, auth=cart_auth,
               summary="Remove a line")
def remove_item(request, sku_id: int):
    owner = cart_services.owner_for(request, create=False)
    cart_services.remove_item(owner, sku_id)
    return _priced(request, owner)


@router.post("/pricing/quote", response=CartOut, auth=cart_auth,
             summary="Price any lines with the same pipeline as cart and checkout")
def quote(request, payload: QuoteIn):
    """No writes. Prices are the caller's (member prices, wholesale checks for enterprise
    buyers); quoted RFQ prices are not accepted here — they apply only when ordering a quote."""
    ctx = cart_services.context_for(request.user, district_code=payload.district_code,
                                    delivery=payload.delivery)
    lines = [LineRequest(sku_id=line.sku_id, quantity=line.quantity) for line in payload.lines]
    return cart_payload(price_lines(ctx, lines))
