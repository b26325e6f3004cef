"""The vocabulary of a listing's cross-border data: certificates for export, the default origin,
the limits of the export markets. Read by models, forms, serializers, imports and search alike."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .incoterms import Incoterm

# The marketplace's suppliers are in China: a listing's origin unless the supplier says otherwise.
DEFAULT_ORIGIN_COUNTRY = "CN"
DEFAULT_PRICE_BASIS = Incoterm.EXW
MAX_EXPORT_MARKETS = 60
MAX_CERTIFICATES = 20


class CertificateKind(models.TextChoices):
    """Certificates a buyer abroad asks for (what customs, retailers or regulators require)."""

    PHYTOSANITARY = "phytosanitary", _("Phytosanitary certificate")
    HEALTH = "health", _("Health certificate (food)")
    ORIGIN = "origin", _("Certificate of origin")
    CE = "ce", _("CE marking (EU)")
    ROHS = "rohs", _("RoHS compliance (EU)")
    FDA = "fda", _("FDA registration (US)")
    FCC = "fcc", _("FCC authorisation (US)")
    HALAL = "halal", _("Halal")
    KOSHER = "kosher", _("Kosher")
    ORGANIC = "organic", _("Organic")
