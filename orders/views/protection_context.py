"""What the order page shows of payment protection, and which of its forms (beside the order's)."""

from collections.abc import Mapping
from typing import Any

from django import forms

from ..forms.protection import DisputeAnswerForm, DisputeOpenForm
from ..models import PAID_BEFORE_SHIPPING, Order, Party
from ..selectors.protection import protection_view_for_order
from ..services.disputes import dispute_window_open

PROTECTION_FORMS: dict[str, type[forms.Form]] = {"dispute_open": DisputeOpenForm, "dispute_answer": DisputeAnswerForm}


def protection_context(order: Order, party: str | None, bound: Mapping[str, forms.Form]) -> dict[str, Any]:
    """The protection's ledger, balances and disputes, and the steps the viewer may take now:
    choose protection (buyer, before payment), open a dispute (buyer, while held), answer (supplier)."""
    view = protection_view_for_order(order=order)
    steps: list[str] = []
    if view is None:
        # Offered where `protection_open` accepts it: terms paid before shipping, nothing paid yet.
        if (
            party == Party.BUYER
            and order.payment_terms in PAID_BEFORE_SHIPPING
            and order.status in (Order.Status.PLACED, Order.Status.PROPOSED, Order.Status.CONFIRMED)
            and order.total > 0
        ):
            steps.append("protection_open")
    else:
        dispute = view.current_dispute
        if party == Party.BUYER and dispute is None and dispute_window_open(view.protection, order):
            steps.append("dispute_open")
        if dispute is not None and party is not None and "answer" in dispute.allowed_actions(party):
            steps.append("dispute_answer")
    context: dict[str, Any] = {"protection_view": view, "protection_steps": steps}
    for step, form_class in PROTECTION_FORMS.items():
        context[f"{step}_form"] = bound.get(step) or form_class(auto_id=f"id_{step}_%s")
    if any(step in bound for step in PROTECTION_FORMS):
        context["open_form"] = next(step for step in bound if step in PROTECTION_FORMS)
    return context
