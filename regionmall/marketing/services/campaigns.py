"""Festival campaigns: templates whose dates come from the Chinese calendar, sign-ups, review.

Dates (``lunar-python``, MIT; DOMAIN-NOTES prefers it to the GPL ``lunardate``/``zhdate``):

========================  ================================  ====================================
festival                  festival day                      campaign window (inclusive)
========================  ================================  ====================================
Spring Festival goods     lunar 01-01 (春节)                lunar 12-08 (腊八) of the year
(年货节)                                                    before → lunar 01-15 (元宵)
Dragon Boat (端午)        lunar 05-05                       10 days before → the day
Mid-Autumn (中秋)         lunar 08-15                       20 days before → the day (mooncakes
                                                            and gift boxes sell early)
Farmers' Harvest          the autumn equinox solar term     7 days before → 7 days after
Festival (丰收节)         (秋分, Beijing time; by State
                          Council decision of 2018)
========================  ================================  ====================================

Months are the regular (non-leap) lunar months. Sign-up closes the day before the festival
day by default. Operators may move any date after creating the campaign.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lunar_python import Lunar, Solar

from regionmall.accounts.permissions import require_role
from regionmall.accounts.roles import Role
from regionmall.catalog.lookups import product_briefs
from regionmall.core.errors import Conflict, NotFound, ValidationFailed
from regionmall.marketing.models import Campaign, CampaignEntry, EntryState, Festival
from regionmall.marketing.services.shop import open_shop_of

MIN_YEAR, MAX_YEAR = 1901, 2099          # lunar-python's reliable range
MAX_BANNER_BYTES = 3 * 1024 * 1024
BANNER_FORMATS = {"PNG", "JPEG", "WEBP"}


def _lunar(year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def autumn_equinox(year: int) -> date:
    """The day of the 秋分 solar term in ``year`` (China Standard Time)."""
    table = Solar.fromYmd(year, 9, 1).getLunar().getJieQiTable()
    solar = table["秋分"]
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


@dataclass(frozen=True)
class Dates:
    festival_day: date
    starts_on: date
    ends_on: date
    signup_ends_on: date


@dataclass(frozen=True)
class Template:
    """A festival's campaign template: its name, look and how its dates are computed."""

    code: str
    name: Any                        # lazy: "%(year)s ..." with the year filled in
    tagline: Any
    colours: tuple[str, str, str]    # background, accent, text of the generated banner
    emblem: str                      # a character drawn on the generated banner
    dates: Callable[[int], tuple[date, date, date]]   # year -> (day, start, end)

    def dates_for(self, year: int) -> Dates:
        if not MIN_YEAR < year < MAX_YEAR:
            raise ValidationFailed(_("Please correct the marked fields."), fields={
                "year": [_("Enter a year from %(low)s to %(high)s.")
                         % {"low": MIN_YEAR + 1, "high": MAX_YEAR - 1}]})
        day, start, end = self.dates(year)
        return Dates(day, start, end, max(start, day - timedelta(days=1)))


def _spring(year: int) -> tuple[date, date, date]:
    return _lunar(year, 1, 1), _lunar(year - 1, 12, 8), _lunar(year, 1, 15)


def _dragon_boat(year: int) -> tuple[date, date, date]:
    day = _lunar(year, 5, 5)
    return day, day - timedelta(days=10), day


def _mid_autumn(year: int) -> tuple[date, date, date]:
    day = _lunar(year, 8, 15)
    return day, day - timedelta(days=20), day


def _harvest(year: int) -> tuple[date, date, date]:
    day = autumn_equinox(year)
    return day, day - timedelta(days=7), day + timedelta(days=7)


