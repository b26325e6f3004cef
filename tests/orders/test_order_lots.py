"""Shipping an order of a listing sold by lot names the lots (catalog.lots): from the order page
and the API, shown on the order page, the API and the purchase order; the wrong people are refused
and nothing is drawn; the pages stay within their query budgets."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from catalog.models import Lot
from orders.models import OrderLineLot
from tests.catalog.lots import make_lot, order_to_ship, produce_listing
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def produce(supplier, category):
    return produce_listing(supplier, category)


@pytest.fixture
def lots(supplier, supplier_member, produce):
    return (
        make_lot(supplier, supplier_member, [produce], quantity=300),
        make_lot(supplier, supplier_member, [produce], code="AKS-2026-002", quantity=500),
    )


@pytest.fixture
def order(buyer, supplier, produce):
    return order_to_ship(buyer, supplier, produce, 450)


def test_the_supplier_ships_from_two_lots_on_the_order_page_and_both_parties_see_them(
    order, lots, supplier_member, buyer, django_assert_max_num_queries
):
    line = order.lines.get()
    supplier = client_for(supplier_member)
    page = supplier.get(reverse("orders:order_detail", args=[order.number])).content.decode()
    assert 'data-testid="ship-lots"' in page and "AKS-2026-002" in page
    response = supplier.post(
        reverse("orders:order_ship", args=[order.number]),
        {
            "expected_status": "paid", "carrier": "SF Express", "tracking_number": "SF1",
            f"lot_{line.pk}_0": lots[0].pk, f"lot_quantity_{line.pk}_0": 300,
            f"lot_{line.pk}_1": lots[1].pk, f"lot_quantity_{line.pk}_1": 150,
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert sorted(OrderLineLot.objects.values_list("lot__code", "quantity")) == [
        ("AKS-2026-001", 300),
        ("AKS-2026-002", 150),
    ]
    client = client_for(buyer)
    client.get(reverse("orders:order_detail", args=[order.number]))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("orders:order_detail", args=[order.number])).content.decode()
    assert page.count('data-testid="line-lot"') == 2
    assert reverse("catalog:lot_public", args=[lots[0].token]) in page


def test_a_shipment_without_its_lots_is_refused_on_the_page_with_the_reason(order, lots, supplier_member):
    response = client_for(supplier_member).post(
        reverse("orders:order_ship", args=[order.number]),
        {"expected_status": "paid", "carrier": "SF Express", "tracking_number": "SF1"},
    )
    assert response.status_code == 400
    assert "Name the lots" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "paid" and Lot.objects.get(pk=lots[0].pk).remaining == 300


def test_the_api_ships_from_lots_and_shows_them_on_the_order(order, lots, supplier_member, buyer):
    line = order.lines.get()
    response = api(supplier_member).post(
        reverse("api:order-ship", args=[order.number]),
        {
            "carrier": "SF Express", "tracking_number": "SF1",
            "lots": [{"line": line.pk, "lot": lots[1].pk, "quantity": 450}],
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    (item,) = response.json()["lines"]
    assert item["id"] == line.pk and item["sold_by_lot"] is True
    assert item["lots"] == [
        {
            "lot": lots[1].pk,
            "code": "AKS-2026-002",
            "quantity": 450,
            "url": f"http://testserver{reverse('catalog:lot_public', args=[lots[1].token])}",
        }
    ]
    assert api(buyer).get(reverse("api:order-detail", args=[order.number])).json()["lines"][0]["lots"] == item["lots"]
    assert Lot.objects.get(pk=lots[1].pk).remaining == 50


def test_the_api_refuses_an_overdrawn_lot_with_400_and_draws_nothing(order, lots, supplier_member):
    line = order.lines.get()
    response = api(supplier_member).post(
        reverse("api:order-ship", args=[order.number]),
        {"carrier": "SF", "tracking_number": "SF1", "lots": [{"line": line.pk, "lot": lots[0].pk, "quantity": 450}]},
        format="json",
    )
    assert response.status_code == 400 and "lots" in response.json()
    assert Lot.objects.get(pk=lots[0].pk).remaining == 300


def test_the_buyer_another_supplier_and_a_stranger_cannot_ship_from_the_lots(
    order, lots, buyer, other_member, outsider
):
    body = {
        "carrier": "SF",
        "tracking_number": "SF1",
        "lots": [{"line": order.lines.get().pk, "lot": lots[0].pk, "quantity": 450}],
    }
    assert api(buyer).post(reverse("api:order-ship", args=[order.number]), body, format="json").status_code == 403
    for user in (other_member, outsider):
        assert api(user).post(reverse("api:order-ship", args=[order.number]), body, format="json").status_code == 404
    assert APIClient().post(reverse("api:order-ship", args=[order.number]), body, format="json").status_code in (
        401,
        403,
    )
    assert not OrderLineLot.objects.exists()


def test_another_suppliers_lot_cannot_be_shipped_on_this_order(
    order, supplier_member, other_supplier, other_member, category
):
    theirs = make_lot(other_supplier, other_member, [produce_listing(other_supplier, category)], quantity=900)
    response = api(supplier_member).post(
        reverse("api:order-ship", args=[order.number]),
        {
            "carrier": "SF",
            "tracking_number": "SF1",
            "lots": [{"line": order.lines.get().pk, "lot": theirs.pk, "quantity": 450}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert Lot.objects.get(pk=theirs.pk).remaining == 900


def test_the_purchase_order_names_the_lots_shipped(order, lots, supplier_member, buyer):
    from orders.services.transitions import order_ship

    order_ship(
        order=order, actor=supplier_member, carrier="SF", tracking_number="SF1",
        lots=[{"line": order.lines.get().pk, "lot": lots[1].pk, "quantity": 450}],
    )  # fmt: skip
    response = client_for(buyer).get(reverse("orders:order_pdf", args=[order.number]))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "AKS-2026-002" in text
