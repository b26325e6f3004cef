"""Lots (catalog.lots.services): create, update, close, certificates checked in the worker, and
shipping from lots through `order_ship`: every guard, the remaining quantity and the events."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from catalog.lots.selectors import listing_lot_stock, lot_get_public
from catalog.lots.services import (
    lot_certificate_add,
    lot_close,
    lot_update,
)
from catalog.models import Listing, Lot, LotCertificate, LotEvent
from orders.models import OrderEvent, OrderLineLot
from orders.services.transitions import order_ship
from tests import factories as f
from tests.catalog.lots import make_lot, order_to_ship, produce_listing

pytestmark = pytest.mark.django_db

SHIP = {"carrier": "SF Express", "tracking_number": "SF1234567890"}


@pytest.fixture
def produce(supplier, category):
    return produce_listing(supplier, category)


def test_a_new_lot_keeps_its_whole_quantity_and_records_who_made_it(supplier, supplier_member, produce):
    lot = make_lot(supplier, supplier_member, [produce])
    assert (lot.quantity, lot.remaining, lot.status) == (5000, 5000, "open")
    assert list(lot.listings.all()) == [produce]
    assert len(lot.token) >= 20 and lot.token not in lot.code
    event = LotEvent.objects.get(lot=lot)
    assert (event.kind, event.actor, event.data["quantity"]) == ("created", supplier_member, 5000)


def test_a_lot_code_is_unique_per_supplier_but_two_suppliers_may_share_one(
    supplier, supplier_member, other_supplier, other_member, produce, category
):
    make_lot(supplier, supplier_member, [produce])
    with pytest.raises(ValidationError) as refused:
        make_lot(supplier, supplier_member, [produce])
    assert "code" in refused.value.message_dict
    theirs = produce_listing(other_supplier, category)
    assert make_lot(other_supplier, other_member, [theirs]).code == "AKS-2026-001"


def test_a_lot_refuses_another_suppliers_listing_and_a_listing_in_another_unit(
    supplier, supplier_member, other_supplier, category, produce
):
    theirs = produce_listing(other_supplier, category)
    with pytest.raises(ValidationError) as refused:
        make_lot(supplier, supplier_member, [theirs])
    assert "listings" in refused.value.message_dict
    by_carton = produce_listing(supplier, category, sku="CARTON")
    Listing.objects.filter(pk=by_carton.pk).update(unit=Listing.Unit.CARTON)
    by_carton.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        make_lot(supplier, supplier_member, [produce, by_carton])
    assert "listings" in refused.value.message_dict
    assert not Lot.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("packed_on", "2026-09-01"),
        ("best_before", "2026-01-01"),
        ("latitude", "95"),
        ("quantity", 0),
        ("site_region", "XX"),
        ("code", ""),
    ],
)
def test_a_lot_with_a_wrong_value_is_refused_under_that_field(supplier, supplier_member, produce, field, value):
    import datetime
    from decimal import Decimal

    typed = {"packed_on": datetime.date.fromisoformat, "best_before": datetime.date.fromisoformat, "latitude": Decimal}
    with pytest.raises(ValidationError) as refused:
        make_lot(supplier, supplier_member, [produce], **{field: typed.get(field, lambda v: v)(value)})
    assert field in refused.value.message_dict


def test_an_update_keeps_what_has_shipped_and_refuses_a_quantity_below_it(supplier, supplier_member, buyer, produce):
    lot = make_lot(supplier, supplier_member, [produce], quantity=1000)
    order = order_to_ship(buyer, supplier, produce, 400)
    order_ship(
        order=order,
        actor=supplier_member,
        **SHIP,
        lots=[{"line": order.lines.get().pk, "lot": lot.pk, "quantity": 400}],
    )
    lot = lot_update(lot=lot, actor=supplier_member, data={"quantity": 1200, "grade": "Grade B"})
    assert (lot.quantity, lot.remaining, lot.grade) == (1200, 800, "Grade B")
    with pytest.raises(ValidationError) as refused:
        lot_update(lot=lot, actor=supplier_member, data={"quantity": 399})
    assert "quantity" in refused.value.message_dict
    assert LotEvent.objects.filter(lot=lot, kind="updated").get().data["fields"] == ["grade", "quantity"]


def test_a_lot_cannot_be_written_beyond_its_fields(supplier, supplier_member, produce):
    lot = make_lot(supplier, supplier_member, [produce])
    with pytest.raises(ValidationError) as refused:
        lot_update(lot=lot, actor=supplier_member, data={"remaining": 99999})
    assert "remaining" in refused.value.message_dict


def test_closing_a_lot_takes_it_out_of_stock_once_and_it_can_no_longer_be_edited(supplier, supplier_member, produce):
    first = make_lot(supplier, supplier_member, [produce], quantity=300)
    make_lot(supplier, supplier_member, [produce], code="AKS-2026-002", quantity=200)
    assert listing_lot_stock(listing=produce) == 500
    lot_close(lot=first, actor=supplier_member)
    lot_close(lot=first, actor=supplier_member)
    assert listing_lot_stock(listing=produce) == 200
    assert LotEvent.objects.filter(lot=first, kind="closed").count() == 1
    with pytest.raises(ValidationError):
        lot_update(lot=first, actor=supplier_member, data={"grade": "C"})


def test_stock_by_lot_is_none_for_a_listing_not_sold_by_lot(supplier, category):
    from tests.orders.factories import listing_with

    assert listing_lot_stock(listing=listing_with(supplier, category)) is None


def test_a_certificate_is_shown_only_once_its_check_passed(supplier, supplier_member, produce, settings):
    lot = make_lot(supplier, supplier_member, [produce])
    settings.FILE_CHECK_EAGER = False
    certificate = lot_certificate_add(
        lot=lot, actor=supplier_member, upload=f.pdf_upload(), kind="inspection", number="XJ-CIQ-1"
    )
    assert certificate.file_check == "pending" and not certificate.file
    assert lot_get_public(token=lot.token).clean_certificates == []
    from marketplace.filecheck.services import file_check

    assert file_check(kind="catalog.lot_certificate", pk=certificate.pk) == "clean"
    certificate.refresh_from_db()
    assert certificate.file and certificate.size and certificate.content_type == "application/pdf"
    assert [c.pk for c in lot_get_public(token=lot.token).clean_certificates] == [certificate.pk]
    assert LotEvent.objects.filter(lot=lot, kind="certificate").exists()


def test_a_certificate_that_is_not_a_document_is_refused_at_once(supplier, supplier_member, produce):
    from django.core.files.uploadedfile import SimpleUploadedFile

    lot = make_lot(supplier, supplier_member, [produce])
    with pytest.raises(ValidationError) as refused:
        lot_certificate_add(
            lot=lot, actor=supplier_member, upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 10), kind="origin"
        )
    assert "file" in refused.value.message_dict
    assert not LotCertificate.objects.exists()


# --- shipping from lots (orders.services.transitions.order_ship) ---------------------------------


def test_shipping_names_the_lots_and_draws_them_down_in_the_same_step(supplier, supplier_member, buyer, produce):
    a = make_lot(supplier, supplier_member, [produce], quantity=300)
    b = make_lot(supplier, supplier_member, [produce], code="AKS-2026-002", quantity=500)
    order = order_to_ship(buyer, supplier, produce, 450)
    line = order.lines.get()
    order_ship(
        order=order,
        actor=supplier_member,
        **SHIP,
        lots=[{"line": line.pk, "lot": a.pk, "quantity": 300}, {"line": line.pk, "lot": b.pk, "quantity": 150}],
    )
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.remaining, b.remaining) == (0, 350)
    assert sorted(OrderLineLot.objects.filter(line=line).values_list("lot__code", "quantity")) == [
        ("AKS-2026-001", 300),
        ("AKS-2026-002", 150),
    ]
    shipped = OrderEvent.objects.get(order=order, kind="shipped")
    assert [d["lot"] for d in shipped.data["lots"]] == ["AKS-2026-001", "AKS-2026-002"]
    assert LotEvent.objects.get(lot=b, kind="shipped").data == {"order": order.number, "quantity": 150}


@pytest.mark.parametrize(
    "case",
    [
        "no_lots",
        "short",
        "too_many",
        "other_suppliers_lot",
        "lot_of_another_listing",
        "closed",
        "overdrawn",
        "not_tracked",
    ],
)
def test_a_shipment_with_wrong_lots_is_refused_and_nothing_moves(
    case, supplier, supplier_member, other_supplier, other_member, buyer, produce, category
):
    lot = make_lot(supplier, supplier_member, [produce], quantity=300)
    order = order_to_ship(buyer, supplier, produce, 200)
    line = order.lines.get()
    lots = [{"line": line.pk, "lot": lot.pk, "quantity": 200}]
    if case == "no_lots":
        lots = []
    elif case == "short":
        lots[0]["quantity"] = 150
    elif case == "too_many":
        lots[0]["quantity"] = 250
    elif case == "other_suppliers_lot":
        theirs = make_lot(other_supplier, other_member, [produce_listing(other_supplier, category)])
        lots[0]["lot"] = theirs.pk
    elif case == "lot_of_another_listing":
        other = produce_listing(supplier, category, sku="OTHER")
        lots[0]["lot"] = make_lot(supplier, supplier_member, [other], code="OTHER-1").pk
    elif case == "closed":
        lot_close(lot=lot, actor=supplier_member)
    elif case == "overdrawn":
        lot_update(lot=lot, actor=supplier_member, data={"quantity": 150})
    elif case == "not_tracked":
        Listing.objects.filter(pk=produce.pk).update(sold_by_lot=False)
    with pytest.raises(ValidationError) as refused:
        order_ship(order=order, actor=supplier_member, **SHIP, lots=lots)
    assert "lots" in refused.value.message_dict
    order.refresh_from_db()
    assert order.status == "paid"
    assert not OrderLineLot.objects.exists()
    assert not LotEvent.objects.filter(kind="shipped").exists()


def test_a_buyer_cannot_ship_and_draws_nothing(supplier, supplier_member, buyer, produce):
    from django.core.exceptions import PermissionDenied

    lot = make_lot(supplier, supplier_member, [produce], quantity=300)
    order = order_to_ship(buyer, supplier, produce, 200)
    with pytest.raises(PermissionDenied):
        order_ship(
            order=order, actor=buyer, **SHIP, lots=[{"line": order.lines.get().pk, "lot": lot.pk, "quantity": 200}]
        )
    lot.refresh_from_db()
    assert lot.remaining == 300


def test_a_lot_never_goes_below_zero_even_written_around_the_service(supplier, supplier_member, produce):
    lot = make_lot(supplier, supplier_member, [produce], quantity=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Lot.objects.filter(pk=lot.pk).update(remaining=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Lot.objects.filter(pk=lot.pk).update(remaining=11)


def test_lot_events_cannot_be_edited(supplier, supplier_member, produce):
    from django.db import DatabaseError

    make_lot(supplier, supplier_member, [produce])
    with pytest.raises(DatabaseError), transaction.atomic():
        LotEvent.objects.update(data={})


@pytest.mark.django_db(transaction=True)
def test_two_shipments_racing_for_one_lot_cannot_overdraw_it(belt, category):
    """Two orders of 200 ship at once from a lot of 300: one succeeds, the other is refused."""
    supplier = f.SupplierFactory(belt=belt)
    member = f.SupplierMemberFactory(supplier=supplier).user
    buyer = f.BuyerMemberFactory().user
    produce = produce_listing(supplier, category)
    lot = make_lot(supplier, member, [produce], quantity=300)
    orders = [order_to_ship(buyer, supplier, produce, 200) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def ship(order):
        try:
            barrier.wait(timeout=10)
            order_ship(
                order=order, actor=member, **SHIP, lots=[{"line": order.lines.get().pk, "lot": lot.pk, "quantity": 200}]
            )
            outcomes.append("shipped")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=ship, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    lot.refresh_from_db()
    assert sorted(outcomes) == ["refused", "shipped"]
    assert lot.remaining == 100
    assert OrderLineLot.objects.count() == 1
