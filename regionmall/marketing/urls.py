"""Marketing pages: each part appends its own patterns."""

app_name = "marketing"
urlpatterns: list = []
from regionmall.marketing.views import m2_urls  # noqa: E402 - M2: members, rebates, campaigns

urlpatterns += m2_urls.urlpatterns
from regionmall.marketing.views import groupbuy, groupbuy_merchant  # noqa: E402 - M3: group buy

urlpatterns += groupbuy.urlpatterns + groupbuy_merchant.urlpatterns
from regionmall.marketing.views import coupons, promotions  # noqa: E402 - M1: promotions, coupons

urlpatterns += promotions.urlpatterns + coupons.urlpatterns
