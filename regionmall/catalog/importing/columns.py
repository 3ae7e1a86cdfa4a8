"""The column layout of a category's spreadsheet: one row per SKU.

Template, import and export all build their columns here, so a downloaded template, an
exported catalogue and the importer always agree. Each column has a Chinese header (what the
merchant sees; it is the file format, so it is not translated) and a stable key written in a
hidden second header row, so re-importing maps columns by key even if a header was retyped.

Order: product fields, then one column per non-axis attribute of the category's effective
schema (header "名称(单位)"), then one per spec axis, then the SKU fields, then the merchant's
own extra attributes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from regionmall.catalog.attributes import effective_schema
from regionmall.catalog.models import AttributeDefinition, AttributeType, Category

ATTR_PREFIX = "attr:"
SPEC_PREFIX = "spec:"

# Product-level columns repeat on every SKU row of a product (blank = same as its first row).
PRODUCT_KEYS = ("product_key", "name", "brand", "origin", "unit", "description", "extra")
SKU_KEYS = ("sku_code", "barcode", "price", "weight_g", "volume_cm3", "tiers")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    definition: AttributeDefinition | None = field(default=None, compare=False, hash=False)
    width: int = 14

    @property
    def is_attribute(self) -> bool:
        return self.key.startswith(ATTR_PREFIX)

    @property
    def is_axis(self) -> bool:
        return self.key.startswith(SPEC_PREFIX)

    @property
    def is_product_level(self) -> bool:
        return self.key in PRODUCT_KEYS or self.is_attribute

    @property
    def code(self) -> str:
        """The attribute code of an attribute or axis column ("" otherwise)."""
        return self.key.split(":", 1)[1] if ":" in self.key else ""


def _base_before() -> list[Column]:
    return [
        Column("product_key", "商品编号", required=True, width=12),
        Column("name", "商品名称", required=True, width=28),
        Column("brand", "品牌", width=12),
        Column("origin", "产地(区县名)", width=12),
        Column("unit", "单位", width=8),
        Column("description", "描述", width=36),
    ]


def _base_after() -> list[Column]:
    return [
        Column("sku_code", "SKU编码", width=16),
        Column("barcode", "条形码", width=16),
        Column("price", "价格(元)", required=True, width=10),
        Column("weight_g", "重量(克)", width=10),
        Column("volume_cm3", "体积(立方厘米)", width=14),
        Column("tiers", "阶梯价", width=20),
        Column("extra", "自定义属性", width=24),
    ]


def attribute_header(definition: AttributeDefinition) -> str:
    return f"{definition.name}({definition.unit})" if definition.unit else definition.name


def columns_for_schema(schema: list[AttributeDefinition]) -> list[Column]:
    """The full column list for an effective schema. File attributes are left out: a file
    cannot travel in a cell, so it is uploaded in the product editor instead."""
    attributes = [
        Column(f"{ATTR_PREFIX}{d.code}", attribute_header(d), required=d.required, definition=d,
               width=max(10, min(24, len(attribute_header(d)) * 2 + 2)))
        for d in schema if not d.is_spec_axis and d.type != AttributeType.FILE
    ]
    axes = [
        Column(f"{SPEC_PREFIX}{d.code}", attribute_header(d), definition=d, width=12)
        for d in schema if d.is_spec_axis
    ]
    return [*_base_before(), *attributes, *axes, *_base_after()]


def columns_for(category: Category) -> tuple[list[AttributeDefinition], list[Column]]:
    schema = effective_schema(category)
    return schema, columns_for_schema(schema)


_SPACES = re.compile(r"\s+")


def normalise_header(text: object) -> str:
    """Compare headers loosely: no spaces, ASCII brackets, no required-marker star."""
    value = _SPACES.sub("", str(text or ""))
    value = value.replace("（", "(").replace("）", ")").lstrip("*＊")
    return value.lower()


def header_aliases(column: Column) -> set[str]:
    """Every header text that maps to ``column`` when a file has no key row (e.g. a CSV)."""
    names = {column.header, column.key}
    if column.definition is not None:
        names |= {column.definition.name, column.definition.code, column.code}
    if column.key == "origin":
        names |= {"产地(区县)", "产地(区县名称)"}
    if column.key == "price":
        names |= {"价格", "单价(元)", "单价"}
    return {normalise_header(n) for n in names}


def type_label(column: Column) -> str:
    """A short Chinese-by-translation description of what a cell of ``column`` holds."""
    d = column.definition
    if d is None:
        return {
            "product_key": _("Text: rows with the same number are one product"),
            "name": _("Text, at most 120 characters"),
            "brand": _("Text, at most 60 characters"),
            "origin": _("District or county name, or its 6-digit code"),
            "unit": _("Text, at most 10 characters, default 件"),
            "description": _("Text"),
            "sku_code": _("Text, unique in your shop; left blank, one is made up"),
            "barcode": _("8 to 14 digits"),
            "price": _("Amount in yuan, at most two decimals"),
            "weight_g": _("Whole number of grams"),
            "volume_cm3": _("Whole number of cubic centimetres"),
            "tiers": _("From-quantity:price pairs, e.g. 10:95.00;50:88.00"),
            "extra": _("Name:value pairs, e.g. 工艺:榫卯;保修:十年"),
        }.get(column.key, "")
    if column.is_axis:
        return _("One value per SKU row")
    return {
        AttributeType.TEXT: _("Text"),
        AttributeType.NUMBER: _("Number"),
        AttributeType.CHOICE: _("One of the allowed values"),
        AttributeType.MULTI_CHOICE: _("Several allowed values separated by 、"),
        AttributeType.DATE: _("Date as YYYY-MM-DD"),
        AttributeType.BOOLEAN: _("是 or 否"),
    }.get(d.type, "")
