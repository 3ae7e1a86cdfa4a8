from django.apps import AppConfig


class InventoryConfig(AppConfig):
    """Warehouses and stock per SKU per warehouse: on hand, reserved, available."""

    name = "regionmall.inventory"
    label = "inventory"
    verbose_name = "Inventory"
