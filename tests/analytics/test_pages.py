"""The analytics pages and their CSV: who may read which (the wrong user gets 404), what they show,
fixed query budgets, both languages, and the public statistics cached and free of private figures."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from analytics.services.compute import analytics_compute
from tests import factories as f
from tests.conftest import client_for

from .factories import at, buyer_company, inquiry, order

pytestmark = pytest.mark.django_db


@pytest.fixture
def trade(supplier, other_supplier, category):
    """A month of trade for `supplier` (and one order of another supplier of the belt), computed."""
    today = datetime.date.today()
    listing = f.ListingFactory(
        supplier=supplier, category=category, title_en="Fibre laser 3 kW", title_zh="光纤激光器3千瓦"
    )
    nl, us = buyer_company("NL"), buyer_company("US")
    for n in range(3):
        order(
            supplier=supplier,
            buyer=nl,
            when=at(today - datetime.timedelta(days=n + 1)),
            total="12345.00",
            listing=listing,
        )
    order(supplier=supplier, buyer=us, when=at(today - datetime.timedelta(days=2)), total="1000.00")
    inquiry(
        supplier=supplier,
        buyer=us,
        when=at(today - datetime.timedelta(days=3)),
        answered_after=datetime.timedelta(hours=3),
    )
    order(supplier=other_supplier, buyer=us, when=at(today - datetime.timedelta(days=4)), total="99999.00")
    analytics_compute(start=today - datetime.timedelta(days=40), end=today)
    return listing


def test_supplier_sees_its_own_figures_charts_tables_and_periods(trade, supplier_member, django_assert_max_num_queries):
    client = client_for(supplier_member)
    with django_assert_max_num_queries(9):
        page = client.get("/dashboard/supplier/analytics/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="total-orders">4<' in body
    assert "38,035" in body  # its revenue, grouped; the other supplier's 99,999 is not there
    assert "99,999" not in body
    assert body.count("<svg") >= 4 and "window.pygal" not in body  # drawn on the server, no chart script
    assert "Fibre laser 3 kW" in body and "Netherlands" in body
    for period in ("30", "90", "365"):
        assert client.get(f"/dashboard/supplier/analytics/?period={period}").status_code == 200
    assert client.get("/dashboard/supplier/analytics/?period=7;DROP").status_code == 200  # unknown: the default


def test_supplier_page_in_chinese_formats_numbers_and_names(trade, supplier_member):
    client = client_for(supplier_member)
    body = client.get("/dashboard/supplier/analytics/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "光纤激光器3千瓦" in body
    assert "38,035" in body  # grouped by three in Chinese too (marketplace/formats/zh_Hans)
    assert "荷兰" in body  # the buyer's country in the reader's language


def test_supplier_csv_downloads_each_table(trade, supplier_member):
    client = client_for(supplier_member)
    response = client.get("/dashboard/supplier/analytics/activity.csv?period=30")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Day,Listing views,Profile views,Inquiries")
    assert len(text.splitlines()) == 31
    assert "12345.00" in text
    assert client.get("/dashboard/supplier/analytics/listings.csv").status_code == 200
    assert client.get("/dashboard/supplier/analytics/secrets.csv").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "buyer", "operator", "outsider"])
def test_supplier_analytics_are_only_for_supplier_members(trade, who, request):
    client = Client() if who == "anonymous" else client_for(request.getfixturevalue(who))
    for path in ("/dashboard/supplier/analytics/", "/dashboard/supplier/analytics/activity.csv"):
        response = client.get(path)
        assert response.status_code == (302 if who == "anonymous" else 404), path


def test_another_supplier_sees_only_its_own(trade, other_member):
    body = client_for(other_member).get("/dashboard/supplier/analytics/").content.decode()
    assert "99,999" in body and "38,035" not in body


def test_operator_sees_its_belt_analytics(trade, operator, belt, django_assert_max_num_queries):
    client = client_for(operator)
    with django_assert_max_num_queries(6):
        page = client.get(f"/dashboard/belt/{belt.slug}/analytics/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Onboarding month by month" in body
    assert "138,034" in body  # the belt's trade: both suppliers
    assert client.get(f"/dashboard/belt/{belt.slug}/analytics/months.csv").status_code == 200
    by_month = client.get(f"/dashboard/belt/{belt.slug}/analytics/category_months.csv").content.decode("utf-8-sig")
    assert by_month.splitlines()[0] == "Month,Category,Orders,Quantity,Trade volume (CNY)"


@pytest.mark.parametrize("who", ["buyer", "supplier_member", "outsider", "other_operator"])
def test_belt_analytics_are_not_for_others(trade, belt, who, request):
    if who == "other_operator":
        user = f.BeltOperatorFactory(belt=f.BeltFactory(slug="shishi-textiles")).user
    else:
        user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(f"/dashboard/belt/{belt.slug}/analytics/").status_code == 404
    assert client.get(f"/dashboard/belt/{belt.slug}/analytics/months.csv").status_code == 404
    assert Client().get(f"/dashboard/belt/{belt.slug}/analytics/").status_code == 302


def test_staff_read_any_belts_analytics(trade, belt, staff):
    assert client_for(staff).get(f"/dashboard/belt/{belt.slug}/analytics/").status_code == 200


def test_public_statistics_show_no_onboarding_and_are_cached(trade, belt, django_assert_max_num_queries):
    client = Client()
    with django_assert_max_num_queries(5):
        page = client.get(f"/belts/{belt.slug}/statistics/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "138,034" in body
    assert "Onboarding" not in body and "Rejected" not in body and "Median days" not in body
    assert page["Cache-Control"].startswith("public")
    with django_assert_max_num_queries(1):
        again = client.get(f"/belts/{belt.slug}/statistics/")
    assert again.content == page.content
    csv_text = client.get(f"/belts/{belt.slug}/statistics/months.csv").content.decode("utf-8-sig")
    assert "Invitations" not in csv_text and "Trade volume (CNY)" in csv_text
    assert client.get("/belts/no-such-belt/statistics/").status_code == 404


def test_the_job_makes_the_cached_statistics_page_new(trade, belt, supplier):
    client = Client()
    before = client.get(f"/belts/{belt.slug}/statistics/").content
    today = datetime.date.today()
    order(supplier=supplier, buyer=buyer_company("JP"), when=at(today), total=Decimal("5000.00"))
    analytics_compute(start=today, end=today)
    after = client.get(f"/belts/{belt.slug}/statistics/").content.decode()
    assert after.encode() != before and "Japan" in after


def test_pages_link_to_the_analytics(trade, supplier_member, operator, belt):
    assert "/dashboard/supplier/analytics/" in client_for(supplier_member).get("/dashboard/supplier/").content.decode()
    assert f"/dashboard/belt/{belt.slug}/analytics/" in client_for(operator).get("/dashboard/belt/").content.decode()
    assert f"/belts/{belt.slug}/statistics/" in Client().get(f"/belts/{belt.slug}/").content.decode()


def test_query_counts_do_not_grow_with_the_trade(trade, supplier, supplier_member, operator, belt, category):
    """Twelve more listings, buyers and countries: every page asks the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    paths = [
        (supplier_member, "/dashboard/supplier/analytics/?period=90"),
        (operator, f"/dashboard/belt/{belt.slug}/analytics/"),
        (supplier_member, "/api/v1/me/analytics/"),
        (operator, f"/api/v1/belts/{belt.slug}/analytics/"),
    ]

    def counts():
        found = []
        for user, path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert client_for(user).get(path).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    today = datetime.date.today()
    for n, country in enumerate(["FR", "IT", "ES", "PL", "BR", "MX", "JP", "KR", "TH", "AE", "SA", "ZA"]):
        listing = f.ListingFactory(supplier=supplier, category=f.CategoryFactory())
        order(
            supplier=supplier,
            buyer=buyer_company(country),
            when=at(today - datetime.timedelta(days=n + 1)),
            listing=listing,
        )
    analytics_compute(start=today - datetime.timedelta(days=40), end=today)
    assert counts() == before


