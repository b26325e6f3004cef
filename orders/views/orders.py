"""Pages of placed orders: the buyer's list, the supplier's list, the detail page with each party's
actions, and the purchase order PDF.

Every order is found through `order_get_for_user`, so an order of another company answers 404
like a number that does not exist. Each action is a POST calling one service of
`orders.services.transitions` (the same ones the API calls); which buttons show comes from the
same table the services guard with.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import supplier_required
from accounts.http import AuthenticatedHttpRequest
from buyers.selectors.inquiries import buyer_company_for_user
from marketplace.exceptions import error_message
from suppliers.http import SupplierHttpRequest
from suppliers.selectors import supplier_for_member

from ..forms.orders import AcceptTermsForm, CancelForm, ConfirmForm, RateForm, ShipForm
from ..models import Order
from ..pdf import purchase_order_available, purchase_order_pdf
from ..selectors.orders import (
    SUPPLIER_TABS,
    order_counts_for_supplier,
    order_get_for_user,
    order_list_for_buyer,
    order_list_for_supplier,
)
from ..services.transitions import SERVICES, OrderStateConflict, actions_for
from .order_context import payment_of, progress_steps, proposal_of, tracking_link
from .protection_context import protection_context

PAGE_SIZE = 25
FORMS: dict[str, type[forms.Form]] = {
    "confirm": ConfirmForm,
    "accept_terms": AcceptTermsForm,
    "ship": ShipForm,
    "cancel": CancelForm,
    "rate": RateForm,
}
SUCCESS = {
    "confirm": gettext_lazy("Order confirmed. The buyer has been told and can download the purchase order."),
    "accept_terms": gettext_lazy(
        "You accepted the new terms: the order is confirmed at its new total. The supplier has been told."
    ),
    "mark_deposit_paid": gettext_lazy("Deposit recorded. The balance is due before shipping."),
    "mark_paid": gettext_lazy("Payment recorded. Ship the goods next."),
    "ship": gettext_lazy("Marked as shipped. The buyer has the carrier and tracking number."),
    "confirm_delivery": gettext_lazy("Delivery confirmed. Complete the order when everything is in order."),
    "complete": gettext_lazy("Order completed. You can now rate the supplier."),
    "cancel": gettext_lazy("Order cancelled. The other party has been told why."),
    "rate": gettext_lazy("Thank you for your rating."),
}
# When the step's outcome differs from its usual one.
PROPOSED_SENT = gettext_lazy(
    "Your terms were sent to the buyer. The order is confirmed once the buyer accepts the new total or lead time."
)
PAID_AFTER_SHIPPING = gettext_lazy("Payment recorded.")
TAB_LABELS = {
    "open": gettext_lazy("In progress"),
    "all": gettext_lazy("All"),
    **dict(Order.Status.choices),
}


@require_GET
@login_required
def order_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The buying company's orders, newest first, with a status filter."""
    company = buyer_company_for_user(user=request.user)
    if company is None:
        if supplier_for_member(user=request.user) is not None:
            return redirect("orders:supplier_order_list")
        raise Http404("You do not buy for a company")
    status = request.GET.get("status", "")
    if status not in Order.Status.values:
        status = ""
    page = Paginator(order_list_for_buyer(company=company, status=status or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "orders/order_list.html",
        {"company": company, "page": page, "status": status, "statuses": Order.Status.choices},
    )


@require_GET
@supplier_required
def supplier_order_list(request: SupplierHttpRequest) -> HttpResponse:
    """The supplier's orders in status tabs with counts ("open" first)."""
    supplier = request.supplier
    tab = request.GET.get("status", "open")
    if tab not in SUPPLIER_TABS:
        tab = "open"
    counts = order_counts_for_supplier(supplier=supplier)
    page = Paginator(order_list_for_supplier(supplier=supplier, tab=tab), PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [{"key": k, "label": TAB_LABELS[k], "count": counts[k], "active": k == tab} for k in SUPPLIER_TABS]
    return render(
        request, "orders/order_supplier_list.html", {"supplier": supplier, "tabs": tabs, "status": tab, "page": page}
    )


@require_GET
@login_required
def order_detail(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order = order_get_for_user(number=number, user=request.user)
    return _render_detail(request, order)


def _form(action: str, order: Order, data: Any = None) -> forms.Form:
    """The action's form, unbound or bound to `data`; the confirm form's fields follow the order."""
    kwargs: dict[str, Any] = {"auto_id": f"id_{action}_%s"}
    if action in ("confirm", "ship"):
        kwargs["order"] = order
    return FORMS[action](data, **kwargs)


def _render_detail(
    request: HttpRequest, order: Order, bound: Mapping[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    party = order.viewer_party  # type: ignore[attr-defined]
    actions = actions_for(order, party)
    bound = bound or {}
    events = list(order.events.all())
    context: dict[str, Any] = {
        "order": order,
        "party": party,
        "actions": actions,
        # The steps that move the order on (cancelling aside): none, and the page says who acts next.
        "forward_actions": [action for action in actions if action != "cancel"],
        "lines": order.lines.all(),
        "events": events,
        "rating": getattr(order, "rating", None) if order.status == Order.Status.COMPLETED else None,
        "purchase_order": purchase_order_available(order),
        "open_form": next(iter(bound), ""),
        "progress": progress_steps(order, events),
        "proposal": proposal_of(order, events),
        "tracking_url": tracking_link(order),
    }
    for action in FORMS:
        context[f"{action}_form"] = bound.get(action) or _form(action, order)
    context.update(protection_context(order, party, bound))
    context["payment"] = payment_of(order, context["protection_view"])
    return render(request, "orders/order_detail.html", context, status=status)


def _success(action: str, order: Order) -> str:
    if action == "confirm" and order.status == Order.Status.PROPOSED:
        return str(PROPOSED_SENT)
    if action == "mark_paid" and order.shipped_at is not None:
        return str(PAID_AFTER_SHIPPING)
    return str(SUCCESS[action])


def _act(request: AuthenticatedHttpRequest, number: str, action: str) -> HttpResponse:
    """Run one action's service on the order; a refused form re-renders the page as typed."""
    order = order_get_for_user(number=number, user=request.user, detail=False)
    form = _form(action, order, request.POST) if action in FORMS else None
    if request.POST.get("expected_status") not in Order.Status.values:
        return HttpResponse(_("Reload the order page and try again."), status=400, content_type="text/plain")
    try:
        if form is not None and not form.is_valid():
            raise ValidationError(form.errors.as_data())
        # The status the page showed: a step decided on an order that has moved since is refused.
        expected = request.POST.get("expected_status")
        kwargs = {**(form.cleaned_data if form is not None else {}), "expected_status": expected}
        result = SERVICES[action](order=order, actor=request.user, **kwargs)
    except ValidationError as exc:
        if form is None:
            raise
        if form.is_valid():  # the form was fine: the service refused a value
            form.add_service_errors(exc)  # type: ignore[attr-defined]
        return _render_detail(request, order_get_for_user(number=number, user=request.user), {action: form}, 400)
    except OrderStateConflict as exc:
        messages.error(request, error_message(exc))
        if action == "accept_terms":
            # The supplier revised the proposal (or withdrew it) after the page was shown: show the
            # proposal as it is now, on this page, for the buyer to look at again.
            return _render_detail(request, order_get_for_user(number=number, user=request.user), status=409)
        return redirect("orders:order_detail", number)
    except PermissionDenied as exc:
        # A page opened before the other party acted: say what happened, show the order as it is.
        messages.error(request, error_message(exc))
        return redirect("orders:order_detail", number)
    messages.success(request, _success(action, result) if isinstance(result, Order) else str(SUCCESS[action]))
    return redirect("orders:order_detail", number)


@require_POST
@login_required
def order_action(request: AuthenticatedHttpRequest, number: str, action: str) -> HttpResponse:
    """One step of an order (confirm, accept_terms, mark_deposit_paid, mark_paid, ship,
    confirm_delivery, complete, cancel, rate):
    the URL names the action (orders/urls.py makes one route per action)."""
    return _act(request, number, action)


@require_GET
@login_required
def order_purchase_order_pdf(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    """The purchase order PDF, for both parties, once the supplier has confirmed (409 before)."""
    order = order_get_for_user(number=number, user=request.user)
    if not purchase_order_available(order):
        return HttpResponse(
            _("The purchase order exists once the supplier has confirmed the order."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(purchase_order_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{order.number}.pdf"'
    return response
