"""What every part of the generated trade shares: the word lists of demo/data/generator/trade.yaml,
the calendar of the year (seasons and weekdays), primary keys reserved in blocks, the COPY tables
of the trade's models and the rows waiting to be copied."""

from __future__ import annotations

import bisect
import datetime
import hashlib
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models

from accounts.models import User
from buyers.models import BuyerCompany, BuyerMember, CompanyAddress, CompanyEvent, Inquiry, InquiryMessage
from demo.generator.vocabulary import _read
from marketplace.pgcopy import CopyTable, as_json, reserve_ids
from orders.models import (
    Dispute,
    LedgerEntry,
    Order,
    OrderEvent,
    OrderLine,
    Protection,
    ProtectionEvent,
    Purchase,
    Quote,
    Rating,
    Rfq,
    RfqEvent,
    RfqRecipient,
)
from suppliers.models import SupplierMember

WORDS: dict[str, Any] = _read("trade.yaml")
CENT = Decimal("0.01")
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
# Generated people's addresses end with these, so they can be told apart (and never mailed).
SUPPLIER_EMAIL_DOMAIN = "gen-suppliers.test"
BUYER_EMAIL_DOMAIN = "gen-buyers.test"
STAFF_EMAIL = f"credit-desk@{BUYER_EMAIL_DOMAIN}"


