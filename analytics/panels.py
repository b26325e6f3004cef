"""Links to the analytics pages on lower apps' pages (slots declared by suppliers and catalog)."""

from catalog import slots as catalog_slots
from marketplace.panels import Panel
from suppliers import slots as supplier_slots


def register() -> None:
    supplier_slots.dashboard_trade.add(Panel("analytics/partials/supplier_dashboard_link.html"))
    supplier_slots.operator_belt_tools.add(Panel("analytics/partials/operator_belt_link.html"))
    catalog_slots.belt_statistics.add(Panel("analytics/partials/belt_statistics_link.html"))
