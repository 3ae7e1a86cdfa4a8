"""Merchant console pages of the catalog: the product list, the editor with its
schema-driven attribute form, images and compliance documents. The SKU matrix and the tag
panel live in :mod:`.merchant_skus` and :mod:`.merchant_tags`; their URLs are added here.

The merchant is always the user's own (``selectors.merchant_of``); a product of another
merchant is a 404 (``selectors.product_for_owner`` returns None), never a 403, so ids do not
leak. Views read through selectors and write only through the product services.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regionmall.accounts.permissions import merchant_console
from regionmall.catalog import selectors
from regionmall.catalog.attributes import ancestry
from regionmall.catalog.forms import (
    AttributeForm,
    DocumentForm,
    ImagesForm,
    ProductBaseForm,
    extra_rows,
    show_service_errors,
)
from regionmall.catalog.models import Category, Product, ProductImage, ProductState
from regionmall.catalog.services import products as services
from regionmall.catalog.services._uploads import check_document, random_name
from regionmall.catalog.services.schema import DOCUMENT_KINDS
from regionmall.catalog.views import merchant_skus, merchant_tags
from regionmall.catalog.views.console_helpers import (
    error_lines,
    is_htmx,
    own_product,
    price_text,
    refusal_text,
)
from regionmall.catalog.views.platform import tree_rows
from regionmall.core.errors import DomainError, ValidationFailed

PAGE_SIZE = 20
ATTRIBUTE_FILES = "catalog/attributes/"


def _merchant_or_none(request: HttpRequest):
    return selectors.merchant_of(request.user)


def _no_shop(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/merchant/no_shop.html", status=403)


# --- product list ---------------------------------------------------------------------------


@merchant_console
def product_list(request: HttpRequest) -> HttpResponse:
    """Products by state (tabs with counts), searchable by name, paginated."""
    merchant = _merchant_or_none(request)
    if merchant is None:
        return _no_shop(request)
    state = request.GET.get("state", "all")
    if state not in ProductState.values:
        state = "all"
    q = request.GET.get("q", "").strip()[:100]
    every = selectors.products_of_merchant(merchant)
    if q:
        every = every.filter(name__icontains=q)
    counts = dict(every.order_by().values("state").annotate(n=Count("id"))
                  .values_list("state", "n"))
    tabs = [(value, label, counts.get(value, 0)) for value, label in ProductState.choices]
    shown = every if state == "all" else every.filter(state=state)
    shown = shown.annotate(n_skus=Count("skus", filter=Q(skus__is_active=True), distinct=True))
    shown = shown.select_related("category").order_by("-created_at", "-id")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    for product in page.object_list:
        product.price_text = price_text(product)
    query = urlencode({"state": state, "q": q} if q else {"state": state})
    return render(request, "catalog/merchant/product_list.html", {
        "page": page, "state": state, "tabs": tabs, "total": sum(counts.values()), "q": q,
        "query": query,
    })


QUICK_ACTIONS = {"publish": services.publish, "off_sale": services.take_off_sale}


@merchant_console
@require_POST
def product_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Publish or take off sale from the list. HTMX gets the item back, with the refusal
    (the publishing gaps naming what is missing) shown inline."""
    if action not in QUICK_ACTIONS:
        raise Http404
    product = own_product(request, pk)
    error = None
    try:
        QUICK_ACTIONS[action](request.user, product)
    except DomainError as exc:
        error = exc
    product = own_product(request, pk)
    if is_htmx(request):
        product.price_text = price_text(product)
        product.n_skus = product.skus.filter(is_active=True).count()
        return render(request, "catalog/merchant/_product_item.html", {
            "p": product, "error_lines": error_lines(error) if error else [],
            "done": error is None})
    if error is not None:
        messages.error(request, refusal_text(error))
    elif product.state == ProductState.PENDING_REVIEW:
        messages.success(request, _("Sent for review: it goes on sale once approved."))
    else:
        messages.success(request, _("Done."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()},
                                                require_https=request.is_secure()):
        return redirect(back)
    return redirect("catalog:merchant_products")


# --- editor ---------------------------------------------------------------------------------


