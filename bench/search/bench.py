"""Search benchmark body (run through bench/search/run).

Builds a scratch database with N products (default 100,000: furniture, tea and hairy crabs
from ~200 shops, with filterable attributes, origins and accepted tags), inserted in bulk and
indexed with the bulk indexer (``indexer.rebuild``), not the per-product services. Then runs a
fixed mix of Chinese, pinyin and initials queries with filters, category browsing and sorts
through ``services.search.search`` in-process (facets included, as the storefront asks) and
reports latency percentiles, queries per second and a correctness count: each probe has a
known "needle" product that must appear on the first page.

The last line is ``search: backend=... products=... p50_ms=... p95_ms=... p99_ms=... qps=...
found=N/M``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]

PLACES = ["东阳", "义乌", "永康", "兰溪", "浦江", "武义", "磐安", "金东", "婺城", "横店"]
FURNITURE = {
    "sofa": ("沙发", ["沙发", "布艺沙发", "转角沙发", "皮沙发"]),
    "bed": ("床", ["双人床", "实木床", "儿童床", "榻榻米床"]),
    "table": ("茶几", ["茶几", "茶桌", "功夫茶台", "边几"]),
    "chair": ("椅子", ["圈椅", "太师椅", "餐椅", "休闲椅"]),
    "cabinet": ("柜子", ["衣柜", "书柜", "电视柜", "鞋柜"]),
}
MATERIALS = ["红木", "实木", "藤编", "板材", "胡桃木", "橡木"]
STYLES = ["新中式", "明式", "清式", "现代", "北欧", "轻奢"]
SUFFIXES = ["", "1.8米", "2米", "客厅组合", "小户型", "家用", "套装"]
TEAS = ["龙井", "绿茶", "白茶", "红茶", "高山云雾茶", "毛峰", "香茗"]
GRADES = ["特级", "一级", "二级"]
PACKS = ["250克", "500克", "礼盒装", "罐装", "袋装"]
LAKES = ["阳澄湖", "太湖", "洪泽湖", "固城湖", "千岛湖"]
CRABS = ["大闸蟹", "清水大闸蟹", "鲜活大闸蟹", "螃蟹礼盒", "河蟹"]
CRAB_SPECS = ["公蟹4两", "母蟹3两", "8只装", "礼盒装", "现货"]
SIZES = ["3两", "4两", "5两"]
PHRASES = ["榫卯结构，经久耐用", "环保水性漆，无异味", "工厂直供，送货上门", "东阳木雕传统工艺",
           "海拔800米高山茶园", "明前采摘，手工炒制", "产地直发，坏单包赔", "现捞现发，顺丰冷链",
           "支持批发，量大从优", "七天无理由退换", "匠人手作，一物一证", "原产地溯源，扫码可查"]

# (label, search kwargs, needle name, needle category key, needle attributes, price_fen)
PROBES = [
    ("chinese", {"q": "红木沙发"}, "红木沙发", "sofa", {"material": "红木", "style": "明式"},
     880_000),
    ("chinese-long", {"q": "阳澄湖大闸蟹礼盒"}, "阳澄湖大闸蟹礼盒", "crab", {"size": "4两"},
     39_800),
    ("chinese-2", {"q": "西湖龙井"}, "西湖龙井", "tea", {"grade": "特级", "organic": True}, 26_800),
    ("chinese-filter", {"q": "实木床", "category": "furniture",
                        "filters": {"material": ["实木"]}}, "实木床", "bed",
     {"material": "实木", "style": "现代"}, 299_900),
    ("pinyin", {"q": "dazhaxie"}, "大闸蟹", "crab", {"size": "5两"}, 29_800),
    ("pinyin-prefix", {"q": "dazha"}, "大闸蟹", "crab", {"size": "5两"}, 29_800),
    ("initials", {"q": "dzx"}, "大闸蟹", "crab", {"size": "5两"}, 29_800),
    ("initials-2", {"q": "hmsf"}, "红木沙发", "sofa", {"material": "红木", "style": "明式"},
     880_000),
    ("pinyin-filter", {"q": "longjing", "category": "tea", "filters": {"grade": ["特级"]}},
     "西湖龙井", "tea", {"grade": "特级", "organic": True}, 26_800),
    ("syllables", {"q": "xin zhong shi"}, "新中式圈椅", "chair",
     {"material": "红木", "style": "新中式"}, 460_000),
    ("chinese-price", {"q": "圈椅", "price_min": 100_000, "price_max": 500_000},
     "新中式圈椅", "chair", {"material": "红木", "style": "新中式"}, 460_000),
    ("browse-sales", {"category": "furniture", "sort": "sales"}, "红木沙发", "sofa",
     {"material": "红木", "style": "明式"}, 880_000),
    ("browse-filters", {"category": "furniture", "filters": {"material": ["红木", "实木"],
                                                          "style": ["明式"]}},
     "红木沙发", "sofa", {"material": "红木", "style": "明式"}, 880_000),
    ("browse-price", {"category": "tea", "sort": "price_asc"}, "特价绿茶", "tea",
     {"grade": "二级", "organic": False}, 1),
    ("tag", {"q": "有机", "category": "tea"}, "西湖龙井", "tea", {"grade": "特级", "organic": True},
     26_800),
    ("newest", {"q": "茶几", "sort": "newest"}, "新品茶几", "table",
     {"material": "胡桃木", "style": "北欧"}, 199_900),
]


def _scratch_postgres(url: str):
    import psycopg

    name = f"regionmall_bench_search_{uuid.uuid4().hex[:8]}"
    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunparse(parsed._replace(path=f"/{name}")), drop


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default=None)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=480)
    parser.add_argument("--query-seconds", type=float, default=60.0)
    parser.add_argument("--budget-seconds", type=float, default=170.0,
                        help="the whole run; the timed queries stop early to stay inside it")
    args = parser.parse_args()
    backend = args.backend or (
        "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite")

    scratch = tempfile.mkdtemp(prefix="rm-bench-search-")
    os.environ["REGIONMALL_VAR_DIR"] = scratch
    os.environ["BROKER_URL"] = ""
    os.environ["REDIS_URL"] = ""
    os.environ["REGIONMALL_LOG_LEVEL"] = "WARNING"
    # One load generator on 127.0.0.1 is not the crowd the per-IP limit is for.
    os.environ["REGIONMALL_RATE_LIMIT"] = "0"
    drop = None
    if backend == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    else:
        os.environ["DATABASE_URL"], drop = _scratch_postgres(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "regionmall.settings"
    try:
        return _run(args)
    finally:
        if drop is not None:
            drop()
        shutil.rmtree(scratch, ignore_errors=True)


def _say(message: str) -> None:
    print(message, flush=True)


def _catalogue():
    """Categories with filterable attributes, divisions, shops (direct rows: the fast path)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from regionmall.catalog.models import AttributeDefinition, Category, Tag
    from regionmall.regions.models import Division

    furniture = Category.objects.create(name="家具", slug="furniture", position=1)
    categories = {"furniture": furniture}
    for key, (name, _items) in FURNITURE.items():
        categories[key] = Category.objects.create(name=name, slug=key, parent=furniture)
    categories["tea"] = Category.objects.create(name="茶叶", slug="tea", position=2)
    categories["crab"] = Category.objects.create(name="水产", slug="crab", position=3)
    for code, name, kind, choices, extra in [
        ("material", "材质", "choice", MATERIALS, {"filterable": True}),
        ("style", "风格", "choice", STYLES, {"filterable": True}),
        ("length", "长度", "number", [], {"unit": "cm"}),
    ]:
        AttributeDefinition.objects.create(category=furniture, code=code, name=name, type=kind,
                                           choices=choices, **extra)
    AttributeDefinition.objects.create(category=categories["tea"], code="grade", name="等级",
                                       type="choice", choices=GRADES, filterable=True)
    AttributeDefinition.objects.create(category=categories["tea"], code="organic",
                                       name="有机种植", type="boolean", filterable=True)
    AttributeDefinition.objects.create(category=categories["crab"], code="size", name="规格",
                                       type="choice", choices=SIZES, filterable=True)

    city = Division.objects.create(code="330700", name="金华市", level="city")
    districts = [Division.objects.create(code=f"3307{i:02d}", name=f"{place}区", level="district",
                                         parent=city) for i, place in enumerate(PLACES, 1)]
    suzhou = Division.objects.create(code="320500", name="苏州市", level="city")
    districts.append(Division.objects.create(code="320506", name="吴中区", level="district",
                                             parent=suzhou))

    user_model = get_user_model()
    users = user_model.objects.bulk_create([
        user_model(username=f"bench_shop_{i}", password="!") for i in range(200)])
    merchant_model = apps.get_model("merchants", "Merchant")
    kinds = ["家具厂", "茶叶合作社", "水产行", "红木家居", "工贸有限公司"]
    merchants = merchant_model.objects.bulk_create([
        merchant_model(applicant=u, company_name=f"{PLACES[i % 10]}{kinds[i % 5]}{i}号",
                       district=districts[i % 10], contact_mobile="13800138000",
                       slug=f"bench-shop-{i}", state="approved")
        for i, u in enumerate(users)])
    tags = {
        "carving": Tag.objects.create(family="regional", name="东阳木雕", slug="carving"),
        "organic": Tag.objects.create(family="compliance", name="有机", slug="organic"),
        "hot": Tag.objects.create(family="marketing", name="爆款", slug="best-seller"),
    }
    return categories, districts, merchants, tags


