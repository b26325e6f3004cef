"""The RFQ API: buyers post, read the comparison and award (Idempotency-Key required); suppliers
read their opportunities and quote. Another company's RFQ answers 404, the wrong side 403,
anonymous callers 401/403; list query budgets stay fixed."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from orders.models import Order, Purchase, Quote, Rfq
from tests import factories as f

from .factories import in_days, make_rfq, quote_for, supplier_with_member

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def rfq(buyer, category, supplier, other_supplier):
    return make_rfq(buyer, category=category, routed_to=[supplier, other_supplier])


AWARD = {"shipping_address": "Keizersgracht 1, Amsterdam", "ship_to_country": "NL"}


def _post_rfq_body(category, **extra):
    return {
        "title": "Stainless steel flanges DN50",
        "category": category.slug,
        "quantity": 5000,
        "unit": "piece",
        "currency": "USD",
        "destination_country": "US",
        "incoterm": "FOB",
        "incoterm_place": "Ningbo",
        "required_level": "certified_origin",
        "deadline": in_days(14).isoformat(),
        **extra,
    }


def test_a_procurement_system_posts_an_rfq_and_it_is_routed_after_commit(
    buyer, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api(buyer).post("/api/v1/rfqs/", _post_rfq_body(category), format="json")
    assert response.status_code == 201, response.data
    assert response.data["status"] == "open" and response.data["quotes"] == []
    assert len(callbacks) == 1
    listed = api(buyer).get("/api/v1/rfqs/")
    assert [r["id"] for r in listed.data["results"]] == [response.data["id"]]


def test_posting_with_bad_fields_answers_400_by_field(buyer, category):
    response = api(buyer).post(
        "/api/v1/rfqs/", _post_rfq_body(category, deadline="2000-01-01", destination_country="XX"), format="json"
    )
    assert response.status_code == 400
    assert set(response.data) == {"deadline", "destination_country"}
    assert not Rfq.objects.exists()


def test_suppliers_and_anonymous_cannot_use_the_buyers_endpoints(rfq, supplier_member, category):
    assert api(supplier_member).get("/api/v1/rfqs/").status_code == 403
    assert api(supplier_member).post("/api/v1/rfqs/", _post_rfq_body(category), format="json").status_code == 403
    assert api(supplier_member).get(f"/api/v1/rfqs/{rfq.pk}/").status_code == 404
    for method, url in (("get", "/api/v1/rfqs/"), ("get", f"/api/v1/rfqs/{rfq.pk}/"),
                        ("post", f"/api/v1/rfqs/{rfq.pk}/award/"), ("get", "/api/v1/rfq-opportunities/"),
                        ("post", f"/api/v1/rfq-opportunities/{rfq.pk}/quote/")):  # fmt: skip
        assert getattr(api(), method)(url).status_code in (401, 403)


def test_another_buyer_gets_404_for_the_rfq_and_its_award(rfq, supplier_member):
    quote = quote_for(rfq, supplier_member)
    stranger = api(f.BuyerMemberFactory().user)
    assert stranger.get(f"/api/v1/rfqs/{rfq.pk}/").status_code == 404
    response = stranger.post(
        f"/api/v1/rfqs/{rfq.pk}/award/",
        {"awards": [{"quote": quote.pk, "quantity": 1000}], **AWARD},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert response.status_code == 404
    assert rfq.title not in str(stranger.get("/api/v1/rfqs/").data)
    assert not Purchase.objects.exists()


def test_detail_has_the_normalised_comparison(buyer, rfq, supplier_member, other_member):
    quote_for(rfq, supplier_member, unit_price="10.00")
    quote_for(rfq, other_member, unit_price="9.50", incoterm="EXW", freight_total="700.00")
    response = api(buyer).get(f"/api/v1/rfqs/{rfq.pk}/")
    assert response.status_code == 200
    rows = {row["incoterm"]: row for row in response.data["quotes"]}
    assert rows["EXW"]["comparable_unit_price"] == "10.2000" and rows["EXW"]["total"] == "10200.00"
    assert rows["FOB"]["comparable_unit_price"] == "10.0000" and rows["FOB"]["best"] is True


def test_award_needs_a_key_replays_with_it_and_refuses_it_for_another_body(buyer, rfq, supplier_member, other_member):
    q1, q2 = quote_for(rfq, supplier_member), quote_for(rfq, other_member, quantity=400)
    client = api(buyer)
    url = f"/api/v1/rfqs/{rfq.pk}/award/"
    body = {"awards": [{"quote": q1.pk, "quantity": 600}, {"quote": q2.pk, "quantity": 400}], **AWARD}
    assert client.post(url, body, format="json").status_code == 400  # no key
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="award-7")
    assert first.status_code == 201, first.data
    assert len(first.data["orders"]) == 2 and first.data["source"] == "rfq"
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="award-7")
    assert again.status_code == 200 and again.data["id"] == first.data["id"]
    other = {**body, "awards": [{"quote": q1.pk, "quantity": 500}]}
    assert client.post(url, other, format="json", HTTP_IDEMPOTENCY_KEY="award-7").status_code == 422
    assert client.post(url, other, format="json", HTTP_IDEMPOTENCY_KEY="award-8").status_code == 409
    assert Purchase.objects.count() == 1 and Order.objects.count() == 2


def test_over_award_answers_400(buyer, rfq, supplier_member, other_member):
    q1, q2 = quote_for(rfq, supplier_member), quote_for(rfq, other_member)
    response = api(buyer).post(
        f"/api/v1/rfqs/{rfq.pk}/award/",
        {"awards": [{"quote": q1.pk, "quantity": 600}, {"quote": q2.pk, "quantity": 600}], **AWARD},
        format="json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    )
    assert response.status_code == 400 and "at most the 1000" in str(response.data)
    assert not Purchase.objects.exists()


# --- suppliers ----------------------------------------------------------------------------------

QUOTE = {
    "unit_price": "9.80",
    "currency": "USD",
    "moq": 100,
    "quantity": 1000,
    "lead_time_days": 20,
    "incoterm": "FOB",
    "valid_until": in_days(30).isoformat(),
}


def test_a_supplier_quotes_revises_and_withdraws_over_the_api(rfq, supplier_member):
    client = api(supplier_member)
    listed = client.get("/api/v1/rfq-opportunities/")
    assert [r["id"] for r in listed.data["results"]] == [rfq.pk]
    assert "buyer" not in listed.data["results"][0]
    url = f"/api/v1/rfq-opportunities/{rfq.pk}/quote/"
    assert client.post(url, QUOTE, format="json").status_code == 201
    revised = client.post(url, {**QUOTE, "unit_price": "9.60"}, format="json")
    assert revised.status_code == 200 and revised.data["unit_price"] == "9.60"
    detail = client.get(f"/api/v1/rfq-opportunities/{rfq.pk}/")
    assert detail.data["my_quote"]["unit_price"] == "9.60" and detail.data["seen_at"]
    withdrawn = client.post(f"/api/v1/rfq-opportunities/{rfq.pk}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.data["status"] == "withdrawn"
    assert client.post(f"/api/v1/rfq-opportunities/{rfq.pk}/withdraw/").status_code == 409
    assert Quote.objects.count() == 1


def test_a_supplier_never_sees_another_suppliers_quote(rfq, supplier_member, other_member):
    quote_for(rfq, other_member, unit_price="7654.32")
    detail = api(supplier_member).get(f"/api/v1/rfq-opportunities/{rfq.pk}/")
    assert detail.status_code == 200 and detail.data["my_quote"] is None
    assert "7654.32" not in str(detail.data)  # a price no timestamp or id can spell


def test_an_rfq_not_routed_to_the_supplier_is_404_and_buyers_get_403(rfq, buyer):
    _s, member = supplier_with_member()
    client = api(member)
    assert client.get(f"/api/v1/rfq-opportunities/{rfq.pk}/").status_code == 404
    assert client.post(f"/api/v1/rfq-opportunities/{rfq.pk}/quote/", QUOTE, format="json").status_code == 404
    assert client.post(f"/api/v1/rfq-opportunities/{rfq.pk}/withdraw/").status_code == 404
    assert client.get("/api/v1/rfq-opportunities/").data["results"] == []
    assert api(buyer).get("/api/v1/rfq-opportunities/").status_code == 403
    assert api(buyer).get(f"/api/v1/rfq-opportunities/{rfq.pk}/").status_code == 404
    assert not Quote.objects.exists()


def test_a_quote_after_the_deadline_answers_409(rfq, supplier_member):
    Rfq.objects.filter(pk=rfq.pk).update(deadline=in_days(-1))
    response = api(supplier_member).post(f"/api/v1/rfq-opportunities/{rfq.pk}/quote/", QUOTE, format="json")
    assert response.status_code == 409 and "deadline" in response.data["detail"]


# --- query budgets ------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 7])
def test_list_apis_query_budgets(buyer, category, supplier, supplier_member, n, django_assert_num_queries):
    for _ in range(n):
        make_rfq(buyer, category=category, routed_to=[supplier])
    with django_assert_num_queries(2):  # company, page
        assert len(api(buyer).get("/api/v1/rfqs/").data["results"]) == n
    with django_assert_num_queries(2):  # supplier, page
        assert len(api(supplier_member).get("/api/v1/rfq-opportunities/").data["results"]) == n


@pytest.mark.parametrize("n", [2, 6])
def test_detail_api_query_budget(buyer, category, n, django_assert_num_queries):
    people = [supplier_with_member() for _ in range(n)]
    rfq = make_rfq(buyer, category=category, routed_to=[s for s, _m in people])
    for _s, member in people:
        quote_for(rfq, member)
    with django_assert_num_queries(4):  # company, RFQ with counts, quotes with suppliers and figures, files
        assert len(api(buyer).get(f"/api/v1/rfqs/{rfq.pk}/").data["quotes"]) == n


@pytest.mark.parametrize("allow_split", [True, False])
def test_a_quote_whose_total_would_not_fit_an_order_is_refused_and_the_rfq_page_keeps_working(
    buyer, category, supplier, supplier_member, allow_split
):
    """Every quote can become an order: its total at the RFQ's quantity (unit price × quantity +
    freight) must fit an order's total, else it is refused with a message on the unit price and
    nothing is stored; the buyer's RFQ page and API never meet a total they cannot show."""
    rfq = make_rfq(buyer, category=category, routed_to=[supplier], quantity=999_999_999, allow_split=allow_split)
    maximal = {**QUOTE, "unit_price": "9999999999.99", "moq": 1, "quantity": 999_999_999}
    client = api(supplier_member)
    response = client.post(f"/api/v1/rfq-opportunities/{rfq.pk}/quote/", maximal, format="json")
    assert response.status_code == 400, response.data
    assert "unit_price" in response.data and "most one order can hold" in str(response.data["unit_price"])
    assert not Quote.objects.exists()
    # The largest total that fits is accepted, and the buyer's page and API show it.
    fits = {**maximal, "unit_price": "999.99"}
    assert client.post(f"/api/v1/rfq-opportunities/{rfq.pk}/quote/", fits, format="json").status_code == 201
    detail = api(buyer).get(f"/api/v1/rfqs/{rfq.pk}/")
    assert detail.status_code == 200 and detail.data["quotes"][0]["total"] == "999989999000.01"
    page = Client()
    page.force_login(buyer)
    assert page.get(reverse("orders:rfq_detail", args=[rfq.pk])).status_code == 200
