"""Pages of requests for quotation. Thin: parse → selector or service → respond.

Buyers: their company's RFQs, the form to post one, and one RFQ with its quotes compared side by
side and the award form. Suppliers: the RFQs routed to them ("opportunities") and one of them
with their own quote form. Everyone else — another buyer, a supplier the RFQ was not routed to,
a signed-in person of neither side — gets 404, as for an id that does not exist.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import buyer_required, supplier_required
from accounts.http import AuthenticatedHttpRequest
from buyers.http import BuyerHttpRequest
from marketplace.exceptions import ApplicationError, error_message
from marketplace.storage import private_file_response
from suppliers.http import SupplierHttpRequest

from ..forms.rfq import AwardForm, QuoteForm, RfqCancelForm, RfqForm
from ..models import Rfq, RfqAttachment
from ..selectors.rfq import (
    opportunity_get_for_supplier,
    opportunity_list_for_supplier,
    quote_of_supplier,
    rfq_attachment_get_for_user,
    rfq_attachment_list,
    rfq_comparison,
    rfq_event_list_for_buyer,
    rfq_event_list_for_supplier,
    rfq_get_for_buyer,
    rfq_list_for_buyer,
    rfq_orders,
)
from ..services.award import rfq_award
from ..services.placing import IdempotencyKeyReused
from ..services.quote_terms import QuoteTermsUnconfirmed, TermsGap
from ..services.rfq import quote_submit, quote_withdraw, rfq_cancel, rfq_mark_seen, rfq_post

PAGE_SIZE = 25


# --- buyers -------------------------------------------------------------------------------------


@require_GET
@buyer_required
def rfq_list(request: BuyerHttpRequest) -> HttpResponse:
    """The buying company's RFQs, newest first, with how many suppliers each reached and quoted."""
    company = request.buyer_company
    page = Paginator(rfq_list_for_buyer(company=company), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orders/rfq_list.html", {"company": company, "page": page})


@require_http_methods(["GET", "POST"])
@buyer_required
def rfq_new(request: BuyerHttpRequest) -> HttpResponse:
    """Post an RFQ; routing to matching suppliers runs in the background after commit."""
    company = request.buyer_company
    if request.method == "POST":
        form = RfqForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rfq = rfq_post(buyer=company, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request, _("Your request is posted. We are sending it to the matching certified suppliers.")
                )
                return redirect("orders:rfq_detail", rfq.pk)
        status = 400
    else:
        form = RfqForm(initial={"destination_country": company.country})
        status = 200
    return render(request, "orders/rfq_new.html", {"form": form}, status=status)


def _render_rfq(
    request: HttpRequest,
    rfq: Rfq,
    form: AwardForm | None = None,
    typed: Any = None,
    status: int = 200,
    cancel_form: RfqCancelForm | None = None,
):
    rows = rfq_comparison(rfq=rfq)
    if form is None:
        form = AwardForm(
            initial={"ship_to_country": rfq.destination_country, "idempotency_key": AwardForm.new_key()},
            auto_id="id_award_%s",
        )
    typed = typed or {}
    for row in rows:
        row.typed_quantity = typed.get(f"qty-{row.quote.pk}", "")  # type: ignore[attr-defined]
    context = {
        "rfq": rfq,
        "rows": rows,
        "form": form,
        "orders": rfq_orders(rfq=rfq) if rfq.status == Rfq.Status.AWARDED else [],
        "can_award": rfq.status == Rfq.Status.OPEN and any(r.quote.status == "submitted" for r in rows),
        "chosen": typed.get("quote", ""),
        "waiting_for_routing": rfq.routed_at is None and rfq.status == Rfq.Status.OPEN,
        "can_cancel": rfq.status == Rfq.Status.OPEN,
        "cancel_form": cancel_form or RfqCancelForm(auto_id="id_cancel_%s"),
        "events": rfq_event_list_for_buyer(rfq=rfq),
        "attachments": rfq_attachment_list(rfq=rfq),
        "viewer": "buyer",
    }
    return render(request, "orders/rfq_detail.html", context, status=status)


@require_GET
@buyer_required
def rfq_detail(request: BuyerHttpRequest, pk: int) -> HttpResponse:
    """One RFQ of the company: status, reach, quotes compared, the award form or its orders."""
    rfq = rfq_get_for_buyer(company=request.buyer_company, pk=pk)
    return _render_rfq(request, rfq)


def _read_awards(rfq: Rfq, data: Any) -> list[tuple[int, int]]:
    """(quote id, quantity) from the award form: one `quote` (its whole quoted quantity, at most
    the RFQ's), or with group supply a `qty-<quote id>` for each quote taken."""
    if rfq.allow_split:
        awards = []
        for name, raw in data.items():
            if not name.startswith("qty-") or not str(raw).strip():
                continue
            try:
                quote_id, quantity = int(name[4:]), int(str(raw).strip())
            except ValueError:
                raise ValidationError({"awards": [_("Type whole numbers only.")]}) from None
            if quantity < 1:
                raise ValidationError({"awards": [_("Quantities must be whole numbers of at least 1.")]})
            awards.append((quote_id, quantity))
        if not awards:
            raise ValidationError({"awards": [_("Type the quantity you take from at least one quote.")]})
        return awards
    try:
        quote_id = int(data.get("quote", ""))
    except ValueError:
        raise ValidationError({"awards": [_("Choose the quote you accept.")]}) from None
    quote = rfq.quotes.filter(pk=quote_id).first()
    if quote is None:
        raise ValidationError({"awards": [_("Choose the quote you accept.")]})
    return [(quote_id, min(quote.quantity, rfq.quantity))]


@require_POST
@buyer_required
def rfq_award_view(request: BuyerHttpRequest, pk: int) -> HttpResponse:
    """Accept one quote (or several, for group supply): one purchase, one order per quote."""
    rfq = rfq_get_for_buyer(company=request.buyer_company, pk=pk)
    form = AwardForm(request.POST, auto_id="id_award_%s")
    if not form.is_valid():
        return _render_rfq(request, rfq, form, request.POST, status=400)
    try:
        awards = _read_awards(rfq, request.POST)
        rfq_award(
            rfq=rfq,
            actor=request.user,
            awards=awards,
            shipping_address=form.cleaned_data["shipping_address"],
            ship_to_country=form.cleaned_data["ship_to_country"],
            idempotency_key=form.cleaned_data["idempotency_key"],
            language=get_language() or "en",
        )
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _render_rfq(request, rfq, form, request.POST, status=400)
    except IdempotencyKeyReused:
        form.add_error(None, _("This form was already used. Please check your orders."))
        return _render_rfq(request, rfq, form, request.POST, status=400)
    except (ApplicationError, PermissionDenied) as exc:
        messages.error(request, error_message(exc))
        return redirect("orders:rfq_detail", rfq.pk)
    messages.success(request, _("Quote accepted. The order is placed with the supplier; the other suppliers are told."))
    return redirect("orders:rfq_detail", rfq.pk)


@require_POST
@buyer_required
def rfq_cancel_view(request: BuyerHttpRequest, pk: int) -> HttpResponse:
    """Cancel the company's open RFQ with a reason; the suppliers who quoted are told."""
    rfq = rfq_get_for_buyer(company=request.buyer_company, pk=pk)
    form = RfqCancelForm(request.POST, auto_id="id_cancel_%s")
    if form.is_valid():
        try:
            rfq_cancel(rfq=rfq, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        except (ApplicationError, PermissionDenied) as exc:
            messages.error(request, error_message(exc))
            return redirect("orders:rfq_detail", rfq.pk)
        else:
            messages.success(request, _("Your request is cancelled. The suppliers who quoted are told."))
            return redirect("orders:rfq_detail", rfq.pk)
    return _render_rfq(request, rfq, status=400, cancel_form=form)


# --- suppliers ----------------------------------------------------------------------------------


@require_GET
@supplier_required
def opportunity_list(request: SupplierHttpRequest) -> HttpResponse:
    """The RFQs routed to the supplier, open ones first; opening the page marks them seen."""
    supplier = request.supplier
    page = Paginator(opportunity_list_for_supplier(supplier=supplier), PAGE_SIZE).get_page(request.GET.get("page"))
    rfq_mark_seen(recipient_ids=[r.pk for r in page if r.seen_at is None])
    return render(request, "orders/rfq_opportunities.html", {"supplier": supplier, "page": page})


def _render_opportunity(
    request: HttpRequest,
    recipient: Any,
    form: QuoteForm | None = None,
    status: int = 200,
    terms_gap: TermsGap | None = None,
) -> HttpResponse:
    rfq = recipient.rfq
    quote = quote_of_supplier(rfq=rfq, supplier=recipient.supplier)
    if form is None:
        if quote is not None:
            initial = {
                name: getattr(quote, name)
                for name in ("unit_price", "currency", "moq", "quantity", "lead_time_days", "incoterm",
                             "incoterm_place", "freight_total", "valid_until", "note")
            }  # fmt: skip
        else:
            initial = {
                "currency": rfq.currency,
                "incoterm": rfq.incoterm,
                "incoterm_place": rfq.incoterm_place,
                "quantity": rfq.quantity,
                "valid_until": rfq.deadline,
            }
        form = QuoteForm(initial=initial)
    editable = rfq.is_open_for_quotes() and (quote is None or quote.status in ("submitted", "withdrawn"))
    context = {
        "recipient": recipient,
        "rfq": rfq,
        "quote": quote,
        "form": form,
        "editable": editable,
        "events": rfq_event_list_for_supplier(rfq=rfq, supplier=recipient.supplier),
        "attachments": rfq_attachment_list(rfq=rfq),
        "viewer": "supplier",
        "terms_gap": terms_gap,
    }
    return render(request, "orders/rfq_opportunity.html", context, status=status)


@require_http_methods(["GET", "POST"])
@supplier_required
def opportunity_detail(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    """One RFQ routed to the supplier (no other supplier's quote or name) and its own quote form."""
    recipient = opportunity_get_for_supplier(supplier=request.supplier, rfq_id=pk)
    if request.method == "GET":
        if recipient.seen_at is None:
            rfq_mark_seen(recipient_ids=[recipient.pk])
        return _render_opportunity(request, recipient)
    form = QuoteForm(request.POST)
    if form.is_valid():
        try:
            _quote, created = quote_submit(rfq=recipient.rfq, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except QuoteTermsUnconfirmed as exc:
            # What was typed stays; the warning and the "send anyway" box appear above the button.
            return _render_opportunity(request, recipient, form, status=409, terms_gap=exc.gap)
        except (ApplicationError, PermissionDenied) as exc:
            messages.error(request, error_message(exc))
            return redirect("orders:rfq_opportunity", pk)
        else:
            messages.success(request, _("Your quote is sent.") if created else _("Your quote is updated."))
            return redirect("orders:rfq_opportunity", pk)
    return _render_opportunity(request, recipient, form, status=400)


@require_POST
@supplier_required
def opportunity_withdraw(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    """Withdraw the supplier's submitted quote."""
    recipient = opportunity_get_for_supplier(supplier=request.supplier, rfq_id=pk)
    try:
        quote_withdraw(rfq=recipient.rfq, actor=request.user)
    except (ApplicationError, PermissionDenied) as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, _("Your quote is withdrawn. You can send a new one while the request is open."))
    return redirect("orders:rfq_opportunity", pk)


# --- attachments --------------------------------------------------------------------------------


@require_GET
@login_required
def rfq_attachment_download(request: AuthenticatedHttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    """A checked file of an RFQ, never inline, for its buying company, the suppliers it was routed
    to and staff: 404 for anyone else, and for everyone while it is checked or once refused."""
    return rfq_attachment_response(rfq_attachment_get_for_user(user=request.user, rfq_id=pk, pk=attachment_pk))


def rfq_attachment_response(attachment: RfqAttachment) -> HttpResponseBase:
    """The file as a download, never rendered inline, never cached by a shared cache."""
    return private_file_response(
        attachment.file, filename=attachment.name, content_type=attachment.content_type or "application/octet-stream"
    )
