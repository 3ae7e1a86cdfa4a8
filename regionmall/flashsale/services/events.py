"""Flash-sale events: the merchant proposes, the operator approves (units held) or rejects.

    draft -> proposed -> approved -> preheated -> ended
      ^         |           |           |
      +- rejected           +-----------+--> cancelled   (draft/proposed/rejected too)

- A merchant proposes one of its own sellable SKUs at a price below the list price, for at
  most the units available now, in a future window.
- An operator approves: the event's units are held in inventory at once, under one
  reservation ``flash:<event id>`` (so nobody else can sell them), or the approval is
  refused when the stock is no longer there. Rejecting needs a reason the merchant sees.
- The preheat job (``redis_state.preheat``) moves approved events to preheated minutes
  before they start; the finishing job ends them once over and drained, releasing what was
  not sold. Cancelling (the merchant before the start, an operator any time) releases the
  held units too; requests already accepted are refused at persistence and given back.
- An operator may pause a running event (the intake answers "paused") and resume it.

Every move locks the event row, checks the transition (django-fsm, protected), writes a
:class:`FlashEventLog` row and invalidates the cached pages after commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from regionmall.accounts.permissions import has_role
from regionmall.accounts.roles import MERCHANT_ROLES, Role
from regionmall.catalog.lookups import sku_snapshots
from regionmall.core.errors import (
    Conflict,
    Forbidden,
    IllegalTransition,
    NotFound,
    ValidationFailed,
)
from regionmall.flashsale.models import (
    Audience,
    EventState,
    FlashEventLog,
    FlashSaleEvent,
)
from regionmall.flashsale.services import cache as flash_cache
from regionmall.flashsale.services import redis_state
from regionmall.inventory.selectors import available
from regionmall.inventory.services import OutOfStock, release, reserve
from regionmall.merchants.selectors import merchant_for_user
from regionmall.regions.selectors import districts

MAX_QUANTITY = 1_000_000
MAX_LIMIT = 10            # the intake accepts 1..10 units per request
MAX_DAYS = 7
FIELDS = ("sku_id", "sale_price_fen", "quantity", "starts_at", "ends_at", "per_user_limit",
          "user_rps", "audience", "district", "pay_minutes")


# --- helpers ----------------------------------------------------------------------------------


def log_move(event: FlashSaleEvent, source: str, *, actor, reason: str = "") -> None:
    FlashEventLog.objects.create(event=event, from_state=source, to_state=event.state,
                                 actor=actor if getattr(actor, "pk", None) else None,
                                 reason=str(reason)[:200])


def _own_merchant(user):
    if not has_role(user, MERCHANT_ROLES):
        raise Forbidden(_("Only merchant staff can manage flash sales."))
    merchant = merchant_for_user(user)
    if merchant is None or merchant.state != "approved":
        raise Forbidden(_("You have no approved shop."))
    return merchant


def _require_operator(user) -> None:
    if not has_role(user, [Role.OPERATOR]):
        raise Forbidden(_("Only platform operators can review flash sales."))


def _locked(event_id: Any) -> FlashSaleEvent:
    try:
        pk = int(event_id)
    except (TypeError, ValueError):
        raise NotFound(_("No such flash sale.")) from None
    event = FlashSaleEvent.objects.select_for_update().filter(pk=pk).first()
    if event is None:
        raise NotFound(_("No such flash sale."))
    return event


def _locked_own(user, event_id: Any) -> FlashSaleEvent:
    merchant = _own_merchant(user)
    event = _locked(event_id)
    if event.merchant_id != merchant.pk:
        raise NotFound(_("No such flash sale."))
    return event


def _move(event: FlashSaleEvent, transition: str, *, actor, reason: str = "") -> None:
    source = event.state
    try:
        getattr(event, transition)()
    except TransitionNotAllowed:
        raise IllegalTransition(
            _("This flash sale is “%(state)s”; that is not possible now.")
            % {"state": state_label(source)}, fields={"state": [source]}) from None
    log_move(event, source, actor=actor, reason=reason)


def _after_commit(event: FlashSaleEvent) -> None:
    product_id, pk = event.product_id, event.pk
    transaction.on_commit(lambda: flash_cache.invalidate(pk, product_id))


def state_label(state: str) -> str:
    try:
        return str(EventState(state).label)
    except ValueError:
        return state


# --- input ------------------------------------------------------------------------------------


def _int(errors: dict, data: Mapping, name: str, low: int, high: int, default=None,
         message: str | None = None) -> int | None:
    raw = data.get(name, default)
    if raw in (None, "") and default is not None:
        raw = default
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = int(str(raw).strip()) if not isinstance(raw, int) else raw
    except (TypeError, ValueError):
        errors[name] = [_("Enter a whole number.")]
        return None
    if not low <= value <= high:
        errors[name] = [message or _("Enter a number from %(low)d to %(high)d.")
                        % {"low": low, "high": high}]
        return None
    return value


def _when(errors: dict, data: Mapping, name: str) -> datetime | None:
    raw = data.get(name)
    value = raw if isinstance(raw, datetime) else parse_datetime(str(raw or "").strip())
    if value is None:
        errors[name] = [_("Enter a date and time.")]
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def clean(merchant, data: Mapping[str, Any], *, now: datetime | None = None) -> dict[str, Any]:
    """Validate a proposal; ``{field: value}`` ready for the model, or ValidationFailed
    naming every bad field. Reads the SKU and its free stock (two small queries)."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    sku_id = _int(errors, data, "sku_id", 1, 2**62)
    snap = sku_snapshots([sku_id]).get(sku_id) if sku_id else None
    if sku_id and (snap is None or snap.merchant_id != merchant.pk):
        errors["sku_id"] = [_("Choose one of your products.")]
        snap = None
    elif snap is not None and not snap.sellable:
        errors["sku_id"] = [_("This product is not on sale.")]
    price = _int(errors, data, "sale_price_fen", 1, 10**12)
    if snap is not None and price is not None and price >= snap.price_fen:
        errors["sale_price_fen"] = [_("The flash-sale price must be below the list price.")]
    quantity = _int(errors, data, "quantity", 1, MAX_QUANTITY)
    if snap is not None and quantity is not None:
        free = available([snap.sku_id]).get(snap.sku_id, 0)
        if quantity > free:
            errors["quantity"] = [_("Only %(n)d in stock.") % {"n": free}]
    starts = _when(errors, data, "starts_at")
    ends = _when(errors, data, "ends_at")
    if starts is not None and starts <= now:
        errors["starts_at"] = [_("The start must be in the future.")]
    if starts is not None and ends is not None:
        if ends <= starts:
            errors["ends_at"] = [_("The end must be after the start.")]
        elif ends - starts > timedelta(days=MAX_DAYS):
            errors["ends_at"] = [_("A flash sale lasts at most %(n)d days.") % {"n": MAX_DAYS}]
    limit = _int(errors, data, "per_user_limit", 1, MAX_LIMIT, default=1)
    user_rps = _int(errors, data, "user_rps", 1, 50, default=5)
    pay_minutes = _int(errors, data, "pay_minutes", 1, 60, default=10)
    audience = str(data.get("audience") or Audience.EVERYONE)
    district = None
    if audience not in Audience.values:
        errors["audience"] = [_("Choose who may buy.")]
    elif audience == Audience.DISTRICT:
        raw = data.get("district")
        district = districts().filter(code=str(raw or "").strip()[:12]).first()
        if district is None:
            errors["district"] = [_("Choose a district.")]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return {
        "sku_id": snap.sku_id, "product_id": snap.product_id, "title": snap.product_name[:120],
        "spec": snap.spec or {}, "list_price_fen": snap.price_fen, "sale_price_fen": price,
        "quantity": quantity, "starts_at": starts, "ends_at": ends, "per_user_limit": limit,
        "user_rps": user_rps, "audience": audience, "district": district,
        "pay_minutes": pay_minutes,
    }