@merchant_console
def product_new(request: HttpRequest) -> HttpResponse:
    """Choose the category first (the tree), then fill the editor for it."""
    if _merchant_or_none(request) is None:
        return _no_shop(request)
    raw = request.POST.get("category") or request.GET.get("category")
    if not raw or not str(raw).isdigit():
        rows = tree_rows(include_inactive=False)
        return render(request, "catalog/merchant/category_picker.html", {"rows": rows})
    category = get_object_or_404(Category, pk=int(raw), is_active=True)
    return _editor(request, None, category)


@merchant_console
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = own_product(request, pk)
    return _editor(request, product, product.category)


def _editor(request: HttpRequest, product: Product | None, category: Category) -> HttpResponse:
    schema = selectors.schema_for(category)
    stored = product.attributes if product else {}
    if request.method != "POST":
        base = ProductBaseForm(initial=ProductBaseForm.initial_for(product) if product else None)
        attrs = AttributeForm(schema, stored=stored)
        return _editor_page(request, product, category, base, attrs, ImagesForm())
    base = ProductBaseForm(request.POST)
    attrs = AttributeForm(schema, request.POST, request.FILES, stored=stored)
    images = ImagesForm(request.POST, request.FILES)
    extras, extra_errors = extra_rows(request.POST)
    valid = all([base.is_valid(), attrs.is_valid(), images.is_valid()]) and not extra_errors
    stored_files: list[str] = []
    if valid:
        values = attrs.values()
        stored_files = _store_attribute_files(attrs, values)
        valid = not attrs.errors
    if valid:
        data = {**base.service_data(), "attributes": values, "extra_attributes": extras}
        try:
            product = _save(request, product, category, data, images)
        except DomainError as exc:
            for name in stored_files:
                default_storage.delete(name)
            extra_errors += _split_extra_errors(exc)
            show_service_errors(exc, ("attributes.", attrs), ("", images), ("", base))
        else:
            return _after_save(request, product)
    return _editor_page(request, product, category, base, attrs, images, status=422,
                        extra_errors=extra_errors, extras=_typed_extras(request))


def _store_attribute_files(attrs: AttributeForm, values: dict[str, Any]) -> list[str]:
    """Store each newly uploaded file attribute and put its stored name in ``values``.

    The services keep a file attribute as a stored file name (see catalog.attributes), so the
    file is checked with the same rules as product documents and saved first; the caller
    deletes it again if the product is then refused.
    """
    stored: list[str] = []
    for code, upload in attrs.uploads().items():
        try:
            ext = check_document(upload)
        except ValueError as exc:
            attrs.add_error(code, str(exc))
            continue
        name = default_storage.save(f"{ATTRIBUTE_FILES}{random_name(ext)}", upload)
        stored.append(name)
        values[code] = name
    if attrs.errors:
        for name in stored:
            default_storage.delete(name)
        return []
    return stored


def _split_extra_errors(exc: DomainError) -> list[str]:
    """Take the merchant's own-attribute messages out of ``exc`` (they have no form field)."""
    keys = [k for k in exc.fields if k.startswith("extra_attributes")]
    return [str(m) for k in keys for m in exc.fields.pop(k)]


def _save(request: HttpRequest, product: Product | None, category: Category,
          data: dict[str, Any], images: ImagesForm) -> Product:
    """Create or update, then attach uploaded images: one service call each, all inside one
    transaction so a refused image does not leave a half-saved (or duplicated) product."""
    with transaction.atomic():
        if product is None:
            product = services.create_product(request.user, {**data, "category": category})
        else:
            product = services.update_product(request.user, product, data)
        upload = images.cleaned_data.get("main_image")
        if upload:
            with _errors_on("main_image"):
                product = services.set_main_image(request.user, product, upload)
        for upload in images.cleaned_data.get("gallery") or []:
            with _errors_on("gallery"):
                services.add_gallery_image(request.user, product, upload)
    return product


@contextmanager
def _errors_on(field: str):
    """Re-raise an upload refusal (keyed ``file`` by the service) on the form's field."""
    try:
        yield
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, fields={
            field: [str(m) for ms in exc.fields.values() for m in ms] or [str(exc.message)]
        }) from exc


def _after_save(request: HttpRequest, product: Product) -> HttpResponse:
    edit_url = reverse("catalog:merchant_product_edit", args=[product.pk])
    if request.POST.get("action") != "publish":
        messages.success(request, _("Saved."))
        return redirect(edit_url)
    try:
        product = services.publish(request.user, product)
    except DomainError as exc:
        messages.error(request, _("Saved, but not published: %(why)s") % {
            "why": refusal_text(exc)})
    else:
        if product.state == ProductState.PENDING_REVIEW:
            messages.success(request, _("Saved and sent for review."))
        else:
            messages.success(request, _("Saved and put on sale."))
    return redirect(edit_url)


