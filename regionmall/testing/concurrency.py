"""Racing real threads against the database (PostgreSQL concurrency tests)."""

from __future__ import annotations

import threading

from django.db import connections

from regionmall.core.errors import DomainError


def race(workers: int, fn) -> list[str]:
    """Run ``fn(n)`` for n in 0..workers-1 on as many threads, released together by a barrier.
    Returns each outcome: ``fn``'s result, a domain error's code, or ``"error: ..."`` for
    anything else (a bug, surfaced in the test's assertion). Each thread closes its own
    database connections."""
    barrier = threading.Barrier(workers)
    results: list[str] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            barrier.wait()
            outcome = fn(n)
        except DomainError as exc:
            outcome = exc.code
        except Exception as exc:  # anything else is a bug: surface it in the assertion
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
