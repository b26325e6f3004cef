"""The Incoterms: one vocabulary for the basis of a listing's prices and for the terms of RFQs,
quotes and orders (`orders` imports it from here, the lowest app that needs it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Incoterm(models.TextChoices):
    """ICC Incoterms 2020 used in wholesale from China."""

    EXW = "EXW", _("EXW — Ex works")
    FCA = "FCA", _("FCA — Free carrier")
    FOB = "FOB", _("FOB — Free on board")
    CFR = "CFR", _("CFR — Cost and freight")
    CIF = "CIF", _("CIF — Cost, insurance and freight")
    DAP = "DAP", _("DAP — Delivered at place")
    DDP = "DDP", _("DDP — Delivered duty paid")
