"""The end of an RFQ without an award: the buyer's cancel with a reason, the hourly
job that closes expired RFQs, and awarding after the deadline.

The rule under test (orders.services.rfq.rfq_close_expired): after the deadline an RFQ takes no
more quotes but stays open, and awardable, while a submitted quote is still valid; the job closes
it once none is; cancelled and closed are final (no quote, no withdrawal, no award).
"""

import datetime
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from rest_framework.test import APIClient

from orders.models import Order, Purchase, Quote, Rfq
from orders.services.award import rfq_award
from orders.services.rfq import RfqStateConflict, quote_submit, quote_withdraw, rfq_cancel, rfq_close_expired
from orders.tasks import rfq_close_expired_task
from tests import factories as f
from tests.conftest import client_for

from .factories import RFQ_TERMS as TERMS
from .factories import in_days, make_rfq, quote_for, supplier_with_member

pytestmark = pytest.mark.django_db

REASON = "The project was postponed to next year."


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def rfq(buyer, category, supplier, other_supplier):
    return make_rfq(buyer, category=category, routed_to=[supplier, other_supplier], allow_split=False)


@pytest.fixture
def quotes(rfq, supplier_member, other_member):
    return quote_for(rfq, supplier_member, unit_price="10.00"), quote_for(rfq, other_member, unit_price="8.75")


def _award(person, rfq, quote, quantity=1000, key=None):
    return rfq_award(
        rfq=rfq,
        actor=person,
        awards=[(quote.pk, quantity)],
        idempotency_key=key or uuid.uuid4().hex,
        language="en",
        **TERMS,
    )


def _quote_fields(rfq, **extra):
    return {
        "unit_price": "9.50", "currency": rfq.currency, "moq": 100, "quantity": rfq.quantity, "lead_time_days": 20,
        "incoterm": rfq.incoterm, "incoterm_place": "", "freight_total": None, "valid_until": in_days(30), "note": "",
        **extra,
    }  # fmt: skip


def _past_deadline(rfq, days=1):
    """Move the RFQ's deadline into the past (posting refuses a past deadline, so set it directly)."""
    Rfq.objects.filter(pk=rfq.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=days))
    rfq.refresh_from_db()


def _expire(*quotes_):
    Quote.objects.filter(pk__in=[q.pk for q in quotes_]).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )


def _emails_to(user):
    return [m for m in mail.outbox if user.email in m.to]


# --- cancel: the service --------------------------------------------------------------------------


def test_buyer_cancels_an_open_rfq_with_a_reason_and_its_submitted_quotes_are_declined(
    buyer, rfq, quotes, supplier_member, other_member, django_capture_on_commit_callbacks
):
    mine, theirs = quotes
    quote_withdraw(rfq=rfq, actor=other_member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rfq_cancel(rfq=rfq, actor=buyer, reason=f"  {REASON}  ")
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.CANCELLED
    assert rfq.cancel_reason == REASON and rfq.cancelled_by == buyer and rfq.cancelled_at is not None
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, mine.decided_by) == (Quote.Status.DECLINED, buyer)
    assert theirs.status == Quote.Status.WITHDRAWN  # a withdrawn quote stays withdrawn


