"""Two actors moving the same product at once: the row lock lets exactly one win.

Runs on the embedded SQLite (IMMEDIATE transactions serialise writers) and, in CI, on
PostgreSQL (``select_for_update``) when DATABASE_URL points there.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from regionmall.catalog.models import ProductState, ProductStateLog
from regionmall.catalog.services import products as services
from regionmall.core.errors import IllegalTransition


def race(*calls) -> list[object]:
    """Run each call in its own thread (own connection), started together."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int, call) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert on
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_takedown_and_off_sale_one_wins(make_product, merchant_owner, supervisor):
    product = make_product(publish=True)
    results = race(
        lambda: services.take_down(supervisor, product.pk, "涉嫌虚假宣传"),
        lambda: services.take_off_sale(merchant_owner, product.pk),
    )
    product.refresh_from_db()
    logs = list(ProductStateLog.objects.filter(product=product)
                .exclude(to_state=ProductState.ON_SALE).values_list("from_state", "to_state"))
    if isinstance(results[1], IllegalTransition):  # the takedown came first
        assert product.state == ProductState.TAKEN_DOWN and logs == [("on_sale", "taken_down")]
    else:  # off sale first, then the takedown still applies (off_sale -> taken_down)
        assert product.state == ProductState.TAKEN_DOWN
        assert logs == [("on_sale", "off_sale"), ("off_sale", "taken_down")]
    assert not isinstance(results[0], Exception), results


@pytest.mark.django_db(transaction=True)
def test_double_publish_publishes_once(make_product, merchant_owner):
    product = make_product()
    services.generate_skus(merchant_owner, product)
    results = race(lambda: services.publish(merchant_owner, product.pk),
                   lambda: services.publish(merchant_owner, product.pk))
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], IllegalTransition), results
    assert ProductStateLog.objects.filter(product=product, to_state="on_sale").count() == 1
