"""``/api/v1/trade``: sub-routers per concern (cart, checkout and orders, wholesale)."""

from ninja import Router

router = Router(tags=["trade"])


def _mount() -> None:
    import importlib

    for name in ("cart", "orders", "wholesale"):
        try:
            module = importlib.import_module(f"regionmall.trade.api.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"regionmall.trade.api.{name}":
                raise
            continue
        router.add_router("", module.router)


_mount()
