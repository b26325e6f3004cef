"""Writes of the trade. Every order is inserted by `orders.services.create.order_create`, called by
checkout (`orders.services.placing`) and by an RFQ award (`orders.services.rfq`); state changes of
placed orders live beside them."""
