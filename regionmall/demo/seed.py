"""Build the demo region deterministically: places, belts, a login for every role, and 50+
merchants in every onboarding state, all through the centres' services (so the demo data
obeys the same rules as real data and writes the same events)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import hashers
from django.core.files.base import ContentFile
from django.db import transaction

from regionmall.accounts import services as accounts
from regionmall.accounts.roles import Role
from regionmall.demo import region_data as data
from regionmall.demo.catalog_seed import seed_catalog
from regionmall.demo.marketing_seed import seed_marketing
from regionmall.demo.trade_seed import seed_trade
from regionmall.merchants import services as merchants
from regionmall.merchants.validators import compute_id_check, compute_uscc_check
from regionmall.regions import services as regions

DEMO_PASSWORD = "regionmall-demo"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# (username, role, display name, mobile)
ROLE_LOGINS = [
    ("shopper", Role.SHOPPER, "赵小满（顾客）", "13800000001"),
    ("buyer", Role.ENTERPRISE_BUYER, "金华万家福超市采购部", "13800000002"),
    ("merchant", Role.MERCHANT_OWNER, "卢国强（红木家具老板）", "13800000003"),
    ("staff", Role.MERCHANT_STAFF, "卢小娟（店铺客服）", "13800000004"),
    ("operator", Role.OPERATOR, "平台运营 周敏", "13800000005"),
    ("gov", Role.SUPERVISOR, "市商务局 监管员 陈立", "13800000006"),
    ("warehouse", Role.WAREHOUSE, "东阳中心仓 仓管员", "13800000007"),
    ("courier", Role.COURIER, "同城配送 骑手 吴师傅", "13800000008"),
]

# How many merchants end in each state, in order of creation after the first (the demo
# merchant owner's shop, which is approved).
STATE_PLAN = ["approved"] * 37 + ["submitted"] * 6 + ["draft"] * 4 + ["rejected"] * 4 + [
    "suspended"] * 3
REJECT_REASONS = ["营业执照照片模糊，请重新上传清晰扫描件。", "食品生产许可证已过期。",
                  "店铺名称与营业执照不一致。", "检测报告缺少农残检测项目。"]
SUSPEND_REASONS = ["抽检不合格，暂停经营待整改。", "资质年检逾期未更新。",
                   "多次虚假发货被投诉。"]


@dataclass
class SeedReport:
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    merchants_by_state: dict[str, int] = field(default_factory=dict)


def _pdf(title: str) -> ContentFile:
    body = f"%PDF-1.4\n% RegionMall demo document: {title}\n%%EOF\n".encode()
    return ContentFile(body, name="scan.pdf")


def _credit_code(rng: random.Random, prefix: str, division: str) -> str:
    first17 = prefix + division + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return first17 + compute_uscc_check(first17)


def _resident_id(rng: random.Random, division: str) -> str:
    birth = date(1955, 1, 1) + timedelta(days=rng.randrange(365 * 30))
    first17 = f"{division}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + compute_id_check(first17)


def _places() -> dict[str, object]:
    regions.upsert_division(*data.PROVINCE, level="province")
    regions.upsert_division(*data.CITY, level="city", parent_code=data.PROVINCE[0])
    districts = {code: regions.upsert_division(code, name, "district", data.CITY[0])
                 for code, name in data.DISTRICTS}
    for code, name, parent in data.TOWNSHIPS:
        regions.upsert_division(code, name, "township", parent)
    belts = {slug: regions.upsert_belt(slug, name, kind, division, description)
             for slug, name, kind, division, description in data.BELTS}
    return {"districts": districts, "belts": belts}


def _applications(rng: random.Random, count: int) -> list[dict]:
    """Deterministic, varied applications across the belts, with co-ops and farmers."""
    kinds = [("dongyang-furniture", "330783", data.FURNITURE_WORDS),
             ("wuyi-tea", "330723", data.TEA_WORDS),
             ("wuyi-tea", "330727", data.TEA_WORDS),
             ("pujiang-fruit", "330726", data.FRUIT_WORDS)]
    seen: set[str] = set()
    out: list[dict] = []
    farmers = iter(data.FARMER_NAMES)
    index = 0
    while len(out) < count:
        belt, district, (places, goods, suffixes) = kinds[index % len(kinds)]
        index += 1
        farmer = belt != "dongyang-furniture" and index % 11 == 0
        name = next(farmers, None) if farmer else None
        if name is None:
            farmer = False
            name = rng.choice(places) + rng.choice(goods) + rng.choice(suffixes)
        if name in seen:
            continue
        seen.add(name)
        person = rng.choice(data.SURNAMES) + rng.choice(data.GIVEN)
        application = {
            "company_name": name, "legal_person": person, "district": None,
            "district_code": district, "belt_slug": belt,
            "contact_mobile": f"139{len(out) + 1:08d}",
            "description": f"{name}，{person}经营，产地直发。",
        }
        if farmer:
            application |= {"subject_type": "individual_farmer",
                            "resident_id": _resident_id(rng, district),
                            "self_production_pledge": True}
        else:
            prefix = "93" if name.endswith("合作社") else "91"
            if name.endswith("合作社") and rng.random() < 0.3:
                prefix = "N2"  # a village collective: must be accepted (GB 32100 'N')
            application["credit_code"] = _credit_code(rng, prefix, district)
        out.append(application)
    return out


def _documents(owner, merchant, application: dict) -> None:
    today = date(2026, 1, 5)
    expires = today + timedelta(days=3 * 365)
    if application.get("subject_type") == "individual_farmer":
        merchants.add_qualification(owner, merchant, "inspection_report", "JH-NJ-2026-0001",
                                    _pdf("inspection"), today, expires)
        return
    merchants.add_qualification(owner, merchant, "business_licence",
                                application["credit_code"], _pdf("licence"), today, None)
    if application["belt_slug"] != "dongyang-furniture":
        merchants.add_qualification(owner, merchant, "sc_food_licence",
                                    f"SC1143307{merchant.pk:08d}", _pdf("sc"), today, expires)


@contextmanager
def one_hash_per_password() -> Iterator[None]:
    """Hash each password once while the demo is seeded, not once per login.

    Every demo login (the role logins and every merchant owner, 60-odd) has the same
    published password, and the configured hasher is Argon2 at Django's cost (0.1-0.3 s a
    hash, most of the seed's users step). Inside this block the default hasher remembers
    what it encoded, so every login gets the same encoded value: the configured hasher's
    own format, verified (and upgraded on login, if the settings change) as any other; only
    the salt is shared, which protects nothing for a password printed on the console.
    """
    hasher = hashers.get_hasher("default")
    encode = hasher.encode
    done: dict[str, str] = {}

    def once(password: str, salt: str, *args, **kwargs) -> str:
        if password not in done:
            done[password] = encode(password, salt, *args, **kwargs)
        return done[password]

    hasher.encode = once
    try:
        yield
    finally:
        del hasher.encode


@transaction.atomic
def seed(stdout=None) -> SeedReport:
    with one_hash_per_password():
        return _seed()


def _seed() -> SeedReport:
    rng = random.Random(20261128)  # noqa: S311 - deterministic demo data, not security
    report = SeedReport()
    places = _places()
    users = {}
    for username, role, name, mobile in ROLE_LOGINS:
        # The owner starts as a shopper: approving the shop makes them its owner.
        initial = Role.SHOPPER if role == Role.MERCHANT_OWNER else role
        users[username] = accounts.create_user(username, DEMO_PASSWORD, initial, mobile=mobile,
                                               display_name=name)
        report.logins.append((username, Role(role).label, mobile))
    operator = users["operator"]

    plan = ["approved", *STATE_PLAN]
    for number, (application, state) in enumerate(
        zip(_applications(rng, len(plan)), plan, strict=True), start=1
    ):
        owner = users["merchant"] if number == 1 else accounts.create_user(
            f"m{number:03d}", DEMO_PASSWORD, Role.SHOPPER,
            display_name=application["legal_person"])
        fields = {k: v for k, v in application.items()
                  if k not in {"district_code", "belt_slug"}}
        fields["district"] = places["districts"][application["district_code"]].pk
        fields["belt"] = places["belts"][application["belt_slug"]].pk
        if number == 1:
            fields |= {"company_name": "东阳卢宅红木家具有限公司", "slug": "lu-redwood",
                       "description": "三代木雕手艺，缅甸花梨、大果紫檀家具，榫卯结构，终身保修。"}
        merchant = merchants.create_application(owner, fields)
        if state != "draft":
            _documents(owner, merchant, application)
            merchants.submit(owner, merchant)
        if state in {"approved", "suspended"}:
            merchants.approve(operator, merchant)
        if state == "rejected":
            merchants.reject(operator, merchant, rng.choice(REJECT_REASONS))
        if state == "suspended":
            merchants.suspend(operator, merchant, rng.choice(SUSPEND_REASONS))
        if number == 1:
            merchants.add_staff(owner, merchant, users["staff"])
        report.merchants_by_state[state] = report.merchants_by_state.get(state, 0) + 1
    seed_catalog(report)
    seed_trade(report)
    seed_marketing(report)
    return report
