"""The client's address behind N trusted reverse proxies (``REGIONMALL_PROXY_COUNT``).

Behind nginx every request comes from nginx's address, so a per-IP limit keyed on the socket
peer would be one limit for the whole region. Each trusted proxy appends the address it saw
to ``X-Forwarded-For``; the client's address is therefore the N-th entry from the right —
anything further left was written by the client and can be forged. With no proxy (N = 0)
the header is ignored and the socket peer is the client.
"""

from __future__ import annotations

from django.conf import settings


def proxy_count() -> int:
    return int(getattr(settings, "REGIONMALL_PROXY_COUNT", 0) or 0)


def client_ip(peer: str, forwarded_for: str | None, proxies: int) -> str:
    """The client address given the socket peer, the ``X-Forwarded-For`` value and the
    number of trusted proxies in front of us."""
    if proxies <= 0 or not forwarded_for:
        return peer or "unknown"
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if len(hops) >= proxies:
        return hops[-proxies]
    return hops[0] if hops else (peer or "unknown")