def _generated(i: int, rng: random.Random, categories, districts, merchants):
    """One product's fields: 60% furniture, 25% tea, 15% crabs."""
    roll = rng.random()
    if roll < 0.60:
        key = rng.choice(list(FURNITURE))
        material, style = rng.choice(MATERIALS), rng.choice(STYLES)
        name = (f"{rng.choice(PLACES)}{material}{style}{rng.choice(FURNITURE[key][1])}"
                f"{rng.choice(SUFFIXES)}")
        attributes = {"material": material, "style": style, "length": str(rng.randint(40, 300))}
        price = rng.randint(200, 3000) * 1000
        merchant = merchants[rng.randrange(0, 200, 5) + 0]
    elif roll < 0.85:
        key = "tea"
        grade = rng.choice(GRADES)
        name = f"{rng.choice(PLACES)}{rng.choice(TEAS)}{grade}{rng.choice(PACKS)}"
        attributes = {"grade": grade, "organic": rng.random() < 0.3}
        price = rng.randint(30, 2000) * 100
        merchant = merchants[rng.randrange(1, 200, 5)]
    else:
        key = "crab"
        name = f"{rng.choice(LAKES)}{rng.choice(CRABS)}{rng.choice(CRAB_SPECS)}"
        attributes = {"size": rng.choice(SIZES)}
        price = rng.randint(80, 1000) * 100
        merchant = merchants[rng.randrange(2, 200, 5)]
    description = "，".join(rng.sample(PHRASES, 3)) + "。"
    return key, name, attributes, price, merchant, description, rng.choice(districts)


