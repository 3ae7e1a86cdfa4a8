"""Catalog API for categories, schemas, products, SKUs and tags (mounted at /api/v1/catalog).

Boundaries, each pinned by a test: anonymous -> 401; wrong role -> 403; another shop's
product, SKU or tag -> 404 (we never admit it exists). Writes go through
:mod:`regionmall.catalog.services`; their DomainErrors leave as ``{"code","message","fields"}``.
"""

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.patch_dict import PatchDict

from regionmall.accounts.auth import api_auth
from regionmall.accounts.permissions import has_role, require_role
from regionmall.accounts.roles import MERCHANT_ROLES, Role
from regionmall.catalog import selectors
from regionmall.catalog.api.product_schemas import (
    AddTagIn,
    AttributeIn,
    AttributeOut,
    CategoryIn,
    CategoryOut,
    CategoryTreeOut,
    DocumentIn,
    DocumentOut,
    GapsOut,
    ProductIn,
    ProductOut,
    ProductSummaryOut,
    ProductTagOut,
    ReasonIn,
    SkuOut,
    SkuPatchIn,
    TagOut,
    TiersIn,
    category_data,
    product_data,
)
from regionmall.catalog.models import Product, ProductState, Sku
from regionmall.catalog.services import products as services
from regionmall.catalog.services import schema as schema_services
from regionmall.catalog.services import tags as tag_services
from regionmall.core.errors import Forbidden, NotFound

router = Router(tags=["catalog"])


def _merchant(request):
    require_role(request.auth, *MERCHANT_ROLES)
    merchant = selectors.merchant_of(request.auth)
    if merchant is None:
        raise Forbidden(_("Your shop is not open yet."))
    return merchant


def _own(request, product_id: int) -> Product:
    """The caller's shop's product, fully loaded; staff (operator, supervisor) read any."""
    if has_role(request.auth, [Role.OPERATOR, Role.SUPERVISOR]):
        found = selectors.product_for_staff(request.auth, product_id)
    else:
        _merchant(request)
        found = selectors.product_for_owner(request.auth, product_id)
    if found is None:
        raise NotFound(_("Product not found."))
    return found


# --- categories and schemas -----------------------------------------------------------------


@router.get("/categories", response=list[CategoryTreeOut], auth=None,
            url_name="catalog_categories")
def categories(request):
    """The active category tree; each node carries its effective (inherited) schema as
    ``attributes``."""
    every = selectors.categories_with_schema()
    by_pk = {c.pk: c for c in every}
    roots = []
    for category in every:
        category.children_list = []
    for category in every:
        parent = by_pk.get(category.parent_id)
        (parent.children_list if parent else roots).append(category)
    return [_tree(c) for c in roots]


def _tree(category) -> dict:
    data = CategoryOut.from_orm(category).dict()
    data["attributes"] = [AttributeOut.from_orm(d).dict() for d in category.schema]
    data["children"] = [_tree(c) for c in category.children_list]
    return data


@router.post("/categories", response={201: CategoryOut}, auth=api_auth,
             url_name="catalog_category_create")
def create_category(request, payload: CategoryIn):
    data = category_data(payload.dict())
    is_active = data.pop("is_active")
    category = schema_services.create_category(request.auth, **data)
    if not is_active:
        category = schema_services.update_category(request.auth, category, {"is_active": False})
    return Status(201, category)


@router.patch("/categories/{category_id}", response=CategoryOut, auth=api_auth,
              url_name="catalog_category_update")
def update_category(request, category_id: int, payload: PatchDict[CategoryIn]):
    return schema_services.update_category(request.auth, category_id, category_data(payload))


@router.post("/categories/{category_id}/attributes", response={201: AttributeOut},
             auth=api_auth, url_name="catalog_attribute_create")
def add_attribute(request, category_id: int, payload: AttributeIn):
    return Status(201, schema_services.add_attribute(request.auth, category_id, payload.dict()))


@router.patch("/attributes/{attribute_id}", response=AttributeOut, auth=api_auth,
              url_name="catalog_attribute_update")
def update_attribute(request, attribute_id: int, payload: PatchDict[AttributeIn]):
    return schema_services.update_attribute(request.auth, attribute_id, dict(payload))


@router.delete("/attributes/{attribute_id}", response={204: None}, auth=api_auth,
               url_name="catalog_attribute_delete")
def remove_attribute(request, attribute_id: int):
    schema_services.remove_attribute(request.auth, attribute_id)
    return Status(204, None)


@router.get("/tags", response=list[TagOut], auth=None, url_name="catalog_tags")
def tag_list(request, family: str | None = None):
    return list(selectors.tags(family))


# --- merchant: products ---------------------------------------------------------------------


@router.get("/products", response=list[ProductSummaryOut], auth=api_auth,
            url_name="catalog_products")
@paginate(PageNumberPagination, page_size=20)
def product_list(request, state: ProductState | None = None):
    """The caller's shop's products, newest first."""
    return selectors.products_of_merchant(_merchant(request), state)


@router.post("/products", response={201: ProductOut}, auth=api_auth,
             url_name="catalog_product_create")
def create_product(request, payload: ProductIn):
    product = services.create_product(request.auth, product_data(payload.dict()))
    return Status(201, _own(request, product.pk))


@router.get("/products/{product_id}", response=ProductOut, auth=api_auth,
            url_name="catalog_product")
def product_detail(request, product_id: int):
    return _own(request, product_id)


@router.patch("/products/{product_id}", response=ProductOut, auth=api_auth,
              url_name="catalog_product_update")
