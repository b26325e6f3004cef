"""RFQ events: every state change of an RFQ or a quote writes one immutable RfqEvent, in the same
transaction, from the one service that makes the change; buyer, supplier and staff see the history."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import InternalError, transaction
from django.urls import reverse
from django.utils import timezone

from orders.models import Rfq, RfqEvent
from orders.services.award import rfq_award
from orders.services.rfq import quote_withdraw, rfq_cancel, rfq_close_expired, rfq_post, rfq_route
from tests import factories as f
from tests.conftest import client_for

from .factories import RFQ_TERMS as TERMS
from .factories import in_days, make_rfq, quote_for, supplier_with_member

pytestmark = pytest.mark.django_db


def _kinds(rfq, **filters) -> list[tuple[str, str, int | None]]:
    return list(RfqEvent.objects.filter(rfq=rfq, **filters).order_by("id").values_list("kind", "party", "quote_id"))


@pytest.fixture
def routed(buyer, category):
    """An RFQ routed to two suppliers, each with a quote."""
    (s1, m1), (s2, m2) = supplier_with_member(), supplier_with_member()
    rfq = make_rfq(buyer, category=category, routed_to=[s1, s2])
    return rfq, (quote_for(rfq, m1), m1), (quote_for(rfq, m2, unit_price="9.00"), m2)


def test_posting_writes_posted_by_the_buyer(buyer, category):
    rfq = rfq_post(
        buyer=buyer.buyer_membership.company, actor=buyer, title="Goji", category=category, quantity=10,
        unit="tonne", currency="USD", destination_country="DE", incoterm="CIF", deadline=in_days(5),
    )  # fmt: skip
    (event,) = RfqEvent.objects.filter(rfq=rfq)
    assert (event.kind, event.party, event.actor, event.quote) == ("posted", "buyer", buyer, None)


def test_a_refused_post_writes_no_event(buyer, category):
    with pytest.raises(ValidationError):
        rfq_post(
            buyer=buyer.buyer_membership.company, actor=buyer, title="", category=category, quantity=10,
            unit="tonne", currency="USD", destination_country="DE", incoterm="CIF", deadline=in_days(5),
        )  # fmt: skip
    assert not RfqEvent.objects.exists()


def test_routing_writes_routed_once_and_again_only_when_it_reaches_someone_new(buyer, category):
    supplier, _member = supplier_with_member()
    supplier.main_categories.set([category])
    rfq = make_rfq(buyer, category=category)

    rfq_route(rfq_id=rfq.pk)
    rfq_route(rfq_id=rfq.pk)  # the job delivered twice: nothing changed, nothing written
    assert _kinds(rfq) == [("routed", "system", None)]
    assert RfqEvent.objects.get(rfq=rfq).data == {"added": 1, "total": 1}

    late, _member = supplier_with_member()
    late.main_categories.set([category])
    rfq_route(rfq_id=rfq.pk)
    assert RfqEvent.objects.filter(rfq=rfq, kind="routed").latest("id").data == {"added": 1, "total": 2}


def test_a_routing_job_for_an_rfq_that_no_longer_exists_is_dropped_quietly(caplog):
    """A queue left from an earlier database holds jobs for RFQs that are gone: the job reaches nobody
    and ends without an error (a worker would otherwise log a traceback for each)."""
    missing = (Rfq.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    with caplog.at_level("INFO", logger="orders.services.rfq"):
        assert rfq_route(rfq_id=missing) == 0
    assert f"RFQ {missing} does not exist" in caplog.text


def test_quoting_revising_withdrawing_and_quoting_again_each_write_one_event(buyer, category):
    supplier, member = supplier_with_member()
    rfq = make_rfq(buyer, category=category, routed_to=[supplier])
    quote = quote_for(rfq, member)
    quote_for(rfq, member, unit_price="9.50")
    quote_withdraw(rfq=rfq, actor=member)
    quote_for(rfq, member, unit_price="9.40")

    q = quote.pk
    assert _kinds(rfq) == [
        ("quoted", "supplier", q),
        ("quote_revised", "supplier", q),
        ("withdrawn", "supplier", q),
        ("quoted", "supplier", q),
    ]
    assert RfqEvent.objects.filter(rfq=rfq).latest("id").data["unit_price"] == "9.40"
    assert set(RfqEvent.objects.filter(rfq=rfq).values_list("actor", flat=True)) == {member.pk}


def test_award_writes_awarded_for_the_accepted_quote_and_declined_for_the_other(buyer, routed):
    rfq, (q1, _m1), (q2, _m2) = routed
    purchase, _created = rfq_award(
        rfq=rfq, actor=buyer, awards=[(q1, 1000)], idempotency_key=uuid.uuid4().hex, language="en", **TERMS
    )
    events = RfqEvent.objects.filter(rfq=rfq).exclude(kind="quoted")
    assert _kinds(rfq, kind__in=["awarded", "declined"]) == [("awarded", "buyer", q1.pk), ("declined", "buyer", q2.pk)]
    awarded = events.get(kind="awarded")
    assert awarded.actor == buyer and awarded.data == {"quantity": 1000, "order": purchase.orders.get().number}
    assert events.get(kind="declined").data == {"why": "awarded"}


def test_cancel_writes_cancelled_with_the_reason_and_declined_for_each_live_quote(buyer, routed):
    rfq, (q1, _m1), (q2, _m2) = routed
    rfq_cancel(rfq=rfq, actor=buyer, reason="Budget cut")
    assert _kinds(rfq, kind__in=["cancelled", "declined"]) == [
        ("cancelled", "buyer", None),
        ("declined", "buyer", q1.pk),
        ("declined", "buyer", q2.pk),
    ]
    assert RfqEvent.objects.get(rfq=rfq, kind="cancelled").data == {"reason": "Budget cut"}


def test_closing_writes_closed_by_the_system_once(buyer, category):
    rfq = make_rfq(buyer, category=category)
    Rfq.objects.filter(pk=rfq.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert rfq_close_expired() == 1
    assert rfq_close_expired() == 0
    (event,) = RfqEvent.objects.filter(rfq=rfq)
    assert (event.kind, event.party, event.actor) == ("closed", "system", None)


def test_a_refused_change_writes_no_event(buyer, routed):
    rfq, _first, _second = routed
    rfq_cancel(rfq=rfq, actor=buyer, reason="Budget cut")
    before = RfqEvent.objects.count()
    with pytest.raises(Exception):  # noqa: B017  (RfqStateConflict; the point is what was written)
        rfq_cancel(rfq=rfq, actor=buyer, reason="Again")
    assert RfqEvent.objects.count() == before


def test_rfq_events_cannot_be_changed_or_deleted(buyer, routed):
    rfq, _first, _second = routed
    event = RfqEvent.objects.filter(rfq=rfq).first()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    for statement in (
        lambda: RfqEvent.objects.filter(pk=event.pk).update(kind="closed"),
        lambda: RfqEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(InternalError, match="audit record"), transaction.atomic():
            statement()


# --- who sees the history -------------------------------------------------------------------------


def test_the_buyer_sees_the_whole_history_with_the_quoting_suppliers(buyer, routed):
    rfq, (q1, _m1), (q2, _m2) = routed
    rfq_cancel(rfq=rfq, actor=buyer, reason="Budget cut")
    page = client_for(buyer).get(reverse("orders:rfq_detail", args=[rfq.pk])).text
    assert 'data-testid="rfq-timeline"' in page
    assert page.count('data-event="quoted"') == 2 and page.count('data-event="declined"') == 2
    assert page.count('data-event="cancelled"') == 1 and "Budget cut" in page
    assert str(q1.supplier.name) in page and str(q2.supplier.name) in page


def test_a_supplier_sees_the_rfq_steps_and_its_own_quote_but_never_a_competitors(buyer, routed):
    rfq, (_q1, m1), (q2, _m2) = routed
    rfq_cancel(rfq=rfq, actor=buyer, reason="Budget cut")
    page = client_for(m1).get(reverse("orders:rfq_opportunity", args=[rfq.pk])).text
    assert page.count('data-event="quoted"') == 1 and page.count('data-event="declined"') == 1
    assert page.count('data-event="cancelled"') == 1
    assert str(q2.supplier.name) not in page
    assert buyer.email not in page  # the buyer's people are "Buyer", not named


def test_outsiders_see_no_history(routed, outsider, other_member):
    rfq, _first, _second = routed
    assert client_for(outsider).get(reverse("orders:rfq_detail", args=[rfq.pk])).status_code == 404
    assert client_for(other_member).get(reverse("orders:rfq_opportunity", args=[rfq.pk])).status_code == 404


def test_staff_see_the_history_read_only_in_the_admin(staff, routed):
    rfq, _first, _second = routed
    response = client_for(staff).get(reverse("admin:orders_rfq_change", args=[rfq.pk]))
    assert response.status_code == 200
    assert "RFQ events" in response.text
    assert 'name="events-0-kind"' not in response.text  # shown, not editable


def test_a_new_rfq_of_another_buyer_has_its_own_history(buyer, category):
    other = f.BuyerMemberFactory().user
    rfq_a, rfq_b = make_rfq(buyer, category=category), make_rfq(other, category=category)
    rfq_cancel(rfq=rfq_a, actor=buyer, reason="x")
    assert RfqEvent.objects.filter(rfq=rfq_b).count() == 0
