"""Admin: for looking things up, and for the auto-tagging dictionary.

Categories, schemas and products change only through the services (validation, row locks,
state log, events), so they are read-only here. Tags and their keyword rules are plain
configuration and are edited here.
"""

from __future__ import annotations

from django.contrib import admin

from regionmall.catalog.models import (
    AttributeDefinition,
    Category,
    Product,
    ProductDocument,
    ProductImage,
    ProductStateLog,
    ProductTag,
    Sku,
    Tag,
    TagRule,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AttributeInline(ReadOnlyMixin, admin.TabularInline):
    model = AttributeDefinition
    extra = 0
    fields = ("code", "name", "type", "unit", "choices", "required", "filterable",
              "is_spec_axis", "position")


@admin.register(Category)
class CategoryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "parent", "is_active", "requires_review", "position")
    list_filter = ("is_active", "requires_review")
    search_fields = ("name", "slug")
    list_select_related = ("parent",)
    inlines = (AttributeInline,)


class SkuInline(ReadOnlyMixin, admin.TabularInline):
    model = Sku
    extra = 0
    fields = ("code", "spec_key", "price_fen", "barcode", "is_active")


class ImageInline(ReadOnlyMixin, admin.TabularInline):
    model = ProductImage
    extra = 0


class DocumentInline(ReadOnlyMixin, admin.TabularInline):
    model = ProductDocument
    extra = 0


class TagInline(ReadOnlyMixin, admin.TabularInline):
    model = ProductTag
    extra = 0
    fields = ("tag", "status", "source", "matched_keyword")


class StateLogInline(ReadOnlyMixin, admin.TabularInline):
    model = ProductStateLog
    extra = 0
    fields = ("at", "from_state", "to_state", "actor", "reason")


@admin.register(Product)
class ProductAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "merchant", "category", "state", "min_price_fen", "updated_at")
    list_filter = ("state", "category")
    search_fields = ("name", "brand", "skus__code")
    list_select_related = ("merchant", "category")
    inlines = (SkuInline, ImageInline, DocumentInline, TagInline, StateLogInline)


class TagRuleInline(admin.TabularInline):
    model = TagRule
    extra = 1


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "family")
    list_filter = ("family",)
    search_fields = ("name", "slug", "rules__keyword")
    inlines = (TagRuleInline,)


@admin.register(TagRule)
class TagRuleAdmin(admin.ModelAdmin):
    list_display = ("keyword", "tag")
    search_fields = ("keyword", "tag__name")
    list_select_related = ("tag",)