def update_product(request, product_id: int, payload: PatchDict[ProductIn]):
    services.update_product(request.auth, product_id, product_data(payload))
    return _own(request, product_id)


@router.post("/products/{product_id}/images", response=ProductOut, auth=api_auth,
             url_name="catalog_product_image")
def upload_image(request, product_id: int, file: File[UploadedFile], main: Form[bool] = False):
    """Multipart: ``file`` (JPG/PNG ≤ 5 MB); ``main=true`` replaces the main image, else the
    photo joins the gallery."""
    if main:
        services.set_main_image(request.auth, product_id, file)
    else:
        services.add_gallery_image(request.auth, product_id, file)
    return _own(request, product_id)


@router.delete("/images/{image_id}", response={204: None}, auth=api_auth,
               url_name="catalog_image_delete")
def delete_image(request, image_id: int):
    services.remove_gallery_image(request.auth, image_id)
    return Status(204, None)


@router.post("/products/{product_id}/documents", response={201: DocumentOut}, auth=api_auth,
             url_name="catalog_product_document")
def upload_document(request, product_id: int, data: Form[DocumentIn], file: File[UploadedFile]):
    """Multipart: kind, number, issued_on, expires_on and ``file`` (PDF/JPG/PNG ≤ 5 MB)."""
    document = services.add_document(request.auth, product_id, data.kind, data.number, file,
                                     data.issued_on, data.expires_on)
    return Status(201, document)


@router.post("/products/{product_id}/skus/generate", response=list[SkuOut], auth=api_auth,
             url_name="catalog_skus_generate")
def generate_skus(request, product_id: int):
    return services.generate_skus(request.auth, product_id)


@router.patch("/skus/{sku_id}", response=SkuOut, auth=api_auth, url_name="catalog_sku_update")
def update_sku(request, sku_id: int, payload: SkuPatchIn):
    return services.update_sku(request.auth, sku_id, payload.dict(exclude_unset=True))


@router.put("/skus/{sku_id}/tiers", response=SkuOut, auth=api_auth,
            url_name="catalog_sku_tiers")
def set_tiers(request, sku_id: int, payload: TiersIn):
    services.set_tier_prices(request.auth, sku_id,
                             [(t.min_quantity, t.price_fen) for t in payload.tiers])
    return Sku.objects.prefetch_related("tier_prices").get(pk=sku_id)


@router.get("/products/{product_id}/gaps", response=GapsOut, auth=api_auth,
            url_name="catalog_product_gaps")
def gaps(request, product_id: int):
    """What still keeps the product off sale, per field (empty when ready)."""
    found = services.publishing_gaps(_own(request, product_id))
    return {"ready": not found, "gaps": found}


@router.post("/products/{product_id}/publish", response=ProductOut, auth=api_auth,
             url_name="catalog_product_publish")
def publish(request, product_id: int):
    services.publish(request.auth, product_id)
    return _own(request, product_id)


@router.post("/products/{product_id}/off-sale", response=ProductOut, auth=api_auth,
             url_name="catalog_product_off_sale")
def off_sale(request, product_id: int):
    services.take_off_sale(request.auth, product_id)
    return _own(request, product_id)


# --- merchant: tags -------------------------------------------------------------------------


@router.get("/products/{product_id}/tags", response=list[ProductTagOut], auth=api_auth,
            url_name="catalog_product_tags")
def product_tags(request, product_id: int):
    return list(selectors.tag_suggestions(_own(request, product_id)))


@router.post("/products/{product_id}/tags", response={201: ProductTagOut}, auth=api_auth,
             url_name="catalog_product_tag_add")
def add_tag(request, product_id: int, payload: AddTagIn):
    return Status(201, tag_services.add_tag(request.auth, product_id, payload.tag_id))


@router.post("/product-tags/{product_tag_id}/accept", response=ProductTagOut, auth=api_auth,
             url_name="catalog_tag_accept")
def accept_tag(request, product_tag_id: int):
    return tag_services.accept_tag(request.auth, product_tag_id)


@router.post("/product-tags/{product_tag_id}/reject", response=ProductTagOut, auth=api_auth,
             url_name="catalog_tag_reject")
def reject_tag(request, product_tag_id: int):
    return tag_services.reject_tag(request.auth, product_tag_id)


# --- platform and supervision ---------------------------------------------------------------


@router.get("/review-queue", response=list[ProductSummaryOut], auth=api_auth,
            url_name="catalog_review_queue")
@paginate(PageNumberPagination, page_size=20)
def review_queue(request):
    require_role(request.auth, Role.OPERATOR)
    return selectors.review_queue()


@router.post("/products/{product_id}/approve", response=ProductOut, auth=api_auth,
             url_name="catalog_product_approve")
def approve(request, product_id: int):
    services.approve_review(request.auth, product_id)
    return _own(request, product_id)


@router.post("/products/{product_id}/reject", response=ProductOut, auth=api_auth,
             url_name="catalog_product_reject")
def reject(request, product_id: int, payload: ReasonIn):
    services.reject_review(request.auth, product_id, payload.reason)
    return _own(request, product_id)


@router.post("/products/{product_id}/take-down", response=ProductOut, auth=api_auth,
             url_name="catalog_product_take_down")
def take_down(request, product_id: int, payload: ReasonIn):
    services.take_down(request.auth, product_id, payload.reason)
    return _own(request, product_id)


@router.post("/products/{product_id}/restore", response=ProductOut, auth=api_auth,
             url_name="catalog_product_restore")
def restore(request, product_id: int, payload: ReasonIn):
    services.restore(request.auth, product_id, payload.reason)
    return _own(request, product_id)
