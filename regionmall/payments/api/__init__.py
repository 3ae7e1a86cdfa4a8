"""``/api/v1/payments``: each part mounts its own sub-router here."""

from ninja import Router

router = Router(tags=["payments"])
