"""Reusable single-model filters for the catalog."""

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import CharField, F, Func, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from suppliers.models import Supplier

if TYPE_CHECKING:  # the model module imports this one
    from .models import Listing, ListingCertificate  # noqa: F401 - named in the base classes below

# A listing's effective HS code, in one place: its own code, else the nearest code up its category's
# tree (the SQL function `belts_category_hs_code`, belts migration 0003; `belts.hs.effective_hs_code`
# is its Python twin). The search's raw SQL reads the same two pieces (`HS_PREFIX_SQL`).
HS_CODE_EFFECTIVE = Coalesce(
    NullIf(F("hs_code"), Value("")),
    Func(F("category_id"), function="belts_category_hs_code", output_field=CharField()),
    output_field=CharField(),
)
# Listings whose effective code starts with a prefix, for a row alias `{a}`: its own code, or no
# code of its own and a category whose code (inherited) does. Written so that each branch is an
# index's (a BitmapOr): the own-code branch names the partial index's `hs_code <> ''`, and the
# categories are an array computed once (an InitPlan over a few hundred categories), which the
# category index answers; `IN (subquery)` inside an OR would be a hashed filter over every row.
HS_PREFIX_SQL = (
    "(({a}.hs_code <> '' AND {a}.hs_code LIKE %s) OR ({a}.hs_code = '' AND {a}.category_id = ANY(ARRAY("
    "SELECT id FROM belts_category WHERE belts_category_hs_code(id) LIKE %s))))"
)


def hs_prefix_params(prefix: str) -> list[str]:
    """The parameters of HS_PREFIX_SQL for a prefix of digits (never a LIKE pattern: digits only)."""
    assert prefix.isdigit()
    return [prefix + "%", prefix + "%"]


class ListingQuerySet(models.QuerySet["Listing"]):
    def published(self) -> "ListingQuerySet":
        return self.filter(status="published")

    def public(self) -> "ListingQuerySet":
        """Published listings of suppliers whose certification is current: what anyone may see.

        Reads the denormalised `is_public` (kept by the database triggers of migration 0005: the
        listing is published, its supplier certified at a public level). A certification passing
        its date changes no row, so suppliers whose `certified_until` is before today are left out
        here as well: a short list (hashed), not a join.
        """
        lapsed = Supplier.objects.filter(status="certified", certified_until__lt=timezone.localdate())
        return self.filter(is_public=True).exclude(supplier_id__in=lapsed.values("pk"))

    def for_supplier(self, supplier: object) -> "ListingQuerySet":
        return self.filter(supplier=supplier)

    def with_hs_code(self) -> "ListingQuerySet":
        """Annotate `hs_code_effective` (HS_CODE_EFFECTIVE): the code pages, API and exports show."""
        return self.annotate(hs_code_effective=HS_CODE_EFFECTIVE)

    def hs_code_startswith(self, prefix: str) -> "ListingQuerySet":
        """Listings whose effective HS code starts with `prefix` (digits: a chapter, heading…)."""
        sql = HS_PREFIX_SQL.format(a="catalog_listing")
        return self.filter(RawSQL(sql, hs_prefix_params(prefix), output_field=models.BooleanField()))  # noqa: S611  # nosec B611


class ListingCertificateQuerySet(models.QuerySet["ListingCertificate"]):
    def valid_on(self, day: datetime.date) -> "ListingCertificateQuerySet":
        """Certificates whose document passed its check and whose validity reaches `day`."""
        return self.filter(file_check="clean", valid_until__gte=day)
