"""A real Celery worker process routes an RFQ that was posted here: no eager mode, no mocks. The
test process posts through the service exactly as the page does (the job is queued after commit,
on kombu's filesystem transport in a temporary folder); a separate `celery worker` process,
pointed at the same test database, consumes it and creates the recipients."""

import time

import pytest
from django.db import transaction

from orders.models import RfqRecipient
from orders.services.rfq import rfq_post

from .factories import in_days, supplier_with_member

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_process_routes_a_posted_rfq(worker, buyer, category):
    process, log = worker
    matching, _member = supplier_with_member()
    matching.main_categories.set([category])
    supplier_with_member()  # makes something else: not routed
    with transaction.atomic():
        rfq = rfq_post(
            buyer=buyer.buyer_membership.company,
            actor=buyer,
            title="Fibre laser cutting machine",
            category=category,
            quantity=20,
            unit="set",
            currency="USD",
            destination_country="NL",
            incoterm="FOB",
            deadline=in_days(10),
        )
    assert not RfqRecipient.objects.filter(rfq=rfq).exists()  # nothing done in this process

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        rfq.refresh_from_db()
        if rfq.routed_at:
            break
        assert process.poll() is None, log.read_text()
        time.sleep(0.3)
    else:
        pytest.fail("the worker routed nothing within 60 s:\n" + log.read_text())

    assert [r.supplier for r in RfqRecipient.objects.filter(rfq=rfq)] == [matching]
    assert "rfq_route_task" in log.read_text()
