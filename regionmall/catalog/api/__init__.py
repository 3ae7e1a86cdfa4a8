"""``/api/v1/catalog``: one router, with sub-routers per concern (products, search, imports).

Each concern's module defines its own ``router`` and is mounted here, so the engineers
working on products, search and imports never edit the same file.
"""

from ninja import Router

router = Router(tags=["catalog"])


def _mount() -> None:
    import importlib

    for name, prefix in [("products", ""), ("search", ""), ("imports", "")]:
        try:
            module = importlib.import_module(f"regionmall.catalog.api.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"regionmall.catalog.api.{name}":
                raise
            continue
        router.add_router(prefix, module.router)


_mount()
