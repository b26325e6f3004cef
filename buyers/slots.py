"""Places on the buyers' pages that the apps above fill with their panels (marketplace.panels)."""

from marketplace.panels import Slot

# The buyer's dashboard: quotes waiting, open orders and RFQs.
dashboard_trade = Slot("buyers.dashboard.trade")
