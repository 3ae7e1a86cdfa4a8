"""Import benchmark body (run through bench/import/run).

Builds a scratch database, an approved merchant and a furniture-like category through the
services, writes an .xlsx of N SKU rows in the category's template columns (1 product = 4
colours x 2 sizes = 8 SKU rows, product columns repeated on every row as an export has them,
tier prices and barcodes on some rows), imports it with the import service inline, checks
the counts and prints timings. The result line is ``import: backend=... rows=...``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]


def _scratch_postgres(url: str) -> tuple[str, callable]:
    import psycopg

    name = f"regionmall_bench_import_{uuid.uuid4().hex[:8]}"
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


def _gtin13(body12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="rm-bench-import-")
    os.environ["REGIONMALL_VAR_DIR"] = scratch
    os.environ["BROKER_URL"] = ""
    os.environ["REDIS_URL"] = ""
    os.environ["REGIONMALL_LOG_LEVEL"] = "WARNING"
    drop = None
    if args.backend == "sqlite":
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


def _run(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    mark = time.perf_counter()
    call_command("migrate", verbosity=0)
    setup_s = time.perf_counter() - mark
    owner, category = _world()

    from django.core.files.uploadedfile import SimpleUploadedFile

    from regionmall.catalog.importing.columns import columns_for
    from regionmall.catalog.importing.workbook import SheetBook
    from regionmall.catalog.models import Product, Sku, TierPrice
    from regionmall.catalog.services import imports

    mark = time.perf_counter()
    _schema, columns = columns_for(category)
    book = SheetBook()
    book.product_sheet(category, columns, _rows(columns, args.rows))
    data = book.finish()
    generate_s = time.perf_counter() - mark

    mark = time.perf_counter()
    job = imports.start_import(owner, SimpleUploadedFile("bench.xlsx", data),
                               category=category, background=False)
    total_s = time.perf_counter() - mark
    timings = job.result.get("timings", {})
    products = Product.objects.filter(merchant__isnull=False).count()
    skus = Sku.objects.count()
    tiers = TierPrice.objects.count()
    ok = job.status == "done" and skus == args.rows and job.error_count == 0
    print(f"import detail: backend={args.backend} migrate_s={setup_s:.1f} "
          f"generate_s={generate_s:.2f} file_kb={len(data) // 1024} "
          f"read_s={timings.get('read_s')} check_s={timings.get('validate_s')} "
          f"write_s={timings.get('import_s')} tags_s={timings.get('tags_s')} "
          f"tiers={tiers} status={job.status} message={job.message!r}")
    if not ok:
        print(f"import errors: {job.errors[:5]}", file=sys.stderr)
    validate_s = (timings.get("read_s") or 0) + (timings.get("validate_s") or 0)
    print(f"import: backend={args.backend} rows={job.total_rows} validate_s={validate_s:.2f} "
          f"import_s={timings.get('import_s') or 0:.2f} total_s={total_s:.2f} "
          f"products={products} skus={skus} errors={job.error_count}")
    return 0 if ok else 1


def _world():
    """An operator, an approved furniture merchant, a 家具 > 红木家具 category."""
    from datetime import date, timedelta

    from django.core.files.base import ContentFile

    from regionmall.accounts import services as accounts
    from regionmall.accounts.roles import Role
    from regionmall.catalog.services import schema
    from regionmall.merchants import services as merchants
    from regionmall.merchants.validators import compute_uscc_check
    from regionmall.regions import services as regions

    regions.upsert_division("330000", "浙江省", "province")
    regions.upsert_division("330700", "金华市", "city", "330000")
    district = regions.upsert_division("330783", "东阳市", "district", "330700")
    operator = accounts.create_user("bench-operator", "bench-password-1", Role.OPERATOR)
    owner = accounts.create_user("bench-owner", "bench-password-1", Role.SHOPPER)
    body = "91330783MA2BENCH1"
    code = body + compute_uscc_check(body)
    merchant = merchants.create_application(owner, {
        "subject_type": "company", "company_name": "东阳基准红木家具有限公司",
        "credit_code": code, "legal_person": "卢国强", "district": district.pk,
        "contact_mobile": "13800138000", "description": "基准测试商户"})
    pdf = ContentFile(b"%PDF-1.4\n%%EOF\n", name="licence.pdf")
    merchants.add_qualification(owner, merchant, "business_licence", code, pdf,
                                date.today() - timedelta(days=30), None)
    merchants.submit(owner, merchant)
    merchants.approve(operator, merchant)
    owner.refresh_from_db()

    root = schema.create_category(operator, name="家具", slug="furniture")
    leaf = schema.create_category(operator, name="红木家具", slug="redwood", parent=root)
    attributes = [
        (root, {"code": "material", "name": "材质", "type": "choice", "required": True,
                "filterable": True, "choices": ["大果紫檀", "缅甸花梨", "刺猬紫檀", "酸枝",
                                                "香樟木", "鸡翅木", "小叶紫檀", "黄花梨"]}),
        (root, {"code": "style", "name": "风格", "type": "choice", "filterable": True,
                "choices": ["新中式", "明式", "清式", "现代简约"]}),
        (leaf, {"code": "length", "name": "长度", "type": "number", "unit": "cm"}),
        (leaf, {"code": "craft", "name": "工艺", "type": "multi_choice",
                "choices": ["榫卯", "木雕", "烫蜡", "大漆"]}),
        (leaf, {"code": "made_on", "name": "出厂日期", "type": "date"}),
        (leaf, {"code": "warranty", "name": "终身保修", "type": "boolean"}),
        (leaf, {"code": "colour", "name": "颜色", "type": "choice", "is_spec_axis": True,
                "required": True, "choices": ["原木色", "深棕", "红褐", "黑檀"]}),
        (leaf, {"code": "size", "name": "尺寸", "type": "text", "is_spec_axis": True,
                "required": True}),
    ]
    for position, (category, data) in enumerate(attributes, start=1):
        schema.add_attribute(operator, category, {**data, "position": position})
    _tag_rules()
    return owner, leaf


def _tag_rules() -> None:
    """A small auto-tagging dictionary, so the import's tag suggestions cost what they will."""
    from regionmall.catalog.models import Tag, TagRule

    for slug, name, family, keywords in [
        ("dongyang-redwood", "东阳红木", "regional", ["东阳红木", "红木", "紫檀", "花梨", "酸枝"]),
        ("dongyang-carving", "东阳木雕", "regional", ["木雕", "东阳木雕"]),
        ("new-chinese", "新中式", "marketing", ["新中式"]),
        ("mortise", "榫卯", "marketing", ["榫卯"]),
    ]:
        tag = Tag.objects.create(slug=slug, name=name, family=family)
        TagRule.objects.bulk_create([TagRule(keyword=k, tag=tag) for k in keywords])


