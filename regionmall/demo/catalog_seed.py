"""The demo region's product centre: categories with schemas, the tag dictionary, and a few
hundred furniture, tea and fruit products of the approved demo merchants, with SKUs, tier
prices, pictures, inspection reports, tags and every product state.

Everything goes through the catalog services, so demo data obeys the real rules (publishing
refuses a gap here just as it would for a merchant): categories and attributes through the
schema services, products and SKUs through the bulk import service (one call per merchant
and category — the fast path, which also publishes ``catalog.products_changed`` for search),
pictures, documents, publishing, reviews, takedowns and tags through the product services.

Deterministic: one seeded ``random.Random`` plans every name, price and state
(:func:`plan_products` is pure, so tests can compare plans).
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from regionmall.catalog import selectors
from regionmall.catalog.services import imports, publishing, schema, tags
from regionmall.catalog.services import products as product_services
from regionmall.core.errors import DomainError
from regionmall.demo import catalog_data as data
from regionmall.demo.catalog_images import product_card
from regionmall.merchants.selectors import merchants_for_review, qualifications_of

SEED = 20261129
BELT_TARGETS = {"dongyang-furniture": 150, "wuyi-tea": 125, "pujiang-fruit": 90}
BELT_KIND = {"dongyang-furniture": "furniture", "wuyi-tea": "tea", "pujiang-fruit": "fruit"}
PLACE_OF_DISTRICT = {"330723": "武义", "330727": "磐安", "330726": "浦江", "330783": "东阳"}
PENDING_REVIEWS = 3


@dataclass(frozen=True)
class ShopInfo:
    """What the plan needs to know of a merchant (so planning needs no database)."""

    slug: str
    belt: str
    district_code: str
    name: str
    has_sc: bool = True  # holds a verified SC food licence (packaged tea needs one)


@dataclass
class PlannedProduct:
    shop: str
    category: str  # category slug
    kind: str  # furniture | tea | fruit
    key: str
    name: str
    rows: list[dict]
    outcome: str  # draft | on_sale | off_sale | pending_review | taken_down
    marketing: str = ""  # a marketing tag slug to add by hand
    gallery: bool = False
    picture: bool = True
    takedown_reason: str = ""


@dataclass
class CatalogSeedReport:
    created: bool
    categories: int = 0
    products_by_state: dict[str, int] = field(default_factory=dict)
    skus: int = 0
    tags: int = 0
    pictures: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.created:
            return "demo catalogue: already present, left as it is"
        states = ", ".join(f"{k}={v}" for k, v in sorted(self.products_by_state.items()))
        return (f"demo catalogue: {self.categories} categories, "
                f"{sum(self.products_by_state.values())} products ({states}), "
                f"{self.skus} SKUs, {self.tags} tags, {self.pictures} pictures "
                f"in {self.seconds:.1f}s")


# --- the plan (pure) ------------------------------------------------------------------------


def plan_products(shops: list[ShopInfo], seed: int = SEED) -> list[PlannedProduct]:
    """Every demo product of every shop, deterministically from ``seed``."""
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not security
    # Shops in name order (slugs are random); keys and SKU codes from that position.
    by_belt: dict[str, list[tuple[int, ShopInfo]]] = defaultdict(list)
    for index, shop in enumerate(sorted(shops, key=lambda s: s.name), start=1):
        if shop.belt in BELT_TARGETS:
            by_belt[shop.belt].append((index, shop))
    plan: list[PlannedProduct] = []
    for belt, target in BELT_TARGETS.items():
        members = by_belt.get(belt, [])
        if not members:
            continue
        each = math.ceil(target / len(members))
        for number, (index, shop) in enumerate(members):
            names: set[str] = set()
            kind = BELT_KIND[belt]
            # A tea farmer without an SC licence cannot sell packaged tea: a few drafts
            # that show the publishing refusal naming the missing licence.
            blocked = kind == "tea" and not shop.has_sc
            for n in range(3 if blocked else each):
                maker = {"furniture": _furniture, "tea": _tea, "fruit": _fruit}[kind]
                product = maker(rng, shop, f"S{index:02d}-{n + 1:02d}", names, number)
                _decide(rng, product)
                if blocked:
                    product.outcome, product.marketing = "draft", ""
                plan.append(product)
    _takedowns(plan)
    _pending(plan)
    return plan


def _unique(rng: random.Random, names: set[str], make) -> str:
    for _ in range(20):
        name = make()
        if name not in names:
            names.add(name)
            return name
    name = f"{make()}{len(names) + 1}号"
    names.add(name)
    return name


def _yuan(value: float) -> str:
    return f"{max(1, round(value))}.00"


def _furniture(rng, shop: ShopInfo, key: str, names: set[str], number: int) -> PlannedProduct:
    category = rng.choice(["living-room", "bedroom", "redwood", "redwood"])
    kind, sizes, (low, high) = rng.choice(data.FURNITURE_KINDS[category])
    wood = rng.choice(data.REDWOOD if category == "redwood" or rng.random() < 0.6
                      else data.WOODS)
    style = rng.choice(data.STYLES)
    series = ["如意", "福禄", "祥云", "回纹", "竹节", "素面", "卷草", "博古", "万字", "灵芝"]
    name = _unique(rng, names, lambda: (f"{rng.choice(data.FURNITURE_PREFIXES)}{wood}"
                                        f"{rng.choice(series)}{kind}"))
    crafts = rng.sample(data.CRAFTS, rng.randint(1, 2))
    warranty = rng.choice([3, 5, 10])
    shared = {
        "name": name, "brand": shop.name[2:6] if len(shop.name) > 6 else "", "origin": "东阳市",
        "unit": "件" if "对" not in "".join(sizes) else "套",
        "description": (f"{wood}{kind}，{style}风格，{'、'.join(crafts)}工艺。东阳老师傅手工打造，"
                        f"榫卯结构不用一颗钉，{warranty}年保修，送货上门安装。"),
        "attr:material": wood, "attr:style": style, "attr:craft": "、".join(crafts),
        "attr:length": str(rng.randrange(45, 260, 5)), "attr:warranty_years": str(warranty),
    }
    if category == "living-room" and kind == "沙发":
        shared["attr:seats"] = "3"
    if category == "bedroom" and kind.endswith("床"):
        shared["attr:mattress"] = rng.choice(["是", "否"])
    if category == "redwood":
        shared["attr:gb_certified"] = "是" if rng.random() < 0.8 else "否"
    colours = rng.sample(data.COLOURS, rng.randint(1, 3))
    base = rng.randrange(low, high, 100)
    rows = []
    for colour in colours:
        for i, size in enumerate(sizes[: rng.randint(1, len(sizes))]):
            price = base * (1 + 0.18 * i) * (1 + 0.04 * (data.COLOURS.index(colour) % 3))
            row = {"spec:colour": colour, "spec:size": size, "price": _yuan(price),
                   "weight_g": str(rng.randrange(8, 180) * 1000)}
            if rng.random() < 0.35:
                row["tiers"] = f"3:{_yuan(price * 0.95)};10:{_yuan(price * 0.9)}"
            rows.append(row)
    return PlannedProduct(shop.slug, category, "furniture", key, name,
                          _with_product(key, shared, rows), "on_sale")


def _tea(rng, shop: ShopInfo, key: str, names: set[str], number: int) -> PlannedProduct:
    if "白茶" in shop.name:
        category = "white-tea"
    elif "红茶" in shop.name or rng.random() < 0.2:
        category = "black-tea"
    else:
        category = "green-tea"
    place = PLACE_OF_DISTRICT.get(shop.district_code, "武义")
    grade = rng.choice(data.GRADES)
    pack = rng.choice(data.TEA_PACKS)
    name = _unique(rng, names, lambda: f"{rng.choice(data.TEA_NAMES[category])}·{pack}{grade}")
    organic = "有机" in name or rng.random() < 0.35
    harvest = date(2026, 3, 15) + timedelta(days=rng.randrange(0, 56))
    shared = {
        "name": name, "brand": rng.choice(["武阳", "云峰", "婺州", "柳城", "尖山", ""]),
        "origin": "武义县" if place == "武义" else "磐安县", "unit": "盒" if "盒" in pack else "罐",
        "description": (f"{place}高山茶园{harvest.month}月{harvest.day}日采摘，{grade}。"
                        f"{'有机种植，' if organic else ''}{pack}，"
                        f"{'新茶上市，' if harvest.month >= 4 else ''}冲泡清香，回甘持久。"),
        "attr:origin_place": place, "attr:grade": grade,
        "attr:harvest_date": harvest.isoformat(), "attr:organic": "是" if organic else "否",
    }
    per_50g = rng.randrange(*data.TEA_PRICE_50G)
    weights = sorted(rng.sample(["50克", "100克", "250克", "500克"], rng.randint(2, 3)),
                     key=lambda w: data.SPEC_FACTOR[w])
    rows = []
    for weight in weights:
        factor = data.SPEC_FACTOR[weight]
        price = per_50g * factor * (0.92 if factor >= 5 else 1)
        row = {"spec:net_weight": weight, "price": _yuan(price),
               "weight_g": str(int(weight.removesuffix("克")) + 120)}
        if factor >= 5 and rng.random() < 0.5:
            row["tiers"] = f"5:{_yuan(price * 0.94)};20:{_yuan(price * 0.88)}"
        rows.append(row)
    return PlannedProduct(shop.slug, category, "tea", key, name,
                          _with_product(key, shared, rows), "on_sale")


def _fruit(rng, shop: ShopInfo, key: str, names: set[str], number: int) -> PlannedProduct:
    if "葡萄" in shop.name:
        category = "grape"
    elif "柑橘" in shop.name or "红美人" in shop.name:
        category = "citrus"
    elif "桃形李" in shop.name:
        category = "stone-fruit"
    else:
        category = ["grape", "citrus", "stone-fruit"][(number + len(names)) % 3]
    base, variety = rng.choice(data.FRUIT_NAMES[category])
    grade = rng.choice(data.GRADES)
    extras = ["", "产地直发", "现摘", "礼盒"]
    name = _unique(rng, names, lambda: f"{base}·{grade}{rng.choice(extras)}")
    place = rng.choice(["浦江", "黄宅", "岩头", "花桥"])
    harvest = date(2026, 6, 20) + timedelta(days=rng.randrange(0, 120))
    shared = {
        "name": name, "brand": "", "origin": "浦江县", "unit": "箱",
        "description": (f"{place}果园{harvest.month}月现摘，{grade}果，{variety}品种，"
                        f"果形饱满，产地直发，坏果包赔。"),
        "attr:origin_place": place, "attr:grade": grade,
        "attr:harvest_date": harvest.isoformat(), "attr:variety": variety,
    }
    low, high = data.FRUIT_PRICE[category]
    price0 = rng.randrange(low, high)
    specs = [s for s in (["1.5kg礼盒", "2.5kg装", "5kg装"] if category == "grape" else
                         ["12枚礼盒", "24枚礼盒", "5kg装"] if category == "citrus" else
                         ["2.5kg装", "5kg装"])]
    rows = []
    for spec in specs[: rng.randint(2, len(specs))]:
        price = price0 * data.SPEC_FACTOR[spec]
        row = {"spec:spec": spec, "price": _yuan(price)}
        if rng.random() < 0.3:
            row["tiers"] = f"10:{_yuan(price * 0.93)};50:{_yuan(price * 0.85)}"
        rows.append(row)
    return PlannedProduct(shop.slug, category, "fruit", key, name,
                          _with_product(key, shared, rows), "on_sale")


def _with_product(key: str, shared: dict, rows: list[dict]) -> list[dict]:
    """Product columns on the first row only (the import's rule: later rows inherit)."""
    out = []
    for i, row in enumerate(rows):
        out.append({"product_key": key, **(shared if i == 0 else {}), **row,
                    "sku_code": f"{key}-{i + 1}"})
    return out


def _decide(rng: random.Random, product: PlannedProduct) -> None:
    roll = rng.random()
    if roll < 0.07:
        product.outcome = "draft"
        product.picture = rng.random() < 0.5
    elif roll < 0.14:
        product.outcome = "off_sale"
    marketing = rng.random()
    if product.outcome == "on_sale":
        product.marketing = ("best-seller" if marketing < 0.12 else "new-arrival"
                             if marketing < 0.22 else "new-customer" if marketing < 0.27 else "")
    product.gallery = rng.random() < 0.12


def _takedowns(plan: list[PlannedProduct]) -> None:
    """Two products taken down by the supervisor: a redwood piece and a tea."""
    for kind, reason in zip(("furniture", "tea"), data.TAKEDOWN_REASONS, strict=True):
        found = next((p for p in plan if p.kind == kind and p.outcome == "on_sale"
                      and not p.marketing and (kind != "furniture" or p.category == "redwood")),
                     None)
        if found is not None:
            found.outcome, found.takedown_reason = "taken_down", reason


def _pending(plan: list[PlannedProduct]) -> None:
    """A few redwood products wait in the operators' review queue."""
    waiting = [p for p in plan if p.category == "redwood" and p.outcome == "on_sale"]
    for product in waiting[-PENDING_REVIEWS:]:
        product.outcome = "pending_review"


# --- loading it -----------------------------------------------------------------------------


def _pdf(title: str) -> ContentFile:
    body = f"%PDF-1.4\n% RegionMall demo document: {title}\n%%EOF\n".encode()
    return ContentFile(body, name="report.pdf")


def _categories(operator) -> dict[str, object]:
    made: dict[str, object] = {}
    for slug, name, parent, position, options, attributes in data.CATEGORIES:
        made[slug] = schema.create_category(operator, name=name, slug=slug,
                                            parent=made.get(parent) if parent else None,
                                            position=position, **options)
        for index, attribute in enumerate(attributes, start=1):
            schema.add_attribute(operator, made[slug], {**attribute, "position": index})
    return made


def _shops() -> list[tuple[ShopInfo, object, object]]:
    out = []
    for merchant in merchants_for_review(state="approved"):
        if merchant.belt is None:
            continue
        has_sc = qualifications_of(merchant).filter(kind="sc_food_licence",
                                                    verified=True).exists()
        info = ShopInfo(merchant.slug, merchant.belt.slug, merchant.district.code,
                        merchant.company_name, has_sc)
        out.append((info, merchant, merchant.applicant))
    return out


@transaction.atomic
def seed_catalog(report: object | None = None, *, seed: int = SEED) -> CatalogSeedReport:
    """Load the demo catalogue (after the merchants exist). Does nothing if it is there.

    Returns a :class:`CatalogSeedReport`; when the region seed passes its ``SeedReport``,
    the result is also attached to it as ``report.catalog``.
    """
    started = time.perf_counter()
    if selectors.category_by_slug("furniture") is not None:
        result = CatalogSeedReport(created=False)
    else:
        result = _load(seed)
        result.seconds = time.perf_counter() - started
    if report is not None:
        report.catalog = result
    return result


def _load(seed: int) -> CatalogSeedReport:
    users = get_user_model().objects
    operator, supervisor = users.get(username="operator"), users.get(username="gov")
    categories = _categories(operator)
    imports.import_tag_dictionary(operator, data.TAGS)
    shops = _shops()
    owners = {info.slug: owner for info, _merchant, owner in shops}
    plan = plan_products([info for info, _m, _o in shops], seed)

    ids: dict[str, int] = {}
    groups: dict[tuple[str, str], list[PlannedProduct]] = defaultdict(list)
    for product in plan:
        groups[(product.shop, product.category)].append(product)
    skus = 0
    for (shop, category), products in groups.items():
        done = imports.import_rows(owners[shop], categories[category],
                                   [row for p in products for row in p.rows], suggest=False)
        skus += done.sku_count
        ids.update(zip((p.key for p in products), done.product_ids, strict=True))

    pictures = _pictures_and_documents(plan, ids, owners, categories)
    imports.suggest_for(list(ids.values()))
    _states(plan, ids, owners, operator, supervisor)
    _tags(plan, ids, owners, seed)
    states = Counter(p.outcome for p in plan)
    return CatalogSeedReport(created=True, categories=len(categories),
                             products_by_state=dict(states), skus=skus,
                             tags=len(data.TAGS), pictures=pictures)


def _pictures_and_documents(plan, ids, owners, categories) -> int:
    today = date.today()
    pictures = 0
    for n, product in enumerate(plan):
        owner, pk = owners[product.shop], ids[product.key]
        label = categories[product.category].name
        if product.picture:
            card = product_card(product.name, label, product.kind, n)
            product_services.set_main_image(owner, pk, ContentFile(card, name="main.jpg"))
            pictures += 1
        if product.gallery:
            card = product_card(product.name, label, product.kind, n + 1)
            product_services.add_gallery_image(owner, pk, ContentFile(card, name="side.jpg"))
            pictures += 1
        if product.kind != "furniture" and product.outcome != "draft":
            product_services.add_document(
                owner, pk, "inspection_report", f"JH-JC-2026-{pk:05d}", _pdf(product.name),
                today - timedelta(days=20), today + timedelta(days=345))
    return pictures


def _states(plan, ids, owners, operator, supervisor) -> None:
    for product in plan:
        owner, pk = owners[product.shop], ids[product.key]
        if product.outcome == "draft":
            continue
        published = publishing.publish(owner, pk)
        if published.state == "pending_review" and product.outcome != "pending_review":
            publishing.approve_review(operator, pk)
        if product.outcome == "off_sale":
            publishing.take_off_sale(owner, pk)
        elif product.outcome == "taken_down":
            publishing.take_down(supervisor, pk, product.takedown_reason)


def _tags(plan, ids, owners, seed: int) -> None:
    """Merchants accept most suggestions (compliance ones only with evidence) and tag a few
    best sellers and new arrivals by hand; the rest stay suggestions to decide on."""
    rng = random.Random(seed + 1)  # noqa: S311 - deterministic demo data
    by_slug = {tag.slug: tag for tag in selectors.tags()}
    for product in plan:
        owner, pk = owners[product.shop], ids[product.key]
        if product.outcome in ("on_sale", "off_sale", "pending_review"):
            accepted = 0
            for row in selectors.tag_suggestions(_Ref(pk)):
                if row.status != "suggested" or accepted >= 2 or rng.random() < 0.2:
                    continue
                try:
                    tags.accept_tag(owner, row.pk)
                    accepted += 1
                except DomainError:
                    continue  # a compliance claim without evidence stays a suggestion
        if product.marketing:
            tags.add_tag(owner, pk, by_slug[product.marketing])


@dataclass(frozen=True)
class _Ref:
    """Just a primary key, for selectors that only read ``product.pk``."""

    pk: int
