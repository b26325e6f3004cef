"""A year of trade over the generated catalog (`generate_catalog --trade`): buying companies and
their people in many countries, inquiries with answers, orders in every status with their events,
payment protection and ratings, RFQs routed to suppliers with quotes and awards, spread over the
last twelve months by season and weekday. A few suppliers are busy, most are quiet; a few buyers
order often, most now and then, and a buyer who ordered from a supplier is likely to again.

The rows are built in Python, in supplier chunks (whose public listings are read in one query
each), and copied with COPY like the catalog's; the supplier figures the profiles show are
computed from them at the end, as the hourly job would. See parties, orders and conversations."""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

from demo.generator.conversations import InquiryMaker, RfqMaker
from demo.generator.orders import OrderMaker, listings_of
from demo.generator.parties import (
    Buyer,
    TradingSupplier,
    buyers_make,
    staff_user,
    suppliers_prepare,
    trading_suppliers,
)
from demo.generator.tradebase import BUYER_EMAIL_DOMAIN, Calendar, Ids, Rows, TradeSizes

SUPPLIER_CHUNK = 500
FLUSH_ROWS = 200_000
REPEAT_BUYER = 0.45  # the chance that an order or inquiry comes from one of the supplier's past buyers


def trade_present(cursor: Any) -> bool:
    cursor.execute("SELECT EXISTS (SELECT 1 FROM accounts_user WHERE email LIKE %s)", ["%@" + BUYER_EMAIL_DOMAIN])
    return bool(cursor.fetchone()[0])


class Picker:
    """Items drawn by weight (cumulative weights and bisect: fast for many draws)."""

    def __init__(self, items: list[Any], weights: list[float]) -> None:
        self.items = items
        self.cum = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


def trade_load(
    cursor: Any,
    rng: random.Random,
    sizes: TradeSizes,
    until: datetime.datetime,
    counts: Counter[str],
    say: Callable[[str], None],
) -> None:
    """Generate and copy the year of trade that ends at `until`."""
    calendar = Calendar(until)
    ids, rows = Ids(cursor), Rows()
    suppliers = trading_suppliers(cursor)
    if not suppliers:
        say("  no generated certified supplier without trade: nothing to trade with.")
        return
    suppliers_prepare(rng, ids, rows, suppliers, until)
    staff = staff_user(rng, ids, rows, calendar)
    companies = max(5, round(sizes.orders / 10 + sizes.rfqs / 20 + sizes.inquiries / 40))
    buyers = buyers_make(rng, ids, rows, companies, calendar, staff)
    rows.flush(cursor, counts)
    say(f"  {len(suppliers):,} suppliers trade with {len(buyers):,} buying companies")

    supplier_pick = Picker(suppliers, [s.activity for s in suppliers])
    # Inquiries are spread wider than orders: buyers ask many, order from few.
    asked_pick = Picker(suppliers, [s.activity**0.7 for s in suppliers])
    buyer_pick = Picker(buyers, [b.activity for b in buyers])
    orders_of = Counter(supplier_pick(rng).id for _ in range(sizes.orders))
    inquiries_of = Counter(asked_pick(rng).id for _ in range(sizes.inquiries))
    orders = OrderMaker(rng, ids, rows, calendar, staff)
    inquiries = InquiryMaker(rng, ids, rows, calendar)

    def buyer_for(supplier: TradingSupplier) -> Buyer:
        if supplier.past_buyers and rng.random() < REPEAT_BUYER:
            return supplier.past_buyers[int(rng.random() * len(supplier.past_buyers))]
        buyer = buyer_pick(rng)
        supplier.past_buyers.append(buyer)
        return buyer

    for start in range(0, len(suppliers), SUPPLIER_CHUNK):
        chunk = suppliers[start : start + SUPPLIER_CHUNK]
        listings = listings_of(cursor, [s.id for s in chunk if orders_of[s.id] or inquiries_of[s.id]])
        for supplier in chunk:
            own = listings.get(supplier.id)
            if not own:
                continue
            published = [listing.published for listing in own]
            for _ in range(inquiries_of[supplier.id]):
                buyer = buyer_for(supplier)
                when = calendar.moment(rng, after=max(supplier.since, buyer.since, published[0]))
                if when is not None:
                    inquiries.make(supplier, buyer, own[: bisect.bisect_right(published, when)], when)
            for _ in range(orders_of[supplier.id]):
                buyer = buyer_for(supplier)
                when = calendar.moment(rng, after=max(supplier.since, buyer.since, published[0]))
                if when is not None:
                    orders.from_cart(supplier, buyer, own[: bisect.bisect_right(published, when)], when)
        if len(rows) > FLUSH_ROWS:
            rows.flush(cursor, counts)
    rows.flush(cursor, counts)
    say(f"  orders from carts and inquiries: {counts['orders']:,} orders, {counts['inquiries']:,} inquiries")

    rfqs = RfqMaker(rng, ids, rows, calendar, orders, suppliers, sizes.rfq_reach)
    for _ in range(sizes.rfqs):
        buyer = buyer_pick(rng)
        when = calendar.moment(rng, after=buyer.since)
        if when is not None:
            rfqs.make(buyer, supplier_pick(rng), when)
        if len(rows) > FLUSH_ROWS:
            rows.flush(cursor, counts)
    rows.flush(cursor, counts)
