"""``/api/v1/marketing/groups``: group buy (拼团).

Public: a product's live offer with its open groups, an offer, a group's share view (members
as masked names only; a group whose leader has not paid yet is visible to its leader only).
Buyers: open a group, join one (each places a trade checkout to pay like any other, with the
checkout's ``idempotency_key``), list their group buys. Merchants: their offers with
conversion figures, create / change / end one.

Object-level rules: another merchant's offer is 404 (its existence is not revealed); a wrong
role is 403; no login is 401.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from regionmall.accounts.auth import ActiveSessionAuth, JWTAuth, api_auth
from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import BUYER_ROLES
from regionmall.core.errors import NotFound
from regionmall.marketing.services import groupbuy as services
from regionmall.marketing.services import groupbuy_reads as reads
from regionmall.trade.services import checkout as checkout_services

router = Router(tags=["marketing: group buy"])


def _anonymous(request):
    """Public endpoints: a signed-in caller is recognised (JWT or session), anyone else is
    served as anonymous."""
    return AnonymousUser()


public_auth = [JWTAuth(), ActiveSessionAuth(), _anonymous]


# --- schemas --------------------------------------------------------------------------------


class PriceOut(Schema):
    sku_id: int
    code: str
    spec: dict
    list_price_fen: int
    group_price_fen: int
    leader_price_fen: int
    sellable: bool


class FaceOut(Schema):
    name: str = Field(description="masked, e.g. 王** or 138****5678")
    initial: str
    leader: bool


class GroupCardOut(Schema):
    number: str
    leader: FaceOut
    capacity: int
    paid_count: int
    missing: int
    expires_at: datetime


class OfferOut(Schema):
    id: int
    product_id: int
    merchant_id: int
    group_size: int
    time_limit_minutes: int
    leader_discount_fen: int
    max_per_member: int
    starts_at: datetime
    ends_at: datetime
    state: str
    prices: list[PriceOut]
    open_groups: list[GroupCardOut]


class ShareOut(Schema):
    number: str
    state: str
    state_label: str
    offer_id: int
    product_id: int
    product_name: str
    capacity: int
    paid_count: int
    missing: int
    expires_at: datetime | None
    group_price_fen: int
    list_price_fen: int
    members: list[FaceOut]
    joinable: bool
    closed_reason: str
    my_order: str | None = Field(default=None, description="the caller's own order number")


class GroupOrderIn(Schema):
    sku_id: int
    quantity: int = Field(default=1, ge=1, le=services.MAX_PER_MEMBER)
    address_id: int
    idempotency_key: str = Field(min_length=8, max_length=64)
    delivery: dict[int, str] = Field(default_factory=dict)
    note: str = Field(default="", max_length=200)


class GroupOrderOut(Schema):
    group: str
    group_state: str
    checkout_number: str
    checkout_total_fen: int
    share_path: str


class MembershipOut(Schema):
    group: str
    group_state: str
    product_name: str
    is_leader: bool
    state: str
    order_number: str
    checkout_number: str
    unit_price_fen: int
    quantity: int
    capacity: int
    paid_count: int
    expires_at: datetime | None


class OfferIn(Schema):
    product_id: int
    group_size: int
    time_limit_minutes: int
    leader_discount_fen: int = 0
    max_per_member: int = 1
    starts_at: datetime
    ends_at: datetime
    prices: dict[int, int] = Field(description="sku id -> group price in fen")


class OfferChangeIn(Schema):
    group_size: int
    time_limit_minutes: int
    leader_discount_fen: int = 0
    max_per_member: int = 1
    starts_at: datetime
    ends_at: datetime
    prices: dict[int, int]


class StatsOut(Schema):
    views: int
    opened: int
    open_now: int
    formed: int
    expired: int
    members: int
    formed_rate: int | None
    open_rate: int | None


class MerchantOfferOut(Schema):
    id: int
    product_id: int
    product_name: str
    group_size: int
    time_limit_minutes: int
    leader_discount_fen: int
    max_per_member: int
    starts_at: datetime
    ends_at: datetime
    state: str
    prices: list[PriceOut]
    stats: StatsOut


# --- helpers --------------------------------------------------------------------------------


def _face(face) -> dict:
    return {"name": face.name, "initial": face.initial, "leader": face.leader}


def _offer_out(offer) -> dict:
    return {
        "id": offer.pk, "product_id": offer.product_id, "merchant_id": offer.merchant_id,
        "group_size": offer.group_size, "time_limit_minutes": offer.time_limit_minutes,
        "leader_discount_fen": offer.leader_discount_fen,
        "max_per_member": offer.max_per_member, "starts_at": offer.starts_at,
        "ends_at": offer.ends_at, "state": offer.state,
        "prices": services.unit_prices(offer),
        "open_groups": [{**card.__dict__, "leader": _face(card.leader)}
                        for card in reads.open_groups(offer.pk)],
    }


def _merchant_offer_out(offer, stats) -> dict:
    return {
        "id": offer.pk, "product_id": offer.product_id, "product_name": offer.product.name,
        "group_size": offer.group_size, "time_limit_minutes": offer.time_limit_minutes,
        "leader_discount_fen": offer.leader_discount_fen,
        "max_per_member": offer.max_per_member, "starts_at": offer.starts_at,
        "ends_at": offer.ends_at, "state": offer.state,
        "prices": services.unit_prices(offer),
        "stats": {**stats.__dict__, "formed_rate": stats.formed_rate,
                  "open_rate": stats.open_rate},
    }


def _buyer(request):
    require_role(request.auth, *BUYER_ROLES)
    return request.auth


def _placed(checkout, group) -> dict:
    return {"group": group.number, "group_state": group.state,
            "checkout_number": checkout.number, "checkout_total_fen": checkout.total_fen,
            "share_path": reverse("marketing:group_share", args=[group.number])}


# --- public ---------------------------------------------------------------------------------


@router.get("/products/{product_id}", response=OfferOut | None, auth=public_auth,
            summary="A product's live group buy with groups to join (null when none)")
def product_offer(request, product_id: int):
    summary = reads.product_offer(product_id)
    if summary is None or not summary.live(timezone.now()):
        return None
    return _offer_out(services.offer_by_id(summary.id))


@router.get("/offers/{offer_id}", response=OfferOut, auth=public_auth,
            summary="A group buy offer with its prices and open groups")
def offer(request, offer_id: int):
    return _offer_out(services.offer_by_id(offer_id))


# --- buyers ---------------------------------------------------------------------------------


@router.post("/offers/{offer_id}/open", response={200: GroupOrderOut, 201: GroupOrderOut},
             auth=api_auth, summary="Open a group (places the leader's order; pay it next)")
def open_group(request, offer_id: int, payload: GroupOrderIn):
    user = _buyer(request)
    before = checkout_services.find_checkout(user, payload.idempotency_key)
    checkout, group = services.open_group(
        user, offer_id, sku_id=payload.sku_id, quantity=payload.quantity,
        address_id=payload.address_id, idempotency_key=payload.idempotency_key,
        delivery=payload.delivery, note=payload.note)
    return Status(200 if before else 201, _placed(checkout, group))


@router.get("/mine", response=list[MembershipOut], auth=api_auth,
            summary="My group buys (newest first)")
def mine(request):
    rows = reads.groups_of_buyer(_buyer(request))
    return [{"group": m.group.number, "group_state": m.group.state,
             "product_name": m.group.offer.product.name, "is_leader": m.is_leader,
             "state": m.state, "order_number": m.order_number,
             "checkout_number": m.checkout_number, "unit_price_fen": m.unit_price_fen,
             "quantity": m.quantity, "capacity": m.group.capacity,
             "paid_count": m.group.paid_count, "expires_at": m.group.expires_at}
            for m in rows]


# --- merchants ------------------------------------------------------------------------------


@router.get("/merchant/offers", response=list[MerchantOfferOut], auth=api_auth,
            summary="My shop's group buys with conversion (views, opened, formed, expired)")
def merchant_offers(request):
    offers = reads.offers_of(services.merchant_of(request.auth))
    stats = reads.stats_for(offers)
    return [_merchant_offer_out(offer, stats[offer.pk]) for offer in offers]


@router.post("/merchant/offers", response={201: MerchantOfferOut}, auth=api_auth,
             summary="Create a group buy on one of my products")
def create_offer(request, payload: OfferIn):
    offer = services.create_offer(request.auth, payload.dict())
    offer = services.offer_for_merchant(request.auth, offer.pk)
    return Status(201, _merchant_offer_out(offer, reads.stats_for([offer])[offer.pk]))


@router.get("/merchant/offers/{offer_id}", response=MerchantOfferOut, auth=api_auth,
            summary="One of my group buys")
def merchant_offer(request, offer_id: int):
    offer = services.offer_for_merchant(request.auth, offer_id)
    return _merchant_offer_out(offer, reads.stats_for([offer])[offer.pk])


@router.put("/merchant/offers/{offer_id}", response=MerchantOfferOut, auth=api_auth,
            summary="Change a group buy (new groups only)")
def update_offer(request, offer_id: int, payload: OfferChangeIn):
    offer = services.update_offer(request.auth, offer_id, payload.dict())
    return _merchant_offer_out(offer, reads.stats_for([offer])[offer.pk])


@router.post("/merchant/offers/{offer_id}/end", response=MerchantOfferOut, auth=api_auth,
             summary="End a group buy: no new groups")
def end_offer(request, offer_id: int):
    offer = services.end_offer(request.auth, offer_id)
    return _merchant_offer_out(offer, reads.stats_for([offer])[offer.pk])


# --- one group (after the fixed paths, so /mine and /merchant are not read as a number) ----


@router.get("/{number}", response=ShareOut, auth=public_auth,
            summary="A group as its share page shows it (members masked)")
def share(request, number: str):
    viewer = request.auth if getattr(request.auth, "is_authenticated", False) else None
    page = reads.share_page(number, viewer)
    if page is None:
        raise NotFound(_("No such group."))
    group = page.group
    return {
        "number": group.number, "state": group.state, "state_label": page.state_label,
        "offer_id": group.offer_id, "product_id": page.offer.product_id,
        "product_name": page.product_name, "capacity": group.capacity,
        "paid_count": group.paid_count, "missing": page.missing,
        "expires_at": group.expires_at, "group_price_fen": page.group_price_fen,
        "list_price_fen": page.list_price_fen, "members": [_face(f) for f in page.faces],
        "joinable": page.joinable, "closed_reason": page.closed_reason,
        "my_order": page.viewer.order_number if page.viewer else None,
    }


@router.post("/{number}/join", response={200: GroupOrderOut, 201: GroupOrderOut},
             auth=api_auth, summary="Join a group (reserves a seat with the order; pay it next)")
def join_group(request, number: str, payload: GroupOrderIn):
    user = _buyer(request)
    before = checkout_services.find_checkout(user, payload.idempotency_key)
    checkout, group = services.join_group(
        user, number, sku_id=payload.sku_id, quantity=payload.quantity,
        address_id=payload.address_id, idempotency_key=payload.idempotency_key,
        delivery=payload.delivery, note=payload.note)
    return Status(200 if before else 201, _placed(checkout, group))
