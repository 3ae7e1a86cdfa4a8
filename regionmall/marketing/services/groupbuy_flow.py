"""Group buy inside trade's transactions, on trade's events, and in the expiry job.

Why hooks inside trade's transactions (``trade.hooks``) rather than the ``trade.order_paid``
event: the group must form *the moment* the N-th payment lands. With an event, the payment
commits first and the group is counted later, so the expiry job could fail a group whose N-th
payment had already committed, refunding everyone. Inside the payment transaction the count,
the formation and the release of the orders' shipping holds commit with the payment itself,
and the expiry job, which takes the same group row lock, sees either "formed" or "not yet".

- :func:`on_order_placed` (checkout transaction): opening creates the group (pending until
  the leader pays); joining takes a seat by conditional UPDATE ``seats_taken < capacity``
  (behind the Redis gate in production, ``groupbuy_seats``), records the member and puts the
  order on hold ``group`` so it cannot ship before the group forms. Any refusal rolls back the
  whole checkout.
- :func:`on_order_paid` (payment transaction): locks the group row, marks the member paid; the
  leader's payment opens the group and starts its countdown; the payment that makes
  ``paid_count == capacity`` forms it and releases every member's hold. It never refuses: a
  payment into a group that expired marks the group failed and leaves the refund to the job.
- :func:`member_order_cancelled` / :func:`member_order_refunding` (event consumers): a
  cancelled unpaid order gives its seat back; a paid member whose order is cancelled or
  refunded while the group is still open leaves it (seat and count back).
- :func:`expire_groups` (job, every minute): open groups past their deadline become failed;
  each paid member's order goes to refunding through ``trade.start_refund`` (the payments
  centre's consumer of ``trade.order_refunding`` returns the money), unpaid members' orders
  are cancelled; then Redis counters are re-synced and page views flushed.

Lock order, to stay deadlock-free with trade: trade's rows (checkout, orders) first, then the
group row, then member rows. Marketing never locks the group and then an order it has not
got: formation only UPDATEs paid members' orders, which no transaction waiting on the group
holds (a member whose payment is in flight holds a seat, so the group cannot be forming).
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from regionmall.core.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from regionmall.core.events import publish
from regionmall.core.money import format_fen
from regionmall.marketing.models import (
    Group,
    GroupMember,
    GroupOffer,
    GroupOfferSku,
    GroupOfferState,
    GroupState,
    MemberState,
)
from regionmall.marketing.models.groupbuy import SEATED
from regionmall.marketing.services import groupbuy_seats as seats
from regionmall.trade.pricing import GROUP, MemberPrice, PricedLine, PricingContext
from regionmall.trade.services import orders as trade_orders

log = logging.getLogger(__name__)

GROUPBUY = "groupbuy"      # the key in place_order(extras=...) / PricingContext.extras
HOLD = "group"             # trade's order hold reason while the group has not formed
BATCH = 200
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
VIEWS_KEY = "marketing:groupbuy:views:{}"
OFFER_KEY = "marketing:groupbuy:product:{}"


def extras_for(offer_id: int, *, group: str = "", leader: bool = False) -> dict[str, Any]:
    """The ``extras`` a group-buy checkout passes to ``place_order``: built by marketing's
    own services only, never from request data."""
    return {GROUPBUY: {"offer": int(offer_id), "group": str(group), "leader": bool(leader)}}


def _context(ctx: PricingContext) -> dict[str, Any] | None:
    found = (getattr(ctx, "extras", None) or {}).get(GROUPBUY)
    return found if isinstance(found, dict) and found.get("offer") else None


def new_number() -> str:
    """A share code: 10 characters, ~49 bits of randomness, unambiguous when read aloud."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(10))


def seat_ttl(group: Group, now: datetime) -> int:
    end = group.expires_at or now
    return int((end - now).total_seconds()) + seats.TTL_AFTER_EXPIRY


