"""Flash-sale pages: storefront, merchant console, platform console."""

from regionmall.flashsale.views import merchant, platform, storefront

app_name = "flashsale"
urlpatterns = [*storefront.urlpatterns, *merchant.urlpatterns, *platform.urlpatterns]
