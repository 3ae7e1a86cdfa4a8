"""The demo region's product centre as data: category tree with attribute schemas, the
auto-tagging dictionary, and the words demo products are named from (Jinhua's furniture,
tea and fruit belts). Pure data: :mod:`regionmall.demo.catalog_seed` loads it through the
catalog services."""

from __future__ import annotations

REDWOOD = ["大果紫檀", "缅甸花梨", "刺猬紫檀", "酸枝", "鸡翅木", "小叶紫檀"]
WOODS = [*REDWOOD, "香樟木", "胡桃木", "橡木"]
STYLES = ["新中式", "明式", "清式", "现代简约"]
CRAFTS = ["榫卯", "木雕", "烫蜡", "大漆", "镶嵌"]
COLOURS = ["原木色", "深棕", "红褐", "黑檀", "胡桃色"]
GRADES = ["特级", "一级", "二级"]
TEA_PLACES = ["武义", "磐安", "婺城", "兰溪", "东阳"]
FRUIT_PLACES = ["浦江", "黄宅", "岩头", "花桥", "兰溪", "武义"]


def _attr(code, name, type_, **extra) -> dict:
    return {"code": code, "name": name, "type": type_, **extra}


# (slug, name, parent slug, position, category options, attributes)
CATEGORIES: list[tuple[str, str, str | None, int, dict, list[dict]]] = [
    ("furniture", "家具", None, 1, {}, [
        _attr("material", "材质", "choice", required=True, filterable=True, choices=WOODS),
        _attr("style", "风格", "choice", required=True, filterable=True, choices=STYLES),
        _attr("craft", "工艺", "multi_choice", choices=CRAFTS),
        _attr("length", "长度", "number", unit="cm"),
        _attr("warranty_years", "保修", "number", unit="年"),
        _attr("colour", "颜色", "choice", required=True, is_spec_axis=True, choices=COLOURS),
        _attr("size", "尺寸", "text", required=True, is_spec_axis=True,
              help_text="如 1.8米、三人位"),
    ]),
    ("living-room", "客厅家具", "furniture", 1, {}, [
        _attr("seats", "座位数", "number", unit="人"),
    ]),
    ("bedroom", "卧室家具", "furniture", 2, {}, [
        _attr("mattress", "含床垫", "boolean"),
    ]),
    # Redwood is precious: the national standard (GB/T 18107) names 29 species, so the
    # category narrows 材质 to them and sends products through review before sale.
    ("redwood", "红木家具", "furniture", 3, {"requires_review": True}, [
        _attr("material", "材质", "choice", required=True, filterable=True, choices=REDWOOD),
        _attr("gb_certified", "红木国标检测", "boolean", filterable=True),
    ]),
    ("tea", "茶叶", None, 2, {"required_product_documents": ["inspection_report"],
                              "required_merchant_qualifications": ["sc_food_licence"]}, [
        _attr("origin_place", "产地", "choice", required=True, filterable=True,
              choices=TEA_PLACES),
        _attr("grade", "等级", "choice", required=True, filterable=True, choices=GRADES),
        _attr("harvest_date", "采摘日期", "date", required=True),
        _attr("organic", "有机", "boolean", filterable=True),
        _attr("net_weight", "净含量", "choice", required=True, is_spec_axis=True,
              choices=["50克", "100克", "250克", "500克"]),
    ]),
    ("green-tea", "绿茶", "tea", 1, {}, []),
    ("black-tea", "红茶", "tea", 2, {}, []),
    ("white-tea", "白茶", "tea", 3, {}, []),
    ("fruit", "水果", None, 3, {"required_product_documents": ["inspection_report"]}, [
        _attr("origin_place", "产地", "choice", required=True, filterable=True,
              choices=FRUIT_PLACES),
        _attr("grade", "等级", "choice", required=True, filterable=True, choices=GRADES),
        _attr("harvest_date", "采摘日期", "date", required=True),
    ]),
    ("grape", "葡萄", "fruit", 1, {}, [
        _attr("variety", "品种", "choice", filterable=True,
              choices=["巨峰", "阳光玫瑰", "醉金香", "夏黑"]),
        _attr("spec", "规格", "choice", required=True, is_spec_axis=True,
              choices=["1.5kg礼盒", "2.5kg装", "5kg装"]),
    ]),
    ("citrus", "柑橘", "fruit", 2, {}, [
        _attr("variety", "品种", "choice", filterable=True, choices=["红美人", "春香", "椪柑"]),
        _attr("spec", "规格", "choice", required=True, is_spec_axis=True,
              choices=["12枚礼盒", "24枚礼盒", "5kg装"]),
    ]),
    ("stone-fruit", "桃李", "fruit", 3, {}, [
        _attr("variety", "品种", "choice", filterable=True, choices=["桃形李", "水蜜桃", "黄桃"]),
        _attr("spec", "规格", "choice", required=True, is_spec_axis=True,
              choices=["2.5kg装", "5kg装"]),
    ]),
]

