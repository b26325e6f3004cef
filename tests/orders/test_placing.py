"""purchase_place: rules, prices, grouping, totals, samples and their credit, idempotency, events."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import InternalError, transaction
from django.utils import timezone

from catalog.models import Listing
from marketplace.exceptions import ApplicationError
from orders.models import Order, OrderEvent, OrderLine, Purchase
from orders.services.placing import IdempotencyKeyReused
from orders.services.transitions import order_cancel, order_confirm
from tests import factories as f

from .factories import listing_with, pay, place

pytestmark = pytest.mark.django_db


def test_below_moq_is_refused_with_the_catalog_rule_message(buyer, listing):
    with pytest.raises(ApplicationError) as exc:
        place(buyer, [(listing, None, 5)])
    assert "The minimum order is 10 pieces (you entered 5). Nearest you can order: 10 pieces." in exc.value.message
    assert exc.value.extra["nearest"] == [[{"variant": None, "quantity": 10}]]
    assert not Purchase.objects.exists() and not Order.objects.exists()


def test_order_multiples_are_refused(buyer, supplier, category):
    listing = listing_with(supplier, category, order_multiple=6, moq=12, tiers=((12, "5.00"),))
    with pytest.raises(ApplicationError) as exc:
        place(buyer, [(listing, None, 14)])
    assert "Sold in multiples of 6 pieces: 14 is not one. Nearest you can order: 12 pieces or 18 pieces." in (
        exc.value.message
    )
    purchase, _ = place(buyer, [(listing, None, 18)])
    assert purchase.orders.get().total == Decimal("90.00")


def test_mixed_batch_counts_variants_together_but_per_variant_moq_does_not(buyer, supplier, category):
    variants = [{"size": "S"}, {"size": "M"}]
    mixed = listing_with(supplier, category, moq=10, variants=variants)
    small, medium = mixed.variants.all()
    purchase, _ = place(buyer, [(mixed, small, 4), (mixed, medium, 6)])
    order = purchase.orders.get()
    assert [(line.variant_label, line.quantity, line.unit_price) for line in order.lines.all()] == [
        ("S", 4, Decimal("100.00")),
        ("M", 6, Decimal("100.00")),
    ]
    per_variant = listing_with(supplier, category, moq=10, moq_mode="per_variant", variants=variants)
    small, medium = per_variant.variants.all()
    with pytest.raises(ApplicationError) as exc:
        place(buyer, [(per_variant, small, 4), (per_variant, medium, 6)])
    assert "S: the minimum is 10 pieces of this variant (you entered 4)." in exc.value.message


def test_a_listing_with_variants_needs_a_variant(buyer, supplier, category):
    listing = listing_with(supplier, category, variants=[{"size": "S"}])
    with pytest.raises(ApplicationError, match="choose a variant"):
        place(buyer, [(listing, None, 10)])


def test_tier_price_is_the_one_the_quantity_reaches(buyer, listing):
    purchase, created = place(buyer, [(listing, None, 100)])
    assert created
    line = purchase.orders.get().lines.get()
    assert (line.unit_price, line.line_total) == (Decimal("90.00"), Decimal("9000.00"))


def test_one_order_per_supplier_with_exact_totals(buyer, listing, other_listing, supplier, category):
    third = listing_with(supplier, category, tiers=((1, "0.35"),), moq=1)
    purchase, _ = place(buyer, [(listing, None, 10), (other_listing, None, 7), (third, None, 3)])
    orders = {o.supplier_id: o for o in purchase.orders.all()}
    assert set(orders) == {listing.supplier_id, other_listing.supplier_id}
    first, second = orders[listing.supplier_id], orders[other_listing.supplier_id]
    assert first.lines.count() == 2
    assert (first.subtotal, first.total) == (Decimal("1001.05"), Decimal("1001.05"))
    assert (second.subtotal, second.total) == (Decimal("87.50"), Decimal("87.50"))
    assert first.number != second.number and first.number.startswith(f"PO-{timezone.localdate().year}-")
    assert first.buyer == buyer.buyer_membership.company and first.placed_by == buyer
    assert (first.incoterm, first.incoterm_place, first.ship_to_country) == ("FOB", "Wuhan", "NL")


def test_lines_of_one_supplier_in_two_currencies_become_two_orders(buyer, listing, supplier, category):
    dollars = listing_with(supplier, category, currency="USD", tiers=((1, "3.00"),), moq=1)
    purchase, _ = place(buyer, [(listing, None, 10), (dollars, None, 2)])
    assert sorted((o.currency, o.total) for o in purchase.orders.all()) == [
        ("CNY", Decimal("1000.00")),
        ("USD", Decimal("6.00")),
    ]


def test_only_public_listings_of_currently_certified_suppliers_can_be_ordered(buyer, listing, supplier):
    Listing.objects.filter(pk=listing.pk).update(status="draft")
    with pytest.raises(ApplicationError, match="not on sale"):
        place(buyer, [(listing, None, 10)])
    Listing.objects.filter(pk=listing.pk).update(status="published")
    place(buyer, [(listing, None, 10)])
    supplier.certified_until = timezone.localdate() - datetime.timedelta(days=1)
    supplier.save(update_fields=["certified_until"])
    with pytest.raises(ApplicationError, match="not on sale"):
        place(buyer, [(listing, None, 10)])


def test_placed_event_per_order_and_supplier_told_after_commit(
    buyer, listing, other_listing, supplier_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        purchase, _ = place(buyer, [(listing, None, 10), (other_listing, None, 5)])
    for order in purchase.orders.all():
        assert list(order.events.values_list("kind", "party", "actor")) == [("placed", "buyer", buyer.pk)]
    sent = [m for m in mail.outbox if supplier_member.email in m.to]
    number = purchase.orders.get(supplier=listing.supplier).number
    assert len(sent) == 1 and number in sent[0].subject and "1000.00" in sent[0].body


def test_order_events_cannot_be_changed_or_deleted(buyer, listing):
    purchase, _ = place(buyer, [(listing, None, 10)])
    event = OrderEvent.objects.get(order__purchase=purchase)
    with pytest.raises(InternalError), transaction.atomic():
        OrderEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(InternalError), transaction.atomic():
        OrderEvent.objects.filter(pk=event.pk).delete()


# --- samples --------------------------------------------------------------------------------------


@pytest.fixture
def sampled(supplier, category):
    return listing_with(
        supplier, category, sample_available=True, sample_price=Decimal("35.50"), sample_fee_credited=True
    )


def test_sample_order_is_one_unit_at_the_sample_price(buyer, sampled):
    purchase, _ = place(buyer, [(sampled, None, 1)], kind="sample")
    order = purchase.orders.get()
    assert order.kind == "sample" and order.total == Decimal("35.50")
    assert list(order.lines.values_list("quantity", "unit_price")) == [(1, Decimal("35.50"))]
    with pytest.raises(ApplicationError, match="one sample per listing"):
        place(buyer, [(sampled, None, 3)], kind="sample")


def test_listing_without_samples_refuses_a_sample_order(buyer, listing):
    with pytest.raises(ApplicationError, match="no samples"):
        place(buyer, [(listing, None, 1)], kind="sample")


def test_sample_fee_is_credited_once_on_the_next_bulk_order(buyer, sampled, supplier_member):
    sample_purchase = pay(place(buyer, [(sampled, None, 1)], kind="sample")[0], supplier_member)
    first, _ = place(buyer, [(sampled, None, 10)])
    order = first.orders.get()
    assert (order.subtotal, order.sample_credit, order.total) == (
        Decimal("1000.00"),
        Decimal("35.50"),
        Decimal("964.50"),
    )
    sample_line = OrderLine.objects.get(order__purchase=sample_purchase)
    assert sample_line.credited_to == order.lines.get() and sample_line.credit_amount == Decimal("35.50")
    second, _ = place(buyer, [(sampled, None, 10)])
    assert second.orders.get().sample_credit == Decimal("0.00")


def test_only_a_paid_sample_of_the_same_company_and_listing_gives_a_credit(buyer, sampled, supplier_member):
    other_buyer = f.BuyerMemberFactory().user
    pay(place(other_buyer, [(sampled, None, 1)], kind="sample")[0], supplier_member)
    unpaid, _ = place(buyer, [(sampled, None, 1)], kind="sample")
    assert place(buyer, [(sampled, None, 10)])[0].orders.get().sample_credit == 0  # another's paid, ours unpaid
    order_cancel(order=unpaid.orders.get(), actor=buyer, reason="Changed our mind")
    refunded = pay(place(buyer, [(sampled, None, 1)], kind="sample")[0], supplier_member)
    order_cancel(order=refunded.orders.get(), actor=supplier_member, reason="Refunded")
    assert place(buyer, [(sampled, None, 10)])[0].orders.get().sample_credit == 0  # cancelled after payment
    Listing.objects.filter(pk=sampled.pk).update(sample_fee_credited=False)
    pay(place(buyer, [(sampled, None, 1)], kind="sample")[0], supplier_member)
    assert place(buyer, [(sampled, None, 10)])[0].orders.get().sample_credit == 0  # the listing gives none


def test_a_sample_cancelled_before_the_bulk_order_is_confirmed_takes_its_credit_back(buyer, sampled, supplier_member):
    sample = pay(place(buyer, [(sampled, None, 1)], kind="sample")[0], supplier_member).orders.get()
    bulk = place(buyer, [(sampled, None, 10)])[0].orders.get()
    assert bulk.sample_credit == Decimal("35.50")

    order_cancel(order=sample, actor=supplier_member, reason="Refunded: the sample was lost in transit")

    bulk.refresh_from_db()
    assert (bulk.sample_credit, bulk.total) == (Decimal("0.00"), Decimal("1000.00"))
    assert not OrderLine.objects.filter(order=sample, credited_to__isnull=False).exists()
    event = bulk.events.get(kind=OrderEvent.Kind.NOTE)
    assert event.data == {"sample_credit_withdrawn": "35.50", "sample_order": sample.number}
    assert sample.number in event.note


def test_a_bulk_order_already_confirmed_keeps_its_sample_credit(buyer, sampled, supplier_member):
    sample = pay(place(buyer, [(sampled, None, 1)], kind="sample")[0], supplier_member).orders.get()
    bulk = place(buyer, [(sampled, None, 10)])[0].orders.get()
    order_confirm(order=bulk, actor=supplier_member)

    order_cancel(order=sample, actor=supplier_member, reason="Refunded")

    bulk.refresh_from_db()
    assert (bulk.sample_credit, bulk.total) == (Decimal("35.50"), Decimal("964.50"))


# --- idempotency ---------------------------------------------------------------------------------


def test_same_key_same_body_returns_the_same_purchase(buyer, listing):
    first, created = place(buyer, [(listing, None, 10)], key="k-1")
    again, created_again = place(buyer, [(listing, None, 10)], key="k-1")
    assert (created, created_again) == (True, False)
    assert again == first and Order.objects.count() == 1


def test_same_key_other_body_is_refused(buyer, listing):
    place(buyer, [(listing, None, 10)], key="k-1")
    with pytest.raises(IdempotencyKeyReused):
        place(buyer, [(listing, None, 20)], key="k-1")
    assert Order.objects.count() == 1


def test_a_refused_purchase_leaves_nothing_and_its_key_can_be_used_again(buyer, listing):
    with pytest.raises(ApplicationError):
        place(buyer, [(listing, None, 3)], key="k-1")
    assert not Purchase.objects.exists()
    _purchase, created = place(buyer, [(listing, None, 10)], key="k-1")
    assert created


def test_keys_are_per_user(buyer, listing):
    other = f.BuyerMemberFactory().user
    place(buyer, [(listing, None, 10)], key="shared")
    purchase, created = place(other, [(listing, None, 20)], key="shared")
    assert created and purchase.placed_by == other


def test_an_order_larger_than_its_totals_can_hold_is_refused_with_a_message_and_nothing_is_written(
    buyer, supplier, category
):
    """A huge quantity at a high price once failed with a database error (numeric overflow)."""
    costly = listing_with(supplier, category, tiers=((1, "99999.99"),))
    with pytest.raises(ApplicationError, match="the most one order can hold"):
        place(buyer, [(costly, None, 999_999_999)])
    assert not Order.objects.exists()
