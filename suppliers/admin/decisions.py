"""The decisions: admin actions, their confirmation pages, and the change page's buttons.

Each decision page calls one service per supplier, in pk order, inside one transaction: a
refusal of any supplier changes nothing and keeps what staff typed on the page.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from marketplace.exceptions import ApplicationError

from ..models import AuditChecklist, Certification, CertificationLevel, Supplier
from ..services import supplier_certify, supplier_reject, supplier_request_info, verification_rerun
from .common import level_label
from .forms import AuditedFactoryForm, AuditPointFormSet, CertifyForm, FourEyesFields, RejectForm, RequestInfoForm


class SupplierRefused(Exception):
    """A service refused one supplier of a batch; the whole batch was rolled back."""

    def __init__(self, supplier: Supplier, message: str) -> None:
        super().__init__(message)
        self.supplier, self.message = supplier, message


class SupplierDecisionsMixin(admin.ModelAdmin):
    """The actions and pages of the certification decisions, for SupplierAdmin."""

    def decision_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path("decide/certify/<str:level>/", wrap(self.certify_view), name="suppliers_supplier_certify"),
            path(
                "decide/audited-factory/",
                wrap(self.audited_factory_view),
                name="suppliers_supplier_audited_factory",
            ),
            path("decide/reject/", wrap(self.reject_view), name="suppliers_supplier_reject"),
            path("decide/request-info/", wrap(self.request_info_view), name="suppliers_supplier_request_info"),
            path("<int:object_id>/rerun/", wrap(self.rerun_view), name="suppliers_supplier_rerun"),
        ]

    def decision_links(self, supplier: Supplier) -> list[dict[str, str]]:
        """The change page's buttons: each opens the decision's page for this one supplier."""
        query = urlencode({"ids": supplier.pk, "_from": "change"})
        decisions = [
            (_("Certify as verified"), reverse("admin:suppliers_supplier_certify", args=["verified"])),
            (
                _("Certify as certified origin manufacturer"),
                reverse("admin:suppliers_supplier_certify", args=["certified_origin"]),
            ),
            (_("Certify as audited factory"), reverse("admin:suppliers_supplier_audited_factory")),
            (_("Reject with a reason"), reverse("admin:suppliers_supplier_reject")),
            (_("Ask for more information"), reverse("admin:suppliers_supplier_request_info")),
        ]
        return [{"label": str(label), "url": f"{url}?{query}"} for label, url in decisions]

    # --- actions: each leads to its confirmation page, or (re-run) acts at once

    def _to_decision_page(self, request: HttpRequest, queryset: QuerySet[Supplier], url: str) -> HttpResponse:
        query = {"ids": ",".join(str(pk) for pk in queryset.order_by("pk").values_list("pk", flat=True))}
        if request.GET:
            query["_changelist_filters"] = request.GET.urlencode()
        return HttpResponseRedirect(f"{url}?{urlencode(query)}")

    @admin.action(description=_("Certify as verified"), permissions=["change"])
    def certify_verified(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> HttpResponse:
        return self._to_decision_page(request, queryset, reverse("admin:suppliers_supplier_certify", args=["verified"]))

    @admin.action(description=_("Certify as certified origin manufacturer"), permissions=["change"])
    def certify_certified_origin(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> HttpResponse:
        url = reverse("admin:suppliers_supplier_certify", args=["certified_origin"])
        return self._to_decision_page(request, queryset, url)

    @admin.action(description=_("Certify as audited factory"), permissions=["change"])
    def certify_audited_factory(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, self._one_audit_at_a_time(), messages.ERROR)
            return None
        return self._to_decision_page(request, queryset, reverse("admin:suppliers_supplier_audited_factory"))

    @admin.action(description=_("Reject with a reason"), permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> HttpResponse:
        return self._to_decision_page(request, queryset, reverse("admin:suppliers_supplier_reject"))

    @admin.action(description=_("Ask for more information"), permissions=["change"])
    def request_info(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> HttpResponse:
        return self._to_decision_page(request, queryset, reverse("admin:suppliers_supplier_request_info"))

    @admin.action(description=_("Re-run verification"), permissions=["change"])
    def rerun_verification(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> None:
        self._rerun(request, list(queryset.order_by("pk")))

    def _rerun(self, request: HttpRequest, suppliers: list[Supplier]) -> None:
        try:
            count = self._decide_all(suppliers, lambda s: bool(verification_rerun(supplier=s, actor=request.user)))  # type: ignore[arg-type]
        except SupplierRefused as refused:
            self.message_user(request, self._refused_message(refused, len(suppliers)), messages.ERROR)
            return
        message = ngettext(
            "Verification queued again for %(count)d supplier.",
            "Verification queued again for %(count)d suppliers.",
            count,
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)

    # --- the decision pages

    def _selected(self, request: HttpRequest) -> list[Supplier]:
        ids = [int(part) for part in request.GET.get("ids", "").split(",") if part.strip().isdigit()]
        return list(Supplier.objects.filter(pk__in=ids).select_related("belt").order_by("pk"))

    def _done_url(self, request: HttpRequest, suppliers: list[Supplier]) -> str:
        if request.GET.get("_from") == "change" and len(suppliers) == 1:
            return reverse("admin:suppliers_supplier_change", args=[suppliers[0].pk])
        url = reverse("admin:suppliers_supplier_changelist")
        filters = request.GET.get("_changelist_filters")
        return f"{url}?{filters}" if filters else url

    def _guard(self, request: HttpRequest) -> list[Supplier] | HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        suppliers = self._selected(request)
        if not suppliers:
            self.message_user(request, gettext("Select at least one supplier."), messages.WARNING)
            return HttpResponseRedirect(reverse("admin:suppliers_supplier_changelist"))
        return suppliers

    @staticmethod
    def _decide_all(suppliers: list[Supplier], decide: Callable[[Supplier], bool]) -> int:
        """Run `decide` for each supplier in pk order, all or nothing; return how many changed.

        One transaction: the services lock each supplier row in turn, always in pk order, so two
        admins deciding overlapping selections cannot deadlock; the emails go after commit.
        """
        changed = 0
        with transaction.atomic():
            for supplier in suppliers:
                try:
                    changed += decide(supplier)
                except ApplicationError as exc:
                    raise SupplierRefused(supplier, exc.message) from exc
        return changed

    @staticmethod
    def _refused_message(refused: SupplierRefused, count: int) -> str:
        if count == 1:
            return refused.message
        return gettext("%(supplier)s: %(message)s Nothing was changed.") % {
            "supplier": refused.supplier.name_en,
            "message": refused.message,
        }

    @staticmethod
    def _one_audit_at_a_time() -> str:
        return gettext("Certify one supplier at a time as an audited factory: each needs its own audit report.")

    @staticmethod
    def _second_person(request: HttpRequest, form: forms.Form) -> Any:
        """The second person who signed in on the form (four eyes), or None; a wrong password is a
        form error."""
        if not isinstance(form, FourEyesFields):
            return None
        try:
            return form.second_person(request)
        except ValidationError as exc:
            form.add_error("second_person_password", exc)
            return None

    def _decision_page(
        self,
        request: HttpRequest,
        *,
        suppliers: list[Supplier],
        form: forms.Form,
        title: str,
        submit_label: str,
        template: str = "admin/suppliers/supplier/decision.html",
        **extra: Any,
    ) -> TemplateResponse:
        if request.method == "POST" and form.errors:
            self.message_user(request, gettext("Nothing was recorded: correct the errors below."), messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "suppliers": suppliers,
            "form": form,
            # Rendered with the admin's own fieldset template, so it looks like every admin form.
            # AdminForm takes any form; the stubs ask for a ModelForm.
            "adminform": helpers.AdminForm(form, [(_("The decision"), {"fields": list(form.fields)})], {}),  # type: ignore[arg-type]
            "submit_label": submit_label,
            "cancel_url": self._done_url(request, suppliers),
            **extra,
        }
        return TemplateResponse(request, template, context)

    def _run_decision(
        self,
        request: HttpRequest,
        suppliers: list[Supplier],
        decide: Callable[[Supplier], bool],
        success: Callable[[int], str],
    ) -> HttpResponse | None:
        """Apply a decision to every supplier; on success a message and the way back, else None."""
        try:
            changed = self._decide_all(suppliers, decide)
        except SupplierRefused as refused:
            self.message_user(request, self._refused_message(refused, len(suppliers)), messages.ERROR)
            return None
        if changed:
            self.message_user(request, success(changed), messages.SUCCESS)
        if unchanged := len(suppliers) - changed:
            message = ngettext(
                "Nothing changed for %(count)d supplier: the same decision was already on record.",
                "Nothing changed for %(count)d suppliers: the same decision was already on record.",
                unchanged,
            ) % {"count": unchanged}
            self.message_user(request, message, messages.INFO)
        return HttpResponseRedirect(self._done_url(request, suppliers))

    def _simple_decision(
        self,
        request: HttpRequest,
        form_class: type,
        decide: Callable[[Supplier, dict], bool],
        success: Callable[[int], str],
        *,
        title: str,
        submit_label: str,
    ) -> HttpResponse:
        """One page for a decision over the selected suppliers: the form, then the service per supplier."""
        suppliers = self._guard(request)
        if isinstance(suppliers, HttpResponse):
            return suppliers
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            data = {**form.cleaned_data, "second_person": self._second_person(request, form)}
            if not form.errors:
                response = self._run_decision(request, suppliers, lambda s: decide(s, data), success)
                if response:
                    return response
        return self._decision_page(request, suppliers=suppliers, form=form, title=title, submit_label=submit_label)

    def certify_view(self, request: HttpRequest, level: str) -> HttpResponse:
        if level not in (CertificationLevel.VERIFIED, CertificationLevel.CERTIFIED_ORIGIN):
            raise Http404("Audited factories are certified on their own page")

        def decide(supplier: Supplier, data: dict) -> bool:
            result = supplier_certify(
                supplier=supplier,
                level=level,
                actor=request.user,  # type: ignore[arg-type]
                valid_until=data["valid_until"],
                reason=data["reason"],
                manufacturing_scope=data["manufacturing_scope"],
                override_reason=data["override_reason"],
                second_person=data["second_person"],
            )
            return result.decided_at != supplier.decided_at

        def success(count: int) -> str:
            return ngettext(
                "%(count)d supplier certified as “%(level)s”.",
                "%(count)d suppliers certified as “%(level)s”.",
                count,
            ) % {"count": count, "level": level_label(level)}

        return self._simple_decision(
            request, CertifyForm, decide, success,
            title=gettext("Certify as “%(level)s”") % {"level": level_label(level)}, submit_label=gettext("Certify"),
        )  # fmt: skip

    def reject_view(self, request: HttpRequest) -> HttpResponse:
        def decide(supplier: Supplier, data: dict) -> bool:
            result = supplier_reject(supplier=supplier, actor=request.user, reason=data["reason"])  # type: ignore[arg-type]
            return result.decided_at != supplier.decided_at

        def success(count: int) -> str:
            return ngettext("%(count)d application rejected.", "%(count)d applications rejected.", count) % {
                "count": count
            }

        return self._simple_decision(
            request, RejectForm, decide, success, title=gettext("Reject with a reason"), submit_label=gettext("Reject")
        )

    def request_info_view(self, request: HttpRequest) -> HttpResponse:
        def decide(supplier: Supplier, data: dict) -> bool:
            supplier_request_info(supplier=supplier, actor=request.user, message=data["message"])  # type: ignore[arg-type]
            return True

        def success(count: int) -> str:
            return ngettext(
                "%(count)d supplier was asked for more information.",
                "%(count)d suppliers were asked for more information.",
                count,
            ) % {"count": count}

        return self._simple_decision(
            request, RequestInfoForm, decide, success,
            title=gettext("Ask for more information"), submit_label=gettext("Send to the supplier"),
        )  # fmt: skip

    def _chosen_checklist(self, request: HttpRequest, supplier: Supplier) -> AuditChecklist | None:
        """The checklist of this page: as posted or picked, else the one for the belt's industry."""
        raw = request.POST.get("checklist") if request.method == "POST" else request.GET.get("checklist")
        if raw and raw.isdigit():
            return AuditChecklist.objects.filter(pk=raw).first()
        if supplier.belt is None:
            return None
        # The checklist an admin linked to this belt; failing that (a belt added since), the one named
        # like the belt's industry, else the one this belt's last audit used, else one whose industry
        # the belt's names ("Laser equipment" in "Laser equipment and photonics"). A handful of rows:
        # the matching is plain Python.
        checklists = list(AuditChecklist.objects.order_by("pk").prefetch_related("belts"))
        linked = [c for c in checklists if any(b.pk == supplier.belt_id for b in c.belts.all())]
        if linked:
            return linked[0]
        industry = supplier.belt.industry_en.casefold()
        exact = [c for c in checklists if c.industry_en.casefold() == industry]
        if exact:
            return exact[0]
        last_used = (
            Certification.objects.filter(supplier__belt=supplier.belt, checklist__isnull=False)
            .order_by("-decided_at", "-id")
            .values_list("checklist_id", flat=True)
            .first()
        )
        if last_used is not None:
            return next(c for c in checklists if c.pk == last_used)
        named = [c for c in checklists if c.industry_en.casefold() in industry]
        return max(named, key=lambda c: len(c.industry_en), default=None)

    def audited_factory_view(self, request: HttpRequest) -> HttpResponse:
        suppliers = self._guard(request)
        if isinstance(suppliers, HttpResponse):
            return suppliers
        if len(suppliers) != 1:
            self.message_user(request, self._one_audit_at_a_time(), messages.ERROR)
            return HttpResponseRedirect(self._done_url(request, suppliers))
        [supplier] = suppliers
        checklist = self._chosen_checklist(request, supplier)
        points = list(checklist.points.all()) if checklist else []
        posted = request.method == "POST" and checklist is not None
        form = AuditedFactoryForm(
            request.POST if posted else None,
            request.FILES if posted else None,
            initial={"checklist": checklist, "checklist_version": checklist.version if checklist else None},
        )
        formset = AuditPointFormSet(
            request.POST if posted else None, prefix="points", initial=[{"code": p.code} for p in points]
        )
        if posted and all([form.is_valid(), formset.is_valid()]):  # both, so both show their errors
            assert checklist is not None  # posted implies it
            second = self._second_person(request, form)
            point_results = {
                f.cleaned_data["code"]: (f.cleaned_data["outcome"], f.cleaned_data["note"])
                for f in formset.forms
                if f.cleaned_data
            }
            if not points:
                form.add_error(None, gettext("This checklist has no points yet: choose another or add its points."))
            elif form.cleaned_data["checklist_version"] != checklist.version or set(point_results) != {
                p.code for p in points
            }:
                form.add_error(
                    None,
                    gettext(
                        "The checklist was changed while you filled it in (it is now version %(version)s): "
                        "check the points again."
                    )
                    % {"version": checklist.version},
                )
            if not form.errors:

                def decide(supplier: Supplier) -> bool:
                    result = supplier_certify(
                        supplier=supplier,
                        level=CertificationLevel.AUDITED_FACTORY,
                        actor=request.user,  # type: ignore[arg-type]
                        valid_until=form.cleaned_data["valid_until"],
                        reason=form.cleaned_data["reason"],
                        audit_report=form.cleaned_data["audit_report"],
                        checklist=checklist,
                        point_results=point_results,
                        manufacturing_scope=form.cleaned_data["manufacturing_scope"],
                        override_reason=form.cleaned_data["override_reason"],
                        second_person=second,
                    )
                    return result.decided_at != supplier.decided_at

                def success(count: int) -> str:
                    return gettext("%(supplier)s certified as an audited factory.") % {"supplier": supplier.name_en}

                try:
                    if response := self._run_decision(request, suppliers, decide, success):
                        return response
                except ValidationError as exc:  # the report's content was refused
                    form.add_error("audit_report", exc)
        if posted and formset.errors and any(formset.errors):
            self.message_user(request, gettext("Record an outcome for every point of the checklist."), messages.ERROR)
        return self._decision_page(
            request,
            suppliers=suppliers,
            form=form,
            title=gettext("Certify as audited factory"),
            submit_label=gettext("Certify as audited factory"),
            template="admin/suppliers/supplier/audited_factory.html",
            checklist=checklist,
            checklists=AuditChecklist.objects.all(),
            formset=formset,
            point_rows=list(zip(points, formset.forms, strict=False)),
            keep_query=[(k, v) for k, v in request.GET.items() if k in ("ids", "_from", "_changelist_filters")],
        )

    def rerun_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The change page's "Re-run verification" button (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        supplier = get_object_or_404(Supplier, pk=object_id)
        self._rerun(request, [supplier])
        return HttpResponseRedirect(reverse("admin:suppliers_supplier_change", args=[supplier.pk]))