def _typed_extras(request: HttpRequest) -> list[dict[str, str]]:
    """The extra attribute rows exactly as typed (to show them again after an error)."""
    return [{"name": n, "value": v} for n, v in zip(
        request.POST.getlist("extra_name"), request.POST.getlist("extra_value"), strict=False)
        if n.strip() or v.strip()]


def _editor_page(request: HttpRequest, product: Product | None, category: Category,
                 base, attrs, images, *, status: int = 200, **extra) -> HttpResponse:
    context: dict[str, Any] = {
        "product": product, "category": category, "path": ancestry(category),
        "base": base, "attrs": attrs, "images": images,
        "extras": extra.pop("extras", None) or (product.extra_attributes if product else []),
        "extra_errors": extra.pop("extra_errors", []),
        **extra,
    }
    if product is not None:
        context.update(_panels(product))
        context.setdefault("document_form", DocumentForm())
    return render(request, "catalog/merchant/product_editor.html", context, status=status)


def _panels(product: Product) -> dict[str, Any]:
    """The side panels of a saved product: checklist, images, documents, tags."""
    return {
        "gaps": services.publishing_gaps(product),
        "gallery": list(product.images.all()),
        "documents": [_labelled(d) for d in product.documents.all()],
        "sku_count": product.skus.filter(is_active=True).count(),
        **merchant_tags.panel_context(product),
    }


def _labelled(document):
    document.kind_label = DOCUMENT_KINDS.get(document.kind, document.kind)
    return document


@merchant_console
def product_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """The publishing checklist alone (refreshed after changes made in other panels)."""
    product = own_product(request, pk)
    return render(request, "catalog/merchant/_checklist.html", {
        "product": product, "gaps": services.publishing_gaps(product)})


@merchant_console
@require_POST
def product_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a compliance document (kind, number, file, dates) for this product."""
    product = own_product(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_document(request.user, product, data["kind"], data["number"],
                                  data["file"], data["issued_on"], data["expires_on"])
        except DomainError as exc:
            show_service_errors(exc, ("", form))
        else:
            messages.success(request, _("Document uploaded."))
            return redirect(reverse("catalog:merchant_product_edit", args=[pk]) + "#documents")
    schema = selectors.schema_for(product.category)
    return _editor_page(
        request, product, product.category,
        ProductBaseForm(initial=ProductBaseForm.initial_for(product)),
        AttributeForm(schema, stored=product.attributes), ImagesForm(),
        status=422, document_form=form)


@merchant_console
@require_POST
def gallery_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one gallery image; HTMX gets the gallery back."""
    image = get_object_or_404(ProductImage, pk=pk)
    product = own_product(request, image.product_id)
    error = None
    try:
        services.remove_gallery_image(request.user, image)
    except DomainError as exc:
        error = exc
    if is_htmx(request):
        response = render(request, "catalog/merchant/_gallery.html", {
            "product": product, "gallery": list(product.images.all()),
            "error_lines": error_lines(error) if error else []})
        response["HX-Trigger"] = "catalog-changed"
        return response
    if error is not None:
        messages.error(request, refusal_text(error))
    return redirect(reverse("catalog:merchant_product_edit", args=[product.pk]) + "#images")


urlpatterns = [
    path("merchant/products/", product_list, name="merchant_products"),
    path("merchant/products/new/", product_new, name="merchant_product_new"),
    path("merchant/products/<int:pk>/", product_edit, name="merchant_product_edit"),
    path("merchant/products/<int:pk>/checklist/", product_checklist,
         name="merchant_product_checklist"),
    path("merchant/products/<int:pk>/documents/", product_document,
         name="merchant_product_document"),
    path("merchant/products/images/<int:pk>/remove/", gallery_remove,
         name="merchant_gallery_remove"),
    path("merchant/products/<int:pk>/publish/", product_action, {"action": "publish"},
         name="merchant_product_publish"),
    path("merchant/products/<int:pk>/off-sale/", product_action, {"action": "off_sale"},
         name="merchant_product_off_sale"),
    *merchant_skus.urlpatterns,
    *merchant_tags.urlpatterns,
]
