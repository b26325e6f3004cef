"""The supplier's own dashboard: where its application stands, its check results, its listings; and its
regional-brand licences."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import supplier_required

from ..http import SupplierHttpRequest
from ..models import Supplier, SupplierEvent, VerificationCheck, VerificationRun
from ..selectors import (
    application_steps_done,
    brand_licence_list_for_holder,
    supplier_event_latest,
    verification_run_latest,
)
from ..verification import check_names_in_use
from .application import STEPS

# Statuses whose page shows the latest verification run: the applicant is waiting on it or fixing it.
SHOWS_CHECKS = (Supplier.Status.UNDER_VERIFICATION, Supplier.Status.INFO_REQUESTED, Supplier.Status.REJECTED)
# The admin's words the supplier needs to read, by status.
SHOWS_EVENT: dict[str, str] = {
    Supplier.Status.INFO_REQUESTED: SupplierEvent.Kind.INFO_REQUESTED,
    Supplier.Status.REJECTED: SupplierEvent.Kind.REJECTED,
}


@require_GET
@supplier_required
def dashboard(request: SupplierHttpRequest) -> HttpResponse:
    supplier = request.supplier
    # Its listings and its trade are panels of the catalog and orders apps (slots in suppliers.slots).
    context: dict[str, Any] = {"supplier": supplier}
    # Each part costs queries only for the statuses that show it: a certified supplier's dashboard
    # stays at session, user, supplier (with belt and certification), listings.
    if supplier.is_editable_by_applicant():
        done = application_steps_done(supplier=supplier)
        context["steps"] = [{"slug": slug, "label": label, "done": done[slug]} for slug, label in STEPS]
    if supplier.status in SHOWS_EVENT:
        context["decision_event"] = supplier_event_latest(supplier=supplier, kind=SHOWS_EVENT[supplier.status])
    if supplier.status in SHOWS_CHECKS:
        context.update(_checks_context(supplier))
    return render(request, "suppliers/dashboard.html", context)


@require_GET
@supplier_required
def application_checks(request: SupplierHttpRequest) -> HttpResponse:
    """The latest run's checks, polled by htmx every few seconds until the run is done."""
    supplier = request.supplier
    return render(request, "suppliers/partials/application_checks.html", _checks_context(supplier))


def _checks_context(supplier: Supplier) -> dict[str, Any]:
    run = verification_run_latest(supplier=supplier)
    recorded = {check.name: check for check in run.checks.all()} if run else {}
    # One row per check in use, in a fixed order: recorded ones with their outcome, the rest waiting.
    # A check recorded by a run but no longer in use (the registry, switched off since) still shows.
    in_use = set(check_names_in_use())
    rows = [
        {"name": value, "label": label, "check": recorded.get(value), "message": _message(recorded.get(value))}
        for value, label in VerificationCheck.Name.choices
        if value in in_use or value in recorded
    ]
    return {"run": run, "check_rows": rows, "polling": run is not None and run.status != VerificationRun.Status.DONE}


def _message(check: VerificationCheck | None) -> str:
    """What the applicant reads about one check, in its language.

    The duplicate check names the other companies it matched, some of them unpublished applicants;
    that is for the certification staff (admin), never for another applicant, so it is said plainly here.
    """
    if check is None:
        return ""
    if check.name == VerificationCheck.Name.DUPLICATES and check.outcome != VerificationCheck.Outcome.PASS:
        return _(
            "Your company looks like one already on the platform. Our certification team will look into it; "
            "contact us if you think this is a mistake."
        )
    return check.message


@require_GET
@supplier_required
def brand_licences(request: SupplierHttpRequest) -> HttpResponse:
    """The supplier's own regional-brand licences, in force or not: scope, validity, the document,
    and why the belt revoked one."""
    today = timezone.localdate()
    held = brand_licence_list_for_holder(supplier=request.supplier)
    licences = [(licence, licence.standing(today)) for licence in held]
    return render(request, "suppliers/brand_licences.html", {"supplier": request.supplier, "licences": licences})
