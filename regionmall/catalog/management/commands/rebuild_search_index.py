"""``manage.py rebuild_search_index``: rebuild the product search index from the products.

For a fresh deployment, after restoring a backup, or after changing how documents are built
(segmentation, pinyin, facets). The index is rebuilt in batches; searches keep working
meanwhile (the full-text structure is rebuilt in one step at the end).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from regionmall.catalog.search import indexer
from regionmall.catalog.search.backends import backend_for


class Command(BaseCommand):
    help = "Rebuild the product search index (documents, facets, full-text index)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, verbosity: int, **options) -> None:
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if verbosity > 1:
                self.stdout.write(f"{done}/{total}")

        written = indexer.rebuild(batch_size=max(1, batch_size), progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"search index: backend={backend_for().name} documents={written} "
            f"seconds={time.monotonic() - started:.1f}"))
