from django.apps import AppConfig


class MerchantsConfig(AppConfig):
    """Merchant onboarding, qualification review, public shop pages, staff."""

    name = "regionmall.merchants"
    label = "merchants"
    verbose_name = "Merchants"