TEMPLATES: dict[str, Template] = {
    Festival.SPRING: Template(
        Festival.SPRING, gettext_lazy("%(year)s New Year goods fair"),
        gettext_lazy("Stock up for the Spring Festival with the region's own goods"),
        ("#b71c1c", "#ffd54f", "#fff8e1"), "福", _spring),
    Festival.DRAGON_BOAT: Template(
        Festival.DRAGON_BOAT, gettext_lazy("%(year)s Dragon Boat Festival"),
        gettext_lazy("Zongzi, salted eggs and summer tea from local farms"),
        ("#1b5e20", "#c5e1a5", "#f1f8e9"), "粽", _dragon_boat),
    Festival.MID_AUTUMN: Template(
        Festival.MID_AUTUMN, gettext_lazy("%(year)s Mid-Autumn Festival"),
        gettext_lazy("Mooncakes, fruit and gift boxes for the reunion"),
        ("#1a237e", "#ffe082", "#fffde7"), "月", _mid_autumn),
    Festival.HARVEST: Template(
        Festival.HARVEST, gettext_lazy("%(year)s Farmers' Harvest Festival"),
        gettext_lazy("Fresh from this year's harvest, straight from the growers"),
        ("#e65100", "#fff176", "#fffde7"), "丰", _harvest),
}


def template(code: str) -> Template:
    found = TEMPLATES.get(code)
    if found is None:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"festival": [_("Choose a festival.")]})
    return found


def festival_dates(code: str, year: int) -> Dates:
    """The dates a campaign of ``code`` in ``year`` gets (see the module's table)."""
    return template(code).dates_for(int(year))


# --- operator: campaigns --------------------------------------------------------------------


def _clean_date(value: Any, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={field: [_("Enter a valid date.")]}) from None


def _clean_ids(raw: Any) -> list[int]:
    parts = raw if isinstance(raw, list | tuple) else str(raw or "").replace("，", ",").split(",")
    ids = []
    for part in parts:
        text = str(part).strip()
        if not text:
            continue
        if not text.isdigit():
            raise ValidationFailed(_("Please correct the marked fields."), fields={
                "promotion_ids": [_("Enter ids separated by commas.")]})
        ids.append(int(text))
    return list(dict.fromkeys(ids))[:20]


def check_banner(upload: UploadedFile | None, field: str = "banner") -> None:
    """An uploaded image (banner, QR code) must be a real PNG, JPEG or WebP image of at
    most 3 MB: Pillow opens and verifies it, so a renamed file is refused."""
    if upload is None:
        return
    from PIL import Image, UnidentifiedImageError

    error = None
    if upload.size and upload.size > MAX_BANNER_BYTES:
        error = _("The image is larger than 3 MB.")
    else:
        try:
            upload.seek(0)
            with Image.open(upload) as image:
                image.verify()
                if image.format not in BANNER_FORMATS:
                    error = _("Upload a PNG, JPEG or WebP image.")
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            error = _("Upload a PNG, JPEG or WebP image.")
        upload.seek(0)
    if error:
        raise ValidationFailed(_("Please correct the marked fields."), fields={field: [error]})


def create_campaign(actor, festival: str, year: Any, *, banner: UploadedFile | None = None,
                    promotion_ids: Any = None, publish: bool = False) -> Campaign:
    """A campaign from a festival template for ``year`` (dates computed). One per festival
    and year: a second one is a Conflict."""
    require_role(actor, Role.OPERATOR)
    tpl = template(festival)
    try:
        year = int(str(year).strip())
    except ValueError:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"year": [_("Enter a year.")]}) from None
    dates = tpl.dates_for(year)
    check_banner(banner)
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                festival=tpl.code, year=year, slug=f"{tpl.code.replace('_', '-')}-{year}",
                name=str(tpl.name) % {"year": year}, tagline=str(tpl.tagline),
                festival_day=dates.festival_day, starts_on=dates.starts_on,
                ends_on=dates.ends_on, signup_ends_on=dates.signup_ends_on,
                promotion_ids=_clean_ids(promotion_ids), is_published=bool(publish),
                created_by=actor)
            if banner is not None:
                campaign.banner.save(f"{campaign.slug}.{_ext(banner)}", banner, save=True)
    except IntegrityError:
        raise Conflict(_("There is already a campaign for this festival and year."),
                       code="campaign_exists") from None
    return campaign


