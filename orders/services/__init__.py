"""Writes of the trade. Placing lives in `orders.services.placing` (the only place orders are
created); state changes of placed orders live beside it."""