# The auto-tagging dictionary: family, tag, slug, keywords jieba finds in names/descriptions.
# Compliance slugs are the ones the tag services know the evidence for (sc, organic, ...).
TAGS: list[dict] = [
    {"family": "regional", "name": "东阳红木", "slug": "dongyang-redwood",
     "keywords": ["东阳红木", "红木", "紫檀", "花梨", "酸枝", "鸡翅木"]},
    {"family": "regional", "name": "东阳木雕", "slug": "dongyang-woodcarving",
     "keywords": ["东阳木雕", "木雕", "雕花"]},
    {"family": "regional", "name": "武义有机茶", "slug": "wuyi-organic-tea",
     "keywords": ["武义有机茶", "武阳春雨", "武义"]},
    {"family": "regional", "name": "磐安云峰", "slug": "panan-yunfeng",
     "keywords": ["磐安云峰", "云峰", "磐安"]},
    {"family": "regional", "name": "浦江葡萄", "slug": "pujiang-grape",
     "keywords": ["浦江葡萄", "巨峰", "阳光玫瑰", "醉金香", "夏黑"]},
    {"family": "regional", "name": "红美人", "slug": "hongmeiren",
     "keywords": ["红美人"]},
    {"family": "marketing", "name": "爆款", "slug": "best-seller", "keywords": ["爆款", "热销"]},
    {"family": "marketing", "name": "新人专享", "slug": "new-customer",
     "keywords": ["新人专享", "新客"]},
    {"family": "marketing", "name": "新品", "slug": "new-arrival",
     "keywords": ["新品", "新款", "新茶"]},
    {"family": "compliance", "name": "SC认证", "slug": "sc",
     "keywords": ["SC", "食品生产许可"]},
    {"family": "compliance", "name": "绿色食品", "slug": "green-food", "keywords": ["绿色食品"]},
    {"family": "compliance", "name": "有机认证", "slug": "organic",
     "keywords": ["有机", "有机茶", "有机种植"]},
]

# Furniture: (category slug, kinds with their 尺寸 values, price range in yuan)
FURNITURE_KINDS: dict[str, list[tuple[str, list[str], tuple[int, int]]]] = {
    "living-room": [("沙发", ["三人位", "四人位"], (6800, 38000)),
                    ("茶几", ["1.2米", "1.4米"], (1800, 9800)),
                    ("电视柜", ["1.8米", "2.2米"], (2600, 12800)),
                    ("茶台", ["1.6米", "1.8米"], (3200, 16800)),
                    ("博古架", ["标准款", "加宽款"], (2900, 13800))],
    "bedroom": [("架子床", ["1.5米", "1.8米"], (12800, 58000)),
                ("大床", ["1.5米", "1.8米"], (5800, 26800)),
                ("衣柜", ["两门", "四门"], (4800, 22800)),
                ("床头柜", ["单只", "一对"], (980, 4800)),
                ("梳妆台", ["标准款"], (2600, 9800))],
    "redwood": [("官帽椅", ["单把", "一对"], (6800, 36000)),
                ("圈椅", ["单把", "一对"], (5800, 32000)),
                ("罗汉床", ["1.9米", "2.1米"], (28000, 168000)),
                ("八仙桌", ["标准款"], (9800, 48000)),
                ("条案", ["2.4米", "3米"], (12800, 88000)),
                ("书桌", ["1.6米", "1.8米"], (8800, 52000))],
}
FURNITURE_PREFIXES = ["东阳", "卢宅", "木雕", "", "榫卯", "东阳木雕"]

# Tea: (category slug, product names)
TEA_NAMES: dict[str, list[str]] = {
    "green-tea": ["武阳春雨", "武义有机绿茶", "磐安云峰", "婺州举岩", "东白春芽", "兰溪毛峰",
                  "高山云雾茶"],
    "black-tea": ["武义红茶", "磐安高山红茶", "金华工夫红茶", "云峰红"],
    "white-tea": ["武义白茶", "磐安白茶", "高山白茶"],
}
TEA_PACKS = ["明前", "雨前", "高山", "手工", "礼盒装", "罐装"]
TEA_PRICE_50G = (38, 268)  # yuan per 50 g

# Fruit: (category slug, product names, variety)
FRUIT_NAMES: dict[str, list[tuple[str, str]]] = {
    "grape": [("浦江巨峰葡萄", "巨峰"), ("浦江阳光玫瑰葡萄", "阳光玫瑰"),
              ("浦江醉金香葡萄", "醉金香"), ("浦江夏黑葡萄", "夏黑")],
    "citrus": [("浦江红美人柑橘", "红美人"), ("红美人果冻橙", "红美人"), ("春香橘柚", "春香"),
               ("浦江椪柑", "椪柑")],
    "stone-fruit": [("浦江桃形李", "桃形李"), ("高山水蜜桃", "水蜜桃"), ("浦江黄桃", "黄桃")],
}
FRUIT_PRICE = {"grape": (39, 168), "citrus": (59, 198), "stone-fruit": (39, 129)}
SPEC_FACTOR = {"50克": 1, "100克": 2, "250克": 5, "500克": 10, "1.5kg礼盒": 1, "2.5kg装": 1.5,
               "5kg装": 2.6, "12枚礼盒": 1, "24枚礼盒": 1.8}

TAKEDOWN_REASONS = [
    "抽检发现材质标注与实物不符（标称大果紫檀，检测为非红木类）。",
    "检测报告批次与在售商品不一致，暂停销售待核查。",
]
