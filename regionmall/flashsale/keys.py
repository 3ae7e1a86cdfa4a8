"""Redis key names of a flash-sale event, shared by Django, the intake and the consumers.

Every key of one event carries the hash tag ``{fs:<id>}`` so that in a Redis Cluster they
live in one slot and one Lua script may touch them all atomically.

    {fs:7}:meta      hash   start_ms, end_ms, limit, user_rps, state ("live" | "paused")
    {fs:7}:stock     int    units left
    {fs:7}:buyers    hash   user id -> units taken (accepted, not given back)
    {fs:7}:tickets   hash   ticket -> "accepted" | "ordered:<order>" | "refused:<code>" |
                            "given_back:<order>"
    {fs:7}:stream    stream accepted requests: t=ticket u=user q=quantity at=ms
    {fs:7}:rl:<user> int    per-user requests in the current second
    fs:live          set    ids of events whose streams consumers read
"""

from __future__ import annotations

from dataclasses import dataclass

LIVE_SET = "fs:live"
GROUP = "fs-orders"


@dataclass(frozen=True)
class EventKeys:
    event_id: int

    @property
    def tag(self) -> str:
        return f"{{fs:{self.event_id}}}"

    @property
    def meta(self) -> str:
        return f"{self.tag}:meta"

    @property
    def stock(self) -> str:
        return f"{self.tag}:stock"

    @property
    def buyers(self) -> str:
        return f"{self.tag}:buyers"

    @property
    def tickets(self) -> str:
        return f"{self.tag}:tickets"

    @property
    def stream(self) -> str:
        return f"{self.tag}:stream"

    def user_rate(self, user_id: int | str) -> str:
        return f"{self.tag}:rl:{user_id}"

    def all(self) -> list[str]:
        return [self.meta, self.stock, self.buyers, self.tickets, self.stream]


def event_of_ticket(ticket: str) -> int | None:
    """Tickets read ``<event id>-<random>``; the event id finds the keys."""
    head, sep, _rest = ticket.partition("-")
    return int(head) if sep and head.isdigit() else None
