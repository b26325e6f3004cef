"""Hand-made trade for the analytics tests: inquiries, RFQ routings and quotes, orders, each at a
chosen moment (the source rows' timestamps are set after creation, as auto_now_add would not)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from buyers.models import BuyerCompany, Inquiry
from orders.models import Order, Quote, Rfq, RfqRecipient
from tests import factories as f
from tests.orders.factories import OrderFactory

TZ = timezone.get_default_timezone()


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment of `day` in the site's time zone (Asia/Shanghai)."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def buyer_company(country: str = "NL") -> BuyerCompany:
    company = f.BuyerCompanyFactory(country=country)
    f.BuyerMemberFactory(company=company)
    return company


def inquiry(*, supplier, buyer: BuyerCompany, when: datetime.datetime, answered_after=None, listing=None) -> Inquiry:
    user = buyer.members.first().user
    return Inquiry.objects.create(
        buyer=buyer,
        supplier=supplier,
        listing=listing,
        subject="Price for 500 units",
        started_by=user,
        created_at=when,
        last_message_at=when,
        first_supplier_reply_at=(when + answered_after) if answered_after is not None else None,
    )


def order(
    *, supplier, buyer: BuyerCompany, when: datetime.datetime, total="1000.00", status=Order.Status.PLACED,
    currency="CNY", listing=None, quantity=10,
) -> Order:  # fmt: skip
    total = Decimal(total)
    line = {"title": "Fiber laser module", "quantity": quantity, "unit_price": total / quantity, "listing": listing}
    placed = OrderFactory(
        purchase__buyer=buyer,
        purchase__placed_by=buyer.members.first().user,
        supplier=supplier,
        status=status,
        currency=currency,
        subtotal=total,
        lines=[line],
    )
    Order.objects.filter(pk=placed.pk).update(created_at=when)
    placed.refresh_from_db()
    return placed


def rfq_routed(*, supplier, buyer: BuyerCompany, category, when: datetime.datetime) -> Rfq:
    user = buyer.members.first().user
    rfq = Rfq.objects.create(
        buyer=buyer, created_by=user, category=category, title="Fibre laser 3 kW", quantity=100, unit="piece",
        currency="CNY", destination_country="NL", incoterm="FOB", deadline=when.date() + datetime.timedelta(days=7),
        routed_at=when,
    )  # fmt: skip
    RfqRecipient.objects.create(rfq=rfq, supplier=supplier, routed_at=when)
    return rfq


def quote(*, rfq: Rfq, supplier, member, when: datetime.datetime, won_at: datetime.datetime | None = None) -> Quote:
    made = Quote.objects.create(
        rfq=rfq, supplier=supplier, created_by=member, unit_price=Decimal("10.00"), currency="CNY", moq=10,
        quantity=100, lead_time_days=20, incoterm="FOB", valid_until=when.date() + datetime.timedelta(days=30),
        status=Quote.Status.ACCEPTED if won_at else Quote.Status.SUBMITTED, decided_at=won_at,
        decided_by=member if won_at else None,
    )  # fmt: skip
    Quote.objects.filter(pk=made.pk).update(created_at=when)
    return made