def forget_offer_cache(product_id: int) -> None:
    cache.delete(OFFER_KEY.format(product_id))


# --- pricing --------------------------------------------------------------------------------


def group_price(ctx: PricingContext, line: PricedLine) -> MemberPrice | None:
    """Trade member-price hook: the group price (less the leader's discount for the opener)
    for the offer's SKU in a group-buy checkout; nothing for any other checkout (no query)."""
    found = _context(ctx)
    if found is None:
        return None
    row = (GroupOfferSku.objects.filter(offer_id=found["offer"], sku_id=line.sku_id)
           .values_list("group_price_fen", "offer__leader_discount_fen",
                        "offer__max_per_member").first())
    if row is None or line.quantity > row[2]:
        return None
    price, leader_off, _limit = row
    if found.get("leader") and leader_off:
        return MemberPrice(max(price - leader_off, 1),
                           _("Group price (leader: %(amount)s off)")
                           % {"amount": format_fen(leader_off)}, kind=GROUP)
    return MemberPrice(price, _("Group price"), kind=GROUP)


# --- inside the checkout transaction --------------------------------------------------------


def offer_closed_reason(offer: GroupOffer | None, now: datetime) -> str | None:
    """Why no group can be opened on ``offer`` now (None: it can)."""
    if offer is None:
        return _("No such group buy.")
    if offer.state != GroupOfferState.ACTIVE:
        return _("This group buy has ended.")
    if now < offer.starts_at:
        return _("This group buy has not started yet.")
    if now >= offer.ends_at:
        return _("This group buy has ended.")
    return None


def group_closed_reason(group: Group, now: datetime) -> str | None:
    """Why ``group`` takes no new member now (None: it does, seats permitting)."""
    if group.state == GroupState.FORMED:
        return _("This group has already formed.")
    if group.state != GroupState.OPEN or group.expires_at is None or group.expires_at <= now:
        return _("This group is no longer open.")
    return None


def _has_unfinished_group(user_id: int, offer_id: int) -> bool:
    return GroupMember.objects.filter(
        user_id=user_id, group__offer_id=offer_id, state__in=SEATED,
        group__state__in=[GroupState.PENDING, GroupState.OPEN]).exists()


def on_order_placed(ctx: PricingContext, checkout: Any, placed: Sequence[tuple[Any, Any]]
                    ) -> None:
    """Trade order-placed hook: open the group or take a seat in it, or refuse the checkout."""
    found = _context(ctx)
    if found is None:
        return
    if len(placed) != 1 or len(placed[0][1].lines) != 1:
        raise ValidationFailed(_("A group-buy order holds exactly one item."),
                               fields={"lines": [_("Order one item of the group buy.")]})
    order, priced = placed[0]
    line = priced.lines[0]
    now = checkout.created_at
    buyer = ctx.buyer
    offer = GroupOffer.objects.filter(pk=found["offer"]).first()
    if offer is None or not offer.skus.filter(sku_id=line.sku_id).exists():
        raise NotFound(_("No such group buy."))
    if line.quantity > offer.max_per_member:
        raise ValidationFailed(
            _("At most %(n)d per member in this group buy.") % {"n": offer.max_per_member},
            fields={"quantity": [_("Too many.")]})
    if found.get("leader"):
        reason = offer_closed_reason(offer, now)
        if reason:
            raise Conflict(reason, code="group_offer_closed")
        if _has_unfinished_group(buyer.pk, offer.pk):
            raise Conflict(_("You already have a group of this offer under way."),
                           code="group_member")
        group = Group.objects.create(number=new_number(), offer=offer, leader=buyer,
                                     capacity=offer.group_size, seats_taken=1,
                                     state=GroupState.PENDING, created_at=now)
        _record_member(group, checkout, order, line, buyer, leader=True)
    else:
        _join(str(found.get("group") or ""), offer, checkout, order, line, buyer)
    trade_orders.set_hold([order.number], HOLD)


