"""Brand licence grants under real concurrency: requests racing on their own connections.

Each race slows the grant's checks (inside the locks) so that, without them, every request would
find no licence in force and grant one; with the idempotency key inserted first and the supplier row
locked, one licence is granted and on record once.
"""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from suppliers.models import BrandLicence, BrandLicenceEvent
from suppliers.services import brand_licence_grant, grant_fingerprint
from suppliers.services import licences as licence_services

from .factories import pdf_upload

pytestmark = pytest.mark.django_db(transaction=True)

UNTIL = timezone.localdate() + datetime.timedelta(days=90)


def _race(calls: list, monkeypatch) -> list:
    real = licence_services._check_period

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(licence_services, "_check_period", slow)
    outcomes: list[object] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index, call):
        try:
            start.wait()
            outcomes[index] = call()
        except Exception as exc:  # reported by the caller's asserts
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _grant(supplier, operator, category, key=""):
    fingerprint = grant_fingerprint(supplier=supplier.pk, until=UNTIL) if key else ""
    return lambda: brand_licence_grant(
        supplier=supplier, actor=operator, categories=[category], document=pdf_upload(), valid_until=UNTIL,
        idempotency_key=key, fingerprint=fingerprint,
    ).pk  # fmt: skip


def test_five_retries_with_one_key_at_once_grant_one_licence(supplier, operator, category, monkeypatch):
    outcomes = _race([_grant(supplier, operator, category, key="retry-1") for _ in range(5)], monkeypatch)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert len(set(outcomes)) == 1
    assert BrandLicence.objects.count() == 1 and BrandLicenceEvent.objects.count() == 1


def test_two_grants_without_a_key_at_once_leave_one_licence_and_one_refusal(supplier, operator, category, monkeypatch):
    outcomes = _race([_grant(supplier, operator, category) for _ in range(2)], monkeypatch)
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and "already holds" in str(refused[0]), outcomes
    assert BrandLicence.objects.filter(status="active").count() == 1 and BrandLicenceEvent.objects.count() == 1
