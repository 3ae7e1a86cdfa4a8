"""Console page forms for the catalog. They only shape input (yuan -> fen, lines -> lists,
a category's schema -> typed fields); the services hold every rule, and
:func:`show_service_errors` puts a service's per-field messages back on the right form.

The heart is :class:`AttributeForm`: one field per attribute of a category's effective schema,
so a schema change made by an operator shows up on every product editor of that category and
its descendants without code. Required attributes are marked but not enforced here: a draft
may be incomplete, and publishing (a service) is where "required" bites.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regionmall.catalog.models import AttributeDefinition, AttributeType, Category, Tag
from regionmall.catalog.services._uploads import check_image
from regionmall.catalog.services.schema import DOCUMENT_KINDS, QUALIFICATION_KINDS
from regionmall.core.errors import DomainError
from regionmall.core.money import MoneyError, to_fen, to_yuan
from regionmall.regions.selectors import districts

MONEY_WIDGET = {"inputmode": "decimal", "step": "0.01", "min": "0"}
# Spec values typed as text: split on ASCII and full-width commas and the enumeration comma.
_VALUE_SPLIT = re.compile(r"[,，、;；\n]+")
_YES_NO = [("", "—"), ("true", _("Yes")), ("false", _("No"))]


class _Form(forms.Form):
    """No ':' after labels: it reads wrong after Chinese text (and is not needed anyway)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def yuan_field(label, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    """A price typed in yuan (two decimals); views turn it into fen with :func:`fen_of`."""
    return forms.DecimalField(
        label=label, required=required, min_value=Decimal("0"), max_digits=12,
        decimal_places=2, help_text=help_text,
        widget=forms.NumberInput(attrs=MONEY_WIDGET),
    )


def fen_of(amount: Decimal | None) -> int | None:
    return None if amount is None else to_fen(amount)


def yuan_of(fen: int | None) -> Decimal | None:
    return None if fen is None else to_yuan(fen)


def document_kind_choices() -> list[tuple[str, Any]]:
    """Product-level document kinds (inspection report, certificate of origin, ...)."""
    return list(DOCUMENT_KINDS.items())


def qualification_kind_choices() -> list[tuple[str, Any]]:
    """Merchant-level licences a category may demand (SC food licence, CCC, ...)."""
    return list(QUALIFICATION_KINDS.items())


# --- categories and schemas (platform console) ---------------------------------------------


class CategoryForm(_Form):
    parent = forms.ModelChoiceField(
        label=_("Parent category"), queryset=Category.objects.none(), required=False,
        empty_label=_("(top level)"),
    )
    name = forms.CharField(label=_("Name"), max_length=50)
    slug = forms.SlugField(
        label=_("Slug"), max_length=60,
        help_text=_("Lowercase letters, digits and hyphens; used in addresses."),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0, required=False)
    requires_review = forms.BooleanField(
        label=_("Products need review before sale"), required=False)
    required_product_documents = forms.MultipleChoiceField(
        label=_("Documents each product must carry"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    required_merchant_qualifications = forms.MultipleChoiceField(
        label=_("Licences the merchant must hold"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, exclude: Category | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parents = Category.objects.order_by("position", "id")
        if exclude is not None:
            parents = parents.exclude(pk=exclude.pk)
        self.fields["parent"].queryset = parents
        self.fields["required_product_documents"].choices = document_kind_choices()
        self.fields["required_merchant_qualifications"].choices = qualification_kind_choices()

    @classmethod
    def initial_for(cls, category: Category) -> dict[str, Any]:
        return {
            "parent": category.parent_id, "name": category.name, "slug": category.slug,
            "position": category.position, "requires_review": category.requires_review,
            "required_product_documents": category.required_product_documents,
            "required_merchant_qualifications": category.required_merchant_qualifications,
        }

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["position"] = data.get("position") or 0
        data["required_product_documents"] = list(data["required_product_documents"])
        data["required_merchant_qualifications"] = list(data["required_merchant_qualifications"])
        return data


class AttributeDefinitionForm(_Form):
    code = forms.CharField(
        label=_("Code"), max_length=40,
        help_text=_("Stable key, e.g. material. Reuse a parent's code to redefine it."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    name = forms.CharField(label=_("Name"), max_length=40)
    type = forms.ChoiceField(label=_("Type"), choices=AttributeType.choices)
    unit = forms.CharField(label=_("Unit"), max_length=10, required=False,
                           help_text=_("Numbers only, e.g. cm, kg."))
    choices = forms.CharField(
        label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. Needed for choice types; optional for spec axes."),
    )
    required = forms.BooleanField(label=_("Required to publish"), required=False)
    filterable = forms.BooleanField(label=_("Usable as a search filter"), required=False)
    is_spec_axis = forms.BooleanField(label=_("Spec axis (generates SKUs)"), required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0, required=False)
    help_text = forms.CharField(label=_("Help for merchants"), max_length=200, required=False)

    @classmethod
    def initial_for(cls, definition: AttributeDefinition) -> dict[str, Any]:
        return {
            "code": definition.code, "name": definition.name, "type": definition.type,
            "unit": definition.unit, "choices": "\n".join(definition.choices),
            "required": definition.required, "filterable": definition.filterable,
            "is_spec_axis": definition.is_spec_axis, "position": definition.position,
            "help_text": definition.help_text,
        }

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["choices"] = [line.strip() for line in data["choices"].splitlines() if line.strip()]
        data["position"] = data.get("position") or 0
        return data


# --- products (merchant console) -----------------------------------------------------------


class ProductBaseForm(_Form):
    name = forms.CharField(label=_("Product name"), max_length=120)
    brand = forms.CharField(label=_("Brand"), max_length=60, required=False)
    origin = forms.ModelChoiceField(
        label=_("Origin"), queryset=districts(), required=False, empty_label="—",
        help_text=_("The district it was made or grown in."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=10, initial="件",
                           help_text=_("e.g. 件, 套, 斤, 箱"))
    price = yuan_field(_("Price (yuan)"),
                       help_text=_("Default price of new SKUs; SKUs may differ."))
    description = forms.CharField(label=_("Description"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))

    @classmethod
    def initial_for(cls, product) -> dict[str, Any]:
        return {
            "name": product.name, "brand": product.brand, "origin": product.origin_id,
            "unit": product.unit, "price": yuan_of(product.price_fen),
            "description": product.description,
        }

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["price_fen"] = fen_of(data.pop("price"))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ImagesForm(_Form):
    main_image = forms.FileField(
        label=_("Main image"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    gallery = MultipleFileField(label=_("Add gallery images"), required=False,
                                help_text=_("JPG or PNG; several at once."))

    def _checked(self, upload):
        try:
            check_image(upload)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload

    def clean_main_image(self):
        upload = self.cleaned_data.get("main_image")
        return self._checked(upload) if upload else upload

    def clean_gallery(self):
        return [self._checked(upload) for upload in self.cleaned_data.get("gallery") or []]


class DocumentForm(_Form):
    kind = forms.ChoiceField(label=_("Document"))
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    file = forms.FileField(
        label=_("Scan or photo"), help_text=_("PDF, JPG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    issued_on = forms.DateField(label=_("Issued on"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=_("Expires on"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = document_kind_choices()


class TagAddForm(_Form):
    tag = forms.ModelChoiceField(label=_("Add a tag"), queryset=Tag.objects.none(),
                                 empty_label="—")

    def __init__(self, *args, exclude: Iterable[int] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = Tag.objects.exclude(pk__in=list(exclude))


class ReasonForm(_Form):
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class SearchForm(_Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))


# --- the schema-driven attribute form -------------------------------------------------------


def split_values(text: str) -> list[str]:
    """``"红, 白，原木色"`` -> ``["红", "白", "原木色"]`` (distinct, order kept)."""
    return list(dict.fromkeys(v.strip() for v in _VALUE_SPLIT.split(text or "") if v.strip()))


class AttributeForm(_Form):
    """One field per attribute of ``schema``; field names are the attribute codes.

    ``values()`` returns what ``create_product``/``update_product`` expect in ``attributes``:
    the stored shapes documented in :mod:`regionmall.catalog.attributes` (numbers and dates as
    strings, booleans as bools, lists for multi-choice and spec axes). Blank fields are left
    out, except files, which keep their stored name unless a new file is uploaded.
    """

    def __init__(self, schema: Sequence[AttributeDefinition], *args,
                 stored: Mapping[str, Any] | None = None, **kwargs) -> None:
        self.schema = list(schema)
        self.stored = dict(stored or {})
        kwargs.setdefault("prefix", "attr")
        kwargs.setdefault("initial", self._initial())
        super().__init__(*args, **kwargs)
        for definition in self.schema:
            self.fields[definition.code] = self._field(definition)

    def _initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        by_code = {d.code: d for d in self.schema}
        for code, value in self.stored.items():
            definition = by_code.get(code)
            if definition is None:
                continue
            if definition.is_spec_axis and not definition.choices:
                initial[code] = ", ".join(value if isinstance(value, list) else [str(value)])
            elif definition.type == AttributeType.BOOLEAN and not definition.is_spec_axis:
                initial[code] = "true" if value else "false"
            elif definition.type != AttributeType.FILE:
                initial[code] = value
        return initial

    def _field(self, d: AttributeDefinition) -> forms.Field:
        common: dict[str, Any] = {"label": d.name, "required": False}
        helps = [d.help_text] if d.help_text else []
        if d.required:
            common["label_suffix"] = " *"
        if d.is_spec_axis:
            helps.append(str(_("Spec axis: each value chosen becomes SKUs.")))
            if d.choices:
                field = forms.MultipleChoiceField(
                    choices=[(c, c) for c in d.choices],
                    widget=forms.CheckboxSelectMultiple, **common)
            else:
                helps.append(str(_("Separate values with commas.")))
                field = forms.CharField(max_length=1000, **common)
        elif d.type == AttributeType.NUMBER:
            if d.unit:
                common["label"] = f"{d.name}（{d.unit}）"
            field = forms.DecimalField(
                max_digits=18, decimal_places=6,
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
                **common)
        elif d.type == AttributeType.CHOICE:
            field = forms.ChoiceField(choices=[("", "—"), *((c, c) for c in d.choices)],
                                      **common)
        elif d.type == AttributeType.MULTI_CHOICE:
            field = forms.MultipleChoiceField(
                choices=[(c, c) for c in d.choices], widget=forms.CheckboxSelectMultiple,
                **common)
        elif d.type == AttributeType.DATE:
            field = forms.DateField(
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
        elif d.type == AttributeType.BOOLEAN:
            field = forms.TypedChoiceField(
                choices=_YES_NO, coerce=lambda v: v == "true", empty_value=None, **common)
        elif d.type == AttributeType.FILE:
            current = self.stored.get(d.code)
            if current:
                helps.append(str(_("Current file: %(name)s")) % {
                    "name": str(current).rsplit("/", 1)[-1]})
            field = forms.FileField(**common)
        else:
            field = forms.CharField(max_length=500, **common)
        field.help_text = " ".join(helps)
        field.publish_required = d.required  # templates may mark it
        return field

    def values(self) -> dict[str, Any]:
        """The cleaned values in their stored shapes (call after ``is_valid()``)."""
        out: dict[str, Any] = {}
        for d in self.schema:
            value = self.cleaned_data.get(d.code)
            if d.type == AttributeType.FILE and not d.is_spec_axis:
                if value:
                    out[d.code] = value  # an UploadedFile: the view stores it first
                elif self.stored.get(d.code):
                    out[d.code] = self.stored[d.code]
                continue
            if d.is_spec_axis and isinstance(value, str):
                value = split_values(value)
            if value is None or value == "" or value == []:
                continue
            if isinstance(value, Decimal):
                value = format(value.normalize(), "f")
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            elif isinstance(value, list | tuple):
                value = list(value)
            out[d.code] = value
        return out

    def uploads(self) -> dict[str, Any]:
        """File attributes with a new upload (code -> UploadedFile)."""
        return {d.code: self.cleaned_data[d.code] for d in self.schema
                if d.type == AttributeType.FILE and not d.is_spec_axis
                and self.cleaned_data.get(d.code)}


# --- rows typed as repeated inputs (extra attributes, tier prices) --------------------------


def extra_rows(post: Mapping, names: str = "extra_name", values: str = "extra_value"
               ) -> tuple[list[dict[str, str]], list[str]]:
    """Read the merchant's own name/value rows; rows with both blank are dropped.

    Repeated inputs (not a numbered formset) so rows can be added and removed in the page
    without renumbering anything.
    """
    rows: list[dict[str, str]] = []
    errors: list[str] = []
    for name, value in zip(post.getlist(names), post.getlist(values), strict=False):
        name, value = name.strip(), value.strip()
        if not name and not value:
            continue
        if not name or not value:
            errors.append(str(_("Give both a name and a value (row “%(row)s”).")
                              % {"row": name or value}))
            continue
        rows.append({"name": name, "value": value})
    return rows, errors


def tier_rows(post: Mapping, prefix: str) -> tuple[list[tuple[int, int]], list[str],
                                                   list[tuple[str, str]]]:
    """Tier price rows of one SKU: ``(min_quantity, price_fen)`` pairs, errors, raw rows.

    The raw rows come back so a refused form shows exactly what was typed.
    """
    tiers: list[tuple[int, int]] = []
    errors: list[str] = []
    raw = list(zip(post.getlist(f"{prefix}-tier_qty"), post.getlist(f"{prefix}-tier_price"),
                   strict=False))
    for qty_text, price_text in raw:
        qty_text, price_text = qty_text.strip(), price_text.strip()
        if not qty_text and not price_text:
            continue
        try:
            qty = int(qty_text)
        except ValueError:
            errors.append(str(_("Quantity “%(value)s” is not a whole number.")
                              % {"value": qty_text}))
            continue
        try:
            price = to_fen(price_text)
        except MoneyError:
            errors.append(str(_("Price “%(value)s” is not an amount.") % {"value": price_text}))
            continue
        if qty < 2:
            errors.append(str(_("Tier quantities start at 2.")))
        elif price < 0:
            errors.append(str(_("Prices cannot be negative.")))
        else:
            tiers.append((qty, price))
    return tiers, errors, [(q, p) for q, p in raw if q.strip() or p.strip()]


class SkuForm(_Form):
    """One row of the SKU matrix (prefix ``sku-<id>``)."""

    code = forms.CharField(label=_("SKU code"), max_length=60)
    barcode = forms.CharField(label=_("Barcode"), max_length=20, required=False,
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    price = yuan_field(_("Price (yuan)"))
    weight_g = forms.IntegerField(label=_("Weight (g)"), min_value=0, required=False,
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    volume_cm3 = forms.IntegerField(label=_("Volume (cm³)"), min_value=0, required=False,
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    is_active = forms.BooleanField(label=_("Active"), required=False)

    @classmethod
    def initial_for(cls, sku) -> dict[str, Any]:
        return {"code": sku.code, "barcode": sku.barcode, "price": yuan_of(sku.price_fen),
                "weight_g": sku.weight_g, "volume_cm3": sku.volume_cm3,
                "is_active": sku.is_active}

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["price_fen"] = fen_of(data.pop("price"))
        data["weight_g"] = data.get("weight_g") or 0
        data["volume_cm3"] = data.get("volume_cm3") or 0
        return data


def show_service_errors(error: DomainError, *forms_by_prefix: tuple[str, forms.Form]) -> None:
    """Attach a service error's field messages to the form that owns each field.

    ``forms_by_prefix`` pairs a service key prefix with a form, e.g. ``("attributes.",
    attribute_form)`` and ``("", base_form)``: ``attributes.material`` lands on the attribute
    form's ``material`` field. Unplaced messages and the summary go to the last form's
    non-field errors.
    """
    fallback = forms_by_prefix[-1][1]
    placed = False
    for key, messages in error.fields.items():
        target_form, target = fallback, None
        for prefix, form in forms_by_prefix:
            name = key[len(prefix):] if key.startswith(prefix) else None
            if name is not None and name in form.fields:
                target_form, target = form, name
                break
            if prefix == "" and key == "price_fen" and "price" in form.fields:
                target_form, target = form, "price"
                break
        for message in messages:
            target_form.add_error(target, message)
            placed = True
    if not placed:
        fallback.add_error(None, str(error.message))
