"""Console pages for promotions: a merchant's own (``merchant/marketing/promotions/``) and the
platform's (``platform/marketing/promotions/``, operators). One set of views serves both;
the URL decides whose promotions they are, and the services check the role and ownership
(someone else's promotion is a 404).

- list: every promotion with its status, orders, discount given and budget left;
- new / detail: the form (amounts typed in yuan, stored in fen), the figures and the latest
  orders that used it; "end now" stops it at once.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import InvalidOperation
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from regionmall.accounts.permissions import merchant_console, platform_console
from regionmall.catalog.selectors import categories_with_schema, products_of_merchant
from regionmall.core.errors import DomainError
from regionmall.core.money import MoneyError, to_fen, to_yuan
from regionmall.marketing.models import PromotionKind, PromotionScope
from regionmall.marketing.services import promotions as services
from regionmall.marketing.services.engine import promotion_rule
from regionmall.regions.selectors import districts

TIER_ROWS = 3
LEVELS = [("ordinary", gettext_lazy("Ordinary member")), ("vip", gettext_lazy("VIP")),
          ("svip", gettext_lazy("Super VIP"))]


def fen_of(text: Any) -> int | str | None:
    """Yuan typed by a person -> fen; None when empty; the text back when it is not an
    amount (the service then names the field)."""
    text = str(text or "").strip()
    if not text:
        return None
    try:
        return to_fen(text)
    except (MoneyError, InvalidOperation, ValueError):
        return text


def yuan_of(fen: int | None) -> str:
    return "" if fen is None else f"{to_yuan(fen)}"


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def _ids(text: str) -> list[str]:
    return [v.strip() for v in str(text or "").replace("，", ",").split(",") if v.strip()]


def _owner(request: HttpRequest, platform: bool) -> services.Owner:
    try:
        return services.owner_of(request.user, platform=platform)
    except DomainError:
        raise Http404 from None


def _payload(post, scope_default: str) -> dict[str, Any]:
    scope = post.get("scope") or scope_default
    targets: list = {
        PromotionScope.PRODUCT: post.getlist("product_ids") or _ids(post.get("product_text")),
        PromotionScope.CATEGORY: post.getlist("category_ids"),
        PromotionScope.SKU: _ids(post.get("sku_ids")),
        PromotionScope.MERCHANTS: _ids(post.get("merchant_ids")),
    }.get(scope, [])
    tiers = []
    for n in range(1, TIER_ROWS + 1):
        spend, off = fen_of(post.get(f"tier{n}_spend")), fen_of(post.get(f"tier{n}_off"))
        if spend is not None or off is not None:
            tiers.append([spend, off])
    return {
        "name": post.get("name", ""), "kind": post.get("kind", ""), "scope": scope,
        "target_ids": targets, "tiers": tiers, "percent_off": post.get("percent_off"),
        "fixed_price_fen": fen_of(post.get("fixed_price")), "buy_n": post.get("buy_n"),
        "get_m": post.get("get_m"), "min_spend_fen": fen_of(post.get("min_spend")) or 0,
        "starts_at": post.get("starts_at", ""), "ends_at": post.get("ends_at", ""),
        "new_customers_only": post.get("new_customers_only"),
        "member_levels": post.getlist("member_levels"),
        "district_codes": post.getlist("district_codes"),
        "exclusive": post.get("exclusive"), "budget_fen": fen_of(post.get("budget")),
    }


def _values(promotion=None, post=None) -> dict[str, Any]:
    """What the form shows: the posted text after an error, else the promotion's values."""
    if post is not None:
        values = {k: post.get(k, "") for k in post}
        values["member_levels"] = post.getlist("member_levels")
        values["district_codes"] = post.getlist("district_codes")
        values["product_ids"] = post.getlist("product_ids")
        values["category_ids"] = post.getlist("category_ids")
        return values
    if promotion is None:
        now = timezone.now()
        return {"kind": PromotionKind.TIERED, "scope": PromotionScope.ALL,
                "starts_at": local(now), "ends_at": local(now + timedelta(days=14)),
                "tier1_spend": "100", "tier1_off": "10", "member_levels": [],
                "district_codes": [], "product_ids": [], "category_ids": []}
    p = promotion
    targets = [str(t) for t in (p.target_ids or [])]
    values = {
        "name": p.name, "kind": p.kind, "scope": p.scope, "percent_off": p.percent_off or "",
        "fixed_price": yuan_of(p.fixed_price_fen), "buy_n": p.buy_n or "", "get_m": p.get_m or "",
        "min_spend": yuan_of(p.min_spend_fen), "starts_at": local(p.starts_at),
        "ends_at": local(p.ends_at), "new_customers_only": p.new_customers_only,
        "member_levels": list(p.member_levels), "district_codes": list(p.district_codes),
        "exclusive": p.exclusive, "budget": yuan_of(p.budget_fen),
        "product_ids": targets if p.scope == PromotionScope.PRODUCT else [],
        "product_text": ", ".join(targets) if p.scope == PromotionScope.PRODUCT else "",
        "category_ids": targets if p.scope == PromotionScope.CATEGORY else [],
        "sku_ids": ", ".join(targets) if p.scope == PromotionScope.SKU else "",
        "merchant_ids": ", ".join(targets) if p.scope == PromotionScope.MERCHANTS else "",
    }
    for n, (spend, off) in enumerate(p.tiers or [], start=1):
        values[f"tier{n}_spend"], values[f"tier{n}_off"] = yuan_of(spend), yuan_of(off)
    return values


