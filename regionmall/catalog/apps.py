from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """Product centre: categories and attribute schemas, products, SKUs, tags, search,
    batch import and export."""

    name = "regionmall.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        # Registers the event consumers (the search index follows product changes).
        from regionmall.catalog import consumers  # noqa: F401
