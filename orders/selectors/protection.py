"""Reads of an order's payment protection for its two parties (the order was found through
`order_get_for_user`, so an outsider never gets here)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from accounts.models import User

from ..models import Dispute, DisputeEvidence, LedgerEntry, Order, Protection
from ..services.protection import Balances, balances_from, protection_of
from .orders import order_queryset_for_user


@dataclass
class ProtectionView:
    """What the order page and the API show of a protection: ledger lines, balances, disputes."""

    protection: Protection
    entries: list[LedgerEntry]
    balances: Balances
    disputes: list[Dispute] = field(default_factory=list)

    @property
    def current_dispute(self) -> Dispute | None:
        return next((d for d in self.disputes if d.is_undecided), None)


def protection_view_for_order(*, order: Order) -> ProtectionView | None:
    """The order's protection with its ledger and disputes (evidence included) in two queries, or
    None when the order is not protected (reads `order.protection`, selected with the order)."""
    protection = protection_of(order)
    if protection is None:
        return None
    entries = list(LedgerEntry.objects.filter(order=order).select_related("event").order_by("created_at", "id"))
    disputes = list(
        Dispute.objects.filter(order=order)
        .order_by("-created_at", "-id")
        .prefetch_related(Prefetch("evidence", queryset=DisputeEvidence.objects.order_by("created_at", "id")))
    )
    return ProtectionView(protection=protection, entries=entries, balances=balances_from(entries), disputes=disputes)


def evidence_get_for_user(*, user: User, number: str, pk: int) -> DisputeEvidence:
    """A checked evidence file of one of the user's orders (either side); 404 for anyone else and
    for a file being checked or refused."""
    orders = order_queryset_for_user(user=user).filter(number=number)
    evidence = DisputeEvidence.objects.filter(pk=pk, dispute__order__in=orders).first()
    if evidence is None or not evidence.is_available():
        raise Http404("No such file")
    return evidence