def _table_headers(body: str, section: str) -> list[str]:
    """The column headings of the table in the section `data-testid="chart-<section>"`."""
    part = body.split(f'data-testid="chart-{section}"', 1)[1].split("</section>", 1)[0]
    head = part.split("<thead", 1)[1].split("</thead>", 1)[0]
    return [cell.split(">", 1)[1].split("</th>", 1)[0] for cell in head.split("<th")[1:]]


def test_the_month_by_month_figures_are_shown_in_parts_each_under_its_chart(trade, operator, belt):
    """No table of the operator's page has all sixteen month columns (it scrolled sideways): each
    chart's table has the month and its own columns, every column is in exactly one of them, and
    the CSV still has them all."""
    client = client_for(operator)
    body = client.get(f"/dashboard/belt/{belt.slug}/analytics/").content.decode()
    parts = {name: _table_headers(body, name) for name in ("months-funnel", "months", "months-orders")}
    assert parts["months"] == ["Month", "Certified companies", "Public listings", "Trade volume (CNY)"]
    assert parts["months-orders"] == [
        "Month", "Orders", "Buying companies", "Inquiries answered within 24 hours", "RFQs quoted",
    ]  # fmt: skip
    assert parts["months-funnel"][:3] == ["Month", "Invitations", "Applications started"]
    assert all(len(headers) <= 9 for headers in parts.values())
    shown = [h for headers in parts.values() for h in headers[1:]]
    csv_header = client.get(f"/dashboard/belt/{belt.slug}/analytics/months.csv").content.decode("utf-8-sig")
    csv_columns = csv_header.splitlines()[0].split(",")
    assert sorted(shown) == sorted(csv_columns[1:]) and len(shown) == len(set(shown)) == 15
