"""Small pieces the supplier admin pages share."""

from pathlib import PurePosixPath
from typing import Any

from django.contrib import admin
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from marketplace.storage import private_file_response as serve_private_file

from ..models import Certification, CertificationLevel, VerificationCheck

Outcome = VerificationCheck.Outcome
OUTCOME_COLOURS: dict[str, str] = {Outcome.PASS: "#2e7d32", Outcome.WARN: "#a35200", Outcome.FAIL: "#ba2121"}


def level_label(level: str) -> str:
    return str(CertificationLevel(level).label) if level in CertificationLevel.values else level


def outcome_badge(outcome: str | None) -> str:
    """A check outcome in words and colour (the worst of a run, or one check)."""
    if outcome is None or outcome not in OUTCOME_COLOURS:
        return format_html('<span style="color:#666">{}</span>', gettext("not run yet"))
    return format_html('<strong style="color:{}">{}</strong>', OUTCOME_COLOURS[outcome], Outcome(outcome).label)


class ReadOnlyInline(admin.TabularInline):
    """Part of the application or of its record: shown, never added, changed or deleted here."""

    extra = 0
    max_num = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # These rows are part of the supplier: whoever may read the supplier may read them.
        return request.user.has_perm("suppliers.view_supplier") or request.user.has_perm("suppliers.change_supplier")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def audit_report_link(certification: Certification) -> str:
    """The audit report as staff reach it: a download once checked, its check while it runs, and
    why it was refused (with the way to hand in another) when it was."""
    if certification.file_is_refused:
        url = reverse("admin:suppliers_certification_audit_report_replace", args=[certification.pk])
        return format_html(
            '<strong style="color:#ba2121">{}</strong> <a href="{}">{}</a>',
            gettext("refused: %(message)s") % {"message": certification.file_refusal_message()},
            url,
            gettext("Upload a replacement"),
        )
    if certification.file_is_pending and certification.file_quarantine:
        return format_html('<span style="color:#666">{}</span>', gettext("being checked"))
    if not certification.audit_report or not certification.file_is_clean:
        return "—"
    url = reverse("admin:suppliers_certification_audit_report", args=[certification.pk])
    return format_html('<a href="{}">{}</a>', url, gettext("Download"))


SERVABLE_INLINE = {"image/jpeg", "image/png"}
SERVABLE = {*SERVABLE_INLINE, "application/pdf"}


def private_file_response(file: FieldFile, content_type: str) -> HttpResponseBase:
    """An uploaded file for staff: pictures inline (thumbnails, streamed from our origin), anything
    else as a download (from the private bucket: a redirect to a short-lived signed URL).

    The files were checked and renamed by the server on upload; the sandbox policy and nosniff
    keep a browser from running anything in them all the same.
    """
    if content_type not in SERVABLE:
        content_type = "application/octet-stream"
    response = serve_private_file(
        file,
        filename=PurePosixPath(file.name or "").name,
        content_type=content_type,
        as_attachment=content_type not in SERVABLE_INLINE,
        cache_control="private, max-age=600",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
