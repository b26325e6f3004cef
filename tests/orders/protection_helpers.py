"""Builders of the payment protection tests: protected orders at any point of their money's life."""

from decimal import Decimal

from orders.models import LedgerEntry, Order
from orders.services.protection import ledger_balances, protection_open, protection_payment_record
from orders.services.transitions import order_confirm, order_ship

from .factories import order_at


def protected(*, buyer, supplier, supplier_member, staff, stage="held", total="1000.00"):
    """A protected order of `buyer` from `supplier` (1 line of `total`), at `stage`: "awaiting"
    (confirmed, nothing paid), "held" (paid in full, order paid) or "shipped" (and shipped)."""
    order = order_at("placed", buyer=buyer, supplier=supplier, subtotal=Decimal(total))
    protection_open(order=order, actor=buyer)
    order_confirm(order=order, actor=supplier_member)
    if stage == "awaiting":
        return Order.objects.get(pk=order.pk)
    protection_payment_record(order=order, actor=staff, amount=total, reference="BANK-1")
    if stage == "shipped":
        order_ship(order=order, actor=supplier_member, carrier="COSCO", tracking_number="COSU6123456780")
    return Order.objects.get(pk=order.pk)


def assert_ledger_balances(order) -> None:
    """Debits equal credits; escrow never negative; released + refunded within what was paid."""
    entries = list(LedgerEntry.objects.filter(order=order))
    assert sum(e.debit for e in entries) == sum(e.credit for e in entries)
    assert all(e.currency == order.currency for e in entries)
    balances = ledger_balances(order=order)
    assert balances.held >= 0
    assert balances.released + balances.refunded <= balances.paid
    assert balances.paid == balances.held + balances.released + balances.refunded
