"""The product centre's tables.

- A :class:`Category` tree, each category with :class:`AttributeDefinition` rows: its typed
  attribute schema, inherited by child categories (a child may redefine a code).
- A :class:`Product` of one merchant in one (leaf or inner) category, with attribute values
  in ``attributes`` (validated against the effective schema), the merchant's own extra
  attributes, images, product-level compliance documents and a state machine.
- :class:`Sku` rows generated from the spec axes (attributes marked ``is_spec_axis``), each
  with wholesale :class:`TierPrice` rows.
- :class:`Tag` in three families, :class:`TagRule` keyword dictionary for auto-tagging, and
  :class:`ProductTag` linking a product to a tag as a suggestion or an accepted tag.

Only :mod:`regionmall.catalog.services` writes these rows; money is integer fen.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

__all__ = [
    "AttributeDefinition", "AttributeType", "Category", "Product", "ProductDocument",
    "ProductImage", "ProductState", "ProductStateLog", "ProductTag", "ProductTagStatus", "Sku",
    "Tag", "TagFamily", "TagRule", "TierPrice",
]


class Category(models.Model):
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("parent category"))
    name = models.CharField(_("name"), max_length=50)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    requires_review = models.BooleanField(
        _("products need review before sale"), default=False,
        help_text=_("Publishing sends products to the review queue first."))
    # Product-level documents each product must carry (e.g. ["inspection_report"]) and
    # merchant-level qualifications the seller must hold (e.g. ["sc_food_licence"]).
    required_product_documents = models.JSONField(_("required product documents"),
                                                  default=list, blank=True)
    required_merchant_qualifications = models.JSONField(_("required merchant qualifications"),
                                                        default=list, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class AttributeType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("Single choice")
    MULTI_CHOICE = "multi_choice", _("Multiple choice")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Yes / no")
    FILE = "file", _("File")


class AttributeDefinition(models.Model):
    """One typed attribute of a category's schema (inherited by its descendants)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes",
                                 verbose_name=_("category"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=40)
    type = models.CharField(_("type"), max_length=20, choices=AttributeType.choices)
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    filterable = models.BooleanField(_("usable as a filter"), default=False)
    is_spec_axis = models.BooleanField(_("spec axis (generates SKUs)"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    help_text = models.CharField(_("help text"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="attr_code_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.name}"


class ProductState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_REVIEW = "pending_review", _("Pending review")
    ON_SALE = "on_sale", _("On sale")
    OFF_SALE = "off_sale", _("Off sale")
    TAKEN_DOWN = "taken_down", _("Taken down")


class Product(FSMModelMixin, models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT,
                                 related_name="products", verbose_name=_("merchant"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products",
                                 verbose_name=_("category"))
    name = models.CharField(_("name"), max_length=120)
    brand = models.CharField(_("brand"), max_length=60, blank=True)
    origin = models.ForeignKey("regions.Division", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("origin"))
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, default="件")
    price_fen = models.PositiveBigIntegerField(_("price (fen)"))
    # Lowest active SKU price: what lists show and sort by ("from ¥…").
    min_price_fen = models.PositiveBigIntegerField(_("lowest price (fen)"), default=0,
                                                   db_index=True)
    main_image = models.ImageField(_("main image"), upload_to="catalog/products/", blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    # The merchant's own extra attributes: [{"name": "...", "value": "..."}].
    extra_attributes = models.JSONField(_("extra attributes"), default=list, blank=True)
    state = FSMField(_("state"), max_length=20, choices=ProductState.choices,
                     default=ProductState.DRAFT, protected=True, db_index=True)
    takedown_reason = models.CharField(_("takedown reason"), max_length=500, blank=True)
    sales_count = models.PositiveIntegerField(_("sales"), default=0, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [models.Index(fields=["state", "category"]),
                   models.Index(fields=["merchant", "state"])]

    def __str__(self) -> str:
        return self.name

    # Transitions: only services call these, under a row lock, and log each move.
    @transition(state, source=[ProductState.DRAFT, ProductState.OFF_SALE],
                target=ProductState.PENDING_REVIEW)
    def submit_for_review(self) -> None: ...

    @transition(state, source=[ProductState.DRAFT, ProductState.OFF_SALE,
                               ProductState.PENDING_REVIEW], target=ProductState.ON_SALE)
    def put_on_sale(self) -> None: ...

    @transition(state, source=ProductState.PENDING_REVIEW, target=ProductState.DRAFT)
    def send_back(self) -> None: ...

    @transition(state, source=ProductState.ON_SALE, target=ProductState.OFF_SALE)
    def take_off_sale(self) -> None: ...

    @transition(state, source=[ProductState.ON_SALE, ProductState.OFF_SALE,
                               ProductState.PENDING_REVIEW], target=ProductState.TAKEN_DOWN)
    def take_down(self) -> None: ...

    @transition(state, source=ProductState.TAKEN_DOWN, target=ProductState.OFF_SALE)
    def restore(self) -> None: ...


class ProductStateLog(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="state_logs")
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.from_state} -> {self.to_state}"


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="catalog/gallery/")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"image {self.position} of {self.product_id}"


class ProductDocument(models.Model):
    """A product-level compliance document, e.g. the batch's inspection report."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30)
    number = models.CharField(_("number"), max_length=60, blank=True)
    file = models.FileField(_("file"), upload_to="catalog/documents/", blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} of {self.product_id}"


class Sku(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="skus")
    # Denormalised so SKU codes are unique per merchant without a join.
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT,
                                 related_name="+")
    code = models.CharField(_("SKU code"), max_length=60)
    barcode = models.CharField(_("barcode"), max_length=20, blank=True)
    # {"colour": "红", "size": "1.8米"}; spec_key is its canonical "colour=红|size=1.8米".
    spec = models.JSONField(_("spec"), default=dict, blank=True)
    spec_key = models.CharField(max_length=255, blank=True)
    price_fen = models.PositiveBigIntegerField(_("price (fen)"))
    weight_g = models.PositiveIntegerField(_("weight (g)"), default=0)
    volume_cm3 = models.PositiveIntegerField(_("volume (cm³)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["product", "id"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "code"], name="sku_code_per_merchant"),
            models.UniqueConstraint(fields=["product", "spec_key"], name="sku_spec_per_product"),
        ]

    def __str__(self) -> str:
        return self.code


class TierPrice(models.Model):
    """Wholesale price from ``min_quantity`` units up (the highest tier reached applies)."""

    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="tier_prices")
    min_quantity = models.PositiveIntegerField(_("from quantity"))
    price_fen = models.PositiveBigIntegerField(_("unit price (fen)"))

    class Meta:
        ordering = ["sku", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["sku", "min_quantity"], name="tier_per_quantity"),
            models.CheckConstraint(condition=Q(min_quantity__gte=2), name="tier_min_qty_gte_2"),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id} ≥{self.min_quantity}: {self.price_fen}"


class TagFamily(models.TextChoices):
    REGIONAL = "regional", _("Regional speciality")
    MARKETING = "marketing", _("Marketing")
    COMPLIANCE = "compliance", _("Compliance")


class Tag(models.Model):
    family = models.CharField(_("family"), max_length=20, choices=TagFamily.choices)
    name = models.CharField(_("name"), max_length=30, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)

    class Meta:
        ordering = ["family", "name"]

    def __str__(self) -> str:
        return self.name


class TagRule(models.Model):
    """The configurable auto-tagging dictionary: a keyword found by jieba -> a tag."""

    keyword = models.CharField(_("keyword"), max_length=30)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="rules")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["keyword", "tag"], name="tag_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.keyword} -> {self.tag}"


class ProductTagStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ProductTag(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="product_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="product_tags")
    status = models.CharField(max_length=10, choices=ProductTagStatus.choices,
                              default=ProductTagStatus.SUGGESTED)
    source = models.CharField(max_length=10, default="auto")  # auto | manual | import
    matched_keyword = models.CharField(max_length=30, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "tag"], name="product_tag_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}:{self.tag_id} ({self.status})"
