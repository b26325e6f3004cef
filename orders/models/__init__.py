"""The trade's models: purchases, orders, their lines and events, the cart and ratings (`trade`);
requests for quotation, their recipients, quotes and history (`rfq`); payment protection, its
ledger and disputes (`protection`)."""

from .protection import (
    DISPUTE_STEPS,
    PROTECTION_STEPS,
    Account,
    Dispute,
    DisputeEvidence,
    LedgerEntry,
    Protection,
    ProtectionEvent,
    ProtectionRequest,
)
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
    "DISPUTE_STEPS",
    "MONEY_TOTAL",
    "MONEY_UNIT",
    "PROTECTION_STEPS",
    "RFQ_ATTACHMENTS_MAX",
    "STATUS_ORDER",
    "TRANSITIONS",
    "Account",
    "CartLine",
    "Dispute",
    "DisputeEvidence",
    "Incoterm",
    "LedgerEntry",
    "Order",
    "OrderEvent",
    "OrderKind",
    "OrderLine",
    "Party",
    "Protection",
    "ProtectionEvent",
    "ProtectionRequest",
    "Purchase",
    "Quote",
    "Rating",
    "Rfq",
    "RfqAttachment",
    "RfqEvent",
    "RfqRecipient",
]
