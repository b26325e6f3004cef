"""Suppliers' response figures: computed by the job from inquiries, orders and ratings with the
published formulas, and shown on the profile and the listing page's supplier card."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from buyers.models import Inquiry
from orders.figures import supplier_figures_compute
from orders.models import Order, Rating
from suppliers.models import SupplierFigures
from tests import factories as f
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def inquiry(supplier, *, days_ago: float, answered_after: timedelta | None, buyer=None) -> Inquiry:
    member = f.BuyerMemberFactory(company=buyer) if buyer else f.BuyerMemberFactory()
    started = NOW - timedelta(days=days_ago)
    return Inquiry.objects.create(
        buyer=member.company,
        supplier=supplier,
        subject="Price for 200 units",
        started_by=member.user,
        created_at=started,
        last_message_at=started,
        first_supplier_reply_at=started + answered_after if answered_after is not None else None,
    )


def test_inquiry_response_rate_counts_answers_within_a_day_over_the_last_90_days(supplier):
    inquiry(supplier, days_ago=10, answered_after=timedelta(hours=2))
    inquiry(supplier, days_ago=20, answered_after=timedelta(hours=4))
    inquiry(supplier, days_ago=30, answered_after=timedelta(hours=30))  # answered, but late
    inquiry(supplier, days_ago=40, answered_after=None)  # never answered
    inquiry(supplier, days_ago=0.5, answered_after=None)  # too young to count
    inquiry(supplier, days_ago=120, answered_after=None)  # outside the window

    supplier_figures_compute(now=NOW)

    figures = SupplierFigures.objects.get(supplier=supplier)
    assert figures.inquiries == 4
    assert figures.inquiry_response_rate == Decimal("0.5000")
    assert figures.inquiry_median_minutes == 4 * 60  # median of 2 h, 4 h, 30 h
    assert figures.shows_inquiries


def test_repeat_buyer_rate_and_rating(supplier):
    loyal, once = f.BuyerCompanyFactory(), f.BuyerCompanyFactory()
    for company, count in ((loyal, 2), (once, 1)):
        for _ in range(count):
            member = f.BuyerMemberFactory(company=company)
            order = OrderFactory(supplier=supplier, purchase__placed_by=member.user, status=Order.Status.COMPLETED)
    OrderFactory(supplier=supplier, status=Order.Status.CANCELLED)  # a cancelled order counts for nothing
    for stars in (5, 4):
        done = OrderFactory(supplier=supplier, status=Order.Status.COMPLETED)
        Rating.objects.create(order=done, buyer=done.buyer, supplier=supplier, stars=stars, created_by=done.placed_by)
    assert order  # the last loyal order

    supplier_figures_compute(now=NOW)

    figures = SupplierFigures.objects.get(supplier=supplier)
    assert figures.buyers == 4  # loyal, once and the two raters' companies
    assert figures.repeat_buyer_rate == Decimal("0.2500")
    assert (figures.ratings, figures.rating_average) == (2, Decimal("4.50"))


def test_a_second_run_replaces_figures_and_drops_suppliers_without_trade(supplier):
    other = f.SupplierFactory(belt=supplier.belt)
    inquiry(other, days_ago=5, answered_after=timedelta(hours=1))
    assert supplier_figures_compute(now=NOW) == 1
    Inquiry.objects.all().delete()
    inquiry(supplier, days_ago=5, answered_after=None)
    assert supplier_figures_compute(now=NOW) == 1
    assert list(SupplierFigures.objects.values_list("supplier_id", "inquiry_response_rate")) == [
        (supplier.pk, Decimal("0.0000"))
    ]


def test_profile_and_listing_page_show_the_figures_and_link_the_formulas(client, supplier, category):
    for days in (3, 4, 5):
        inquiry(supplier, days_ago=days, answered_after=timedelta(hours=3))
    listing = f.ListingFactory(supplier=supplier, category=category)
    supplier_figures_compute(now=NOW)

    for url in (reverse("suppliers:detail", args=[supplier.slug]), listing.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'data-testid="response-rate"' in html and "100 % within 24 h" in html, url
        assert "typically 3 hours" in html
        assert reverse("suppliers:help_response_figures") in html
    help_page = client.get(reverse("suppliers:help_response_figures")).content.decode()
    assert "within 24 hours" in help_page and "two or more" in help_page


def test_too_few_inquiries_show_no_rate(client, supplier):
    inquiry(supplier, days_ago=3, answered_after=timedelta(hours=1))
    supplier_figures_compute(now=NOW)
    html = client.get(reverse("suppliers:detail", args=[supplier.slug])).content.decode()
    assert 'data-testid="response-rate"' not in html
    assert 'data-testid="no-figures"' in html


# ==== the RFQ figures =============================================================================


def test_rfq_response_rate_and_median_time_to_quote(supplier, category):
    """Of the RFQs routed in the last 90 days whose deadline passed or that were quoted, the share
    quoted, and the median of quote time − routing time."""
    from orders.models import Quote, Rfq, RfqRecipient

    buyer_user = f.BuyerMemberFactory().user

    def routed(days_ago: float, *, quote_after: timedelta | None, deadline_days: int) -> None:
        rfq = Rfq.objects.create(
            buyer=buyer_user.buyer_membership.company, created_by=buyer_user, title="Cutters", category=category,
            quantity=10, unit="piece", currency="USD", destination_country="NL", incoterm="FOB",
            deadline=timezone.localdate(NOW) + timedelta(days=deadline_days),
        )  # fmt: skip
        routed_at = NOW - timedelta(days=days_ago)
        RfqRecipient.objects.create(rfq=rfq, supplier=supplier, routed_at=routed_at)
        if quote_after is not None:
            quote = Quote.objects.create(
                rfq=rfq, supplier=supplier, created_by=buyer_user, unit_price=Decimal("1"), currency="USD", moq=1,
                quantity=10, lead_time_days=5, incoterm="FOB", valid_until=timezone.localdate(NOW),
            )  # fmt: skip
            Quote.objects.filter(pk=quote.pk).update(created_at=routed_at + quote_after)

    routed(10, quote_after=timedelta(hours=1), deadline_days=-3)
    routed(5, quote_after=timedelta(hours=3), deadline_days=5)  # quoted, still open: counts
    routed(20, quote_after=timedelta(hours=10), deadline_days=-10)
    routed(30, quote_after=None, deadline_days=-20)  # deadline passed unanswered
    routed(2, quote_after=None, deadline_days=3)  # still open, not quoted yet: not counted
    routed(100, quote_after=timedelta(hours=1), deadline_days=-80)  # outside the window

    supplier_figures_compute(now=NOW)

    figures = SupplierFigures.objects.get(supplier=supplier)
    assert figures.rfqs == 4
    assert figures.rfq_response_rate == Decimal("0.7500")
    assert figures.rfq_median_minutes == 3 * 60  # median of 1 h, 3 h, 10 h
    assert figures.shows_rfqs


def test_profile_shows_the_rfq_figures_once_there_are_enough(client, supplier):
    SupplierFigures.objects.create(
        supplier=supplier, rfqs=4, rfq_response_rate=Decimal("0.75"), rfq_median_minutes=180, computed_at=NOW
    )
    html = client.get(reverse("suppliers:detail", args=[supplier.slug])).content.decode()
    assert 'data-testid="rfq-response-rate"' in html
    assert "quoted on 75 % of requests" in html and "typically 3 hours" in html


def test_resolved_disputes_and_refunds_are_counted_and_shown(buyer, supplier, supplier_member, staff, client):
    """Decided disputes of the last 365 days count; an open one does not until it is decided."""
    from orders.services.disputes import dispute_decide, dispute_open
    from tests.orders.protection_helpers import protected

    cast = {"buyer": buyer, "supplier": supplier, "supplier_member": supplier_member, "staff": staff}
    for decision, amount in (("release", None), ("partial_refund", "100"), ("refund", None)):
        order = protected(**cast)
        dispute = dispute_open(order=order, actor=buyer, reason="quality", description="x")
        dispute_decide(dispute=dispute, actor=staff, decision=decision, reason="Seen", refund_amount=amount)
    dispute_open(order=protected(**cast), actor=buyer, reason="other", description="still open")

    supplier_figures_compute()

    figures = SupplierFigures.objects.get(supplier=supplier)
    assert (figures.disputes_resolved, figures.disputes_refunded) == (3, 2)
    page = client.get(supplier.get_absolute_url()).content.decode()
    assert 'data-testid="disputes"' in page and "3 resolved in 12 months" in page
