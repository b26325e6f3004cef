"""Pages of the trade: cart and checkout, orders, RFQs."""
