"""The order page's payment protection steps: the buyer chooses protection and opens a dispute,
the supplier answers it; both download the evidence. Each POST calls one service (the same the
API calls); staff record payments and decide disputes in the admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from marketplace.exceptions import ApplicationError, error_message
from marketplace.storage import private_file_response

from ..models import DisputeEvidence
from ..selectors.orders import order_get_for_user
from ..selectors.protection import evidence_get_for_user, protection_view_for_order
from ..services.disputes import dispute_answer, dispute_open
from ..services.protection import protection_open
from .orders import _render_detail
from .protection_context import PROTECTION_FORMS

SUCCESS = {
    "protection_open": gettext_lazy(
        "Payment protection chosen. Pay the platform once the supplier has confirmed: the funds are held until "
        "you confirm the delivery."
    ),
    "dispute_open": gettext_lazy("Dispute opened. The funds stay held; the supplier has been asked to answer."),
    "dispute_answer": gettext_lazy("Answer sent. The platform will decide and tell you both."),
}


@require_POST
@login_required
def protection_open_view(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    """The buyer pays this order through payment protection."""
    order = order_get_for_user(number=number, user=request.user, detail=False)
    try:
        protection_open(order=order, actor=request.user)
    except (ApplicationError, PermissionDenied) as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, SUCCESS["protection_open"])
    return redirect("orders:order_detail", order.number)


def _dispute_step(request: AuthenticatedHttpRequest, number: str, step: str) -> HttpResponse:
    form = PROTECTION_FORMS[step](request.POST, request.FILES, auto_id=f"id_{step}_%s")
    order = order_get_for_user(number=number, user=request.user)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        data = form.cleaned_data
        files = data.pop("evidence", [])
        if step == "dispute_open":
            dispute_open(order=order, actor=request.user, files=files, **data)
        else:
            view = protection_view_for_order(order=order)
            dispute = view.current_dispute if view else None
            if dispute is None:
                raise ApplicationError(str(gettext_lazy("There is no open dispute to answer.")))
            dispute_answer(dispute=dispute, actor=request.user, files=files, **data)
    except ValidationError as exc:
        if form.is_valid():
            form.add_service_errors(exc)  # type: ignore[attr-defined]
        return _render_detail(request, order_get_for_user(number=number, user=request.user), {step: form}, 400)
    except (ApplicationError, PermissionDenied) as exc:
        messages.error(request, error_message(exc))
        return redirect("orders:order_detail", order.number)
    messages.success(request, SUCCESS[step])
    return redirect("orders:order_detail", order.number)


@require_POST
@login_required
def dispute_open_view(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    """The buyer opens a dispute (reason, description, evidence files) while the funds are held."""
    return _dispute_step(request, number, "dispute_open")


@require_POST
@login_required
def dispute_answer_view(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    """The supplier answers the open dispute (text and evidence files)."""
    return _dispute_step(request, number, "dispute_answer")


@require_GET
@login_required
def evidence_download(request: AuthenticatedHttpRequest, number: str, pk: int) -> HttpResponseBase:
    """A checked evidence file of a dispute, for the order's two sides only; never inline."""
    return evidence_response(evidence_get_for_user(user=request.user, number=number, pk=pk))


def evidence_response(evidence: DisputeEvidence) -> HttpResponseBase:
    """The checked copy as a download (never shown inline), for whoever the caller let see it."""
    return private_file_response(
        evidence.file, filename=evidence.name, content_type=evidence.content_type or "application/octet-stream"
    )
