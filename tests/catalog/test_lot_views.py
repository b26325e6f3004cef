"""Lot pages (catalog.lots.views): the supplier's list and form with certificates, the public lot
page with its QR code, stock by lot on the listing page; who may see what, and query budgets."""

import base64
import io
import re

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image

from catalog.models import Lot, LotCertificate
from orders.services.transitions import order_ship
from suppliers.models import Supplier
from tests import factories as f
from tests.catalog.lots import make_lot, order_to_ship, produce_listing
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

FORM = {
    "code": "AKS-2026-101",
    "site_name": "Hongqipo orchard, block 7",
    "site_address": "Hongqipo farm, Aksu, Xinjiang",
    "site_region": "CN-XJ",
    "latitude": "41.16830",
    "longitude": "80.26080",
    "produced_on": "2026-09-20",
    "packed_on": "2026-10-02",
    "best_before": "2027-10-01",
    "quantity": "5000",
    "unit": "kg",
    "grade": "Grade A",
    "inspection_results": "Moisture 18 %",
}


def qr_text(html: str) -> str:
    """Decode the QR code image of a page (its PNG data URI) with zxing-cpp."""
    match = re.search(r'src="data:image/png;base64,([^"]+)"[^>]*data-testid="lot-qr"', html)
    assert match, "no QR code on the page"
    image = Image.open(io.BytesIO(base64.b64decode(match.group(1))))
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    return results[0].text


@pytest.fixture
def produce(supplier, category):
    return produce_listing(supplier, category)


@pytest.fixture
def lot(supplier, supplier_member, produce):
    return make_lot(supplier, supplier_member, [produce])


# --- the supplier's pages --------------------------------------------------------------------------


def test_a_supplier_records_a_lot_with_a_certificate_from_the_form(supplier_member, produce):
    response = client_for(supplier_member).post(
        reverse("catalog:lot_new"),
        {**FORM, "listings": [produce.pk], "certificate-kind": "inspection", "certificate-number": "CIQ-1",
         "certificate-upload": f.pdf_upload()},
    )  # fmt: skip
    lot = Lot.objects.get(code="AKS-2026-101")
    assert response.status_code == 302 and response["Location"] == reverse("catalog:lot_edit", args=[lot.pk])
    assert (lot.remaining, lot.site_region, list(lot.listings.all())) == (5000, "CN-XJ", [produce])
    certificate = LotCertificate.objects.get(lot=lot)
    assert (certificate.kind, certificate.file_check) == ("inspection", "clean")  # FILE_CHECK_EAGER in tests


