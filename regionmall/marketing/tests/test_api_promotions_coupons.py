"""``/api/v1/marketing`` promotions and coupons: each role's boundary (a merchant edits only
its own, a shopper sees only its coupons, shoppers cannot manage offers, operators manage
the platform's), validation errors in the one error shape, and checkout's ``coupon_ids``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from regionmall.accounts import services as account_services
from regionmall.accounts.roles import Role
from regionmall.marketing.models import Promotion
from regionmall.marketing.services import coupons as coupon_services
from regionmall.marketing.tests.promo_support import (
    NEVER_FREE,
    buyer,
    coupon_template,
    fast_hashing,  # noqa: F401
    key,
    shop,
    shop_promo,
)
from regionmall.testing.factories import make_user

pytestmark = pytest.mark.django_db
BASE = "/api/v1/marketing"


def bearer(user) -> dict:
    access = account_services.issue_tokens(user)["access"]
    return {"HTTP_AUTHORIZATION": f"Bearer {access}", "HTTP_ACCEPT_LANGUAGE": "en"}


def call(method: str, path: str, user=None, body=None):
    extra = bearer(user) if user is not None else {"HTTP_ACCEPT_LANGUAGE": "en"}
    client = Client()
    if method == "get":
        return client.get(BASE + path, **extra)
    return getattr(client, method)(BASE + path, body or {}, content_type="application/json",
                                   **extra)


def promo_body(**changes) -> dict:
    now = timezone.now()
    body = {"name": "满减", "kind": "tiered", "tiers": [[10_000, 1_000]],
            "starts_at": (now - timedelta(hours=1)).isoformat(),
            "ends_at": (now + timedelta(days=3)).isoformat()}
    body.update(changes)
    return body


def test_merchant_creates_lists_edits_and_ends_its_promotion():
    merchant, owner, _sku = shop(terms=NEVER_FREE)
    created = call("post", "/promotions", owner, promo_body())
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["merchant_id"] == merchant.pk and data["rule"] == "Spend ¥100, save ¥10"
    assert data["stats"] == {"orders": 0, "discount_fen": 0, "released_orders": 0,
                             "budget_left_fen": None}
    pid = data["id"]
    assert [p["id"] for p in call("get", "/promotions", owner).json()] == [pid]
    edited = call("put", f"/promotions/{pid}", owner, promo_body(name="店庆满减",
                                                               budget_fen=50_000))
    assert edited.status_code == 200 and edited.json()["stats"]["budget_left_fen"] == 50_000
    assert call("post", f"/promotions/{pid}/end", owner).json()["status"] == "ended"
    assert Promotion.objects.get(pk=pid).state == "ended"


def test_other_merchant_gets_404_and_shopper_403():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    _m2, other, _sku2 = shop(terms=NEVER_FREE)
    pid = call("post", "/promotions", owner, promo_body()).json()["id"]
    for method, path, body in (("get", f"/promotions/{pid}", None),
                               ("put", f"/promotions/{pid}", promo_body()),
                               ("post", f"/promotions/{pid}/end", None)):
        assert call(method, path, other, body).status_code == 404
    assert call("get", "/promotions", other).json() == []
    shopper, _a = buyer()
    assert call("post", "/promotions", shopper, promo_body()).status_code == 403
    assert call("get", "/promotions").status_code == 401


def test_operator_manages_platform_promotions_only():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    merchant_pid = call("post", "/promotions", owner, promo_body()).json()["id"]
    operator = make_user(Role.OPERATOR)
    created = call("post", "/promotions", operator, promo_body(scope="all"))
    assert created.status_code == 201 and created.json()["merchant_id"] is None
    assert call("get", f"/promotions/{merchant_pid}", operator).status_code == 404
    assert call("get", f"/promotions/{created.json()['id']}", owner).status_code == 404


def test_validation_errors_name_the_fields():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    bad = call("post", "/promotions", owner, promo_body(tiers=[[1_000, 2_000]],
                                                        percent_off=5, kind="tiered",
                                                        ends_at="2000-01-01T00:00:00+08:00"))
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"tiers", "ends_at"}
    foreign = shop(terms=NEVER_FREE)[2]
    wrong = call("post", "/promotions", owner, promo_body(
        kind="fixed_price", scope="product", target_ids=[foreign.product_id],
        fixed_price_fen=100))
    assert wrong.status_code == 422 and "target_ids" in wrong.json()["fields"]


def test_live_promotions_are_public():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    shop_promo(owner, "percent", percent_off=10, name="九折")
    rows = call("get", "/promotions/live").json()
    assert [(r["name"], r["rule"]) for r in rows] == [("九折", "10% off")]


def test_coupon_campaign_api_and_boundaries():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    _m2, other, _s2 = shop(terms=NEVER_FREE)
    now = timezone.now()
    body = {"name": "开业券", "claim_starts_at": (now - timedelta(hours=1)).isoformat(),
            "claim_ends_at": (now + timedelta(days=1)).isoformat(),
            "templates": [{"kind": "amount", "amount_off_fen": 500, "threshold_fen": 5_000,
                           "valid_days": 7, "total_quantity": 10}]}
    created = call("post", "/coupon-campaigns", owner, body)
    assert created.status_code == 201, created.content
    cid = created.json()["id"]
    assert created.json()["templates"][0]["rule"] == "Spend ¥50, save ¥5"
    assert call("get", f"/coupon-campaigns/{cid}", other).status_code == 404
    assert call("post", f"/coupon-campaigns/{cid}/end", other).status_code == 404
    shopper, _a = buyer()
    assert call("post", "/coupon-campaigns", shopper, body).status_code == 403


def test_shopper_claims_redeems_and_sees_only_own_coupons():
    _m, owner, _sku = shop(terms=NEVER_FREE)
    template = coupon_template(owner, per_user_limit=1)
    coded = coupon_template(owner, redeem_code="SPRING88", public=False)
    me, _a = buyer()
    other, _b = buyer()
    coupon_services.claim(other, template.pk)
    listed = call("get", "/coupons/claimable").json()
    assert [row["template_id"] for row in listed] == [template.pk]
    claimed = call("post", "/coupons/claim", me, {"template_id": template.pk})
    assert claimed.status_code == 201 and claimed.json()["rule"] == "Spend ¥50, save ¥5"
    again = call("post", "/coupons/claim", me, {"template_id": template.pk})
    assert again.status_code == 409 and again.json()["code"] == "limit_reached"
    assert call("post", "/coupons/redeem", me, {"code": "spring88"}).status_code == 201
    mine = call("get", "/coupons/mine", me).json()
    assert {c["id"] for c in mine} == set(
        coupon_services.coupons_of(me).values_list("pk", flat=True))
    assert len(mine) == 2 and coded.pk
    assert call("get", "/coupons/mine").status_code == 401
    merchant_claim = call("post", "/coupons/claim", owner, {"template_id": template.pk})
    assert merchant_claim.status_code == 403


def test_checkout_api_coupon_ids():
    _m, owner, sku = shop(price_fen=6_000, stock=10, terms=NEVER_FREE)
    template = coupon_template(owner)
    me, address = buyer()
    coupon = coupon_services.claim(me, template.pk)
    body = {"idempotency_key": key(), "lines": [{"sku_id": sku.pk, "quantity": 1}],
            "address_id": address.pk, "coupon_ids": []}
    client = Client()
    none = client.post("/api/v1/trade/checkouts", body, content_type="application/json",
                       **bearer(me)).json()
    assert none["total_fen"] == 6_800
    body |= {"idempotency_key": key(), "coupon_ids": [coupon.pk]}
    used = client.post("/api/v1/trade/checkouts", body, content_type="application/json",
                       **bearer(me)).json()
    assert used["total_fen"] == 6_300
