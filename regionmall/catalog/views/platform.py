"""Platform console pages of the catalog: the category tree, each category's attribute schema
editor, and the product review desk (pending review, taken down).

Views only translate between HTTP and the services: they read through ``selectors`` (and the
catalog's own tables for read-only lists), write through ``services``, and show a service's
DomainError inline. HTMX requests get the swapped panel back with status 200 even on a
refusal (htmx swaps only 2xx); plain posts redirect or re-render with 422.

The government console's supervision page lives in :mod:`.government`; its URLs are added
here because the catalog's ``urls.py`` gathers only storefront/merchant/platform/imports.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regionmall.accounts.permissions import platform_console
from regionmall.catalog import selectors
from regionmall.catalog.attributes import ancestry, effective_schema
from regionmall.catalog.forms import AttributeDefinitionForm, CategoryForm, ReasonForm
from regionmall.catalog.forms import show_service_errors as attach_errors
from regionmall.catalog.models import AttributeDefinition, Category, Product, ProductState
from regionmall.catalog.services import products as product_services
from regionmall.catalog.services import schema as schema_services
from regionmall.catalog.views import government
from regionmall.catalog.views.console_helpers import (
    is_htmx,
    refusal_text,
    review_rows,
)
from regionmall.core.errors import DomainError

REVIEW_PAGE_SIZE = 20
REVIEW_TABS = (ProductState.PENDING_REVIEW, ProductState.TAKEN_DOWN)


# --- category tree --------------------------------------------------------------------------


def tree_rows(*, include_inactive: bool = True) -> list[tuple[Category, int]]:
    """The category tree flattened depth-first as ``(category, depth)`` rows, with each
    category's own attribute count (``n_attributes``) for the list."""
    counts = dict(AttributeDefinition.objects.order_by().values("category_id")
                  .annotate(n=Count("id")).values_list("category_id", "n"))
    rows: list[tuple[Category, int]] = []

    def walk(nodes, depth: int) -> None:
        for node in nodes:
            node.n_attributes = counts.get(node.pk, 0)
            rows.append((node, depth))
            walk(node.children.all(), depth + 1)

    walk(selectors.category_tree(include_inactive=include_inactive), 0)
    return rows


@platform_console
def categories(request: HttpRequest) -> HttpResponse:
    """The tree, and a form to add a category anywhere in it."""
    form = CategoryForm()
    status = 200
    if request.method == "POST":
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                created = schema_services.create_category(request.user, **form.service_data())
            except DomainError as exc:
                attach_errors(exc, ("", form))
            else:
                messages.success(request, _("Category “%(name)s” added.") % {
                    "name": created.name})
                return redirect("catalog:platform_categories")
        status = 422
    return render(request, "catalog/platform/categories.html",
                  {"rows": tree_rows(), "form": form}, status=status)


@platform_console
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(Category, pk=pk)
    if request.method == "POST":
        form = CategoryForm(request.POST, exclude=category)
        if form.is_valid():
            try:
                schema_services.update_category(request.user, category, form.service_data())
            except DomainError as exc:
                attach_errors(exc, ("", form))
            else:
                messages.success(request, _("Category saved."))
                return redirect("catalog:platform_categories")
        status = 422
    else:
        form = CategoryForm(initial=CategoryForm.initial_for(category), exclude=category)
        status = 200
    return render(request, "catalog/platform/category_form.html",
                  {"category": category, "form": form,
                   "path": ancestry(category)}, status=status)


# --- schema editor --------------------------------------------------------------------------


def _schema_context(category: Category, **extra) -> dict:
    schema = effective_schema(category)
    names = {c.pk: c.name for c in ancestry(category)}
    inherited = [d for d in schema if d.category_id != category.pk]
    for d in inherited:
        d.inherited_from = names.get(d.category_id, "")
    own = list(AttributeDefinition.objects.filter(category=category))
    overridden = {d.code for d in own} & {d.code for d in AttributeDefinition.objects.filter(
        category_id__in=[pk for pk in names if pk != category.pk])}
    return {"category": category, "path": ancestry(category), "inherited": inherited,
            "own": own, "overridden": overridden,
            "add_form": extra.pop("add_form", None) or AttributeDefinitionForm(
                initial={"position": (max((d.position for d in own), default=0) + 10)}),
            **extra}


@platform_console
def category_schema(request: HttpRequest, pk: int) -> HttpResponse:
    """Inherited attributes read-only, own attributes editable, and the add form. A POST adds
    an attribute; HTMX gets the own-attributes section back (new row or inline errors)."""
    category = get_object_or_404(Category, pk=pk)
    if request.method != "POST":
        return render(request, "catalog/platform/schema.html", _schema_context(category))
    form = AttributeDefinitionForm(request.POST)
    added = None
    if form.is_valid():
        try:
            added = schema_services.add_attribute(request.user, category, form.service_data())
        except DomainError as exc:
            attach_errors(exc, ("", form))
    if added is not None and not is_htmx(request):
        messages.success(request, _("Attribute “%(name)s” added.") % {"name": added.name})
        return redirect("catalog:platform_category_schema", pk=category.pk)
    context = _schema_context(category, add_form=None if added else form, added=added)
    if is_htmx(request):
        return render(request, "catalog/platform/_schema_own.html", context)
    return render(request, "catalog/platform/schema.html", context, status=422)


