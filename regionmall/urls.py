"""URL map: pages per console, the JSON API under /api/v1, health probes."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from regionmall.api import api
from regionmall.core import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/", api.urls),
    path("api/v1/docs", RedirectView.as_view(url="/api/docs", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("regionmall.accounts.urls")),
    path("", include("regionmall.merchants.urls")),
    path("", include("regionmall.catalog.urls")),
    path("", include("regionmall.inventory.urls")),
    path("", include("regionmall.trade.urls")),
    path("", include("regionmall.payments.urls")),
    path("", include("regionmall.marketing.urls")),
    path("", include("regionmall.flashsale.urls")),
    path("", include("regionmall.web.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
