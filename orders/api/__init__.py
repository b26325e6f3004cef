"""The trade's API: placing orders, orders, RFQs."""
