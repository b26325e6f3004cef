"""The buyers' panels on lower apps' pages: inquire about and save a supplier (marketplace.panels)."""

from catalog import slots as catalog_slots
from marketplace.panels import Panel
from suppliers import slots as supplier_slots


def register() -> None:
    supplier_slots.profile_actions.add(Panel("buyers/partials/supplier_actions.html"))
    catalog_slots.listing_contact.add(Panel("buyers/partials/listing_inquiry.html"))
    catalog_slots.listing_sticky_actions.add(Panel("buyers/partials/listing_sticky_contact.html"))
