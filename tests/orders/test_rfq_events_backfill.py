"""The migration that adds RFQ events rebuilds the history of RFQs made before it, from the stamps
their rows keep: posted, routed, quoted, withdrawn, accepted, declined, cancelled, closed."""

import datetime
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from orders.models import Rfq, RfqEvent
from orders.services.award import rfq_award
from orders.services.rfq import quote_withdraw, rfq_cancel, rfq_close_expired

from .factories import RFQ_TERMS as TERMS
from .factories import make_rfq, quote_for, supplier_with_member

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = [("orders", "0005_belts_app")], [("orders", "0006_rfq_event")]


def _migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def test_rfqs_made_before_the_events_table_get_their_history(buyer, category):
    (s1, m1), (s2, m2), (s3, m3) = supplier_with_member(), supplier_with_member(), supplier_with_member()
    awarded = make_rfq(buyer, category=category, routed_to=[s1, s2, s3])
    won, lost = quote_for(awarded, m1), quote_for(awarded, m2)
    gone = quote_for(awarded, m3)
    quote_withdraw(rfq=awarded, actor=m3)
    rfq_award(rfq=awarded, actor=buyer, awards=[(won, 1000)], idempotency_key=uuid.uuid4().hex, language="en", **TERMS)
    cancelled = make_rfq(buyer, category=category, routed_to=[s1])
    quote_for(cancelled, m1)
    rfq_cancel(rfq=cancelled, actor=buyer, reason="Budget cut")
    closed = make_rfq(buyer, category=category)
    Rfq.objects.filter(pk=closed.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    rfq_close_expired()

    _migrate(BEFORE)  # the table goes, the RFQs stay
    try:
        _migrate(AFTER)
    finally:
        # Back to the latest schema: the tests after this one (on a real, committed database)
        # need the migrations after AFTER too.
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())

    def kinds(rfq):
        return sorted(RfqEvent.objects.filter(rfq=rfq).values_list("kind", "quote_id"), key=str)

    assert kinds(awarded) == sorted(
        [("posted", None), ("routed", None), ("quoted", won.pk), ("quoted", lost.pk), ("quoted", gone.pk),
         ("withdrawn", gone.pk), ("awarded", won.pk), ("declined", lost.pk)],
        key=str,
    )  # fmt: skip
    assert RfqEvent.objects.get(rfq=awarded, kind="awarded").data["quantity"] == 1000
    assert RfqEvent.objects.get(rfq=awarded, kind="routed").data["total"] == 3
    assert {k for k, _q in kinds(cancelled)} == {"posted", "routed", "quoted", "cancelled", "declined"}
    assert RfqEvent.objects.get(rfq=cancelled, kind="cancelled").data["reason"] == "Budget cut"
    assert kinds(closed) == [("closed", None), ("posted", None)]
    assert all(e.data["backfilled"] for e in RfqEvent.objects.all())