def _insert(model, rows: list[dict]) -> None:
    """Plain executemany INSERT with each field's own database preparation (JSON, dates):
    the bulk path; model instances would spend most of the time in __init__."""
    from django.db import connection

    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    sql = (f"INSERT INTO {model._meta.db_table} ({', '.join(f.column for f in fields)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    pairs = list(zip(names, fields, strict=True))
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[f.get_db_prep_save(row[n], connection) for n, f in pairs]
                                 for row in rows])


def _build(count: int) -> tuple[int, dict[str, int]]:
    """Bulk insert ``count`` generated products plus one needle per distinct probe."""
    from datetime import timedelta

    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from regionmall.catalog.models import Product, ProductTag

    categories, districts, merchants, tags = _catalogue()
    rng = random.Random(20251128)  # noqa: S311 (reproducible test data, not secrets)
    start = timezone.now() - timedelta(days=400)
    products: list[dict] = []
    links: list[dict] = []

    def add(pk, key, name, attributes, price, merchant, description, origin, sales, moment):
        products.append({
            "id": pk, "merchant_id": merchant.pk, "category_id": categories[key].pk,
            "name": name[:120], "brand": "", "origin_id": origin.pk,
            "description": description, "unit": "件", "price_fen": price,
            "min_price_fen": price, "main_image": "", "attributes": attributes,
            "extra_attributes": [], "state": "on_sale", "takedown_reason": "",
            "sales_count": sales, "created_at": moment, "updated_at": moment,
            "published_at": moment})

    def link(pk, tag_key) -> None:
        links.append({"product_id": pk, "tag_id": tags[tag_key].pk, "status": "accepted",
                      "source": "auto", "matched_keyword": ""})

    def flush() -> None:
        with transaction.atomic():
            _insert(Product, products)
            _insert(ProductTag, links)
        products.clear()
        links.clear()

    for i in range(count):
        key, name, attributes, price, merchant, description, origin = _generated(
            i, rng, categories, districts, merchants)
        pk = i + 1
        add(pk, key, name, attributes, price, merchant, description, origin,
            rng.randint(0, 5000), start + timedelta(minutes=i * 5))
        if key == "tea" and attributes.get("organic"):
            link(pk, "organic")
        elif rng.random() < 0.05:
            link(pk, "hot" if key in ("tea", "crab") else "carving")
        if len(products) == 5000:
            flush()
    needles: dict[str, int] = {}
    for _label, _kwargs, name, key, attributes, price in PROBES:
        if name in needles:
            continue
        pk = count + len(needles) + 1
        add(pk, key, name, attributes, price, merchants[0], "精选好物。", districts[0],
            10_000_000, timezone.now())
        if attributes.get("organic"):
            link(pk, "organic")
        needles[name] = pk
    flush()
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Product, ProductTag]):
            cursor.execute(statement)
    return count + len(needles), needles


