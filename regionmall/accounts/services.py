"""Account use cases: the only place that writes users, tokens and codes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from regionmall.accounts.roles import Role


@transaction.atomic
def grant_role(user, role: Role | str) -> None:
    """Give ``user`` a role (e.g. merchant_owner when their shop is approved)."""
    User = get_user_model()  # noqa: N806
    User.objects.filter(pk=user.pk).update(role=Role(role))
    user.role = Role(role)
