"""The supplier application in the browser: sign-up, the step-by-step wizard, submission.

Every page finds the application through the signed-in user's membership
(`supplier_for_member`); no URL carries a supplier's id, and a document or site id
of another supplier answers 404. Writes go through `suppliers.services`, nowhere else.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import BUYER, company_for
from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from belts.selectors import category_list_top
from marketplace.exceptions import ApplicationError

from ..forms import (
    BeltForm,
    CertificateForm,
    CompanyForm,
    ContactForm,
    LicenceForm,
    LocationForm,
    PhotosForm,
    ProductionSiteForm,
    SupplierSignUpForm,
)
from ..models import Invitation, Supplier, SupplierDocument
from ..selectors import (
    application_steps_done,
    belt_list_suggested,
    invitation_get_by_token,
    production_site_get_for_application,
    production_site_list_for_application,
    supplier_document_get_for_application,
    supplier_document_list_for_application,
    supplier_for_member,
)
from ..services import (
    application_missing,
    production_site_add,
    production_site_remove,
    supplier_application_start,
    supplier_application_submit,
    supplier_application_update,
    supplier_document_add,
    supplier_document_remove,
)
from ..services.signup import supplier_sign_up

STEPS = (
    ("company", gettext_lazy("Company")),
    ("location", gettext_lazy("Location and sites")),
    ("belt", gettext_lazy("Belt and categories")),
    ("documents", gettext_lazy("Documents")),
    ("contact", gettext_lazy("Contact")),
    ("review", gettext_lazy("Review and submit")),
)
STEP_SLUGS = [slug for slug, _label in STEPS]


# --- sign-up and start ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def apply_start(request: HttpRequest) -> HttpResponse:
    """Anonymous: sign up the company. Signed in: start (on POST) or continue the application."""
    return _start(request, invitation=None)


@require_http_methods(["GET", "POST"])
def apply_invited(request: HttpRequest, token: str) -> HttpResponse:
    """An operator's invitation link: the same sign-up, pre-filled, and the draft started from it."""
    return _start(request, invitation=invitation_get_by_token(token=token))


