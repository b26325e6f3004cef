"""Places on the catalog's pages that the apps above fill with their panels (marketplace.panels)."""

from marketplace.panels import Slot

# A listing's page: the buy box (cart, sample) and contacting its supplier.
listing_buy_box = Slot("catalog.listing.buy_box")
listing_contact = Slot("catalog.listing.contact")
# A listing's page on a phone: the bar at the bottom of the screen, beside its "Order" button.
listing_sticky_actions = Slot("catalog.listing.sticky_actions")
# A belt's page: links about the belt as a whole (its public statistics).
belt_statistics = Slot("catalog.belt.statistics")
