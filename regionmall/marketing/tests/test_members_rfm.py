"""RFM scoring on a known data set: every score and level below is worked out by hand from
the default thresholds (recency ≤30/90/180/365 days → 5/4/3/2; frequency from 2/3/6/12
orders → 2/3/4/5; spending from ¥200/¥800/¥2,000/¥5,000 → 2/3/4/5; VIP needs R≥2 F≥2 M≥3 and
a total ≥9, super VIP R≥3 F≥4 M≥5 and ≥13)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from regionmall.accounts.roles import Role
from regionmall.core.errors import Forbidden, ValidationFailed
from regionmall.marketing import jobs, tasks
from regionmall.marketing.models import MemberScore, MemberSettings
from regionmall.marketing.services import members
from regionmall.testing.factories import make_user
from regionmall.trade.services import orders
from regionmall.trade.tests.orders_support import fast_hashing  # noqa: F401

from .m2_support import buyer, completed_order, place, shop

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


@pytest.fixture
def data_set():
    """Five buyers. Prices are ≥ ¥99, so shipping is free and each order costs its price."""
    _m, owner, sku = shop(price_fen=100_000, stock=100)        # ¥1,000
    _m2, owner2, cheap = shop(price_fen=10_000, stock=100)     # ¥100
    _m3, owner3, dear = shop(price_fen=90_000, stock=100)      # ¥900
    people = {}
    # alice: 3 orders (10, 40, 100 days ago) of ¥1,000: R5 (10 d), F3 (3), M4 (¥3,000) = 12
    # -> VIP (super VIP needs F4 M5 13).
    alice, address = buyer()
    for days in (10, 40, 100):
        completed_order(alice, address, owner, (sku, 1), completed_at=ago(days))
    people["alice"] = alice
    # bob: one ¥100 order 200 days ago: R2, F1, M1 = 4 -> ordinary.
    bob, address = buyer()
    completed_order(bob, address, owner2, (cheap, 1), completed_at=ago(200))
    people["bob"] = bob
    # carol: 6 orders of ¥900 (last 5 days ago): R5, F4 (6), M5 (¥5,400) = 14 -> super VIP.
    carol, address = buyer()
    for days in (5, 20, 60, 90, 150, 300):
        completed_order(carol, address, owner3, (dear, 1), completed_at=ago(days))
    people["carol"] = carol
    # dave: 2 orders of ¥1,000, 400 and 500 days ago — outside the 365-day window:
    # R1 (older than 365), F1 (0 in window), M1 (¥0) = 3 -> ordinary, but scored.
    dave, address = buyer()
    for days in (400, 500):
        completed_order(dave, address, owner, (sku, 1), completed_at=ago(days))
    people["dave"] = dave
    # erin: only an unpaid (never completed) order -> no score at all.
    erin, address = buyer()
    place(erin, address, (sku, 1), now=ago(3))
    people["erin"] = erin
    return people, owner, sku


def test_scores_and_levels_of_the_known_data_set(data_set):
    people, _owner, _sku = data_set
    assert members.score_members(now=NOW) == 4
    got = {name: (s.r_score, s.f_score, s.m_score, s.level, s.frequency, s.monetary_fen,
                  s.recency_days)
           for name, user in people.items()
           for s in MemberScore.objects.filter(user=user)}
    assert got == {
        "alice": (5, 3, 4, "vip", 3, 300_000, 10),
        "bob": (2, 1, 1, "ordinary", 1, 10_000, 200),
        "carol": (5, 4, 5, "svip", 6, 540_000, 5),
        "dave": (1, 1, 1, "ordinary", 0, 0, 400),
    }
    assert members.distribution() == {"ordinary": 2, "vip": 1, "svip": 1}
    assert MemberSettings.objects.get().last_run_at == NOW


def test_level_of_reads_the_cache_the_job_wrote(data_set, django_assert_num_queries):
    people, _owner, _sku = data_set
    members.score_members(now=NOW)
    with django_assert_num_queries(0):   # the job cached every changed level
        assert members.level_of(people["alice"].pk) == "vip"
        assert members.level_of(people["carol"].pk) == "svip"
    cache.clear()
    carol = get_user_model().objects.get(pk=people["carol"].pk)   # a new request's user
    with django_assert_num_queries(1):   # a miss: one query on the unique user index
        assert members.level_of(carol) == "svip"
    with django_assert_num_queries(0):   # then the user object and the cache remember it
        assert members.level_of(carol) == "svip"
        assert members.level_of(carol.pk) == "svip"
    assert members.level_of(None) == "ordinary"
    assert members.level_of(people["erin"]) == "ordinary"


def test_rescoring_is_idempotent_and_follows_refunds_and_thresholds(data_set):
    people, _owner, _sku = data_set
    members.score_members(now=NOW)
    first = list(MemberScore.objects.order_by("user_id").values_list(
        "user_id", "r_score", "f_score", "m_score", "level"))
    members.score_members(now=NOW)
    assert list(MemberScore.objects.order_by("user_id").values_list(
        "user_id", "r_score", "f_score", "m_score", "level")) == first

    # bob's only order is refunded: he leaves the scores, and his cached level is ordinary.
    bob_order = orders_of(people["bob"])[0]
    operator = make_user(Role.OPERATOR)
    orders.start_refund(bob_order.number, "damaged", actor=operator)
    orders.finish_refund(bob_order.number, actor=operator)
    members.score_members(now=NOW)
    assert not MemberScore.objects.filter(user=people["bob"]).exists()

    # Stricter VIP rule (M4): alice (M4) stays VIP; M5 would drop her to ordinary.
    operator = make_user(Role.OPERATOR)
    members.update_settings(operator, {
        "window_days": 365, "recency_days": "30,90,180,365", "frequency_orders": "2,3,6,12",
        "monetary_yuan": "200,800,2000,5000", "vip_r": 2, "vip_f": 2, "vip_m": 5,
        "vip_total": 9, "svip_r": 3, "svip_f": 4, "svip_m": 5, "svip_total": 13})
    members.score_members(now=NOW)
    assert MemberScore.objects.get(user=people["alice"]).level == "ordinary"
    assert members.level_of(people["alice"].pk) == "ordinary"   # cache rewritten by the job
    # A longer window brings dave's orders back in: F2 (2 orders), M4 (¥2,000), R1 = 7.
    data = {"window_days": 600, "recency_days": [30, 90, 180, 365],
            "frequency_orders": [2, 3, 6, 12], "monetary_fen": [20_000, 80_000, 200_000,
                                                                500_000],
            "level_rules": {"vip": {"r": 1, "f": 2, "m": 3, "total": 7},
                            "svip": {"r": 3, "f": 4, "m": 5, "total": 13}}}
    members.update_settings(operator, data)
    members.score_members(now=NOW)
    dave = MemberScore.objects.get(user=people["dave"])
    assert (dave.r_score, dave.f_score, dave.m_score, dave.level) == (1, 2, 4, "vip")


def fresh(user):
    """The user as a new request loads it (the data set's pricing remembered a level)."""
    return get_user_model().objects.get(pk=user.pk)


def orders_of(user):
    from regionmall.trade.selectors import orders_of_buyer

    return list(orders_of_buyer(user))


@pytest.mark.parametrize(("days", "score"), [
    (None, 1), (0, 5), (30, 5), (31, 4), (90, 4), (91, 3), (180, 3), (365, 2), (366, 1)])
def test_recency_boundaries(days, score):
    assert members.recency_score(days, [30, 90, 180, 365]) == score


@pytest.mark.parametrize(("value", "score"), [(0, 1), (1, 1), (2, 2), (3, 3), (5, 3), (6, 4),
                                              (11, 4), (12, 5), (99, 5)])
def test_frequency_boundaries(value, score):
    assert members.ascending_score(value, [2, 3, 6, 12]) == score


def test_level_rules_need_every_minimum():
    rules = {"svip": {"r": 3, "f": 4, "m": 5, "total": 13},
             "vip": {"r": 2, "f": 2, "m": 3, "total": 9}}
    assert members.level_for({"r": 5, "f": 5, "m": 5}, rules) == "svip"
    assert members.level_for({"r": 2, "f": 5, "m": 5}, rules) == "vip"    # R too low for svip
    assert members.level_for({"r": 1, "f": 5, "m": 5}, rules) == "ordinary"
    assert members.level_for({"r": 2, "f": 2, "m": 4}, rules) == "ordinary"  # total 8 < 9


def test_settings_are_validated_and_for_operators_only():
    operator = make_user(Role.OPERATOR)
    good = {"window_days": "365", "recency_days": "30, 90, 180, 365",
            "frequency_orders": "2，3，6，12", "monetary_yuan": "200, 800, 2000, 5000",
            "vip_r": "2", "vip_f": "2", "vip_m": "3", "vip_total": "9",
            "svip_r": "3", "svip_f": "4", "svip_m": "5", "svip_total": "13"}
    conf = members.update_settings(operator, good)
    assert conf.frequency_orders == [2, 3, 6, 12]
    assert conf.monetary_fen == [20_000, 80_000, 200_000, 500_000]
    with pytest.raises(Forbidden):
        members.update_settings(make_user(Role.SHOPPER), good)
    for field, bad in [("recency_days", "90, 30, 180, 365"), ("recency_days", "30, 90"),
                       ("frequency_orders", "a, b, c, d"), ("window_days", "3"),
                       ("svip_m", "2"), ("vip_total", "20")]:
        with pytest.raises(ValidationFailed) as caught:
            members.update_settings(operator, {**good, field: bad})
        assert caught.value.fields, field
    assert MemberSettings.objects.get().recency_days == [30, 90, 180, 365]


def test_member_centre_explains_the_way_to_the_next_level(data_set):
    people, _owner, _sku = data_set
    members.score_members(now=NOW)
    found = members.explain(fresh(people["bob"]), now=NOW)
    assert found["level"] == "ordinary" and found["next_level"] == "vip"
    dims = {step.dimension: step for step in found["steps"]}
    # VIP needs F2 (2 orders: 1 more) and M3 (¥800: ¥700 more); bob's R2 is enough.
    assert set(dims) == {"f", "m"}
    assert dims["f"].needed == 2 and dims["m"].needed == 3
    assert "¥700.00" in dims["m"].text
    top = members.explain(fresh(people["carol"]), now=NOW)
    assert top["level"] == "svip" and top["next_level"] is None and top["steps"] == []


def test_job_is_wired_to_beat_and_the_scheduler(settings):
    from django.utils.module_loading import import_string

    names = {name for name, _interval, _target in jobs.JOBS}
    assert {"marketing.score_members", "marketing.compute_rebates"} <= names
    for _name, interval, target in jobs.JOBS:
        assert interval > 0 and callable(import_string(target))
    for name, entry in tasks.BEAT_SCHEDULE.items():
        assert settings.CELERY_BEAT_SCHEDULE[name] == entry
    assert tasks.score_members.delay().get() == 0   # no completed orders: nobody scored
