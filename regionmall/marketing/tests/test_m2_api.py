"""``/api/v1/marketing`` for member levels, rebates, campaigns and traffic: each role sees
only what is its own (403 for the wrong role, 404 for someone else's object)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from regionmall.accounts import services as account_services
from regionmall.accounts.roles import Role
from regionmall.marketing.models import MemberScore
from regionmall.marketing.services import campaigns, rebates
from regionmall.testing.factories import make_user
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

from .m2_support import buyer, completed_order, shop

pytestmark = pytest.mark.django_db
API = "/api/v1/marketing"


def auth(user) -> dict:
    access = account_services.issue_tokens(user)["access"]
    return {"HTTP_AUTHORIZATION": f"Bearer {access}", "HTTP_ACCEPT_LANGUAGE": "en"}


def get(path, user=None, **params):
    return Client().get(API + path, params, **(auth(user) if user else {}))


def send(method, path, user, data=None):
    return getattr(Client(), method)(API + path, data or {}, content_type="application/json",
                                     **auth(user))


def test_members_endpoints():
    shopper, operator = make_user(), make_user(Role.OPERATOR)
    MemberScore.objects.create(user=shopper, level="vip", r_score=4, f_score=3, m_score=3,
                               frequency=3, monetary_fen=90_000)
    assert get("/members/me").status_code == 401
    me = get("/members/me", shopper).json()
    assert me["level"] == "vip" and me["live"]["level"] == "ordinary"   # no orders of its own
    assert get("/members/me", operator).status_code == 403
    for path in ("/members/distribution", "/members/scores", f"/members/scores/{shopper.pk}",
                 "/members/settings"):
        assert get(path, shopper).status_code == 403, path
    assert get("/members/distribution", operator).json() == {"ordinary": 0, "vip": 1,
                                                              "svip": 0}
    page = get("/members/scores", operator, level="vip").json()
    assert page["count"] == 1 and page["items"][0]["user_id"] == shopper.pk
    assert page["items"][0]["total"] == 10
    assert get("/members/scores/999999", operator).status_code == 404
    settings = get("/members/settings", operator).json()
    settings.pop("last_run_at")
    settings["window_days"] = 180
    assert send("put", "/members/settings", operator, settings).json()["window_days"] == 180
    assert send("put", "/members/settings", shopper, settings).status_code == 403
    bad = {**settings, "recency_days": [90, 30, 180, 365]}
    response = send("put", "/members/settings", operator, bad)
    assert response.status_code == 422 and "recency_days" in response.json()["fields"]
    body = send("put", "/members/benefits/svip", operator, {
        "discount_percent": "7.5", "category_ids": [4], "free_shipping": True}).json()
    assert body["discount_percent"] == "7.5" and body["free_shipping"] is True
    assert send("put", "/members/benefits/ordinary", operator, {}).status_code == 422
    assert send("post", "/members/rescore", operator).json() == {"scored": 0}


def test_rebates_endpoints():
    merchant, owner, sku = shop(price_fen=1_500_000, stock=5)
    _other, other_owner, _sku = shop()
    ent, address = buyer(Role.ENTERPRISE_BUYER)
    assert get("/rebates/programme", owner).status_code == 404
    tiers = {"period": "month", "tiers": [{"min_fen": 1_000_000, "rate_bp": 100}]}
    assert send("put", "/rebates/programme", ent, tiers).status_code == 403
    programme = send("put", "/rebates/programme", owner, tiers).json()
    assert programme["merchant_id"] == merchant.pk and programme["tiers"][0]["rate_bp"] == 100
    bad = send("put", "/rebates/programme", owner, {"tiers": [{"min_fen": 0, "rate_bp": 1}]})
    assert bad.status_code == 422
    # Back-date the programme to October and credit October.
    rebates.save_programme(owner, tiers, today=date(2026, 10, 1))
    from regionmall.marketing.models import RebateProgramme

    RebateProgramme.objects.filter(merchant=merchant).update(starts_on=date(2026, 10, 1))
    completed_order(ent, address, owner, (sku, 1),
                    completed_at=timezone.make_aware(timezone.datetime(2026, 10, 9)))
    rebates.compute_due(today=date(2026, 11, 1))
    statement = get("/rebates/statement", owner).json()
    assert statement["count"] == 1 and statement["amount_fen"] == 15_000
    assert statement["items"][0]["buyer_id"] == ent.pk
    assert get("/rebates/statement", other_owner).json()["count"] == 0   # its own: none
    assert get("/rebates/statement", ent).status_code == 403
    mine = get("/rebates/mine", ent).json()
    assert mine["balance_fen"] == 15_000 and mine["items"][0]["merchant_id"] == merchant.pk
    assert get("/rebates/mine", make_user()).status_code == 403
    assert get("/rebates/mine", owner).status_code == 403
    assert get("/rebates/progress", owner).status_code == 200
    assert get("/rebates/progress", other_owner).status_code == 404


def test_campaign_endpoints():
    operator = make_user(Role.OPERATOR)
    _m, owner, sku = shop()
    _o, other_owner, _s = shop()
    dates = get("/campaigns/festival-dates", year=2028).json()
    assert {d["festival"]: d["festival_day"] for d in dates} == {
        "spring": "2028-01-26", "dragon_boat": "2028-05-28", "mid_autumn": "2028-10-03",
        "harvest": "2028-09-22"}
    assert send("post", "/campaigns", owner, {"festival": "spring", "year": 2027}
                ).status_code == 403
    created = send("post", "/campaigns", operator, {"festival": "spring", "year": 2097,
                                                    "publish": True})
    assert created.status_code == 201
    campaign = created.json()
    today = timezone.localdate()
    send("patch", f"/campaigns/{campaign['id']}", operator, {
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=9)).isoformat(),
        "signup_ends_on": (today + timedelta(days=3)).isoformat()})
    assert send("patch", f"/campaigns/{campaign['id']}", owner, {"name": "x"}
                ).status_code == 403
    entry = send("post", f"/campaigns/{campaign['id']}/entries", owner,
                 {"product_id": sku.product_id})
    assert entry.status_code == 201
    entry = entry.json()
    foreign = send("post", f"/campaigns/{campaign['id']}/entries", other_owner,
                   {"product_id": sku.product_id})
    assert foreign.status_code == 404
    assert [e["id"] for e in get("/campaigns/my-entries", owner).json()] == [entry["id"]]
    assert get("/campaigns/my-entries", other_owner).json() == []
    assert send("delete", f"/campaigns/my-entries/{entry['id']}", other_owner
                ).status_code == 404
    assert get(f"/campaigns/{campaign['id']}/entries", owner).status_code == 403
    assert send("post", f"/campaigns/entries/{entry['id']}/decision", owner,
                {"approve": True}).status_code == 403
    decided = send("post", f"/campaigns/entries/{entry['id']}/decision", operator,
                   {"approve": True}).json()
    assert decided["state"] == "approved"
    landing = get(f"/campaigns/{campaign['slug']}").json()
    assert [p["product_id"] for p in landing["products"]] == [sku.product_id]
    assert campaign["slug"] in [c["slug"] for c in get("/campaigns").json()]
    draft = campaigns.create_campaign(operator, "harvest", 2096)
    assert get(f"/campaigns/{draft.slug}").status_code == 404


def test_traffic_endpoints():
    merchant, owner, _sku = shop()
    assert get("/traffic", owner).status_code == 404
    now = timezone.now()
    data = {"live_url": "https://live.example.com/1", "live_title": "直播",
            "live_starts_at": (now - timedelta(minutes=1)).isoformat(),
            "live_ends_at": (now + timedelta(hours=1)).isoformat(),
            "followup_url": "https://example.com/group"}
    assert send("put", "/traffic", make_user(), data).status_code == 403
    saved = send("put", "/traffic", owner, data).json()
    assert saved["merchant_id"] == merchant.pk and saved["is_live"] is True
    live = get(f"/traffic/live/{merchant.pk}").json()
    assert live["live"] is True and live["url"] == "https://live.example.com/1"
    assert send("post", "/traffic/end-live", owner).json()["is_live"] is False
    assert get(f"/traffic/live/{merchant.pk}").json() == {
        "live": False, "title": "", "url": "", "ends_at": None}
    svg = get("/traffic/qr", data="https://example.com/group")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert get("/traffic/qr", data="x" * 301).status_code == 422
