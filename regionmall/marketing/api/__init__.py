"""``/api/v1/marketing``: each part mounts its own sub-router here."""

from ninja import Router

router = Router(tags=["marketing"])