def _record_member(group: Group, checkout, order, line, buyer, *, leader: bool) -> GroupMember:
    return GroupMember.objects.create(
        group=group, user=buyer, is_leader=leader, order_number=order.number,
        checkout_number=checkout.number, sku_id=line.sku_id, quantity=line.quantity,
        unit_price_fen=line.unit_price_fen, joined_at=checkout.created_at)


def _join(number: str, offer: GroupOffer, checkout, order, line, buyer) -> None:
    """Take one seat: Redis gate (production), then the conditional UPDATE that decides."""
    now = checkout.created_at
    group = Group.objects.filter(number=number, offer=offer).first()
    if group is None:
        raise NotFound(_("No such group."))
    reason = group_closed_reason(group, now)
    if reason:
        raise Conflict(reason, code="group_closed")
    if GroupMember.objects.filter(group=group, user=buyer, state__in=SEATED).exists():
        raise Conflict(_("You are already in this group."), code="group_member")
    full = Conflict(_("This group is full: open a new one or join another."),
                    code="group_full")

    def load() -> int:
        return Group.objects.filter(pk=group.pk).values_list("seats_taken", flat=True).first()

    if not seats.take(group.number, group.capacity, load, seat_ttl(group, now)):
        raise full
    try:
        taken = (Group.objects.filter(pk=group.pk, state=GroupState.OPEN,
                                      seats_taken__lt=F("capacity"), expires_at__gt=now)
                 .update(seats_taken=F("seats_taken") + 1))
        if not taken:
            raise full
        _record_member(group, checkout, order, line, buyer, leader=False)
    except BaseException:
        seats.give_back(group.number)   # compensation: the Redis seat was not used
        raise


# --- inside the payment transaction ---------------------------------------------------------


def on_order_paid(order: Any) -> None:
    """Trade order-paid hook: count the payment; open or form the group. Never raises for a
    business reason (the money has arrived): a late payment is refunded by the job."""
    if getattr(order, "hold", "") != HOLD:
        return   # not a group-buy order, or its group formed already: no query at all
    group_id = (GroupMember.objects.filter(order_number=order.number)
                .values_list("group_id", flat=True).first())
    if group_id is None:
        return
    group = Group.objects.select_for_update().get(pk=group_id)
    member = GroupMember.objects.select_for_update().get(order_number=order.number)
    if member.state != MemberState.RESERVED:
        return   # counted already (a retried payment) or no longer seated
    at = order.paid_at or timezone.now()
    member.state = MemberState.PAID
    member.paid_at = at
    member.save(update_fields=["state", "paid_at"])
    fields = ["paid_count"]
    if group.state == GroupState.PENDING and member.is_leader:
        group.paid_count += 1
        group.state = GroupState.OPEN
        group.opened_at = at
        group.expires_at = at + timedelta(minutes=group.offer.time_limit_minutes)
        fields += ["state", "opened_at", "expires_at"]
        publish("marketing.group_opened", _payload(group))
    elif group.state == GroupState.OPEN and group.expires_at and at < group.expires_at:
        group.paid_count += 1
        if group.paid_count >= group.capacity:
            fields += _form(group, at)
    else:
        # Paid after the deadline (or into a closed group): it does not count. The group is
        # failed now if it was still open, and the expiry job refunds this member.
        fields = ["settled"]
        if group.state == GroupState.OPEN:
            group.state = GroupState.FAILED
            group.closed_at = at
            fields += ["state", "closed_at"]
            publish("marketing.group_failed", _payload(group))
            transaction.on_commit(lambda: seats.forget(group.number))
        group.settled = False
    group.save(update_fields=fields)


def _form(group: Group, at: datetime) -> list[str]:
    """The N-th payment: the group forms and every member's order may ship."""
    group.state = GroupState.FORMED
    group.formed_at = at
    numbers = list(group.members.filter(state=MemberState.PAID)
                   .values_list("order_number", flat=True))
    trade_orders.release_hold(numbers, HOLD)
    publish("marketing.group_formed", {**_payload(group), "orders": numbers})
    number = group.number
    transaction.on_commit(lambda: seats.forget(number))
    return ["state", "formed_at"]


