"""Signals the accounts centre sends, for the centres above it (accounts imports none of them).

``tokens_issued`` — sent after the JSON API handed out a token pair for a login (password or
SMS) or a refresh, with ``sender`` the user model, ``request``, ``user`` and ``method``
(``"password"``, ``"sms"`` or ``"refresh"``). It is the API's counterpart of Django's
``user_logged_in``, which only the session login sends: trade connects the same receiver to
both, so a guest's cart follows the shopper into the account however they log in. Receivers
must not fail the login (catch and log).
"""

from __future__ import annotations

from django.dispatch import Signal

tokens_issued = Signal()