def test_cancel_emails_the_suppliers_whose_quotes_were_live_only_after_commit(
    buyer, category, rfq, quotes, supplier_member, other_member, django_capture_on_commit_callbacks
):
    """The supplier who quoted hears of it with the reason; one who withdrew, one who never quoted
    and the buyer do not. Nothing is sent before the transaction commits."""
    silent, silent_member = supplier_with_member()
    rfq.recipients.create(supplier=silent, routed_at=timezone.now())
    quote_withdraw(rfq=rfq, actor=other_member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rfq_cancel(rfq=rfq, actor=buyer, reason=REASON)
    assert mail.outbox == [] and callbacks  # queued for after commit, not sent
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == [supplier_member.email]
    assert "cancelled" in message.subject and rfq.title in message.subject
    assert REASON in message.body
    assert not _emails_to(other_member) and not _emails_to(silent_member) and not _emails_to(buyer)


def test_cancel_needs_a_reason_of_at_most_1000_characters_and_changes_nothing_without_one(buyer, rfq, quotes):
    for reason in ("", "   ", "x" * 1001):
        with pytest.raises(ValidationError) as caught:
            rfq_cancel(rfq=rfq, actor=buyer, reason=reason)
        assert "reason" in caught.value.message_dict
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.OPEN and rfq.cancel_reason == ""
    assert set(Quote.objects.values_list("status", flat=True)) == {"submitted"}


def test_only_the_buying_company_cancels(rfq, quotes, supplier_member, outsider):
    """Another buyer, a supplier the RFQ was routed to (even one that quoted) and an outsider are refused."""
    for person in (f.BuyerMemberFactory().user, supplier_member, outsider):
        with pytest.raises(PermissionDenied):
            rfq_cancel(rfq=rfq, actor=person, reason=REASON)
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.OPEN


def test_a_colleague_of_the_buying_company_may_cancel(buyer, rfq):
    colleague = f.BuyerMemberFactory(company=buyer.buyer_membership.company).user
    assert rfq_cancel(rfq=rfq, actor=colleague, reason=REASON).status == Rfq.Status.CANCELLED


def test_only_an_open_rfq_can_be_cancelled(buyer, rfq, quotes):
    _award(buyer, rfq, quotes[0])
    with pytest.raises(RfqStateConflict, match="Awarded"):
        rfq_cancel(rfq=rfq, actor=buyer, reason=REASON)
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.AWARDED and rfq.cancel_reason == ""
    accepted = Quote.objects.get(pk=quotes[0].pk)
    assert accepted.status == Quote.Status.ACCEPTED  # the award stands


def test_cancelling_twice_is_refused_and_keeps_the_first_reason(buyer, rfq):
    rfq_cancel(rfq=rfq, actor=buyer, reason=REASON)
    with pytest.raises(RfqStateConflict, match="Cancelled"):
        rfq_cancel(rfq=rfq, actor=buyer, reason="Another reason")
    rfq.refresh_from_db()
    assert rfq.cancel_reason == REASON


def test_after_cancel_no_quote_is_taken_revised_or_withdrawn(buyer, category, rfq, supplier_member):
    late, late_member = supplier_with_member()
    rfq.recipients.create(supplier=late, routed_at=timezone.now())
    mine = quote_for(rfq, supplier_member)
    rfq_cancel(rfq=rfq, actor=buyer, reason=REASON)
    with pytest.raises(RfqStateConflict, match="Cancelled"):
        quote_submit(rfq=rfq, actor=late_member, **_quote_fields(rfq))  # a first quote
    with pytest.raises(RfqStateConflict, match="Cancelled"):
        quote_submit(rfq=rfq, actor=supplier_member, **_quote_fields(rfq, unit_price="7.00"))  # a revision
    with pytest.raises(RfqStateConflict):
        quote_withdraw(rfq=rfq, actor=supplier_member)
    assert not Quote.objects.filter(supplier=late).exists()
    mine.refresh_from_db()
    assert str(mine.unit_price) == "10.00" and mine.status == Quote.Status.DECLINED


def test_after_cancel_no_quote_is_awarded(buyer, rfq, quotes):
    rfq_cancel(rfq=rfq, actor=buyer, reason=REASON)
    with pytest.raises(RfqStateConflict, match="can no longer be awarded"):
        _award(buyer, rfq, quotes[1])
    assert not Purchase.objects.exists() and not Order.objects.exists()


# --- cancel: the page -----------------------------------------------------------------------------


def test_the_rfq_page_offers_the_cancel_form_to_the_buyer_while_open(buyer, rfq, quotes):
    html = client_for(buyer).get(reverse("orders:rfq_detail", args=[rfq.pk])).text
    assert 'data-testid="rfq-cancel-form"' in html
    assert reverse("orders:rfq_cancel", args=[rfq.pk]) in html


def test_buyer_cancels_from_the_page_and_sees_the_reason(buyer, rfq, quotes):
    client = client_for(buyer)
    response = client.post(reverse("orders:rfq_cancel", args=[rfq.pk]), {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == reverse("orders:rfq_detail", args=[rfq.pk])
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.CANCELLED and rfq.cancel_reason == REASON
    page = client.get(reverse("orders:rfq_detail", args=[rfq.pk]))
    html = page.text
    assert "Your request is cancelled." in html
    assert 'data-testid="rfq-cancelled"' in html and REASON in html
    assert 'data-testid="rfq-cancel-form"' not in html and 'data-testid="award-submit"' not in html


def test_cancel_without_a_reason_re_renders_the_page_with_the_error_and_what_was_typed(buyer, rfq, quotes):
    client = client_for(buyer)
    response = client.post(reverse("orders:rfq_cancel", args=[rfq.pk]), {"reason": ""})
    assert response.status_code == 400
    assert 'data-testid="error-reason"' in response.text
    assert 'data-testid="rfq-cancel" open' in response.text  # the panel stays open
    typed = "Too long " * 120
    response = client.post(reverse("orders:rfq_cancel", args=[rfq.pk]), {"reason": typed})
    assert response.status_code == 400 and typed.strip() in response.text
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.OPEN


def test_cancelling_an_awarded_rfq_from_the_page_is_refused_with_a_message(buyer, rfq, quotes):
    _award(buyer, rfq, quotes[0])
    client = client_for(buyer)
    response = client.post(reverse("orders:rfq_cancel", args=[rfq.pk]), {"reason": REASON}, follow=True)
    assert "can no longer be cancelled" in response.text
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.AWARDED


def test_the_cancel_page_answers_404_to_everyone_but_the_buying_company(rfq, quotes, supplier_member, outsider):
    for person in (f.BuyerMemberFactory().user, supplier_member, outsider):
        response = client_for(person).post(reverse("orders:rfq_cancel", args=[rfq.pk]), {"reason": REASON})
        assert response.status_code == 404
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.OPEN


def test_the_cancel_page_sends_anonymous_visitors_to_sign_in_and_refuses_get(client, buyer, rfq):
    response = client.post(reverse("orders:rfq_cancel", args=[rfq.pk]), {"reason": REASON})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client_for(buyer).get(reverse("orders:rfq_cancel", args=[rfq.pk])).status_code == 405
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.OPEN


def test_the_supplier_sees_the_cancel_and_its_reason_and_no_quote_form(buyer, rfq, quotes, supplier_member):
    rfq_cancel(rfq=rfq, actor=buyer, reason=REASON)
    html = client_for(supplier_member).get(reverse("orders:rfq_opportunity", args=[rfq.pk])).text
    assert 'data-testid="rfq-cancelled"' in html and REASON in html
    assert 'data-testid="quote-form"' not in html
    response = client_for(supplier_member).post(
        reverse("orders:rfq_opportunity", args=[rfq.pk]), {**_quote_fields(rfq), "freight_total": ""}, follow=True
    )
    assert "it takes no more quotes" in response.text


# --- cancel: the API ------------------------------------------------------------------------------


def test_api_cancel_by_the_buyer_answers_the_cancelled_rfq(buyer, rfq, quotes):
    response = api(buyer).post(reverse("api:rfq-cancel", args=[rfq.pk]), {"reason": REASON}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "cancelled" and body["cancel_reason"] == REASON and body["cancelled_at"]
    assert {q["status"] for q in body["quotes"]} == {"declined"}


def test_api_cancel_answers_404_to_other_buyers_and_suppliers_and_refuses_anonymous(rfq, quotes, supplier_member):
    for person in (f.BuyerMemberFactory().user, supplier_member):
        response = api(person).post(reverse("api:rfq-cancel", args=[rfq.pk]), {"reason": REASON}, format="json")
        assert response.status_code == 404
    assert api().post(reverse("api:rfq-cancel", args=[rfq.pk]), {"reason": REASON}).status_code in (401, 403)
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.OPEN


def test_api_cancel_needs_a_reason_and_answers_409_when_not_open(buyer, rfq, quotes):
    client = api(buyer)
    url = reverse("api:rfq-cancel", args=[rfq.pk])
    response = client.post(url, {"reason": "  "}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert client.post(url, {"reason": REASON}, format="json").status_code == 200
    response = client.post(url, {"reason": REASON}, format="json")
    assert response.status_code == 409 and "can no longer be cancelled" in response.json()["detail"]


def test_api_refuses_quotes_and_awards_after_cancel_with_409(buyer, rfq, quotes, supplier_member):
    rfq_cancel(rfq=rfq, actor=buyer, reason=REASON)
    quote = api(supplier_member).post(
        reverse("api:rfq-opportunity-quote", args=[rfq.pk]),
        {**_quote_fields(rfq), "valid_until": in_days(30).isoformat(), "unit_price": "9.00"},
        format="json",
    )
    assert quote.status_code == 409
    award = api(buyer).post(
        reverse("api:rfq-award", args=[rfq.pk]),
        {"awards": [{"quote": quotes[1].pk, "quantity": 1000}], **TERMS},
        format="json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    )
    assert award.status_code == 409
    assert not Purchase.objects.exists()


def test_the_schema_describes_the_cancel_operation(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    cancel = schema["paths"]["/api/v1/rfqs/{id}/cancel/"]["post"]
    assert cancel["operationId"] == "rfqs_cancel"
    assert set(cancel["responses"]) >= {"200", "400", "404", "409"}
    body = cancel["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/RfqCancelInput")
    assert "reason" in schema["components"]["schemas"]["RfqCancelInput"]["required"]


# --- an expired quote -----------------------------------------------------------------------------


def test_an_expired_quote_is_not_awarded_over_the_api_and_nothing_is_made(buyer, rfq, quotes):
    _expire(quotes[1])
    response = api(buyer).post(
        reverse("api:rfq-award", args=[rfq.pk]),
        {"awards": [{"quote": quotes[1].pk, "quantity": 1000}], **TERMS},
        format="json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    )
    assert response.status_code == 409 and "expired" in response.json()["detail"]
    assert not Purchase.objects.exists() and not Order.objects.exists()
    assert set(Quote.objects.values_list("status", flat=True)) == {"submitted"}


def test_a_quote_valid_until_today_can_still_be_awarded(buyer, rfq, quotes):
    Quote.objects.filter(pk=quotes[1].pk).update(valid_until=timezone.localdate())
    _purchase, created = _award(buyer, rfq, quotes[1])
    assert created and Order.objects.get().quote_id == quotes[1].pk


# --- the closing job ------------------------------------------------------------------------------


def test_the_job_closes_an_expired_rfq_without_quotes_silently(rfq, django_capture_on_commit_callbacks):
    _past_deadline(rfq)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert rfq_close_expired() == 1
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.CLOSED and rfq.closed_at is not None
    assert mail.outbox == []


def test_the_job_closes_once_all_quotes_expired_and_tells_the_buyer_once(
    buyer, rfq, quotes, django_capture_on_commit_callbacks
):
    colleague = f.BuyerMemberFactory(company=buyer.buyer_membership.company).user
    _past_deadline(rfq)
    _expire(*quotes)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert rfq_close_expired() == 1
    rfq.refresh_from_db()
    first_closed_at = rfq.closed_at
    assert rfq.status == Rfq.Status.CLOSED
    assert sorted(address for m in mail.outbox for address in m.to) == sorted([buyer.email, colleague.email])
    message = _emails_to(buyer)[0]
    assert "closed" in message.subject and rfq.title in message.subject
    assert "2 quotes you received have expired" in message.body

    with django_capture_on_commit_callbacks(execute=True):  # the next hour, or a second delivery
        assert rfq_close_expired() == 0
    rfq.refresh_from_db()
    assert rfq.closed_at == first_closed_at and len(mail.outbox) == 2


def test_the_task_runs_the_job_and_is_in_the_hourly_beat_schedule(rfq):
    entry = settings.CELERY_BEAT_SCHEDULE["orders-rfq-close-expired"]
    assert import_string(entry["task"]) is rfq_close_expired_task
    assert entry["schedule"].minute == {5} and len(entry["schedule"].hour) == 24  # every hour
    _past_deadline(rfq)
    assert rfq_close_expired_task() == 1 and rfq_close_expired_task() == 0
    assert Rfq.objects.get(pk=rfq.pk).status == Rfq.Status.CLOSED


def test_an_rfq_past_its_deadline_with_a_valid_quote_stays_open_and_can_be_awarded(buyer, rfq, quotes, supplier_member):
    """No new quotes after the deadline, but the buyer can still accept an offer still valid."""
    cheap = quotes[1]
    _past_deadline(rfq)
    _expire(cheap)
    assert rfq_close_expired() == 0
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.OPEN
    with pytest.raises(RfqStateConflict, match="deadline"):
        quote_submit(rfq=rfq, actor=supplier_member, **_quote_fields(rfq, unit_price="5.00"))
    with pytest.raises(RfqStateConflict, match="expired"):
        _award(buyer, rfq, cheap)
    _purchase, created = _award(buyer, rfq, quotes[0])
    assert created
    assert rfq_close_expired() == 0  # awarded: not the job's any more
    assert Rfq.objects.get(pk=rfq.pk).status == Rfq.Status.AWARDED


def test_once_the_last_valid_quote_expires_the_job_closes_and_no_award_is_possible(buyer, rfq, quotes):
    _past_deadline(rfq, days=10)
    _expire(quotes[1])
    assert rfq_close_expired() == 0
    _expire(quotes[0])
    assert rfq_close_expired() == 1
    with pytest.raises(RfqStateConflict, match="Closed"):
        _award(buyer, rfq, quotes[0])
    with pytest.raises(RfqStateConflict, match="Closed"):
        rfq_cancel(rfq=rfq, actor=buyer, reason=REASON)
    assert not Purchase.objects.exists()
    html = client_for(buyer).get(reverse("orders:rfq_detail", args=[rfq.pk])).text
    assert 'data-testid="rfq-closed"' in html and 'data-testid="award-submit"' not in html
    assert 'data-testid="rfq-cancel-form"' not in html


def test_the_job_leaves_open_rfqs_before_their_deadline_and_finished_ones_alone(buyer, category, supplier):
    due_today = make_rfq(buyer, category=category, routed_to=[supplier], deadline=timezone.localdate())
    ahead = make_rfq(buyer, category=category, routed_to=[supplier], deadline=in_days(3))
    cancelled = make_rfq(buyer, category=category, routed_to=[supplier])
    rfq_cancel(rfq=cancelled, actor=buyer, reason=REASON)
    awarded = make_rfq(buyer, category=category, routed_to=[supplier])
    Rfq.objects.filter(pk=awarded.pk).update(status=Rfq.Status.AWARDED)
    Rfq.objects.filter(pk__in=[cancelled.pk, awarded.pk]).update(deadline=timezone.localdate() - datetime.timedelta(1))
    assert rfq_close_expired() == 0
    statuses = dict(Rfq.objects.values_list("pk", "status"))
    assert statuses == {due_today.pk: "open", ahead.pk: "open", cancelled.pk: "cancelled", awarded.pk: "awarded"}
    assert not Rfq.objects.filter(closed_at__isnull=False).exists()
