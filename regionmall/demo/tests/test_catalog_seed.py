"""The demo catalogue: deterministic plan, realistic tree, products in every state that
obey the publishing rules."""

from __future__ import annotations

from collections import Counter

from regionmall.catalog import selectors
from regionmall.catalog.services.publishing import publishing_gaps
from regionmall.demo.catalog_images import cjk_font_path, product_card
from regionmall.demo.catalog_seed import ShopInfo, plan_products, seed_catalog
from regionmall.merchants.selectors import merchants_for_review, qualifications_of

SHOPS = [
    ShopInfo("a", "dongyang-furniture", "330783", "东阳卢宅红木家具有限公司"),
    ShopInfo("b", "dongyang-furniture", "330783", "南马木雕工艺品厂"),
    ShopInfo("c", "wuyi-tea", "330723", "柳城有机茶专业合作社"),
    ShopInfo("d", "wuyi-tea", "330727", "尖山白茶茶厂"),
    ShopInfo("e", "wuyi-tea", "330723", "李阿姨自家茶园", has_sc=False),
    ShopInfo("f", "pujiang-fruit", "330726", "黄宅巨峰葡萄家庭农场"),
]


def test_the_plan_is_deterministic_and_varied():
    first = plan_products(SHOPS, seed=7)
    assert [p.name for p in first] == [p.name for p in plan_products(SHOPS, seed=7)]
    assert [p.rows for p in first] == [p.rows for p in plan_products(SHOPS, seed=7)]
    assert [p.name for p in first] != [p.name for p in plan_products(SHOPS, seed=8)]
    kinds = Counter(p.kind for p in first)
    assert kinds["furniture"] >= 100 and kinds["tea"] >= 60 and kinds["fruit"] >= 60
    outcomes = Counter(p.outcome for p in first)
    assert {"on_sale", "draft", "off_sale", "taken_down", "pending_review"} <= set(outcomes)
    # The shop without an SC licence only gets drafts (packaged tea needs the licence).
    assert {p.outcome for p in first if p.shop == "e"} == {"draft"}
    # Unique names per shop, SKU codes unique overall.
    for shop in SHOPS:
        names = [p.name for p in first if p.shop == shop.slug]
        assert len(names) == len(set(names))
    codes = [row["sku_code"] for p in first for row in p.rows]
    assert len(codes) == len(set(codes))
    assert any("tiers" in row for p in first for row in p.rows)


def test_cards_are_jpeg_and_deterministic():
    card = product_card("东阳大果紫檀祥云沙发", "客厅家具", "furniture", 3)
    assert card.startswith(b"\xff\xd8\xff")
    assert card == product_card("东阳大果紫檀祥云沙发", "客厅家具", "furniture", 3)
    if cjk_font_path() is not None:  # the name is drawn: a different name, a different card
        assert card != product_card("东阳酸枝如意圈椅", "客厅家具", "furniture", 3)


def check_catalog_loaded() -> None:
    """Run by ``test_demo_region`` after the one full demo seed of the suite."""
    seed_catalog()  # a no-op when the region seed already loaded the catalogue

    tree = {c.name: c for c in selectors.category_tree()}
    assert {"家具", "茶叶", "水果"} <= set(tree)
    assert [c.name for c in tree["家具"].children.all()] == ["客厅家具", "卧室家具", "红木家具"]
    assert {"东阳红木", "武义有机茶", "磐安云峰", "浦江葡萄", "红美人", "爆款", "新人专享", "新品",
            "SC认证", "绿色食品", "有机认证"} <= {t.name for t in selectors.tags()}

    shops = list(merchants_for_review(state="approved"))
    products = [p for m in shops for p in selectors.products_of_merchant(m)]
    states = Counter(p.state for p in products)
    assert 300 <= len(products) <= 450, states
    assert states["on_sale"] >= 250
    for state in ("draft", "off_sale", "pending_review", "taken_down"):
        assert states[state] >= 1, states
    assert all(p.takedown_reason for p in products if p.state == "taken_down")
    assert {p.merchant_id for p in products} <= {m.pk for m in shops}

    on_sale = [p for p in products if p.state == "on_sale"]
    leaves = ("客厅家具", "卧室家具", "红木家具", "绿茶", "红茶", "白茶", "葡萄", "柑橘", "桃李")
    for leaf in leaves:
        found = next((p for p in on_sale if p.category.name == leaf), None)
        assert found is not None, leaf
        product = selectors.public_product(found.pk)
        assert product.skus.all(), leaf
        assert publishing_gaps(product) == {}, (leaf, publishing_gaps(product))
        assert product.main_image, leaf
        assert product.min_price_fen == min(s.price_fen for s in product.skus.all())
    assert any(selectors.public_product(p.pk).accepted_tags for p in on_sale[:40])
    assert any(t.min_quantity for p in on_sale[:40] for s in selectors.public_product(p.pk)
               .skus.all() for t in s.tier_prices.all())

    # Names are the plan's: reproducible from the same shops and seed.
    infos = [ShopInfo(m.slug, m.belt.slug, m.district.code, m.company_name,
                      qualifications_of(m).filter(kind="sc_food_licence",
                                                  verified=True).exists())
             for m in shops if m.belt is not None]
    assert sorted(p.name for p in products) == sorted(p.name for p in plan_products(infos))
