"""Reads of group buy for pages and the API (selectors: no writes).

Privacy: the storefront (product panel, share page, public API) shows members only as
masked names (``王**``, ``138****5678``) and initials avatars; buyers' ids, full names,
addresses and order numbers never leave these functions for the public.

Cost: the product page panel reads the product's offer from the cache (one indexed query on
a miss, remembered for a minute, a "none" remembered too, and forgotten when the merchant
changes the offer) plus one query for its open groups; products without an offer cost no
query on a cache hit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from regionmall.core.qr import qr_svg  # noqa: F401 - re-exported for the share page
from regionmall.marketing.models import (
    Group,
    GroupMember,
    GroupOffer,
    GroupOfferState,
    GroupState,
    MemberState,
)
from regionmall.marketing.services import groupbuy_flow as flow
from regionmall.trade.selectors import amount_due

OFFER_TTL = 60
_NONE = "none"
PALETTE = ("#c0392b", "#3f6b3a", "#c9962f", "#1f4e79", "#8e44ad", "#16a085")


# --- masking --------------------------------------------------------------------------------


def mask_name(user: Any) -> str:
    """What other people may see of a member: first character of the display name, or the
    mobile with its middle hidden, or a generic label. Never the full name."""
    name = str(getattr(user, "display_name", "") or "").strip()
    if name:
        return name[0] + "**"
    mobile = str(getattr(user, "mobile", "") or "")
    if len(mobile) == 11:
        return f"{mobile[:3]}****{mobile[-4:]}"
    username = str(getattr(user, "username", "") or "")
    return (username[:1] or "*") + "***"


@dataclass
class Face:
    """A member as the public sees them: masked name, an initials avatar, leader or not."""

    name: str
    initial: str
    colour: str
    leader: bool = False
    paid: bool = True


def face(user: Any, *, leader: bool = False, paid: bool = True) -> Face:
    masked = mask_name(user)
    colour = PALETTE[(getattr(user, "pk", 0) or 0) % len(PALETTE)]
    return Face(name=masked, initial=masked[:1], colour=colour, leader=leader, paid=paid)


# --- the product's offer --------------------------------------------------------------------


@dataclass
class OfferSummary:
    id: int
    product_id: int
    merchant_id: int
    group_size: int
    time_limit_minutes: int
    leader_discount_fen: int
    max_per_member: int
    starts_at: datetime
    ends_at: datetime
    min_group_price_fen: int
    min_list_price_fen: int

    @property
    def min_leader_price_fen(self) -> int:
        return max(self.min_group_price_fen - self.leader_discount_fen, 1)

    @property
    def time_limit_hours(self) -> str:
        hours = self.time_limit_minutes / 60
        return f"{hours:g}"

    def live(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


def product_offer(product_id: int) -> OfferSummary | None:
    """The product's active offer (cached), or None; callers check :meth:`live`."""
    key = flow.OFFER_KEY.format(int(product_id))
    found = cache.get(key)
    if found == _NONE:
        return None
    if isinstance(found, OfferSummary):
        return found
    row = (GroupOffer.objects.filter(product_id=int(product_id), state=GroupOfferState.ACTIVE,
                                     ends_at__gt=timezone.now())
           .order_by("starts_at")
           .annotate(min_price=Min("skus__group_price_fen"),
                     min_list=Min("skus__sku__price_fen")).first())
    if row is None or row.min_price is None:
        cache.set(key, _NONE, OFFER_TTL)
        return None
    summary = OfferSummary(
        id=row.pk, product_id=row.product_id, merchant_id=row.merchant_id,
        group_size=row.group_size, time_limit_minutes=row.time_limit_minutes,
        leader_discount_fen=row.leader_discount_fen, max_per_member=row.max_per_member,
        starts_at=row.starts_at, ends_at=row.ends_at, min_group_price_fen=row.min_price,
        min_list_price_fen=row.min_list or row.min_price)
    cache.set(key, summary, OFFER_TTL)
    return summary


@dataclass
class GroupCard:
    number: str
    leader: Face
    capacity: int
    paid_count: int
    missing: int
    expires_at: datetime


def open_groups(offer_id: int, *, now: datetime | None = None, limit: int = 5
                ) -> list[GroupCard]:
    """Groups of the offer a buyer can join now, the closest to forming first (one query)."""
    now = now or timezone.now()
    rows = (Group.objects.filter(offer_id=offer_id, state=GroupState.OPEN, expires_at__gt=now,
                                 seats_taken__lt=F("capacity"))
            .select_related("leader")
            .order_by(F("capacity") - F("paid_count"), "expires_at", "id")[:limit])
    return [GroupCard(number=g.number, leader=face(g.leader, leader=True), capacity=g.capacity,
                      paid_count=g.paid_count, missing=g.missing, expires_at=g.expires_at)
            for g in rows]


# --- the share page -------------------------------------------------------------------------


@dataclass
class SharePage:
    group: Group
    offer: GroupOffer
    product_name: str
    image_url: str
    faces: list[Face]
    empty_seats: int
    missing: int
    viewer: GroupMember | None
    joinable: bool
    closed_reason: str
    group_price_fen: int
    list_price_fen: int
    state_label: str
    viewer_due: int = 0    # what the viewer still has to pay for their seat (fen)

    @property
    def empty_range(self) -> range:
        """Placeholders for the seats still to fill (the "?" avatars)."""
        return range(self.empty_seats if self.group.state == GroupState.OPEN else 0)


