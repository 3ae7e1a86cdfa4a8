"""Signal receivers of the trade centre (connected in ``apps.TradeConfig.ready``)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def merge_cart_on_login(sender, request=None, user=None, **kwargs) -> None:
    """On login, fold the session's guest cart into the user's cart.

    Connected to Django's ``user_logged_in`` (page login) and to accounts' ``tokens_issued``
    (API login, SMS login, refresh): an API client's guest cart lives in the same session
    cookie. Django's ``login()`` keeps the session data when it cycles the key, so the guest
    token is still there. The merge happens once (``merge_guest_into_user`` deletes the guest
    cart in the same atomic step) and the token leaves the session. A failed merge must not
    fail the login: it is logged and the token kept, so the next login tries again.
    """
    from regionmall.trade.services.cart import SESSION_KEY, CartOwner, merge_guest_into_user

    session = getattr(request, "session", None)
    if session is None or user is None:
        return
    token = session.get(SESSION_KEY)
    if not token:
        return
    try:
        merge_guest_into_user(CartOwner(guest_token=token), user)
    except Exception:
        log.exception("cart.merge_failed", extra={"user_id": user.pk})
        return
    session.pop(SESSION_KEY, None)