# --- merchant -------------------------------------------------------------------------------


def create_event(user, data: Mapping[str, Any], *, propose: bool = True) -> FlashSaleEvent:
    """A merchant's new event, proposed for review at once unless ``propose`` is False."""
    merchant = _own_merchant(user)
    values = clean(merchant, data)
    with transaction.atomic():
        event = FlashSaleEvent.objects.create(merchant=merchant, created_by=user, **values)
        log_move(event, "", actor=user, reason="created")
        if propose:
            _move(event, "mark_proposed", actor=user)
            event.proposed_at = timezone.now()
            event.save(update_fields=["state", "proposed_at", "updated_at"])
    return event


def update_event(user, event_id: Any, data: Mapping[str, Any]) -> FlashSaleEvent:
    """Change a draft or rejected event (then propose it again)."""
    with transaction.atomic():
        event = _locked_own(user, event_id)
        if event.state not in (EventState.DRAFT, EventState.REJECTED):
            raise Conflict(_("Only a draft or a rejected flash sale can be changed."),
                           code="not_editable")
        values = clean(event.merchant, data)
        for name, value in values.items():
            setattr(event, name, value)
        event.save()
    return event


def propose(user, event_id: Any) -> FlashSaleEvent:
    with transaction.atomic():
        event = _locked_own(user, event_id)
        if event.starts_at <= timezone.now():
            raise ValidationFailed(_("The start must be in the future."),
                                   fields={"starts_at": [_("The start must be in the future.")]})
        _move(event, "mark_proposed", actor=user)
        event.proposed_at = timezone.now()
        event.reason = ""
        event.save(update_fields=["state", "proposed_at", "reason", "updated_at"])
    return event