def _choices(owner: services.Owner) -> dict[str, Any]:
    scopes = [(v, label) for v, label in PromotionScope.choices
              if owner.is_platform or v != PromotionScope.MERCHANTS]
    products = (list(products_of_merchant(owner.merchant)[:300])
                if owner.merchant is not None else [])
    return {"kinds": PromotionKind.choices, "scopes": scopes, "products": products,
            "categories": categories_with_schema(), "districts": list(districts()),
            "levels": LEVELS, "tier_rows": range(1, TIER_ROWS + 1)}


def _base(platform: bool) -> str:
    return "web/console_platform.html" if platform else "web/console_merchant.html"


def _url(platform: bool, name: str) -> str:
    return f"marketing:{'platform' if platform else 'merchant'}_{name}"


def promotion_list(request: HttpRequest, platform: bool) -> HttpResponse:
    owner = _owner(request, platform)
    rows = list(services.promotions_of(owner)[:200])
    stats = services.stats([p.pk for p in rows])
    now = timezone.now()
    return render(request, "marketing/promotions/list.html", {
        "base": _base(platform), "platform": platform, "url": _url(platform, "promotion"),
        "new_url": _url(platform, "promotion_new"),
        "rows": [{"p": p, "rule": promotion_rule(p), "status": services.status_of(p, now),
                  "stats": stats[p.pk]} for p in rows],
    })


def promotion_form(request: HttpRequest, platform: bool, pk: int | None = None) -> HttpResponse:
    owner = _owner(request, platform)
    promotion = None
    if pk is not None:
        try:
            promotion = services.promotion_of(owner, pk)
        except DomainError:
            raise Http404 from None
    errors: dict = {}
    error, status = "", 200
    values = _values(promotion)
    if request.method == "POST":
        payload = _payload(request.POST, PromotionScope.ALL)
        try:
            if promotion is None:
                promotion = services.create_promotion(request.user, payload, platform=platform)
                messages.success(request, _("Promotion created."))
            else:
                services.update_promotion(request.user, promotion.pk, payload,
                                          platform=platform)
                messages.success(request, _("Saved."))
        except DomainError as exc:
            errors, error, status = exc.fields, str(exc.message), exc.status
            values = _values(post=request.POST)
        else:
            return redirect(_url(platform, "promotion"), pk=promotion.pk)
    context = {
        "base": _base(platform), "platform": platform, "promotion": promotion,
        "values": values, "errors": errors, "error": error,
        "list_url": _url(platform, "promotions"), "end_url": _url(platform, "promotion_end"),
        **_choices(owner),
    }
    if promotion is not None:
        context |= {"rule": promotion_rule(promotion), "status": services.status_of(promotion),
                    "stats": services.stats([promotion.pk])[promotion.pk],
                    "uses": services.uses_of(promotion)}
    return render(request, "marketing/promotions/form.html", context, status=status)


def promotion_end(request: HttpRequest, platform: bool, pk: int) -> HttpResponse:
    try:
        services.end_promotion(request.user, pk, platform=platform)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The promotion has ended."))
    return redirect(_url(platform, "promotion"), pk=pk)


def _views(platform: bool):
    guard = platform_console if platform else merchant_console

    @guard
    @require_http_methods(["GET"])
    def listing(request, **kwargs):
        return promotion_list(request, platform)

    @guard
    @require_http_methods(["GET", "POST"])
    def new(request, **kwargs):
        return promotion_form(request, platform)

    @guard
    @require_http_methods(["GET", "POST"])
    def detail(request, pk: int):
        return promotion_form(request, platform, pk)

    @guard
    @require_POST
    def end(request, pk: int):
        return promotion_end(request, platform, pk)

    return listing, new, detail, end


_m = _views(False)
_p = _views(True)

urlpatterns = [
    path("merchant/marketing/promotions/", _m[0], name="merchant_promotions"),
    path("merchant/marketing/promotions/new/", _m[1], name="merchant_promotion_new"),
    path("merchant/marketing/promotions/<int:pk>/", _m[2], name="merchant_promotion"),
    path("merchant/marketing/promotions/<int:pk>/end/", _m[3], name="merchant_promotion_end"),
    path("platform/marketing/promotions/", _p[0], name="platform_promotions"),
    path("platform/marketing/promotions/new/", _p[1], name="platform_promotion_new"),
    path("platform/marketing/promotions/<int:pk>/", _p[2], name="platform_promotion"),
    path("platform/marketing/promotions/<int:pk>/end/", _p[3], name="platform_promotion_end"),
]