def _rows(columns, count: int):
    import random

    rng = random.Random(7)  # noqa: S311 - benchmark data
    materials = ["大果紫檀", "缅甸花梨", "刺猬紫檀", "酸枝", "香樟木", "鸡翅木"]
    styles = ["新中式", "明式", "清式", "现代简约"]
    kinds = ["沙发", "茶几", "餐桌", "圈椅", "书柜", "罗汉床", "博古架", "电视柜"]
    colours = ["原木色", "深棕", "红褐", "黑檀"]
    sizes = ["标准款", "加大款"]
    made = 0
    product = 0
    while made < count:
        product += 1
        material, style, kind = rng.choice(materials), rng.choice(styles), rng.choice(kinds)
        base = rng.randrange(3000, 60000)
        shared = {
            "product_key": f"B{product:05d}", "name": f"东阳{material}{style}{kind}{product}号",
            "brand": "卢宅", "origin": "东阳市", "unit": "件",
            "description": f"{material}{kind}，{style}风格，东阳木雕，榫卯结构。",
            "attr:material": material, "attr:style": style,
            "attr:length": str(rng.randrange(60, 240)), "attr:craft": "榫卯、木雕",
            "attr:made_on": "2026-03-01", "attr:warranty": "是", "extra": "保修:终身",
        }
        n = 0
        for colour in colours:
            for size in sizes:
                if made >= count:
                    break
                n += 1
                made += 1
                price = base + (800 if size == "加大款" else 0) + n * 10
                row = dict(shared)
                row |= {"spec:colour": colour, "spec:size": size,
                        "sku_code": f"B{product:05d}-{n}", "price": f"{price}.00",
                        "weight_g": str(rng.randrange(5000, 80000)),
                        "volume_cm3": str(rng.randrange(50000, 900000))}
                if n == 1:
                    row["barcode"] = _gtin13(f"69{product:010d}")
                if n % 3 == 0:
                    row["tiers"] = f"5:{price - 100}.00;20:{price - 300}.00"
                yield [row.get(c.key, "") for c in columns]


if __name__ == "__main__":
    sys.exit(main())