def cancel(user, event_id: Any, reason: str = "") -> FlashSaleEvent:
    """The merchant withdraws its event before it starts; an operator stops one any time.

    Held units go back to the shop's stock; requests already accepted are refused at
    persistence (their units given back) and orders already made stand.
    """
    reason = str(reason or "").strip()[:200]
    operator = has_role(user, [Role.OPERATOR])
    with transaction.atomic():
        event = _locked(event_id) if operator else _locked_own(user, event_id)
        if not operator and event.state in (EventState.APPROVED, EventState.PREHEATED) \
                and event.starts_at <= timezone.now():
            raise Conflict(_("A running flash sale can only be stopped by the platform."),
                           code="already_started")
        if operator and not reason:
            raise ValidationFailed(_("Please give a reason."),
                                   fields={"reason": [_("Tell the merchant why.")]})
        held = event.state in (EventState.APPROVED, EventState.PREHEATED)
        _move(event, "mark_cancelled", actor=user, reason=reason or "withdrawn")
        event.reason = reason
        event.ended_at = timezone.now()
        event.save(update_fields=["state", "reason", "ended_at", "updated_at"])
        if held:
            release(event.reservation, reason="flash sale cancelled")
            redis_state.write_meta(event)     # empty window: the intake answers "ended"
        _after_commit(event)
    return event


# --- operator -------------------------------------------------------------------------------


def approve(user, event_id: Any) -> FlashSaleEvent:
    """Approve and hold the event's units in inventory now (or refuse: stock is short)."""
    _require_operator(user)
    with transaction.atomic():
        event = _locked(event_id)
        if event.ends_at <= timezone.now():
            raise Conflict(_("This flash sale has ended."), code="ended")
        _move(event, "mark_approved", actor=user)
        try:
            reserve(event.reservation, [(event.sku_id, event.quantity)])
        except OutOfStock:
            raise Conflict(
                _("The shop no longer has %(n)d units free for this flash sale.")
                % {"n": event.quantity}, code="out_of_stock") from None
        event.reviewer = user
        event.reviewed_at = timezone.now()
        event.reason = ""
        event.save(update_fields=["state", "reviewer", "reviewed_at", "reason", "updated_at"])
        _after_commit(event)
    return event


def reject(user, event_id: Any, reason: str) -> FlashSaleEvent:
    _require_operator(user)
    reason = str(reason or "").strip()
    if not reason or len(reason) > 200:
        raise ValidationFailed(_("Please give a reason."),
                               fields={"reason": [_("Tell the merchant why (at most 200 "
                                                    "characters).")]})
    with transaction.atomic():
        event = _locked(event_id)
        _move(event, "mark_rejected", actor=user, reason=reason)
        event.reviewer = user
        event.reviewed_at = timezone.now()
        event.reason = reason
        event.save(update_fields=["state", "reviewer", "reviewed_at", "reason", "updated_at"])
    return event


def set_paused(user, event_id: Any, paused: bool, reason: str = "") -> FlashSaleEvent:
    """Pause (the intake answers "paused", nothing is taken) or resume an event."""
    _require_operator(user)
    with transaction.atomic():
        event = _locked(event_id)
        if event.state not in (EventState.APPROVED, EventState.PREHEATED):
            raise Conflict(_("Only an approved flash sale can be paused or resumed."),
                           code="not_running")
        if event.paused != bool(paused):
            event.paused = bool(paused)
            event.save(update_fields=["paused", "updated_at"])
            FlashEventLog.objects.create(event=event, from_state=event.state,
                                         to_state=event.state, actor=user,
                                         reason=(("paused" if paused else "resumed")
                                                 + (f": {reason}" if reason else ""))[:200])
            redis_state.write_meta(event)
        _after_commit(event)
    return event


# --- the finishing job --------------------------------------------------------------------


def finish(event_id: int) -> bool:
    """End an event that is over (or retire a cancelled one) once the consumers drained it:
    the units not sold go back to the shop's stock and Redis forgets the event. Returns True
    when finished now; False while accepted requests still wait for persistence."""
    if redis_state.enabled() and not redis_state.drained(event_id):
        return False
    with transaction.atomic():
        event = _locked(event_id)
        if event.state in (EventState.APPROVED, EventState.PREHEATED):
            if event.ends_at > timezone.now():
                return False
            _move(event, "mark_ended", actor=None, reason="over")
            event.ended_at = timezone.now()
            event.save(update_fields=["state", "ended_at", "updated_at"])
            release(event.reservation, reason="flash sale ended")
        _after_commit(event)
    if redis_state.enabled():
        redis_state.retire(event_id)
    return True
