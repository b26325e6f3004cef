"""Forms of the trade: cart, orders, RFQs."""
