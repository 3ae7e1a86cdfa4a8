"""``manage.py flashsale_reconcile [--event N] [--repair]``: compare each running flash sale's
Redis state with the database and print the drift; ``--repair`` rewrites Redis from the
database (the event pauses for the moment it takes). Exit status 1 when drift remains."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from regionmall.flashsale.services import reconcile


class Command(BaseCommand):
    help = "Report (and with --repair fix) drift between Redis and the database per event."

    def add_arguments(self, parser):
        parser.add_argument("--event", type=int, action="append", dest="events",
                            help="event id (repeatable); default: every running event")
        parser.add_argument("--repair", action="store_true",
                            help="rewrite Redis from the database where they disagree")
        parser.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args, events=None, repair=False, json=False, **options):
        ids = events or reconcile.running_event_ids()
        bad = 0
        for event_id in ids:
            row = reconcile.report(event_id)
            if repair and not row["ok"]:
                before = row
                row = reconcile.repair(event_id)
                row["repaired_drift"] = before["drift"]
            bad += not row["ok"]
            self.stdout.write(_line(row, as_json=json))
        if not ids:
            self.stdout.write("no running flash sales")
        if bad:
            raise SystemExit(1)


def _line(row: dict, *, as_json: bool) -> str:
    if as_json:
        return json.dumps(row, ensure_ascii=False, default=str)
    names = ("state", "quantity", "db_sold", "db_given_back", "pending", "redis_stock",
             "expected_stock", "redis_taken", "drift", "taken_drift", "buyers_off",
             "db_reserved", "db_drift")
    fields = " ".join(f"{name}={row[name]}" for name in names)
    extra = f" repaired_drift={row['repaired_drift']}" if "repaired_drift" in row else ""
    return f"event {row['event']}: {'ok' if row['ok'] else 'DRIFT'} {fields}{extra}"
