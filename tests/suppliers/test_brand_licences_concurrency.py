"""Brand licence grants under real concurrency: requests racing on their own connections.

Each race slows the grant's checks (inside the locks) so that, without them, every request would
find no licence in force and grant one; with the kernel's idempotency key inserted first
(marketplace.idempotency, through the API) and the supplier row locked, one licence is granted and
on record once.
"""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from marketplace.idempotency.models import IdempotentRequest
from suppliers.models import BrandLicence, BrandLicenceEvent
from suppliers.services import brand_licence_grant
from suppliers.services import licences as licence_services

from ..conftest import client_for
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


def _grant(supplier, operator, category):
    return lambda: (
        brand_licence_grant(
            supplier=supplier, actor=operator, categories=[category], document=pdf_upload(), valid_until=UNTIL
        ).pk
    )


def _api_grant(belt, supplier, operator, category, key):
    client = client_for(operator)  # its own session, made before the race
    body = {"supplier": supplier.pk, "categories": [category.slug], "valid_until": UNTIL.isoformat()}

    def call():
        response = client.post(
            f"/api/v1/operator/belts/{belt.slug}/licences/",
            {**body, "document": pdf_upload("licence.pdf")},
            headers={"Idempotency-Key": key},
        )
        return response.status_code, response.json().get("number")

    return call


def test_five_retries_with_one_key_at_once_grant_one_licence(belt, supplier, operator, category, monkeypatch):
    calls = [_api_grant(belt, supplier, operator, category, key="retry-1") for _ in range(5)]
    outcomes = _race(calls, monkeypatch)
    assert {status for status, _number in outcomes} == {201}, outcomes
    assert len({number for _status, number in outcomes}) == 1
    assert BrandLicence.objects.count() == 1 and BrandLicenceEvent.objects.count() == 1
    assert IdempotentRequest.objects.get().key == "retry-1"


def test_two_grants_without_a_key_at_once_leave_one_licence_and_one_refusal(supplier, operator, category, monkeypatch):
    outcomes = _race([_grant(supplier, operator, category) for _ in range(2)], monkeypatch)
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and "already holds" in str(refused[0]), outcomes
    assert BrandLicence.objects.filter(status="active").count() == 1 and BrandLicenceEvent.objects.count() == 1