def _run(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from regionmall.catalog.search import indexer
    from regionmall.catalog.search.backends import backend_for
    from regionmall.catalog.services.search import search

    backend = {"sqlite": "sqlite", "postgresql": "postgresql"}.get(connection.vendor,
                                                                   connection.vendor)
    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    t1 = time.monotonic()
    total, needles = _build(args.products)
    t2 = time.monotonic()
    documents = indexer.rebuild(batch_size=2000)
    t3 = time.monotonic()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    _say(f"setup: migrate_s={t1 - t0:.1f} insert_s={t2 - t1:.1f} index_s={t3 - t2:.1f} "
         f"documents={documents} fulltext={backend_for().name}")

    # Correctness first: each probe's needle must be on the first page.
    found = 0
    digest = hashlib.sha256()
    for label, kwargs, name, *_rest in PROBES:
        result = search(**kwargs)
        ids = [hit.id for hit in result.products]
        ok = needles[name] in ids
        found += ok
        digest.update(f"{label}:{result.total}:{ids}".encode())
        _say(f"probe {label:15} total={result.total:6} needle={'yes' if ok else 'NO'}")

    latencies: list[float] = []
    by_label: dict[str, list[float]] = {}
    deadline = min(time.monotonic() + args.query_seconds, t0 + args.budget_seconds)
    started = time.monotonic()
    while len(latencies) < len(PROBES) or (len(latencies) < args.queries
                                             and time.monotonic() < deadline):
        label, kwargs, *_rest = PROBES[len(latencies) % len(PROBES)]
        begin = time.perf_counter()
        search(**kwargs)
        elapsed = (time.perf_counter() - begin) * 1000
        latencies.append(elapsed)
        by_label.setdefault(label, []).append(elapsed)
    wall = time.monotonic() - started
    for label, values in by_label.items():
        _say(f"latency {label:15} median_ms={statistics.median(values):.1f}")
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))]

    _say(f"results digest={digest.hexdigest()[:12]} (equal on every backend for the same data)")
    _say(f"search: backend={backend} products={total - len(needles)} p50_ms={pct(50):.1f} "
         f"p95_ms={pct(95):.1f} p99_ms={pct(99):.1f} qps={len(latencies) / wall:.1f} "
         f"found={found}/{len(PROBES)}")
    return 0 if found == len(PROBES) else 1


if __name__ == "__main__":
    sys.exit(main())
