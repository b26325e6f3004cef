"""The order in the admin: staff read its payment terms, deposit, charges, billing address and
deposit date beside its other fields, all read-only (orders change through their services only)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.admin import OrderAdmin
from orders.models import Order
from tests.conftest import client_for

from .factories import order_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(buyer, supplier):
    return order_at(
        "deposit_paid", buyer=buyer, supplier=supplier, incoterm="CIF", payment_terms="deposit", deposit_percent=30,
        billing_address="Damrak 1\n1012 LG Amsterdam", freight=Decimal("200.00"), insurance=Decimal("12.50"),
        total=Decimal("1212.50"),
    )  # fmt: skip


def test_staff_read_the_order_terms_read_only(order, staff):
    response = client_for(staff).get(reverse("admin:orders_order_change", args=[order.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Payment terms", "Deposit (%)", "Freight", "Insurance", "Billing address", "Deposit paid"):
        assert f"<label>{label}:</label>" in html, label
    assert "Deposit, balance before shipping" in html and "Damrak 1" in html
    assert "200.00" in html and "12.50" in html
    for name in ("payment_terms", "deposit_percent", "freight", "insurance", "billing_address", "deposit_paid_at"):
        assert f'name="{name}"' not in html, name  # shown, not editable


def test_every_order_field_is_shown_somewhere_and_read_only(rf, staff):
    model_admin = OrderAdmin(Order, None)
    request = rf.get("/")
    request.user = staff
    shown = [name for _title, options in model_admin.get_fieldsets(request) for name in options["fields"]]
    expected = [field.name for field in Order._meta.fields if not field.primary_key]
    assert sorted(shown) == sorted(expected)
    assert set(shown) <= set(model_admin.get_readonly_fields(request))


def test_a_post_to_the_change_page_changes_nothing(order, staff):
    client = client_for(staff)
    client.post(
        reverse("admin:orders_order_change", args=[order.pk]),
        {"payment_terms": "prepaid", "deposit_percent": "", "freight": "0", "billing_address": "Elsewhere"},
    )
    order.refresh_from_db()
    assert (order.payment_terms, order.deposit_percent, order.freight, order.billing_address) == (
        "deposit", 30, Decimal("200.00"), "Damrak 1\n1012 LG Amsterdam",
    )  # fmt: skip


def test_the_list_filters_by_payment_terms(order, buyer, supplier, staff):
    prepaid = order_at("placed", buyer=buyer, supplier=supplier)
    page = client_for(staff).get(reverse("admin:orders_order_changelist"), {"payment_terms": "deposit"})
    html = page.content.decode()
    assert order.number in html and prepaid.number not in html


def test_people_who_are_not_staff_do_not_reach_it(order, buyer, supplier_member):
    for person in (buyer, supplier_member):
        response = client_for(person).get(reverse("admin:orders_order_change", args=[order.pk]))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