def _payload(group: Group) -> dict[str, Any]:
    return {"group": group.number, "group_id": group.pk, "offer_id": group.offer_id,
            "merchant_id": group.offer.merchant_id, "capacity": group.capacity,
            "paid_count": group.paid_count, "state": group.state}


# --- trade events ---------------------------------------------------------------------------


def _member_for_update(order_number: str) -> tuple[Group, GroupMember] | None:
    group_id = (GroupMember.objects.filter(order_number=str(order_number))
                .values_list("group_id", flat=True).first())
    if group_id is None:
        return None
    group = Group.objects.select_for_update().get(pk=group_id)
    member = GroupMember.objects.select_for_update().get(order_number=str(order_number))
    return group, member


def member_order_cancelled(order_number: str, *, at: datetime | None = None) -> None:
    """``trade.order_cancelled``: an unpaid member's seat comes back (a pending group whose
    leader cancelled is cancelled); a paid member leaves."""
    at = at or timezone.now()
    with transaction.atomic():
        found = _member_for_update(order_number)
        if found is None:
            return
        group, member = found
        if member.state == MemberState.RESERVED:
            member.state = MemberState.RELEASED
            member.left_at = at
            member.save(update_fields=["state", "left_at"])
            group.seats_taken = max(group.seats_taken - 1, 0)
            fields = ["seats_taken"]
            if member.is_leader and group.state == GroupState.PENDING:
                group.state = GroupState.CANCELLED
                group.closed_at = at
                group.settled = True
                fields += ["state", "closed_at", "settled"]
            group.save(update_fields=fields)
            if group.state == GroupState.OPEN:
                number = group.number
                transaction.on_commit(lambda: seats.give_back(number))
        elif member.state == MemberState.PAID:
            _leave(group, member, at)


def member_order_refunding(order_number: str, *, at: datetime | None = None) -> None:
    """``trade.order_refunding``: a paid member refunded while the group was open leaves it
    (its refund after a failed group is marketing's own, already recorded)."""
    at = at or timezone.now()
    with transaction.atomic():
        found = _member_for_update(order_number)
        if found is None:
            return
        group, member = found
        if member.state == MemberState.PAID:
            _leave(group, member, at)


def _leave(group: Group, member: GroupMember, at: datetime) -> None:
    if group.state == GroupState.FAILED:
        member.state = MemberState.REFUNDED
    else:
        member.state = MemberState.LEFT
    member.left_at = at
    member.save(update_fields=["state", "left_at"])
    if group.state == GroupState.OPEN:
        group.seats_taken = max(group.seats_taken - 1, 0)
        group.paid_count = max(group.paid_count - 1, 0)
        group.save(update_fields=["seats_taken", "paid_count"])
        number = group.number
        transaction.on_commit(lambda: seats.give_back(number))


# --- the expiry job -------------------------------------------------------------------------


def expire_groups(now: datetime | None = None) -> int:
    """Fail open groups past their deadline, refund/cancel the members of failed groups,
    re-sync the Redis seat counters and flush page views. Returns how many groups failed.

    Idempotent: each group is re-checked under its row lock; a member is refunded once
    (trade refuses a second ``start_refund``, and the member row records it)."""
    now = now or timezone.now()
    due = list(Group.objects.filter(state=GroupState.OPEN, expires_at__lte=now)
               .order_by("id").values_list("pk", flat=True)[:BATCH])
    failed = 0
    for pk in due:
        try:
            with transaction.atomic():
                group = Group.objects.select_for_update().select_related("offer").get(pk=pk)
                if group.state != GroupState.OPEN or group.expires_at > now:
                    continue
                group.state = GroupState.FAILED
                group.closed_at = now
                group.settled = False
                group.save(update_fields=["state", "closed_at", "settled"])
                publish("marketing.group_failed", _payload(group))
                number = group.number
                transaction.on_commit(lambda number=number: seats.forget(number))
                failed += 1
        except Exception:
            log.exception("could not expire group %s", pk)
    settle_failed(now)
    sync_counters(now)
    flush_views()
    return failed