def _start(request: HttpRequest, *, invitation: Invitation | None) -> HttpResponse:
    supplier = supplier_for_member(user=request.user)
    if supplier is not None:
        return redirect(_resume_url(supplier))
    if invitation is not None and invitation.supplier_id is not None:
        # Someone already applied through this link; they continue after signing in.
        return render(request, "suppliers/apply/invitation_used.html", {"invitation": invitation}, status=410)
    if request.user.is_authenticated:
        if request.user.is_staff or request.user.role in (User.Role.OPERATOR, User.Role.STAFF):
            # The service would turn this account into a supplier's and lose its own dashboard.
            return render(
                request, "suppliers/apply/start.html", {"invitation": invitation, "refused": True}, status=403
            )
        if company_for(BUYER, request.user) is not None:
            # One account acts for one side: a buyer's would lose its orders, cart and RFQs.
            return render(
                request, "suppliers/apply/start.html", {"invitation": invitation, "refused_buyer": True}, status=403
            )
        # Starting an application makes the account a supplier's: a deliberate POST, never a
        # GET that any page could trigger with an <img> tag.
        if request.method == "POST":
            supplier_application_start(user=request.user, invitation=invitation)
            return redirect("suppliers:apply_step", STEP_SLUGS[0])
        return render(request, "suppliers/apply/start.html", {"invitation": invitation})
    initial = {}
    if invitation is not None:
        initial = {
            "full_name": invitation.contact_name,
            "email": invitation.email,
            "company_name": invitation.company_name,
        }
    form = SupplierSignUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        supplier_sign_up(**form.cleaned_data, invitation=invitation, base_url=request.build_absolute_uri("/")[:-1])
        # The same answer whether or not the address already had an account.
        return render(request, "suppliers/apply/signup_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "suppliers/apply/signup.html", {"form": form, "invitation": invitation})


def _resume_url(supplier: Supplier) -> str:
    """The first step still missing something, or the review (read-only once submitted)."""
    done = application_steps_done(supplier=supplier)
    step = "review"
    if supplier.is_editable_by_applicant():
        step = next((slug for slug in STEP_SLUGS if not done[slug]), "review")
    return reverse("suppliers:apply_step", args=[step])


# --- the wizard -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def apply_step(request: AuthenticatedHttpRequest, step: str) -> HttpResponse:
    if step not in STEP_SLUGS:
        raise Http404("No such step")
    supplier = supplier_for_member(user=request.user)
    if supplier is None:
        return redirect("suppliers:apply")
    if request.method == "POST" and not supplier.is_editable_by_applicant():
        messages.error(request, _("The application is being verified and cannot be changed now."))
        return redirect("suppliers:apply_step", step)
    handler = {
        "company": _company,
        "location": _location,
        "belt": _belt,
        "documents": _documents,
        "contact": _contact,
        "review": _review,
    }[step]
    return handler(request, supplier)


def _render_step(request: HttpRequest, supplier: Supplier, step: str, context: dict[str, Any]) -> HttpResponse:
    done = application_steps_done(supplier=supplier)
    index = STEP_SLUGS.index(step)
    steps = [
        {"slug": slug, "label": label, "number": n, "done": done[slug], "current": slug == step}
        for n, (slug, label) in enumerate(STEPS, start=1)
    ]
    return render(
        request,
        f"suppliers/apply/{step}.html",
        {
            "supplier": supplier,
            "step": step,
            "steps": steps,
            "step_label": STEPS[index][1],
            "step_number": index + 1,
            "step_count": len(STEPS),
            "previous_step": STEP_SLUGS[index - 1] if index > 0 else None,
            "next_step": STEP_SLUGS[index + 1] if index + 1 < len(STEPS) else None,
            "editable": supplier.is_editable_by_applicant(),
            **context,
        },
    )


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one, which must show "required"), else None."""
    return request.POST if request.method == "POST" else None


def _saved(request: HttpRequest, step: str) -> HttpResponse:
    """After a save: "Save and continue" goes to the next step, "Save" stays."""
    messages.success(request, _("Saved. You can close the browser and continue later."))
    if "continue" in request.POST:
        return redirect("suppliers:apply_step", STEP_SLUGS[STEP_SLUGS.index(step) + 1])
    return redirect("suppliers:apply_step", step)


def _refused(request: HttpRequest, step: str, exc: ApplicationError) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect("suppliers:apply_step", step)


def _simple_step(request: HttpRequest, supplier: Supplier, step: str, form_class: type[Any]) -> HttpResponse:
    """A step that is one form of supplier fields: company, contact."""
    read_only = not supplier.is_editable_by_applicant()
    form = form_class(_posted(request), supplier=supplier, read_only=read_only)
    if request.method == "POST" and form.is_valid():
        try:
            supplier_application_update(supplier=supplier, data=form.application_data())
        except ApplicationError as exc:
            return _refused(request, step, exc)
        except IntegrityError:
            # Two companies saved the same USCC at the same moment; the unique constraint kept one.
            form.add_error("uscc" if "uscc" in form.fields else None, _("This USCC was just taken by another company."))
        else:
            return _saved(request, step)
    return _render_step(request, supplier, step, {"form": form})


def _company(request: HttpRequest, supplier: Supplier) -> HttpResponse:
    return _simple_step(request, supplier, "company", CompanyForm)


def _contact(request: HttpRequest, supplier: Supplier) -> HttpResponse:
    return _simple_step(request, supplier, "contact", ContactForm)


def _location(request: HttpRequest, supplier: Supplier) -> HttpResponse:
    """The registered address, plus a production site to add when its fields were filled in."""
    read_only = not supplier.is_editable_by_applicant()
    data = _posted(request)
    form = LocationForm(data, supplier=supplier, read_only=read_only)
    site_form = ProductionSiteForm(data, prefix="site", read_only=read_only)
    adding_site = request.method == "POST" and ("add_site" in request.POST or site_form.has_input())
    if request.method == "POST" and form.is_valid() and (not adding_site or site_form.is_valid()):
        try:
            supplier_application_update(supplier=supplier, data=form.application_data())
            if adding_site:
                production_site_add(supplier=supplier, **site_form.site_data())
        except ApplicationError as exc:
            return _refused(request, "location", exc)
        if "add_site" in request.POST:
            messages.success(request, _("Production site added."))
            return redirect("suppliers:apply_step", "location")
        return _saved(request, "location")
    if request.method == "POST" and adding_site:
        site_form.is_valid()  # show the site's errors too, not only the address's
    elif request.method == "POST":
        site_form = ProductionSiteForm(prefix="site")  # nothing typed there: no errors to show
    return _render_step(
        request,
        supplier,
        "location",
        {"form": form, "site_form": site_form, "sites": production_site_list_for_application(supplier=supplier)},
    )


def _belt(request: AuthenticatedHttpRequest, supplier: Supplier) -> HttpResponse:
    """Belt and categories; the belts that suit the company's province and categories come first."""
    read_only = not supplier.is_editable_by_applicant()
    if request.method == "POST" or request.htmx:
        source = request.POST if request.method == "POST" else request.GET
        chosen = [int(pk) for pk in source.getlist("main_categories") if pk.isdigit()]
    else:
        chosen = list(supplier.main_categories.values_list("pk", flat=True))
    belts = belt_list_suggested(province=supplier.province, categories=chosen)
    form = BeltForm(_posted(request), supplier=supplier, read_only=read_only, belts=belts)
    if request.method == "POST" and form.is_valid():
        try:
            supplier_application_update(supplier=supplier, data=form.application_data(), categories=form.categories())
        except ApplicationError as exc:
            return _refused(request, "belt", exc)
        return _saved(request, "belt")
    belt_list = list(belts)
    selected = request.GET.get("belt") if request.htmx and request.method == "GET" else form["belt"].value()
    # is_suggested is an annotation of belt_list_suggested.
    if selected in (None, "") and supplier.belt_id is None and belt_list and belt_list[0].is_suggested:  # type: ignore[attr-defined]
        selected = belt_list[0].pk  # pre-select the best suggestion; the page says so
    context = {
        "form": form,
        "belts": belt_list,
        "selected_belt": str(selected or ""),
        "suggested": [b for b in belt_list if b.is_suggested],  # type: ignore[attr-defined]
        "chosen_categories": {str(pk) for pk in chosen},
        "category_tree": category_list_top(),
    }
    if request.htmx and request.method == "GET":
        return render(
            request, "suppliers/apply/belt_choices.html", {**context, "editable": not read_only, "supplier": supplier}
        )
    return _render_step(request, supplier, "belt", context)


