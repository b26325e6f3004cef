"""Belt operator pages: the belt's onboarding funnel, bulk invitations, recommendations, and the
regional-brand licences of its members.

An operator sees only the belts it operates: another belt's funnel, invitation page or
application answers 404, exactly like a page that does not exist. Non-operators get 404 too.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from belts.models import Belt
from marketplace.exceptions import ApplicationError

from ..forms.operator import (
    BrandLicenceGrantForm,
    BrandLicenceRenewForm,
    BrandLicenceRevokeForm,
    InvitationImportForm,
    RecommendationForm,
)
from ..models import CertificationLevel, Invitation, InvitationImport, Supplier, SupplierEvent
from ..selectors import (
    OnboardingStage,
    application_get_for_operator,
    application_list_for_operator,
    belt_funnel_list_for_operator,
    belt_get_for_operator,
    brand_licence_get_for_operator,
    brand_licence_list_for_operator,
    brand_licence_members_for_operator,
    invitation_import_get_for_operator,
    invitation_import_list_for_operator,
    invitation_list_pending,
    verification_run_latest,
)
from ..services import (
    InvitationFileRefused,
    brand_licence_grant,
    brand_licence_renew,
    brand_licence_revoke,
    brand_licence_scope_choices,
    invitation_import_create,
    invitation_import_failure_message,
    invitation_import_problem_rows,
    supplier_recommend,
)

PAGE_SIZE = 50


@dataclass(frozen=True)
class FunnelStage:
    key: str
    label: str
    count: int


def _level_label(level: str) -> str:
    return str(CertificationLevel(level).label) if level in CertificationLevel.values else ""


@require_GET
@login_required
def operator_dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each operated belt's funnel; the list behind one stage of one belt (`?belt=&stage=`)."""
    belts = list(belt_funnel_list_for_operator(user=request.user))
    if not belts:
        raise Http404("You do not operate a belt")
    slug = request.GET.get("belt") or belts[0].slug
    selected = next((belt for belt in belts if belt.slug == slug), None)
    if selected is None:
        raise Http404("No such belt")  # someone else's belt looks like no belt at all
    stage = request.GET.get("stage", "")
    if stage not in OnboardingStage.values:
        stage = ""
    if stage == OnboardingStage.INVITED:
        items: QuerySet[Invitation] | QuerySet[Supplier] = invitation_list_pending(belt=selected)
    else:
        items = application_list_for_operator(belt=selected, stage=stage)
    rows = [
        {
            "belt": belt,
            "funnel": [FunnelStage(s.value, str(s.label), getattr(belt, f"n_{s.value}")) for s in OnboardingStage],
        }
        for belt in belts
    ]
    return render(
        request,
        "suppliers/operator/dashboard.html",
        {
            "rows": rows,
            "selected": selected,
            "stage": stage,
            "stage_label": OnboardingStage(stage).label if stage else "",
            "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


def _invite_page(
    request: AuthenticatedHttpRequest, belt: Belt, form: InvitationImportForm, job: InvitationImport | None
) -> HttpResponse:
    return render(
        request,
        "suppliers/operator/invite.html",
        {
            "belt": belt,
            "form": form,
            "job": job,
            "problems": invitation_import_problem_rows(job) if job is not None else [],
            "failure": invitation_import_failure_message(job) if job is not None else "",
            "imports": invitation_import_list_for_operator(belt=belt, user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def operator_invite(request: AuthenticatedHttpRequest, belt_slug: str) -> HttpResponse:
    """Upload a CSV of companies to invite: it is stored and imported in the background, and the
    page of the import then shows its progress and report. The operator's recent imports are listed."""
    belt = belt_get_for_operator(user=request.user, slug=belt_slug)
    form = InvitationImportForm(request.POST, request.FILES) if request.method == "POST" else InvitationImportForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = invitation_import_create(
                belt=belt, actor=request.user, file=upload, original_name=getattr(upload, "name", "") or ""
            )
        except InvitationFileRefused as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("The file is being imported. This page shows the report when it is done."))
            return redirect("suppliers:operator_invite_import", belt.slug, job.pk)
    return _invite_page(request, belt, form, None)


@require_GET
@login_required
def operator_invite_import(request: AuthenticatedHttpRequest, belt_slug: str, pk: int) -> HttpResponse:
    """One invitation import of the operator's belt: its status, and its report once it is done."""
    belt = belt_get_for_operator(user=request.user, slug=belt_slug)
    job = invitation_import_get_for_operator(belt=belt, pk=pk)
    return _invite_page(request, belt, InvitationImportForm(), job)


@require_http_methods(["GET", "POST"])
@login_required
def operator_application(request: AuthenticatedHttpRequest, supplier_pk: int) -> HttpResponse:
    """An application of the operator's belt, read-only, with the operator's recommendation form."""
    supplier = application_get_for_operator(user=request.user, pk=supplier_pk)
    form = RecommendationForm(request.POST) if request.method == "POST" else RecommendationForm()
    if form.is_bound and form.is_valid():
        if not supplier.can_be_decided():
            form.add_error(None, _("The application has not been submitted yet."))
        else:
            try:
                supplier_recommend(
                    supplier=supplier,
                    actor=request.user,
                    decision=form.cleaned_data["decision"],
                    level=form.cleaned_data["level"],
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("Your recommendation is on record. The platform's certification staff decide.")
                )
                return redirect("suppliers:operator_application", supplier.pk)
    trail = [
        {
            "event": event,
            "from_level": _level_label(event.from_level),
            "to_level": _level_label(event.to_level),
            "recommends": event.data.get("decision", "") if event.kind == SupplierEvent.Kind.RECOMMENDED else "",
        }
        for event in supplier.events.all()
    ]
    return render(
        request,
        "suppliers/operator/application.html",
        {"supplier": supplier, "run": verification_run_latest(supplier=supplier), "trail": trail, "form": form},
    )


# --- regional-brand licences ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def operator_licences(request: AuthenticatedHttpRequest, belt_slug: str) -> HttpResponse:
    """The belt's brand licences (granted, expired, revoked) and the form granting a new one to a
    certified member."""
    belt = belt_get_for_operator(user=request.user, slug=belt_slug)
    members = brand_licence_members_for_operator(belt=belt)
    scope = brand_licence_scope_choices(belt_id=belt.pk)
    form = BrandLicenceGrantForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        members=members,
        scope=scope,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            licence = brand_licence_grant(
                supplier=data["supplier"],
                actor=request.user,
                kind=data["kind"],
                mark_en=data["mark_en"],
                mark_zh=data["mark_zh"],
                categories=list(data["categories"]),
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                document=data["document"],
            )
        except ValidationError as exc:  # the upload refused by its size or first bytes
            form.add_error("document", exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Licence %(number)s granted: the member's listings in scope carry the mark from its first day.")
                % {"number": licence.number},
            )
            return redirect("suppliers:operator_licence", licence.pk)
    today = timezone.localdate()
    licences = [(licence, licence.standing(today)) for licence in brand_licence_list_for_operator(belt=belt)]
    return render(request, "suppliers/operator/licences.html", {"belt": belt, "form": form, "licences": licences})


@require_http_methods(["GET", "POST"])
@login_required
def operator_licence(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One licence of the operator's belt: its facts and history, renewal and revocation."""
    licence = brand_licence_get_for_operator(user=request.user, pk=pk)
    scope = brand_licence_scope_choices(belt_id=licence.belt_id)
    action = request.POST.get("action") if request.method == "POST" else None
    renew_form = BrandLicenceRenewForm(
        request.POST if action == "renew" else None,
        request.FILES if action == "renew" else None,
        scope=scope,
        initial={"categories": list(licence.categories.all()), "valid_until": licence.valid_until},
    )
    revoke_form = BrandLicenceRevokeForm(request.POST if action == "revoke" else None)
    if action == "renew" and renew_form.is_valid():
        try:
            brand_licence_renew(
                licence=licence,
                actor=request.user,
                valid_until=renew_form.cleaned_data["valid_until"],
                categories=list(renew_form.cleaned_data["categories"]),
                document=renew_form.cleaned_data["document"] or None,
            )
        except ValidationError as exc:
            renew_form.add_error("document", exc)
        except ApplicationError as exc:
            renew_form.add_error(None, exc.message)
        else:
            messages.success(request, _("The licence was renewed."))
            return redirect("suppliers:operator_licence", licence.pk)
    if action == "revoke" and revoke_form.is_valid():
        try:
            brand_licence_revoke(licence=licence, actor=request.user, reason=revoke_form.cleaned_data["reason"])
        except ApplicationError as exc:
            revoke_form.add_error(None, exc.message)
        else:
            messages.success(request, _("The licence was revoked: the member's listings no longer carry the mark."))
            return redirect("suppliers:operator_licence", licence.pk)
    return render(
        request,
        "suppliers/operator/licence.html",
        {
            "licence": licence,
            "standing": licence.standing(),
            "renew_form": renew_form,
            "revoke_form": revoke_form,
        },
    )
