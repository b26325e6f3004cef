"""The vocabulary of a listing's cross-border data: certificates for export, the default origin,
the limits of the export markets. Read by models, forms, serializers, imports and search alike."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from belts.hs import normalise_hs_code
from belts.regions import PROVINCES
from marketplace.i18n import validate_country_code

from .incoterms import Incoterm

if TYPE_CHECKING:
    from .models import Listing

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


def trade_fields_clean(listing: "Listing") -> dict[str, list[str]]:
    """Normalise the listing's cross-border fields in place (HS code to digits, country codes to
    upper case, export markets without repeats) and say what is wrong, keyed by field. A wrong
    value is replaced by an empty one, so the field's own rules do not say it twice."""
    errors: dict[str, list[str]] = {}
    try:
        listing.hs_code = normalise_hs_code(listing.hs_code)
    except ValidationError as exc:
        errors["hs_code"] = exc.messages
        listing.hs_code = ""
    listing.origin_country = str(listing.origin_country or "").strip().upper() or DEFAULT_ORIGIN_COUNTRY
    try:
        validate_country_code(listing.origin_country)
    except ValidationError as exc:
        errors["origin_country"] = exc.messages
        listing.origin_country = DEFAULT_ORIGIN_COUNTRY
    listing.origin_region = str(listing.origin_region or "").strip().upper()
    if listing.origin_region and listing.origin_region not in PROVINCES:
        errors["origin_region"] = [gettext("Choose a province from the list.")]
        listing.origin_region = ""
    elif listing.origin_region and listing.origin_country != DEFAULT_ORIGIN_COUNTRY:
        errors["origin_region"] = [
            gettext("A province of origin is for goods from China; leave it empty for another country.")
        ]
    markets: list[str] = []
    raw = listing.export_markets or []
    if not isinstance(raw, list | tuple):
        raw = []
        errors["export_markets"] = [gettext("Give the export markets as a list of country codes.")]
    for value in raw:
        code = str(value or "").strip().upper()
        if not code or code in markets:
            continue
        try:
            validate_country_code(code)
        except ValidationError:
            errors.setdefault("export_markets", []).append(
                gettext("“%(code)s” is not a country code (ISO 3166, two letters such as DE).")
                % {"code": str(value)[:20]}
            )
            continue
        markets.append(code)
    if len(markets) > MAX_EXPORT_MARKETS:
        errors.setdefault("export_markets", []).append(
            gettext("At most %(max)s export markets.") % {"max": MAX_EXPORT_MARKETS}
        )
        markets = markets[:MAX_EXPORT_MARKETS]
    listing.export_markets = markets
    listing.price_incoterm = listing.price_incoterm or DEFAULT_PRICE_BASIS
    listing.price_incoterm_place = str(listing.price_incoterm_place or "").strip()
    return errors