def _documents(request: HttpRequest, supplier: Supplier) -> HttpResponse:
    """Three upload forms (licence, certificate, photos); a bad file is refused beside its field."""
    forms: dict[str, Form] = {
        "licence": LicenceForm(prefix="licence"),
        "certificate": CertificateForm(prefix="certificate"),
        "photos": PhotosForm(prefix="photos"),
    }
    action = request.POST.get("action")
    if request.method == "POST" and action in forms:
        form = type(forms[action])(request.POST, request.FILES, prefix=action)
        forms[action] = form
        if form.is_valid() and _store_documents(request, supplier, action, form):
            return redirect("suppliers:apply_step", "documents")
    return _render_step(
        request,
        supplier,
        "documents",
        {**forms, "documents": supplier_document_list_for_application(supplier=supplier)},
    )


def _store_documents(request: HttpRequest, supplier: Supplier, action: str, form: Form) -> bool:
    """Hand each file to the service; its refusals go beside the field. True when all were stored."""
    try:
        if action == "licence":
            supplier_document_add(
                supplier=supplier, kind=SupplierDocument.Kind.LICENCE, upload=form.cleaned_data["upload"]
            )
            messages.success(request, _("Business licence uploaded."))
        elif action == "certificate":
            supplier_document_add(
                supplier=supplier,
                kind=SupplierDocument.Kind.CERTIFICATE,
                upload=form.cleaned_data["upload"],
                **form.certificate_data(),  # type: ignore[attr-defined]
            )
            messages.success(request, _("Certificate added."))
        else:
            return _store_photos(request, supplier, form)
    except ValidationError as exc:
        _add_service_error(form, "upload", exc)
        return False
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return False
    return True


def _store_photos(request: HttpRequest, supplier: Supplier, form: Form) -> bool:
    # Every file is checked on its own (RELIABILITY.md); the good ones are kept, the bad ones named.
    stored = 0
    for upload in form.cleaned_data["uploads"]:
        try:
            supplier_document_add(supplier=supplier, kind=SupplierDocument.Kind.FACTORY_PHOTO, upload=upload)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("uploads", f"{upload.name}: {message}")
        else:
            stored += 1
    if stored:
        messages.success(request, ngettext("%(n)s photo added.", "%(n)s photos added.", stored) % {"n": stored})
    return not form.errors


def _add_service_error(form: Form, field: str, exc: ValidationError) -> None:
    """Put a service's ValidationError beside the matching field (unknown fields: at the top)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field, exc)


def _review(request: HttpRequest, supplier: Supplier) -> HttpResponse:
    if request.method == "POST":
        return redirect("suppliers:apply_step", "review")
    return _render_step(
        request,
        supplier,
        "review",
        {
            "missing": application_missing(supplier) if supplier.is_editable_by_applicant() else [],
            "documents": supplier_document_list_for_application(supplier=supplier),
            "sites": production_site_list_for_application(supplier=supplier),
            "categories": supplier.main_categories.all(),
        },
    )


# --- removing a document or a site, submitting ------------------------------------------------------


@require_POST
@login_required
def apply_document_remove(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    supplier = _get_application_or_404(request)
    document = supplier_document_get_for_application(supplier=supplier, pk=document_id)
    try:
        supplier_document_remove(supplier=supplier, document_id=document.pk)
    except ApplicationError as exc:
        return _refused(request, "documents", exc)
    messages.success(request, _("Document removed."))
    return redirect("suppliers:apply_step", "documents")


@require_POST
@login_required
def apply_site_remove(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    supplier = _get_application_or_404(request)
    site = production_site_get_for_application(supplier=supplier, pk=site_id)
    try:
        production_site_remove(supplier=supplier, site_id=site.pk)
    except ApplicationError as exc:
        return _refused(request, "location", exc)
    messages.success(request, _("Production site removed."))
    return redirect("suppliers:apply_step", "location")


@require_POST
@login_required
def apply_submit(request: AuthenticatedHttpRequest) -> HttpResponse:
    supplier = _get_application_or_404(request)
    try:
        supplier_application_submit(supplier=supplier, actor=request.user)
    except ApplicationError as exc:
        return _refused(request, "review", exc)
    messages.success(request, _("Your application was submitted. You can follow the checks below as they run."))
    return redirect("suppliers:dashboard")


def _get_application_or_404(request: AuthenticatedHttpRequest) -> Supplier:
    supplier = supplier_for_member(user=request.user)
    if supplier is None:
        raise Http404("You do not act for a supplier")
    return supplier
