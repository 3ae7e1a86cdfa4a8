from django.apps import AppConfig


class MarketingConfig(AppConfig):
    """Promotions, coupons, group buys, member levels, distributor rebates, festival
    campaigns and private-traffic links; plugs into trade's pricing pipeline through hooks."""

    name = "regionmall.marketing"
    label = "marketing"
    verbose_name = "Marketing"

    def ready(self) -> None:
        from . import hooks  # noqa: F401 - registers the pricing hooks
