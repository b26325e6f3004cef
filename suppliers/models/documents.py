"""What a company hands in: documents (licence, certificates, factory photos) and production sites."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belts.regions import PROVINCE_CHOICES, province_name
from marketplace.filecheck.models import CheckedFile
from marketplace.filecheck.services import pending_index
from marketplace.storage import private_storage


def document_path(instance: "SupplierDocument", filename: str) -> str:
    # `filename` was made by the server (marketplace.uploads); never the uploader's.
    return f"suppliers/{instance.supplier_id}/documents/{filename}"


class SupplierDocument(CheckedFile):
    """A business licence, a certificate or a factory photo. Never shown to the public.

    Uploaded unchecked (CheckedFile): `file`, `content_type`, `size` and `sha256` are filled from
    the checked copy (`suppliers.services.application.document_checked`); until then, and for a
    refused upload, they stay empty and nothing reads, serves or counts the document.
    """

    class Kind(models.TextChoices):
        LICENCE = "licence", _("Business licence")
        CERTIFICATE = "certificate", _("Certificate")
        FACTORY_PHOTO = "factory_photo", _("Factory photo")
        AUDIT_REPORT = "audit_report", _("Audit report")

    class Standard(models.TextChoices):
        ISO_9001 = "iso_9001", "ISO 9001"
        ISO_14001 = "iso_14001", "ISO 14001"
        ISO_45001 = "iso_45001", "ISO 45001"
        CE = "ce", "CE"
        ROHS = "rohs", "RoHS"
        FDA = "fda", "FDA"
        GOTS = "gots", "GOTS"
        OEKO_TEX = "oeko_tex", "OEKO-TEX"
        HACCP = "haccp", "HACCP"
        ORGANIC = "organic", _("Organic (China GB/T 19630)")
        OTHER = "other", _("Other")

    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=document_path, storage=private_storage, blank=True)
    content_type = models.CharField(_("content type"), max_length=40, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # Certificates only.
    standard = models.CharField(_("standard"), max_length=20, choices=Standard.choices, blank=True)
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ("kind", "uploaded_at", "id")
        verbose_name = _("supplier document")
        verbose_name_plural = _("supplier documents")
        indexes = [pending_index("document_file_pending")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file_check="clean") | (~Q(file="") & Q(size__isnull=False)),
                name="document_clean_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(kind="certificate") | ~Q(standard=""), name="document_certificate_has_standard"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="document_validity_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def is_current(self) -> bool:
        """Within its validity dates (documents without dates count as current)."""
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_until is None or self.valid_until >= today
        )


class ProductionSite(models.Model):
    """A place where the company makes things. Listings point at a site, so origin is per product."""

    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("site name"), max_length=120)
    address = models.CharField(_("address"), max_length=300)
    province = models.CharField(_("province"), max_length=6, choices=PROVINCE_CHOICES)
    city = models.CharField(_("city"), max_length=80)
    products = models.CharField(_("what is made here"), max_length=300)
    is_verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # Whether listings made here carry the certified-origin mark: decided by
    # `suppliers.badges.supplier_badge`, written only by `badges_refresh`.
    confers_origin = models.BooleanField(_("confers the certified-origin mark"), default=False, editable=False)

    class Meta:
        ordering = ("id",)
        verbose_name = _("production site")
        verbose_name_plural = _("production sites")

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"

    @property
    def province_name(self) -> str:
        return province_name(self.province)
