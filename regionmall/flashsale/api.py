"""Flash-sale JSON API (Django Ninja), mounted at /api/v1/flash-sales. (being written)"""

from ninja import Router

router = Router(tags=["flash sales"])
