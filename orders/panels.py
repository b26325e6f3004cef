"""The orders app's panels on lower apps' pages: the buy box and the dashboards' trade summaries.

Each panel's template loads `orders_tags`, whose inclusion tags read what they show.
"""

from buyers import slots as buyer_slots
from catalog import slots as catalog_slots
from marketplace.panels import Panel
from suppliers import slots as supplier_slots


def register() -> None:
    catalog_slots.listing_buy_box.add(Panel("orders/partials/add_to_cart.html"))
    supplier_slots.dashboard_trade.add(Panel("orders/partials/supplier_dashboard_trade.html"))
    buyer_slots.dashboard_trade.add(Panel("orders/partials/buyer_dashboard_trade.html"))
    # API tokens (accounts) and webhooks (orders): one line of links on both dashboards.
    supplier_slots.dashboard_trade.add(Panel("orders/partials/dashboard_integrations.html"))
    buyer_slots.dashboard_trade.add(Panel("orders/partials/dashboard_integrations.html"))