def money(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def hours(rng: random.Random, median: float, spread: float = 0.8) -> datetime.timedelta:
    """A log-normal wait of `median` hours (half the waits are shorter), as people's answers are."""
    return datetime.timedelta(hours=rng.lognormvariate(0.0, spread) * median)


def hex_digest(rng: random.Random) -> str:
    return hashlib.sha256(rng.getrandbits(256).to_bytes(32, "big")).hexdigest()


class Calendar:
    """Moments of the last year, by season (month weights) and weekday, mostly in China's and
    Europe's working hours (UTC 00–16)."""

    HOUR_WEIGHTS = (3, 6, 8, 8, 7, 6, 5, 6, 7, 7, 6, 5, 4, 4, 3, 3, 2, 1, 1, 1, 1, 1, 1, 2)

    def __init__(self, until: datetime.datetime, days: int = 365) -> None:
        self.until = until
        self.start = until - datetime.timedelta(days=days)
        first = self.start.replace(hour=0, minute=0, second=0, microsecond=0)
        months = {int(k): float(v) for k, v in WORDS["month_weights"].items()}
        weekdays = WORDS["weekday_weights"]
        self.days = [first + datetime.timedelta(days=i) for i in range(days + 1)]
        weights = [months[d.month] * weekdays[d.weekday()] for d in self.days]
        self.cum = list(itertools.accumulate(weights))
        self.hour_cum = list(itertools.accumulate(self.HOUR_WEIGHTS))

    def moment(self, rng: random.Random, after: datetime.datetime | None = None) -> datetime.datetime | None:
        """A moment of the year after `after` (if given) and before the end, drawn by season; None
        when `after` is past the end."""
        low = max(self.start, after) if after else self.start
        if low >= self.until:
            return None
        for _ in range(8):
            day = self.days[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]
            hour = bisect.bisect_right(self.hour_cum, rng.random() * self.hour_cum[-1])
            when = day + datetime.timedelta(hours=hour, seconds=rng.randrange(3600))
            if low <= when < self.until:
                return when
        # A supplier certified late in the year: uniformly in what is left of it.
        return low + (self.until - low) * rng.random()


class Ids:
    """Primary keys from each table's own sequence, reserved a block at a time."""

    BLOCK = 20_000

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.free: dict[type, list[int]] = defaultdict(list)

    def next(self, model: type) -> int:
        free = self.free[model]
        if not free:
            free.extend(reversed(reserve_ids(self.cursor, model, self.BLOCK)))
        return free.pop()

    def order_numbers(self, count: int) -> list[int]:
        """Values of the order numbers' sequence (orders.services.create.order_number_next)."""
        if count <= 0:
            return []
        self.cursor.execute("SELECT nextval('orders_order_number_seq') FROM generate_series(1, %s)", [count])
        return [row[0] for row in self.cursor.fetchall()]


# fmt: off
COLUMNS: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "users": (User, (
        "id", "password", "email", "full_name", "role", "preferred_language", "is_active", "is_staff",
        "is_superuser", "date_joined",
    )),
    "supplier members": (SupplierMember, ("supplier_id", "user_id", "role")),
    "buying companies": (BuyerCompany, (
        "id", "name", "country", "business_type", "net_terms_approved", "net_terms_decided_at",
        "net_terms_decided_by_id", "created_at",
    )),
    "buyer members": (BuyerMember, ("company_id", "user_id")),
    "company addresses": (CompanyAddress, (
        "id", "company_id", "label", "recipient", "address", "country", "phone", "is_default", "is_billing",
        "created_at",
    )),
    "company events": (CompanyEvent, ("company_id", "kind", "actor_id", "data", "created_at")),
    "inquiries": (Inquiry, (
        "id", "buyer_id", "supplier_id", "listing_id", "subject", "started_by_id", "created_at", "last_message_at",
        "buyer_read_at", "supplier_read_at", "first_supplier_reply_at",
    )),
    "inquiry messages": (InquiryMessage, (
        "inquiry_id", "author_id", "party", "body", "created_at", "notified_at", "file_check", "attachment",
        "file_quarantine",
    )),
    "purchases": (Purchase, (
        "id", "buyer_id", "placed_by_id", "source", "idempotency_key", "fingerprint", "created_at",
    )),
    "orders": (Order, (
        "id", "number", "purchase_id", "buyer_id", "placed_by_id", "supplier_id", "kind", "status", "currency",
        "incoterm", "incoterm_place", "payment_terms", "deposit_percent", "billing_address", "shipping_address",
        "ship_to_country", "note", "subtotal", "sample_credit", "freight", "insurance", "total", "lead_time_days",
        "quote_id", "language", "carrier", "tracking_number", "cancel_reason", "cancelled_by_party", "confirmed_at",
        "deposit_paid_at", "paid_at", "shipped_at", "delivered_at", "completed_at", "cancelled_at", "created_at",
        "updated_at",
    )),
    "order lines": (OrderLine, (
        "order_id", "listing_id", "variant_id", "title", "variant_label", "sku", "unit", "quantity", "unit_price",
        "line_total", "from_stock", "position", "credit_amount",
    )),
    "order events": (OrderEvent, (
        "order_id", "actor_id", "party", "kind", "from_status", "to_status", "note", "data", "created_at",
    )),
    "ratings": (Rating, ("order_id", "buyer_id", "supplier_id", "stars", "text", "created_by_id", "created_at")),
    "protections": (Protection, (
        "id", "order_id", "status", "currency", "amount", "release_due_at", "opened_by_id", "held_at", "closed_at",
        "created_at", "updated_at",
    )),
    "disputes": (Dispute, (
        "id", "order_id", "protection_id", "status", "reason", "description", "refund_requested", "opened_by_id",
        "answer", "answered_by_id", "answered_at", "decision", "refund_amount", "decision_reason", "decided_by_id",
        "decided_at", "created_at", "updated_at",
    )),
    "protection events": (ProtectionEvent, (
        "id", "protection_id", "order_id", "dispute_id", "actor_id", "party", "kind", "from_status", "to_status",
        "note", "data", "created_at",
    )),
    "ledger entries": (LedgerEntry, ("event_id", "order_id", "account", "currency", "debit", "credit", "created_at")),
    "rfqs": (Rfq, (
        "id", "buyer_id", "created_by_id", "title", "details", "category_id", "belt_id", "quantity", "unit",
        "target_price", "currency", "destination_country", "incoterm", "incoterm_place", "required_level", "deadline",
        "allow_split", "status", "routed_at", "cancel_reason", "cancelled_by_id", "cancelled_at", "closed_at",
        "created_at", "updated_at",
    )),
    "rfq recipients": (RfqRecipient, ("rfq_id", "supplier_id", "routed_at", "notified_at", "seen_at")),
    "quotes": (Quote, (
        "id", "rfq_id", "supplier_id", "created_by_id", "unit_price", "currency", "moq", "quantity", "lead_time_days",
        "incoterm", "incoterm_place", "freight_total", "valid_until", "note", "status", "accepted_quantity",
        "decided_by_id", "decided_at", "created_at", "updated_at",
    )),
    "rfq events": (RfqEvent, ("rfq_id", "quote_id", "actor_id", "party", "kind", "data", "created_at")),
}
# fmt: on
# Referenced rows go in before the rows that point at them (the load runs with triggers on when
# it may not turn them off, and then every foreign key is checked as the rows arrive).
TABLE_ORDER = tuple(COLUMNS)


@dataclass
class TradeSizes:
    orders: int
    rfqs: int
    inquiries: int
    rfq_reach: int  # the most suppliers one generated RFQ is routed to


class Rows:
    """Rows by table, copied and emptied by `flush`."""

    def __init__(self) -> None:
        self.tables = {name: CopyTable(model, columns) for name, (model, columns) in COLUMNS.items()}
        self.rows: dict[str, list[tuple]] = defaultdict(list)

    def add(self, table: str, *row: Any) -> None:
        self.rows[table].append(row)

    def flush(self, cursor: Any, counts: Counter[str]) -> None:
        for name in TABLE_ORDER:
            rows = self.rows.pop(name, None)
            if rows:
                counts[name] += self.tables[name].copy(cursor, rows)

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def data(value: dict[str, Any] | None = None) -> str:
    return as_json(value or {})


def pick(rng: random.Random, items: Sequence[Any]) -> Any:
    return items[int(rng.random() * len(items))]
