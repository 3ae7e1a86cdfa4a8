"""The JSON API: ``/api/v1/...``, OpenAPI docs at ``/api/docs``.

Every error leaves in one shape, ``{"code", "message", "fields"}``, with ``message`` in the
request's language (Simplified Chinese unless the client asks otherwise).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from regionmall.core.errors import DomainError
from regionmall.core.validation import localise_validation_errors

api = NinjaAPI(
    title="RegionMall API",
    version="1",
    description="区域电商平台 JSON API. Authenticate with a JWT from /api/v1/auth/login.",
    urls_namespace="api",
    docs_url="/docs",
)


def _error(request, status: int, code: str, message: str, fields=None):
    return api.create_response(
        request, {"code": code, "message": str(message), "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:  # 503 from an open circuit breaker, 429 from a throttle
        response["Retry-After"] = str(retry_after)
    return response


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return _error(
        request, 422, "validation_error", _("The submitted data is invalid."),
        localise_validation_errors(exc.errors),
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "unauthenticated", _("Please log in first."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _error(request, 403, "forbidden", _("You do not have permission to do this."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "http_error", str(exc))


def _register_routers() -> None:
    from regionmall.accounts.api import router as accounts_router
    from regionmall.catalog.api import router as catalog_router
    from regionmall.flashsale.api import router as flashsale_router
    from regionmall.inventory.api import router as inventory_router
    from regionmall.marketing.api import router as marketing_router
    from regionmall.merchants.api import router as merchants_router
    from regionmall.payments.api import router as payments_router
    from regionmall.trade.api import router as trade_router

    api.add_router("/v1/auth", accounts_router)
    api.add_router("/v1/merchants", merchants_router)
    api.add_router("/v1/catalog", catalog_router)
    api.add_router("/v1/inventory", inventory_router)
    api.add_router("/v1/trade", trade_router)
    api.add_router("/v1/payments", payments_router)
    api.add_router("/v1/marketing", marketing_router)
    api.add_router("/v1/flash-sales", flashsale_router)


_register_routers()
