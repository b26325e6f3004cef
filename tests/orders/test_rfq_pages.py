"""RFQ pages: who sees what (404 for everyone else), the buyer's form keeping bad input, the
comparison and award on the RFQ page, the supplier's opportunities and quote form, and query
budgets that do not grow with rows."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Order, Quote, Rfq, RfqRecipient
from orders.services.rfq_attachments import rfq_attachments_receive
from tests import factories as f
from tests.buyers.conftest import png_upload
from tests.conftest import client_for

from .factories import in_days, make_rfq, quote_for, supplier_with_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def rfq(buyer, category, supplier, other_supplier):
    return make_rfq(buyer, category=category, routed_to=[supplier, other_supplier], allow_split=False)


@pytest.fixture
def quotes(rfq, supplier_member, other_member):
    return quote_for(rfq, supplier_member, unit_price="10.00"), quote_for(rfq, other_member, unit_price="8.75")


def _award_data(**extra):
    return {
        "shipping_address": "Keizersgracht 1, Amsterdam",
        "ship_to_country": "NL",
        "idempotency_key": uuid.uuid4().hex,
        **extra,
    }


# --- isolation ----------------------------------------------------------------------------------


def test_buyer_pages_answer_404_to_everyone_but_the_buying_company(rfq, quotes, supplier_member, outsider):
    strangers = [f.BuyerMemberFactory().user, supplier_member, outsider]
    for person in strangers:
        client = client_for(person)
        assert client.get(reverse("orders:rfq_detail", args=[rfq.pk])).status_code == 404
        response = client.post(reverse("orders:rfq_award", args=[rfq.pk]), _award_data(quote=quotes[0].pk))
        assert response.status_code == 404
    for person in (supplier_member, outsider):
        assert client_for(person).get(reverse("orders:rfq_list")).status_code == 404
    assert not Order.objects.exists()


def test_another_buyers_list_does_not_show_the_rfq(rfq):
    response = client_for(f.BuyerMemberFactory().user).get(reverse("orders:rfq_list"))
    assert response.status_code == 200 and rfq.title not in response.text


def test_anonymous_visitors_are_sent_to_sign_in(client, rfq):
    for url in (
        reverse("orders:rfq_list"),
        reverse("orders:rfq_new"),
        reverse("orders:rfq_detail", args=[rfq.pk]),
        reverse("orders:rfq_opportunities"),
        reverse("orders:rfq_opportunity", args=[rfq.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_supplier_pages_answer_404_unless_the_rfq_was_routed_to_the_supplier(rfq, buyer):
    _unrouted, member = supplier_with_member()
    client = client_for(member)
    assert client.get(reverse("orders:rfq_opportunity", args=[rfq.pk])).status_code == 404
    assert client.post(reverse("orders:rfq_opportunity", args=[rfq.pk]), {"unit_price": "1"}).status_code == 404
    assert client.post(reverse("orders:rfq_withdraw", args=[rfq.pk])).status_code == 404
    assert rfq.title not in client.get(reverse("orders:rfq_opportunities")).text
    buyer_client = client_for(buyer)
    assert buyer_client.get(reverse("orders:rfq_opportunities")).status_code == 404
    assert buyer_client.get(reverse("orders:rfq_opportunity", args=[rfq.pk])).status_code == 404
    assert not Quote.objects.exists()


def test_a_supplier_sees_the_rfq_and_its_own_quote_but_no_other_supplier(rfq, quotes, supplier_member, other_supplier):
    response = client_for(supplier_member).get(reverse("orders:rfq_opportunity", args=[rfq.pk]))
    assert response.status_code == 200
    assert rfq.title in response.text and "10.00" in response.text
    assert other_supplier.name_en not in response.text and "8.75" not in response.text
    assert rfq.buyer.name not in response.text


# --- the buyer's pages --------------------------------------------------------------------------


def _rfq_form(category, **extra):
    return {
        "title": "Dried goji berries",
        "details": "Grade A, 280 grains / 50 g",
        "category": category.pk,
        "quantity": "12",
        "unit": "tonne",
        "currency": "USD",
        "destination_country": "DE",
        "incoterm": "CIF",
        "incoterm_place": "Hamburg",
        "required_level": "certified_origin",
        "deadline": in_days(10).isoformat(),
        "allow_split": "on",
        **extra,
    }


def test_bad_input_on_the_new_rfq_form_keeps_what_was_typed(buyer, category):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client_for(buyer).post(
        reverse("orders:rfq_new"), _rfq_form(category, deadline=yesterday, quantity="lots")
    )
    assert response.status_code == 400
    assert "Choose a deadline in the future." in response.text
    assert 'data-testid="error-quantity"' in response.text
    assert 'value="Dried goji berries"' in response.text and 'value="lots"' in response.text
    assert "Grade A, 280 grains / 50 g" in response.text and 'value="Hamburg"' in response.text
    assert not Rfq.objects.exists()


def test_posting_an_rfq_shows_its_page_while_routing_runs(buyer, category, django_capture_on_commit_callbacks):
    client = client_for(buyer)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("orders:rfq_new"), _rfq_form(category))
    rfq = Rfq.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("orders:rfq_detail", args=[rfq.pk])
    assert len(callbacks) == 1  # the routing job, after commit
    assert (rfq.quantity, rfq.unit, rfq.destination_country, rfq.allow_split) == (12, "tonne", "DE", True)
    page = client.get(response["Location"])
    assert 'data-testid="routing-pending"' in page.text


def test_the_rfq_page_says_when_no_supplier_matched(buyer, category):
    rfq = make_rfq(buyer, category=category)
    Rfq.objects.filter(pk=rfq.pk).update(routed_at=timezone.now())
    response = client_for(buyer).get(reverse("orders:rfq_detail", args=[rfq.pk]))
    assert 'data-testid="no-match"' in response.text


def test_the_buyer_compares_side_by_side_and_accepts_one_quote(buyer, rfq, quotes, other_supplier):
    client = client_for(buyer)
    page = client.get(reverse("orders:rfq_detail", args=[rfq.pk]))
    assert page.text.count('data-testid="quote-row"') == 2
    assert "Sent to 2 matching certified suppliers." in page.text
    assert 'data-testid="best-quote"' in page.text
    response = client.post(reverse("orders:rfq_award", args=[rfq.pk]), _award_data(quote=quotes[1].pk))
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.supplier == other_supplier and order.quote == quotes[1]
    page = client.get(reverse("orders:rfq_detail", args=[rfq.pk]))
    assert order.number in page.text and 'data-testid="award-form"' in page.text
    assert 'data-testid="award-submit"' not in page.text  # awarded: nothing more to accept


def test_award_errors_keep_the_typed_quantities_and_address(buyer, category):
    (s1, m1), (s2, m2) = supplier_with_member(), supplier_with_member()
    rfq = make_rfq(buyer, category=category, routed_to=[s1, s2])
    q1, q2 = quote_for(rfq, m1, quantity=700), quote_for(rfq, m2, quantity=600)
    data = _award_data(**{f"qty-{q1.pk}": "700", f"qty-{q2.pk}": "600"})
    response = client_for(buyer).post(reverse("orders:rfq_award", args=[rfq.pk]), data)
    assert response.status_code == 400
    assert "Together the quantities may be at most the 1000 you asked for." in response.text
    assert 'value="700"' in response.text and 'value="600"' in response.text
    assert "Keizersgracht 1, Amsterdam" in response.text
    response = client_for(buyer).post(reverse("orders:rfq_award", args=[rfq.pk]), {**data, f"qty-{q1.pk}": "many"})
    assert response.status_code == 400 and 'value="many"' in response.text
    assert not Order.objects.exists()


# --- the supplier's pages -----------------------------------------------------------------------


def _quote_form(**extra):
    return {
        "unit_price": "9.90",
        "currency": "USD",
        "moq": "100",
        "quantity": "1000",
        "lead_time_days": "25",
        "incoterm": "FOB",
        "incoterm_place": "Ningbo",
        "freight_total": "",
        "valid_until": in_days(20).isoformat(),
        "note": "Includes wooden crates",
        **extra,
    }


def test_the_supplier_sends_and_revises_its_quote_on_the_page(rfq, supplier_member):
    client = client_for(supplier_member)
    url = reverse("orders:rfq_opportunity", args=[rfq.pk])
    assert client.post(url, _quote_form()).status_code == 302
    assert client.post(url, _quote_form(unit_price="9.50")).status_code == 302
    quote = Quote.objects.get()
    assert str(quote.unit_price) == "9.50" and quote.note == "Includes wooden crates"


def test_bad_quote_input_keeps_what_was_typed(rfq, supplier_member):
    response = client_for(supplier_member).post(
        reverse("orders:rfq_opportunity", args=[rfq.pk]), _quote_form(quantity="5000", unit_price="7.25")
    )
    assert response.status_code == 400
    assert "at most the 1000" in response.text
    assert 'value="7.25"' in response.text and 'value="5000"' in response.text
    assert not Quote.objects.exists()


def test_opportunities_list_open_ones_first_and_marks_them_seen(buyer, category, supplier, supplier_member):
    closed = make_rfq(buyer, category=category, routed_to=[supplier], title="Closed one")
    Rfq.objects.filter(pk=closed.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    make_rfq(buyer, category=category, routed_to=[supplier], title="Open one")
    response = client_for(supplier_member).get(reverse("orders:rfq_opportunities"))
    assert response.text.index("Open one") < response.text.index("Closed one")
    assert not RfqRecipient.objects.filter(seen_at__isnull=True).exists()


# --- query budgets ------------------------------------------------------------------------------
# A signed-in page costs 2 queries for the session and the user and 1 for the navigation's
# unread-inquiries badge; the rest is the page's own.


@pytest.mark.parametrize("n", [2, 6])
def test_rfq_list_query_budget(buyer, category, n, django_assert_num_queries):
    for _ in range(n):
        make_rfq(buyer, category=category)
    client = client_for(buyer)
    with django_assert_num_queries(6):  # session, user, company, count, page, nav badge
        assert client.get(reverse("orders:rfq_list")).status_code == 200


@pytest.mark.parametrize("n", [2, 6])
def test_rfq_detail_query_budget(buyer, category, n, django_assert_num_queries):
    people = [supplier_with_member() for _ in range(n)]
    rfq = make_rfq(buyer, category=category, routed_to=[s for s, _m in people])
    for _supplier, member in people:
        quote_for(rfq, member)
    rfq_attachments_receive(rfq=rfq, actor=buyer, uploads=[png_upload(f"plan-{i}.png") for i in range(n)])
    client = client_for(buyer)
    # session, user, company, RFQ with counts, quotes, history (with actors and suppliers), files, nav badge
    with django_assert_num_queries(8):
        response = client.get(reverse("orders:rfq_detail", args=[rfq.pk]))
    assert response.text.count('data-testid="quote-row"') == n
    assert response.text.count('data-event="quoted"') == n
    assert response.text.count('data-testid="rfq-attachment-link"') == n


@pytest.mark.parametrize("n", [2, 6])
def test_opportunities_query_budget(buyer, category, supplier, supplier_member, n, django_assert_num_queries):
    for _ in range(n):
        make_rfq(buyer, category=category, routed_to=[supplier])
    client = client_for(supplier_member)
    with django_assert_num_queries(7):  # session, user, supplier, count, page, mark seen, nav badge
        response = client.get(reverse("orders:rfq_opportunities"))
    assert response.text.count('data-testid="opportunity-row"') == n
