"""The analytics API: a supplier's own figures, a belt's for its operators and staff; the wrong
role gets 404 (403 when not signed in); answers match the schema's fields; fixed query budgets."""

import datetime

import pytest
from django.test import Client

from analytics.services.compute import analytics_compute
from tests import factories as f
from tests.conftest import client_for

from .factories import at, buyer_company, order

pytestmark = pytest.mark.django_db


@pytest.fixture
def trade(supplier, other_supplier, category):
    today = datetime.date.today()
    listing = f.ListingFactory(supplier=supplier, category=category)
    order(
        supplier=supplier,
        buyer=buyer_company("NL"),
        when=at(today - datetime.timedelta(days=1)),
        total="500.00",
        listing=listing,
    )
    order(
        supplier=other_supplier, buyer=buyer_company("US"), when=at(today - datetime.timedelta(days=1)), total="700.00"
    )
    analytics_compute(start=today - datetime.timedelta(days=5), end=today)


def test_supplier_reads_its_own_analytics(trade, supplier_member, django_assert_max_num_queries):
    client = client_for(supplier_member)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/me/analytics/?period=90")
    assert response.status_code == 200
    body = response.json()
    assert (body["period"], body["step"], len(body["series"])) == ("90", "day", 90)
    assert body["totals"]["orders"] == 1 and body["totals"]["revenue"] == "500.00"
    assert body["countries"] == [{"country": "NL", "buyers": 1, "orders": 1, "revenue": "500.00"}]
    assert client.get("/api/v1/me/analytics/?period=365").json()["step"] == "month"


def test_a_bad_period_is_refused(trade, supplier_member):
    assert client_for(supplier_member).get("/api/v1/me/analytics/?period=7").status_code == 400


@pytest.mark.parametrize("who", ["buyer", "operator", "outsider"])
def test_my_analytics_is_404_for_who_acts_for_no_supplier(trade, who, request):
    assert client_for(request.getfixturevalue(who)).get("/api/v1/me/analytics/").status_code == 404


def test_anonymous_gets_403(trade, belt):
    assert Client().get("/api/v1/me/analytics/").status_code == 403
    assert Client().get(f"/api/v1/belts/{belt.slug}/analytics/").status_code == 403


def test_operator_reads_its_belt(trade, operator, belt, django_assert_max_num_queries):
    client = client_for(operator)
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/belts/{belt.slug}/analytics/")
    assert response.status_code == 200
    body = response.json()
    assert body["belt"] == belt.slug and len(body["months"]) == 12
    assert body["months"][-1]["orders"] == 2 and body["months"][-1]["trade_volume"] == "1200.00"
    assert {c["country"] for c in body["countries"]} == {"NL", "US"}
    assert [(c["orders"], c["trade_volume"]) for c in body["category_months"]] == [(1, "500.00")]


@pytest.mark.parametrize("who", ["buyer", "supplier_member", "outsider", "other_operator"])
def test_belt_analytics_api_is_404_for_the_wrong_role(trade, belt, who, request):
    if who == "other_operator":
        user = f.BeltOperatorFactory(belt=f.BeltFactory(slug="shishi-textiles")).user
    else:
        user = request.getfixturevalue(who)
    assert client_for(user).get(f"/api/v1/belts/{belt.slug}/analytics/").status_code == 404


def test_staff_read_any_belt(trade, belt, staff):
    assert client_for(staff).get(f"/api/v1/belts/{belt.slug}/analytics/").status_code == 200


def test_schema_declares_both_operations(client):
    schema = client.get("/api/schema/?format=json").json()
    assert schema["paths"]["/api/v1/me/analytics/"]["get"]["operationId"] == "my_analytics"
    assert schema["paths"]["/api/v1/belts/{slug}/analytics/"]["get"]["operationId"] == "belt_analytics"
    assert "SupplierAnalytics" in schema["components"]["schemas"]
    assert "BeltAnalyticsMonth" in schema["components"]["schemas"]