def test_a_wrong_lot_form_is_shown_again_with_the_message_beside_the_field(supplier_member, produce):
    response = client_for(supplier_member).post(
        reverse("catalog:lot_new"), {**FORM, "listings": [produce.pk], "packed_on": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "packed on or after" in response.context["form"].errors["packed_on"][0]
    assert not Lot.objects.exists()


def test_the_lot_list_and_page_stay_within_their_query_budgets(
    supplier, supplier_member, produce, django_assert_max_num_queries
):
    for n in range(6):
        lot = make_lot(supplier, supplier_member, [produce], code=f"L-{n}")
    client = client_for(supplier_member)
    client.get(reverse("catalog:lot_list"))  # warm the session and the supplier lookup
    with django_assert_max_num_queries(12):
        response = client.get(reverse("catalog:lot_list"))
    assert len(response.context["page"].object_list) == 6
    assert b"L-5" in response.content
    with django_assert_max_num_queries(14):
        response = client.get(reverse("catalog:lot_edit", args=[lot.pk]))
    assert response.status_code == 200


def test_a_supplier_edits_and_closes_a_lot(supplier_member, lot, produce):
    client = client_for(supplier_member)
    response = client.post(reverse("catalog:lot_edit", args=[lot.pk]), {**FORM, "listings": [produce.pk], "grade": "B"})
    assert response.status_code == 302
    client.post(reverse("catalog:lot_close", args=[lot.pk]))
    lot.refresh_from_db()
    assert (lot.grade, lot.status) == ("B", "closed")


def test_another_supplier_a_buyer_and_a_visitor_never_reach_a_suppliers_lot(other_member, buyer, lot, produce):
    for user in (other_member, buyer):
        client = client_for(user)
        assert client.get(reverse("catalog:lot_edit", args=[lot.pk])).status_code == 404
        assert client.post(reverse("catalog:lot_close", args=[lot.pk])).status_code == 404
        assert (
            client.post(reverse("catalog:lot_edit", args=[lot.pk]), {**FORM, "listings": [produce.pk]}).status_code
            == 404
        )
    anonymous = Client().get(reverse("catalog:lot_edit", args=[lot.pk]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    lot.refresh_from_db()
    assert lot.is_open and lot.code == "AKS-2026-001"


def test_a_lot_cannot_supply_another_suppliers_listing_through_the_form(supplier_member, other_supplier, category):
    theirs = produce_listing(other_supplier, category)
    response = client_for(supplier_member).post(reverse("catalog:lot_new"), {**FORM, "listings": [theirs.pk]})
    assert response.status_code == 400 and "listings" in response.context["form"].errors
    assert not Lot.objects.exists()


# --- the public lot page -------------------------------------------------------------------------


def test_the_public_lot_page_shows_the_lot_to_anyone_and_its_qr_code_decodes_to_the_page(
    lot, supplier_member, django_assert_max_num_queries
):
    from catalog.lots.services import lot_certificate_add

    lot_certificate_add(lot=lot, actor=supplier_member, upload=f.pdf_upload(), kind="origin", number="XJ-CO-7")
    url = reverse("catalog:lot_public", args=[lot.token])
    with django_assert_max_num_queries(6):
        response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("AKS-2026-001", "Hongqipo orchard, block 7", "2026-09-20", "Grade A", "XJ-CO-7", "41.16830"):
        assert text in html
    assert qr_text(html) == f"http://testserver{url}"
    certificate = LotCertificate.objects.get(lot=lot)
    download = Client().get(reverse("catalog:lot_certificate_download", args=[lot.token, certificate.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_a_certificate_being_checked_is_neither_shown_nor_served(lot, supplier_member, settings):
    from catalog.lots.services import lot_certificate_add

    settings.FILE_CHECK_EAGER = False
    pending = lot_certificate_add(lot=lot, actor=supplier_member, upload=f.pdf_upload(), kind="origin", number="P-1")
    response = Client().get(reverse("catalog:lot_public", args=[lot.token]))
    assert b"P-1" not in response.content
    assert Client().get(reverse("catalog:lot_certificate_download", args=[lot.token, pending.pk])).status_code == 404


def test_a_certificate_is_served_only_under_its_own_lots_token(
    lot, supplier, supplier_member, produce, other_supplier, other_member, category
):
    from catalog.lots.services import lot_certificate_add

    certificate = lot_certificate_add(lot=lot, actor=supplier_member, upload=f.pdf_upload(), kind="origin")
    other = make_lot(other_supplier, other_member, [produce_listing(other_supplier, category)])
    assert (
        Client().get(reverse("catalog:lot_certificate_download", args=[other.token, certificate.pk])).status_code == 404
    )
    assert Client().get(reverse("catalog:lot_public", args=["not-a-token"])).status_code == 404


def test_the_lot_page_shows_the_suppliers_certification_as_it_is_today(lot, supplier):
    url = reverse("catalog:lot_public", args=[lot.token])
    assert b'data-testid="certification-badge"' in Client().get(url).content
    Supplier.objects.filter(pk=supplier.pk).update(status=Supplier.Status.SUSPENDED)
    html = Client().get(url).content.decode()
    assert 'data-testid="lot-supplier-not-certified"' in html and "Certification suspended" in html
    assert 'data-testid="certification-badge"' not in html


def test_the_lot_page_in_chinese(lot):
    response = Client().get(reverse("catalog:lot_public", args=[lot.token]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and "新疆" in response.content.decode()


# --- stock by lot on the listing page ------------------------------------------------------------


def test_the_listing_page_shows_stock_by_lot_and_a_shipment_changes_it_at_once(
    supplier, supplier_member, buyer, produce, lot
):
    page = reverse("catalog:listing_detail", args=[produce.pk])
    visitor = Client()
    assert 'data-testid="lot-stock"' in (html := visitor.get(page).content.decode())
    assert "5,000 kg" in html or "5,000 kilograms" in html
    order = order_to_ship(buyer, supplier, produce, 1200)
    order_ship(
        order=order, actor=supplier_member, carrier="SF", tracking_number="SF1",
        lots=[{"line": order.lines.get().pk, "lot": lot.pk, "quantity": 1200}],
    )  # fmt: skip
    html = visitor.get(page).content.decode()  # the cached page was bumped by the shipment
    assert "3,800" in html


def test_a_listing_not_sold_by_lot_shows_no_lot_stock(supplier, category):
    from tests.orders.factories import listing_with

    listing = listing_with(supplier, category)
    assert b'data-testid="lot-stock"' not in Client().get(reverse("catalog:listing_detail", args=[listing.pk])).content