def _ext(upload: UploadedFile) -> str:
    name = str(getattr(upload, "name", "") or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else "png"
    return ext if ext in {"png", "jpg", "jpeg", "webp"} else "png"


def update_campaign(actor, campaign: Campaign, data: Mapping[str, Any], *,
                    banner: UploadedFile | None = None) -> Campaign:
    """Edit name, tagline, dates, promotions, publication; ``remove_banner`` goes back to
    the generated banner."""
    require_role(actor, Role.OPERATOR)
    name = str(data.get("name", campaign.name) or "").strip()[:60]
    if not name:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"name": [_("This field is required.")]})
    starts = _clean_date(data.get("starts_on", campaign.starts_on), "starts_on")
    ends = _clean_date(data.get("ends_on", campaign.ends_on), "ends_on")
    signup = _clean_date(data.get("signup_ends_on", campaign.signup_ends_on), "signup_ends_on")
    if ends < starts:
        raise ValidationFailed(_("Please correct the marked fields."),
                               fields={"ends_on": [_("The end is before the start.")]})
    if signup > ends:
        raise ValidationFailed(_("Please correct the marked fields."), fields={
            "signup_ends_on": [_("Sign-up must close by the end of the campaign.")]})
    check_banner(banner)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        campaign.name = name
        campaign.tagline = str(data.get("tagline", campaign.tagline) or "").strip()[:120]
        campaign.starts_on, campaign.ends_on, campaign.signup_ends_on = starts, ends, signup
        if "promotion_ids" in data:
            campaign.promotion_ids = _clean_ids(data.get("promotion_ids"))
        if "is_published" in data:
            value = data.get("is_published")
            campaign.is_published = value in (True, 1) or str(value).lower() in {"1", "true",
                                                                                "on", "yes"}
        if data.get("remove_banner") and campaign.banner:
            campaign.banner.delete(save=False)
        if banner is not None:
            campaign.banner.save(f"{campaign.slug}.{_ext(banner)}", banner, save=False)
        campaign.save()
    return campaign


def all_campaigns() -> QuerySet[Campaign]:
    """Operators' list, newest first, with entry counts by state."""
    return Campaign.objects.annotate(
        pending=Count("entries", filter=Q(entries__state=EntryState.PENDING)),
        approved=Count("entries", filter=Q(entries__state=EntryState.APPROVED)))


def campaign_by_id(pk: Any) -> Campaign | None:
    try:
        return Campaign.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def public_campaigns(today: date | None = None) -> QuerySet[Campaign]:
    """Published campaigns running now or starting later, soonest first."""
    today = today or timezone.localdate()
    return (Campaign.objects.filter(is_published=True, ends_on__gte=today)
            .order_by("starts_on", "id"))


def public_campaign(slug: str) -> Campaign | None:
    return Campaign.objects.filter(slug=str(slug), is_published=True).first()


def public_campaign_by_id(pk: Any) -> Campaign | None:
    return Campaign.objects.filter(pk=_int(pk), is_published=True).first()


