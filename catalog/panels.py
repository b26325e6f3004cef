"""The catalog's panels on the suppliers' pages: a supplier's listings (suppliers.slots)."""

from collections.abc import Mapping
from typing import Any

from django.core.paginator import Paginator
from django.template import Context

from marketplace.panels import Panel
from suppliers import slots

from .selectors.public import listing_list_for_supplier_dashboard, listing_list_public

PROFILE_PAGE_SIZE = 24


def _profile_listings(context: Context) -> Mapping[str, Any]:
    listings = listing_list_public().filter(supplier=context["supplier"])
    return {"page": Paginator(listings, PROFILE_PAGE_SIZE).get_page(context["request"].GET.get("page"))}


def _dashboard_listings(context: Context) -> Mapping[str, Any]:
    return {"listings": listing_list_for_supplier_dashboard(supplier=context["supplier"])}


def register() -> None:
    slots.profile_listings.add(Panel("catalog/partials/supplier_profile_listings.html", _profile_listings))
    slots.dashboard_listings.add(Panel("catalog/partials/supplier_dashboard_listings.html", _dashboard_listings))
    slots.operator_belt_tools.add(Panel("catalog/partials/operator_synonyms_link.html"))
