"""Payments pages and channel notify endpoints: each part appends its own patterns."""

app_name = "payments"
urlpatterns: list = []

from regionmall.payments.views import notify as _notify_views  # noqa: E402 - G
from regionmall.payments.views import pay as _pay_views  # noqa: E402 - G

urlpatterns += _pay_views.urlpatterns + _notify_views.urlpatterns  # G: pay pages, sandbox, notify

from regionmall.payments.views import settlement_merchant as _l_merchant  # noqa: E402 - L
from regionmall.payments.views import settlement_platform as _l_platform  # noqa: E402 - L

urlpatterns += _l_merchant.urlpatterns + _l_platform.urlpatterns  # L: settlement, ledger

from regionmall.payments.views import reconciliation as _r_views  # noqa: E402 - R

urlpatterns += _r_views.urls  # R: corporate transfers, statement imports, mismatches