def open_for_signup(campaign: Campaign, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return campaign.is_published and today <= campaign.signup_ends_on and \
        today <= campaign.ends_on


# --- merchants: sign-ups --------------------------------------------------------------------


merchant_of = open_shop_of


def sign_up(user, campaign: Campaign, product_id: Any, note: str = "", *,
            today: date | None = None) -> CampaignEntry:
    """The merchant puts one of its on-sale products forward. Signing up again is a no-op
    while pending or approved, and re-opens a rejected entry."""
    merchant = open_shop_of(user)
    if not open_for_signup(campaign, today):
        raise Conflict(_("Sign-up for this campaign is closed."), code="signup_closed")
    try:
        pid = int(product_id)
    except (TypeError, ValueError):
        pid = 0
    brief = product_briefs([pid]).get(pid)
    if brief is None or brief.merchant_id != merchant.pk:
        raise NotFound(_("No such product."))
    if not brief.on_sale:
        raise ValidationFailed(_("Only products on sale can join a campaign."),
                               fields={"product_id": [_("Put the product on sale first.")]})
    note = str(note or "").strip()[:200]
    with transaction.atomic():
        entry, created = CampaignEntry.objects.select_for_update().get_or_create(
            campaign=campaign, product_id=pid,
            defaults={"merchant_id": merchant.pk, "note": note})
        if not created and entry.state == EntryState.REJECTED:
            entry.state, entry.note, entry.reject_reason = EntryState.PENDING, note, ""
            entry.decided_by, entry.decided_at = None, None
            entry.save()
    return entry


def withdraw(user, entry_id: Any) -> None:
    """The merchant takes a pending entry back (approved ones stay: the page may be live)."""
    merchant = open_shop_of(user)
    with transaction.atomic():
        entry = (CampaignEntry.objects.select_for_update()
                 .filter(pk=_int(entry_id), merchant_id=merchant.pk).first())
        if entry is None:
            raise NotFound(_("No such sign-up."))
        if entry.state != EntryState.PENDING:
            raise Conflict(_("Only a sign-up awaiting review can be withdrawn."),
                           code="entry_decided")
        entry.delete()


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def entries_of_merchant(merchant, campaign: Campaign | None = None) -> QuerySet[CampaignEntry]:
    qs = CampaignEntry.objects.filter(merchant_id=getattr(merchant, "pk", merchant))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.select_related("campaign", "product").order_by("-created_at", "-id")


# --- operators: review ----------------------------------------------------------------------


def decide(actor, entry_id: Any, approve: bool, reason: str = "") -> CampaignEntry:
    """Approve or reject a sign-up (a rejection needs a reason the merchant sees)."""
    require_role(actor, Role.OPERATOR)
    reason = str(reason or "").strip()[:200]
    if not approve and not reason:
        raise ValidationFailed(_("Please give a reason."),
                               fields={"reason": [_("Tell the merchant why.")]})
    with transaction.atomic():
        entry = CampaignEntry.objects.select_for_update().filter(pk=_int(entry_id)).first()
        if entry is None:
            raise NotFound(_("No such sign-up."))
        entry.state = EntryState.APPROVED if approve else EntryState.REJECTED
        entry.reject_reason = "" if approve else reason
        entry.decided_by, entry.decided_at = actor, timezone.now()
        entry.save()
    return entry


def entries_for_review(campaign: Campaign, state: str | None = None) -> QuerySet[CampaignEntry]:
    qs = campaign.entries.select_related("product", "merchant")
    if state in EntryState.values:
        qs = qs.filter(state=state)
    return qs.order_by("state", "created_at", "id")


# --- the landing page -----------------------------------------------------------------------


def landing_products(campaign: Campaign) -> list[CampaignEntry]:
    """Approved entries whose product is on sale in an open shop, in sign-up order."""
    return list(campaign.entries.filter(state=EntryState.APPROVED, product__state="on_sale",
                                        merchant__state="approved")
                .select_related("product", "merchant").order_by("created_at", "id")[:200])


def attached_promotions(campaign: Campaign) -> list[Any]:
    """The promotions attached by id, through the promotion engine's public reader when it
    is installed (``services.promotions.promotions_by_ids``); plain ids otherwise."""
    ids = list(campaign.promotion_ids or [])
    if not ids:
        return []
    try:
        module = importlib.import_module("regionmall.marketing.services.promotions")
    except ModuleNotFoundError:
        module = None
    reader = getattr(module, "promotions_by_ids", None)
    if reader is None:
        return [{"id": pid} for pid in ids]
    return list(reader(ids))