def _definition(pk: int) -> AttributeDefinition:
    return get_object_or_404(AttributeDefinition.objects.select_related("category"), pk=pk)


@platform_console
def attribute_row(request: HttpRequest, pk: int) -> HttpResponse:
    """One own attribute as a row (the edit form's Cancel swaps this back in)."""
    definition = _definition(pk)
    return render(request, "catalog/platform/_attribute_row.html", {"d": definition})


@platform_console
def attribute_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the row as an edit form. POST: save; the row back, or the form with errors."""
    definition = _definition(pk)
    if request.method == "POST":
        form = AttributeDefinitionForm(request.POST, prefix=f"a{pk}")
        if form.is_valid():
            try:
                definition = schema_services.update_attribute(
                    request.user, definition, form.service_data())
            except DomainError as exc:
                attach_errors(exc, ("", form))
            else:
                if is_htmx(request):
                    return render(request, "catalog/platform/_attribute_row.html",
                                  {"d": definition, "saved": True})
                messages.success(request, _("Attribute saved."))
                return redirect("catalog:platform_category_schema", pk=definition.category_id)
        status = 200 if is_htmx(request) else 422
    else:
        form = AttributeDefinitionForm(initial=AttributeDefinitionForm.initial_for(definition),
                                       prefix=f"a{pk}")
        status = 200
    template = ("catalog/platform/_attribute_edit.html" if is_htmx(request)
                else "catalog/platform/attribute_form.html")
    return render(request, template, {"d": definition, "form": form,
                                      "category": definition.category}, status=status)


@platform_console
@require_POST
def attribute_remove(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _definition(pk)
    category_id = definition.category_id
    try:
        schema_services.remove_attribute(request.user, definition)
    except DomainError as exc:
        if is_htmx(request):
            return render(request, "catalog/platform/_attribute_row.html",
                          {"d": definition, "error": exc})
        messages.error(request, refusal_text(exc))
    else:
        if is_htmx(request):
            return HttpResponse("")
        messages.success(request, _("Attribute removed."))
    return redirect("catalog:platform_category_schema", pk=category_id)


# --- product review desk --------------------------------------------------------------------


def _review_queryset(state: str, q: str = ""):
    base = (selectors.taken_down_products() if state == ProductState.TAKEN_DOWN
            else selectors.review_queue())
    qs = base.select_related("origin").prefetch_related("documents", "images", "skus")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(merchant__company_name__icontains=q))
    return qs


@platform_console
def review(request: HttpRequest) -> HttpResponse:
    """Products waiting for review (oldest first), and taken-down ones to restore."""
    state = request.GET.get("state", ProductState.PENDING_REVIEW)
    if state not in REVIEW_TABS:
        state = ProductState.PENDING_REVIEW
    q = request.GET.get("q", "").strip()[:100]
    counts = dict(Product.objects.filter(state__in=REVIEW_TABS).order_by()
                  .values("state").annotate(n=Count("id")).values_list("state", "n"))
    tabs = [(value, ProductState(value).label, counts.get(value, 0)) for value in REVIEW_TABS]
    page = Paginator(_review_queryset(state, q), REVIEW_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "catalog/platform/review.html", {
        "page": page, "state": state, "tabs": tabs, "q": q,
        "items": [review_rows(p) for p in page.object_list],
    })


REVIEW_ACTIONS = {
    "approve": lambda user, product, reason: product_services.approve_review(user, product),
    "reject": lambda user, product, reason: product_services.reject_review(user, product,
                                                                           reason),
    "restore": lambda user, product, reason: product_services.restore(user, product, reason),
}


@platform_console
@require_POST
def review_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve / reject with a reason / restore a taken-down product with a reason."""
    if action not in REVIEW_ACTIONS:
        raise Http404
    product = get_object_or_404(Product, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else request.POST.get(
        "reason", "").strip()
    error = None
    try:
        REVIEW_ACTIONS[action](request.user, product, reason)
    except DomainError as exc:
        error = exc
    product = (Product.objects.select_related("merchant", "category", "origin")
               .prefetch_related("documents", "images", "skus").get(pk=pk))
    if is_htmx(request):
        return render(request, "catalog/platform/_review_item.html", {
            "item": review_rows(product), "error": error, "done": error is None,
            "failed_action": action if error else "", "reason_text": reason})
    if error is not None:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Done."))
    tab = ProductState.TAKEN_DOWN if action == "restore" else ProductState.PENDING_REVIEW
    return redirect(f"{reverse('catalog:platform_review')}?state={tab}")


urlpatterns = [
    path("platform/catalog/categories/", categories, name="platform_categories"),
    path("platform/catalog/categories/<int:pk>/edit/", category_edit,
         name="platform_category_edit"),
    path("platform/catalog/categories/<int:pk>/schema/", category_schema,
         name="platform_category_schema"),
    path("platform/catalog/attributes/<int:pk>/", attribute_row, name="platform_attribute_row"),
    path("platform/catalog/attributes/<int:pk>/edit/", attribute_edit,
         name="platform_attribute_edit"),
    path("platform/catalog/attributes/<int:pk>/remove/", attribute_remove,
         name="platform_attribute_remove"),
    path("platform/catalog/review/", review, name="platform_review"),
    path("platform/catalog/review/<int:pk>/<str:action>/", review_action,
         name="platform_review_action"),
    *government.urlpatterns,
]
