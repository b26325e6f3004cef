"""The trade's models: purchases, orders, their lines and events, the cart and ratings (`trade`);
requests for quotation, their recipients, quotes and history (`rfq`)."""

from .rfq import Quote, Rfq, RfqEvent, RfqRecipient
from .rfq_attachment import RFQ_ATTACHMENTS_MAX, RfqAttachment
from .trade import (
    MONEY_TOTAL,
    MONEY_UNIT,
    STATUS_ORDER,
    TRANSITIONS,
    CartLine,
    Incoterm,
    Order,
    OrderEvent,
    OrderKind,
    OrderLine,
    Party,
    Purchase,
    Rating,
)

__all__ = [
    "MONEY_TOTAL",
    "MONEY_UNIT",
    "RFQ_ATTACHMENTS_MAX",
    "STATUS_ORDER",
    "TRANSITIONS",
    "CartLine",
    "Incoterm",
    "Order",
    "OrderEvent",
    "OrderKind",
    "OrderLine",
    "Party",
    "Purchase",
    "Quote",
    "Rating",
    "Rfq",
    "RfqAttachment",
    "RfqEvent",
    "RfqRecipient",
]