def settle_failed(now: datetime | None = None) -> int:
    """Every failed group not settled yet: refund paid members, cancel unpaid ones' orders.
    Each trade call is its own transaction, made while holding no group lock."""
    now = now or timezone.now()
    reason = "group buy expired unfilled"
    done = 0
    unsettled = Group.objects.filter(state__in=[GroupState.FAILED, GroupState.CANCELLED],
                                     settled=False).order_by("id")
    for group in unsettled[:BATCH]:
        for member in list(group.members.filter(state__in=SEATED).order_by("id")):
            try:
                if member.state == MemberState.PAID:
                    _refund_member(member, reason, now)
                else:
                    trade_orders.cancel_unpaid(member.order_number, reason, now=now)
                    # What the cancel event's consumer would do (it will find it done).
                    member_order_cancelled(member.order_number, at=now)
            except IllegalTransition:
                # Paid a moment ago (refunded next run) or cancelled already (its
                # consumer releases the seat): nothing to do now.
                continue
            except Exception:
                log.exception("could not settle member %s of group %s", member.pk, group.pk)
        if not group.members.filter(state__in=SEATED).exists():
            Group.objects.filter(pk=group.pk, settled=False).update(settled=True)
            done += 1
    return done


def _refund_member(member: GroupMember, reason: str, now: datetime) -> None:
    """Start the refund of a paid member's order and record it, in one transaction."""
    with transaction.atomic():
        locked = GroupMember.objects.select_for_update().get(pk=member.pk)
        if locked.state != MemberState.PAID:
            return
        # Cancelled or refunded by someone else already: the money goes back that way.
        with contextlib.suppress(IllegalTransition):
            trade_orders.start_refund(locked.order_number, reason, now=now)
        locked.state = MemberState.REFUNDED
        locked.left_at = now
        locked.save(update_fields=["state", "left_at"])


def sync_counters(now: datetime | None = None) -> int:
    """Re-copy ``seats_taken`` of open groups into their Redis counters (bounds drift)."""
    if not seats.enabled():
        return 0
    now = now or timezone.now()
    counts: dict[str, tuple[int, int]] = {}
    for group in (Group.objects.filter(state=GroupState.OPEN, expires_at__gt=now)
                  .only("number", "seats_taken", "expires_at").iterator()):
        counts[group.number] = (group.seats_taken, seat_ttl(group, now))
        if len(counts) >= 500:
            seats.sync(counts)
            counts = {}
    seats.sync(counts)
    return len(counts)


# --- page views -----------------------------------------------------------------------------


def count_view(offer_id: int) -> None:
    """One page view of an offer (product page panel or share page): a cache counter, so a
    page view costs no database write; :func:`flush_views` adds them up every minute."""
    key = VIEWS_KEY.format(offer_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=None) or cache.incr(key)


def flush_views() -> int:
    """Move cached view counts into ``GroupOffer.views``. Returns views flushed."""
    recent = timezone.now() - timedelta(days=1)
    ids = list(GroupOffer.objects.filter(Q(state=GroupOfferState.ACTIVE)
                                         | Q(ended_at__gte=recent)).values_list("pk", flat=True))
    keys = {VIEWS_KEY.format(pk): pk for pk in ids}
    total = 0
    for key, value in cache.get_many(list(keys)).items():
        n = int(value or 0)
        if n <= 0:
            continue
        try:
            cache.decr(key, n)
        except ValueError:
            continue
        GroupOffer.objects.filter(pk=keys[key]).update(views=F("views") + n)
        total += n
    return total
