"""RFQ services: routing to exactly the matching suppliers (idempotent), posting, quoting rules,
the normalised comparison and the award (one order per quote, group supply, idempotency)."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from orders.models import Order, OrderEvent, Purchase, Quote, Rfq, RfqRecipient
from orders.selectors.rfq import rfq_comparison
from orders.services.award import rfq_award
from orders.services.placing import IdempotencyKeyReused
from orders.services.rfq import RfqStateConflict, quote_submit, quote_withdraw, rfq_post, rfq_route
from tests import factories as f

from .factories import RFQ_TERMS as TERMS
from .factories import in_days, make_rfq, quote_for, supplier_with_member

pytestmark = pytest.mark.django_db


# --- routing ------------------------------------------------------------------------------------


@pytest.fixture
def tree(db):
    """laser equipment › laser cutters › fibre laser cutters, and an unrelated category."""
    top = f.CategoryFactory(slug="laser-equipment")
    cutters = f.CategoryFactory(slug="laser-cutters", parent=top)
    fibre = f.CategoryFactory(slug="fibre-laser-cutters", parent=cutters)
    other = f.CategoryFactory(slug="goji")
    return top, cutters, fibre, other


def _supplier(belt, level, mains=(), **fields):
    supplier, _member = supplier_with_member(belt=belt, certification_level=level, **fields)
    supplier.main_categories.set(mains)
    return supplier


def test_routing_reaches_exactly_the_matching_suppliers_and_a_second_run_changes_nothing(
    buyer, belt, tree, django_capture_on_commit_callbacks
):
    top, cutters, fibre, other = tree
    other_belt = f.BeltFactory(slug="other-belt")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    expected = {
        _supplier(belt, "certified_origin", [cutters]),  # makes the category
        _supplier(belt, "audited_factory", [top]),  # makes its parent: a higher level is fine
        f.ListingFactory(  # a public listing in a sub-category
            supplier=_supplier(belt, "certified_origin", [other]), category=fibre
        ).supplier,
    }
    _supplier(belt, "verified", [cutters])  # level too low
    _supplier(other_belt, "audited_factory", [cutters])  # another belt
    _supplier(belt, "certified_origin", [other])  # another category
    _supplier(belt, "certified_origin", [fibre])  # a main category *below* the RFQ's is not "it or its parent"
    _supplier(belt, "certified_origin", [cutters], certified_until=yesterday)  # lapsed
    uncertified = f.ApplicantSupplierFactory(belt=belt)
    uncertified.main_categories.set([cutters])
    draft_lister = _supplier(belt, "certified_origin", [other])
    f.ListingFactory(supplier=draft_lister, category=cutters, status="draft")  # not public
    rfq = make_rfq(buyer, category=cutters, belt=belt, required_level="certified_origin")

    with django_capture_on_commit_callbacks(execute=True):
        assert rfq_route(rfq_id=rfq.pk) == 3
    assert {r.supplier for r in RfqRecipient.objects.filter(rfq=rfq)} == expected
    assert all(r.notified_at for r in RfqRecipient.objects.filter(rfq=rfq))
    routed_to = sorted(address for m in mail.outbox for address in m.to)
    assert routed_to == sorted(s.members.get().user.email for s in expected)
    assert all("New request for quotation" in m.subject for m in mail.outbox)
    rfq.refresh_from_db()
    first_routed_at, rows = rfq.routed_at, list(RfqRecipient.objects.filter(rfq=rfq).values())

    with django_capture_on_commit_callbacks(execute=True):
        assert rfq_route(rfq_id=rfq.pk) == 3  # the broker delivered the job twice
    rfq.refresh_from_db()
    assert rfq.routed_at == first_routed_at
    assert list(RfqRecipient.objects.filter(rfq=rfq).values()) == rows
    assert len(mail.outbox) == 3  # nobody emailed twice


def test_routing_without_a_match_tells_the_buyer_once(buyer, category, django_capture_on_commit_callbacks):
    rfq = make_rfq(buyer, category=category, required_level="audited_factory")
    with django_capture_on_commit_callbacks(execute=True):
        assert rfq_route(rfq_id=rfq.pk) == 0
        rfq_route(rfq_id=rfq.pk)
    assert [m.to for m in mail.outbox] == [[buyer.email]]
    assert "No matching suppliers" in mail.outbox[0].subject


# --- posting ------------------------------------------------------------------------------------


def _post(user, company=None, **fields):
    values = {
        "title": "Goji berries, dried, 10 t",
        "category": f.CategoryFactory(),
        "quantity": 10,
        "unit": "tonne",
        "currency": "USD",
        "destination_country": "de",
        "incoterm": "CIF",
        "deadline": in_days(5),
        **fields,
    }
    return rfq_post(buyer=company or user.buyer_membership.company, actor=user, **values)


def test_post_saves_the_rfq_and_queues_its_routing_after_commit(buyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        rfq = _post(buyer)
    assert len(callbacks) == 1  # rfq_route_task.delay, sent only once the RFQ row is committed
    assert rfq.status == Rfq.Status.OPEN and rfq.destination_country == "DE" and rfq.routed_at is None


def test_post_refuses_a_past_deadline_and_a_missing_category_by_field(buyer):
    with pytest.raises(ValidationError) as exc:
        _post(buyer, deadline=timezone.localdate(), category=None, quantity=0)
    assert set(exc.value.message_dict) == {"deadline", "category", "quantity"}
    assert "future" in exc.value.message_dict["deadline"][0]
    assert not Rfq.objects.exists()


def test_only_members_of_the_buying_company_post(buyer, supplier_member):
    with pytest.raises(PermissionDenied):
        _post(supplier_member, company=buyer.buyer_membership.company)


# --- quotes -------------------------------------------------------------------------------------


def test_a_supplier_the_rfq_was_not_routed_to_cannot_quote(buyer, category, supplier, other_member):
    rfq = make_rfq(buyer, category=category, routed_to=[supplier])
    with pytest.raises(PermissionDenied):
        quote_for(rfq, other_member)
    assert not Quote.objects.exists()


def test_quotes_after_the_deadline_are_refused(buyer, category, supplier, supplier_member):
    rfq = make_rfq(buyer, category=category, routed_to=[supplier])
    Rfq.objects.filter(pk=rfq.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(RfqStateConflict, match="deadline"):
        quote_for(rfq, supplier_member)


def test_a_supplier_revises_its_one_quote_in_place(buyer, category, supplier, supplier_member):
    rfq = make_rfq(buyer, category=category, routed_to=[supplier])
    first = quote_for(rfq, supplier_member)
    revised, created = quote_submit(
        rfq=rfq,
        actor=supplier_member,
        unit_price="9.40",
        currency="USD",
        moq=200,
        quantity=800,
        lead_time_days=25,
        incoterm="FOB",
        valid_until=in_days(20),
    )
    assert not created and revised.pk == first.pk
    first.refresh_from_db()
    assert (first.unit_price, first.moq, first.quantity) == (Decimal("9.40"), 200, 800)
    assert Quote.objects.count() == 1


def test_quote_input_is_checked_by_field(buyer, category, supplier, supplier_member):
    rfq = make_rfq(buyer, category=category, routed_to=[supplier])
    with pytest.raises(ValidationError) as exc:
        quote_for(rfq, supplier_member, quantity=1001, unit_price="-1", valid_until=in_days(-1))
    assert set(exc.value.message_dict) == {"quantity", "unit_price", "valid_until"}
    assert "at most the 1000" in exc.value.message_dict["quantity"][0]


def test_a_withdrawn_quote_can_be_sent_again_but_a_decided_one_not(buyer, category, supplier, supplier_member):
    rfq = make_rfq(buyer, category=category, routed_to=[supplier])
    quote_for(rfq, supplier_member)
    assert quote_withdraw(rfq=rfq, actor=supplier_member).status == Quote.Status.WITHDRAWN
    assert quote_for(rfq, supplier_member).status == Quote.Status.SUBMITTED
    Quote.objects.update(status=Quote.Status.DECLINED)
    with pytest.raises(RfqStateConflict, match="already decided"):
        quote_for(rfq, supplier_member, unit_price="1.00")


# --- the comparison -----------------------------------------------------------------------------


def test_comparison_normalises_to_the_rfq_incoterm_with_freight_and_flags_the_rest(buyer, category):
    fob, exw, cif, expired = (supplier_with_member() for _ in range(4))
    rfq = make_rfq(buyer, category=category, routed_to=[s for s, _m in (fob, exw, cif, expired)], allow_split=False)
    q_fob = quote_for(rfq, fob[1], unit_price="10.00")
    q_exw = quote_for(rfq, exw[1], unit_price="9.50", incoterm="EXW", freight_total="700.00")
    q_cif = quote_for(rfq, cif[1], unit_price="9.00", incoterm="CIF")  # no freight given
    q_old = quote_for(rfq, expired[1], unit_price="9.99")
    Quote.objects.filter(pk=q_old.pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))

    rows = {row.quote.pk: row for row in rfq_comparison(rfq=rfq)}

    assert rows[q_fob.pk].comparable_unit_price == Decimal("10.0000")
    assert rows[q_fob.pk].total == Decimal("10000.00")
    assert rows[q_exw.pk].comparable_unit_price == Decimal("10.2000")  # 9.50 + 700 / 1000
    assert rows[q_exw.pk].total == Decimal("10200.00")
    assert not rows[q_cif.pk].comparable and rows[q_cif.pk].reason == "incoterm"
    assert rows[q_cif.pk].comparable_unit_price is None
    assert rows[q_cif.pk].total == Decimal("9000.00")  # at its own terms, never ranked with the others
    assert rows[q_old.pk].expired and not rows[q_old.pk].best
    assert rows[q_fob.pk].best  # the cheapest valid comparable quote (9.99 expired, 9.00 not comparable)
    assert [r.quote.pk for r in rfq_comparison(rfq=rfq)][-1] == q_cif.pk  # not comparable: last


def test_comparison_keeps_exact_decimals_and_group_supply_totals_at_the_quoted_quantity(buyer, category):
    (s1, m1), (s2, m2) = supplier_with_member(), supplier_with_member()
    rfq = make_rfq(buyer, category=category, routed_to=[s1, s2], quantity=3)
    q1 = quote_for(rfq, m1, unit_price="0.10", incoterm="EXW", freight_total="0.01", moq=1)
    rows = {row.quote.pk: row for row in rfq_comparison(rfq=rfq)}
    assert rows[q1.pk].comparable_unit_price == Decimal("0.1033")  # 0.10 + 0.01 / 3, rounded half up
    assert rows[q1.pk].total == Decimal("0.31")  # 0.30 + 0.01 exactly

    big = make_rfq(buyer, category=category, routed_to=[s2], quantity=1000)
    part = quote_for(big, m2, unit_price="2.50", quantity=400)
    (row,) = rfq_comparison(rfq=big)
    assert row.quote == part and row.basis_quantity == 400 and row.total == Decimal("1000.00")
    assert not row.covers_all


# --- the award ----------------------------------------------------------------------------------


@pytest.fixture
def three_quotes(buyer, category):
    """An RFQ of 1000 pieces FOB with quotes from three suppliers (one EXW with freight)."""
    people = [supplier_with_member() for _ in range(3)]
    rfq = make_rfq(buyer, category=category, routed_to=[s for s, _m in people])
    quotes = [
        quote_for(rfq, people[0][1], unit_price="10.00", quantity=600, moq=100),
        quote_for(rfq, people[1][1], unit_price="9.50", incoterm="EXW", freight_total="400.00", quantity=500),
        quote_for(rfq, people[2][1], unit_price="11.00"),
    ]
    return rfq, quotes


def _award(buyer, rfq, awards, key=None, **terms):
    return rfq_award(
        rfq=rfq,
        actor=buyer,
        awards=awards,
        idempotency_key=key or uuid.uuid4().hex,
        language="en",
        **{**TERMS, **terms},
    )


def test_award_makes_an_order_at_the_quote_price_declines_the_others_and_emails_after_commit(
    buyer, three_quotes, django_capture_on_commit_callbacks
):
    rfq, (q1, q2, q3) = three_quotes
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        purchase, created = _award(buyer, rfq, [(q3, 1000)])
        assert not mail.outbox  # nothing before commit
    for callback in callbacks:
        callback()

    assert created and purchase.source == Purchase.Source.RFQ
    (order,) = purchase.orders.all()
    (line,) = order.lines.all()
    assert (order.supplier, order.quote, order.incoterm) == (q3.supplier, q3, "FOB")
    assert (line.quantity, line.unit_price, order.total) == (1000, Decimal("11.00"), Decimal("11000.00"))
    note = order.events.get(kind=OrderEvent.Kind.NOTE)
    assert note.data["quote"] == q3.pk and note.data["awarded_by"] == buyer.pk and note.data["awarded_quantity"] == 1000
    statuses = {q.pk: (q.status, q.accepted_quantity, q.decided_by_id) for q in Quote.objects.all()}
    assert statuses[q3.pk] == ("accepted", 1000, buyer.pk)
    assert statuses[q1.pk] == ("declined", None, buyer.pk) and statuses[q2.pk][0] == "declined"
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.AWARDED
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    for declined in (q1, q2):
        assert "Another quote was chosen" in subjects[declined.supplier.members.get().user.email]
    accepted_mail = [m for m in mail.outbox if m.to[0] == q3.supplier.members.get().user.email]
    assert {m.subject.split(":")[0] for m in accepted_mail} >= {"Your quote was accepted"}


def test_group_supply_splits_across_two_quotes_into_two_orders_of_one_purchase(buyer, three_quotes):
    rfq, (q1, q2, _q3) = three_quotes
    purchase, _created = _award(buyer, rfq, [(q1, 600), (q2, 400)])
    orders = {o.supplier_id: o for o in purchase.orders.prefetch_related("lines")}
    assert len(orders) == 2 and Purchase.objects.count() == 1
    first, second = orders[q1.supplier_id], orders[q2.supplier_id]
    assert first.total == Decimal("6000.00")
    # EXW with freight to the RFQ's FOB: the freight is its own line, the order is under FOB.
    assert [(line.quantity, line.unit_price) for line in second.lines.all()] == [
        (400, Decimal("9.50")),
        (1, Decimal("400.00")),
    ]
    assert second.total == Decimal("4200.00") and second.incoterm == "FOB"
    assert Quote.objects.get(pk=q1.pk).accepted_quantity == 600


def test_the_new_order_email_of_an_award_with_freight_shows_the_total_with_freight(
    buyer, three_quotes, django_capture_on_commit_callbacks
):
    """The supplier's "new order" email is written from the order as committed, freight line included."""
    rfq, (_q1, q2, _q3) = three_quotes
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _award(buyer, rfq, [(q2, 500)])
    [new_order] = [
        m for m in mail.outbox if m.to[0] == q2.supplier.members.get().user.email and "New order" in m.subject
    ]
    assert "5,150.00" in new_order.body or "5150.00" in new_order.body  # 500 × 9.50 + 400.00 freight


