"""Places on the suppliers' pages that the apps above fill with their panels (marketplace.panels)."""

from marketplace.panels import Slot

# The public profile: what a buyer can do (inquire, save) and the supplier's listings.
profile_actions = Slot("suppliers.profile.actions")
profile_listings = Slot("suppliers.profile.listings")
# The supplier's own dashboard: its trade (inquiries, orders, RFQs) and its listings.
dashboard_trade = Slot("suppliers.dashboard.trade")
dashboard_listings = Slot("suppliers.dashboard.listings")
# The belt operator's dashboard: tools for one belt, beside the invitations (`belt` in the context).
operator_belt_tools = Slot("suppliers.operator.belt_tools")
