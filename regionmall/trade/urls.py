"""Trade pages: cart, checkout (and address book), my orders, the merchant's orders to
ship, parcel tracking, wholesale (samples, RFQs, trade terms). Each views module has its own
``urlpatterns``."""

from regionmall.trade.views import (
    cart,
    checkout,
    merchant_orders,
    orders,
    tracking,
    wholesale,
)

app_name = "trade"
urlpatterns = [
    *cart.urlpatterns, *checkout.urlpatterns, *orders.urlpatterns,
    *merchant_orders.urlpatterns, *wholesale.urlpatterns, *tracking.urlpatterns,
]