@pytest.mark.parametrize(
    ("awards", "message"),
    [
        ([(0, 600), (1, 500)], "at most the 1000"),  # over-award
        ([(0, 50)], "MOQ of 100"),
        ([(0, 700)], "at most the 600"),  # more than quoted
        ([(0, 300), (0, 300)], "once"),
    ],
)
def test_award_quantities_are_checked_and_nothing_is_kept(buyer, three_quotes, awards, message):
    rfq, quotes = three_quotes
    with pytest.raises(ValidationError, match=message):
        _award(buyer, rfq, [(quotes[i], n) for i, n in awards])
    assert not Purchase.objects.exists() and not Order.objects.exists()
    assert set(Quote.objects.values_list("status", flat=True)) == {"submitted"}


def test_without_group_supply_only_one_quote_is_accepted(buyer, three_quotes):
    rfq, (q1, q2, _q3) = three_quotes
    Rfq.objects.filter(pk=rfq.pk).update(allow_split=False)
    with pytest.raises(ValidationError, match="accept one quote"):
        _award(buyer, rfq, [(q1, 500), (q2, 400)])


def test_same_key_twice_returns_the_same_purchase_and_another_body_is_refused(buyer, three_quotes):
    rfq, (q1, _q2, q3) = three_quotes
    first, created = _award(buyer, rfq, [(q3, 1000)], key="award-1")
    again, created_again = _award(buyer, rfq, [(q3, 1000)], key="award-1")
    assert created and not created_again and again.pk == first.pk
    assert Purchase.objects.count() == 1 and Order.objects.count() == 1
    with pytest.raises(IdempotencyKeyReused):
        _award(buyer, rfq, [(q1, 600)], key="award-1")
    with pytest.raises(RfqStateConflict, match="can no longer be awarded"):
        _award(buyer, rfq, [(q1, 600)], key="award-2")


def test_withdrawn_and_expired_quotes_cannot_be_accepted(buyer, three_quotes):
    rfq, (q1, q2, _q3) = three_quotes
    quote_withdraw(rfq=rfq, actor=q1.supplier.members.get().user)
    with pytest.raises(RfqStateConflict, match="Withdrawn"):
        _award(buyer, rfq, [(q1, 600)])
    Quote.objects.filter(pk=q2.pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(RfqStateConflict, match="expired"):
        _award(buyer, rfq, [(q2, 400)])


def test_only_the_buying_company_awards(three_quotes, supplier_member):
    rfq, (q1, _q2, _q3) = three_quotes
    stranger = f.BuyerMemberFactory().user
    for person in (stranger, supplier_member):
        with pytest.raises(PermissionDenied):
            _award(person, rfq, [(q1, 600)])
    assert not Purchase.objects.exists()