def share_page(number: str, viewer: Any, *, now: datetime | None = None) -> SharePage | None:
    """Group ``number`` as the share page shows it; a pending group (leader not paid yet)
    exists only for its leader. Three queries (group with offer and product, members with
    users, the offer's prices)."""
    now = now or timezone.now()
    group = (Group.objects.select_related("offer", "offer__product")
             .filter(number=str(number)[:16]).first())
    if group is None:
        return None
    viewer_id = getattr(viewer, "pk", None) if getattr(viewer, "is_authenticated", False) \
        else None
    if group.state in (GroupState.PENDING, GroupState.CANCELLED) and \
            group.leader_id != viewer_id:
        return None
    members = list(group.members.filter(state__in=[MemberState.PAID, MemberState.RESERVED,
                                                   MemberState.REFUNDED])
                   .select_related("user").order_by("-is_leader", "joined_at", "id"))
    mine = next((m for m in members if m.user_id == viewer_id
                 and m.state in (MemberState.PAID, MemberState.RESERVED)), None)
    faces = [face(m.user, leader=m.is_leader, paid=m.state != MemberState.RESERVED)
             for m in members]
    reason = flow.group_closed_reason(group, now) or ""
    if not reason and group.seats_taken >= group.capacity:
        reason = str(_full_text())
    prices = list(group.offer.skus.order_by("group_price_fen")
                  .values_list("group_price_fen", "sku__price_fen")[:1])
    group_price, list_price = prices[0] if prices else (0, 0)
    product = group.offer.product
    image = product.main_image.url if product.main_image else ""
    return SharePage(
        group=group, offer=group.offer, product_name=product.name, image_url=image,
        faces=faces, empty_seats=max(group.capacity - len(faces), 0),
        missing=group.missing if group.state == GroupState.OPEN else 0,
        viewer=mine, joinable=not reason and mine is None, closed_reason=reason,
        viewer_due=(amount_due(viewer, mine.checkout_number) or 0)
        if mine is not None and mine.state == MemberState.RESERVED else 0,
        group_price_fen=group_price, list_price_fen=list_price,
        state_label=str(GroupState(group.state).label))


def _full_text() -> str:
    from django.utils.translation import gettext

    return gettext("This group is full: open a new one or join another.")


# --- buyers ---------------------------------------------------------------------------------


def groups_of_buyer(user: Any, *, limit: int = 50) -> list[GroupMember]:
    """The buyer's group memberships, newest first, with group, offer and product."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(GroupMember.objects.filter(user_id=user.pk)
                .select_related("group", "group__offer", "group__offer__product")
                .order_by("-joined_at", "-id")[:limit])


# --- merchants ------------------------------------------------------------------------------


@dataclass
class OfferStats:
    views: int = 0
    opened: int = 0      # groups whose leader paid (open, formed or failed)
    open_now: int = 0
    formed: int = 0
    expired: int = 0
    members: int = 0     # members who paid, in any group

    @property
    def formed_rate(self) -> int | None:
        """Formed groups per group opened and decided, in whole per cent."""
        decided = self.formed + self.expired
        return round(100 * self.formed / decided) if decided else None

    @property
    def open_rate(self) -> int | None:
        return round(100 * self.opened / self.views) if self.views else None


def offers_of(merchant: Any) -> list[GroupOffer]:
    return list(GroupOffer.objects.filter(merchant_id=getattr(merchant, "pk", None))
                .select_related("product").order_by("-created_at", "-id"))


def stats_for(offers: list[GroupOffer]) -> dict[int, OfferStats]:
    """Conversion per offer in two queries: views (stored plus not yet flushed), groups
    opened / open / formed / expired, paying members."""
    ids = [offer.pk for offer in offers]
    out = {offer.pk: OfferStats(views=offer.views) for offer in offers}
    if not ids:
        return out
    pending_views = cache.get_many([flow.VIEWS_KEY.format(pk) for pk in ids])
    for pk in ids:
        out[pk].views += int(pending_views.get(flow.VIEWS_KEY.format(pk)) or 0)
    decided = [GroupState.OPEN, GroupState.FORMED, GroupState.FAILED]
    for row in (Group.objects.filter(offer_id__in=ids).values("offer_id").annotate(
            opened=Count("id", filter=Q(state__in=decided)),
            open_now=Count("id", filter=Q(state=GroupState.OPEN)),
            formed=Count("id", filter=Q(state=GroupState.FORMED)),
            expired=Count("id", filter=Q(state=GroupState.FAILED)))):
        stats = out[row["offer_id"]]
        stats.opened, stats.open_now = row["opened"], row["open_now"]
        stats.formed, stats.expired = row["formed"], row["expired"]
    for row in (GroupMember.objects.filter(group__offer_id__in=ids, paid_at__isnull=False)
                .values("group__offer_id").annotate(n=Count("id"))):
        out[row["group__offer_id"]].members = row["n"]
    return out


def groups_of_offer(offer: GroupOffer, *, limit: int = 50) -> list[Group]:
    return list(Group.objects.filter(offer=offer).select_related("leader")
                .order_by("-created_at", "-id")[:limit])


def media_url(path: str) -> str:
    return f"{settings.MEDIA_URL}{path}" if path else ""
