"""Generated orders and their lives, written as the order services write them: the purchase, the
order with its lines priced from the listing's tiers (or an accepted quote), its `placed` event,
then each step of its payment terms' flow (orders.models.FLOWS) as an event of the party whose
step it is, with the order's timestamps; payment protection with its events and ledger lines
(orders.services.protection) for a share of the orders paid before shipping; cancellations with
their reasons; ratings of completed orders. An order's life stops where the generated year ends,
so the orders of the last weeks are still in flight."""

from __future__ import annotations

import bisect
import contextlib
import datetime
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from demo.generator.lives import BUYER, Life, Stop
from demo.generator.parties import Buyer, TradingSupplier
from demo.generator.plans import round_up
from demo.generator.tradebase import (
    WORDS,
    Calendar,
    Ids,
    Rows,
    hex_digest,
    money,
    pick,
)
from marketplace.i18n import country_name
from orders.models import (
    Order,
    OrderKind,
    PaymentTerms,
    Purchase,
)

SAMPLE_SHARE = 0.12
INCOTERMS = (("FOB", 45), ("EXW", 9), ("FCA", 4), ("CIF", 20), ("CFR", 8), ("DAP", 6), ("DDP", 8))


@dataclass
class ListingRow:
    """What pricing an order line reads of a listing (orders.services.placing)."""

    id: int
    currency: str
    unit: str
    moq: int
    order_multiple: int
    lead_time_days: int
    sample_price: Decimal | None  # None: no samples, or their fee is credited to bulk orders
    title_en: str
    title_zh: str
    sku: str
    tiers: list[tuple[int, Decimal]]
    variants: list[tuple[int, str, str, int | None]]  # (id, sku, label, own MOQ)
    published: datetime.datetime  # nobody orders or asks about it before

    def price_for(self, quantity: int) -> Decimal:
        """The unit price of the highest tier `quantity` reaches (Listing.tier_for_quantity)."""
        index = bisect.bisect_right([q for q, _p in self.tiers], quantity) - 1
        return self.tiers[max(index, 0)][1]


LISTINGS_SQL = """
SELECT l.id, l.supplier_id, l.currency, l.unit, l.moq, l.order_multiple, l.lead_time_days,
       CASE WHEN l.sample_available AND NOT l.sample_fee_credited THEN l.sample_price END,
       l.title_en, l.title_zh, l.sku,
       ARRAY(SELECT json_build_array(t.min_quantity, t.unit_price) FROM catalog_pricetier t
             WHERE t.listing_id = l.id ORDER BY t.min_quantity),
       ARRAY(SELECT json_build_array(v.id, v.sku, concat_ws(' / ', NULLIF(v.model, ''), NULLIF(v.size, ''),
                                                           NULLIF(v.colour, '')), v.moq)
             FROM catalog_listingvariant v WHERE v.listing_id = l.id ORDER BY v.position, v.id),
       COALESCE(l.published_at, l.created_at)
FROM (SELECT *, row_number() OVER (PARTITION BY supplier_id ORDER BY id) AS n
      FROM catalog_listing WHERE supplier_id = ANY(%s) AND is_public) l
WHERE l.n <= %s
ORDER BY l.supplier_id, COALESCE(l.published_at, l.created_at), l.id
"""


def listings_of(cursor: Any, supplier_ids: list[int], per_supplier: int = 40) -> dict[int, list[ListingRow]]:
    """The public listings (the first `per_supplier` of each) buyers order from, by supplier, in
    the order they were published."""
    cursor.execute(LISTINGS_SQL, [supplier_ids, per_supplier])
    out: dict[int, list[ListingRow]] = {}
    for row in cursor.fetchall():
        (
            pk,
            supplier_id,
            currency,
            unit,
            moq,
            multiple,
            lead,
            sample,
            title_en,
            title_zh,
            sku,
            tiers,
            variants,
            since,
        ) = row
        if not tiers:
            continue
        out.setdefault(supplier_id, []).append(
            ListingRow(
                pk, currency, unit, moq, multiple, lead, sample, title_en, title_zh, sku,
                [(int(q), money(p)) for q, p in tiers], [(v[0], v[1], v[2], v[3]) for v in variants], since,
            )
        )  # fmt: skip
    return out


@dataclass
class Line:
    listing_id: int | None
    variant_id: int | None
    title: str
    variant_label: str
    sku: str
    unit: str
    quantity: int
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return money(self.unit_price * self.quantity)


@dataclass
class Draft:
    """An order as placed, before its life."""

    buyer: Buyer
    user: int
    supplier: TradingSupplier
    kind: str
    currency: str
    incoterm: str
    place: str
    terms: str
    deposit: int | None
    note: str
    lines: list[Line]
    lead_time: int | None
    language: str
    source: str
    quote_id: int | None = None
    award_note: dict[str, Any] | None = None
    events: list[tuple] = field(default_factory=list)


class OrderMaker:
    """Writes orders from carts and from accepted quotes, each walked through its life."""

    def __init__(self, rng: random.Random, ids: Ids, rows: Rows, calendar: Calendar, staff: int) -> None:
        self.rng, self.ids, self.rows, self.calendar = rng, ids, rows, calendar
        self.staff = staff  # the platform staff member who decides disputes
        self.until = calendar.until
        self.incoterms = [name for name, _w in INCOTERMS]
        self.incoterm_weights = [w for _name, w in INCOTERMS]
        self.numbers: list[int] = []
        self.auto_release = datetime.timedelta(days=settings.PROTECTION_AUTO_RELEASE_DAYS)

    def _number(self) -> int:
        if not self.numbers:
            self.numbers = list(reversed(self.ids.order_numbers(5000)))
        return self.numbers.pop()

    # --- orders from the cart ------------------------------------------------------------------

    def from_cart(self, supplier: TradingSupplier, buyer: Buyer, listings: list[ListingRow], placed: Any) -> None:
        rng = self.rng
        user = pick(rng, buyer.users)
        samples = [listing for listing in listings if listing.sample_price is not None]
        if samples and rng.random() < SAMPLE_SHARE:
            listing = pick(rng, samples)
            assert listing.sample_price is not None
            line = Line(listing.id, None, self._title(listing, buyer), "", listing.sku, listing.unit, 1,
                        listing.sample_price)  # fmt: skip
            draft = Draft(
                buyer, user, supplier, OrderKind.SAMPLE, listing.currency, rng.choice(("EXW", "FOB")),
                supplier.city_en, PaymentTerms.PREPAID, None, "", [line], None, buyer.language,
                Purchase.Source.CART,
            )  # fmt: skip
            self._write(draft, placed)
            return
        # The listings out longest sell most (Zipf-like).
        first = listings[min(int(rng.paretovariate(1.0)) - 1, len(listings) - 1)]
        chosen = [first]
        for _n in range(rng.choice((0, 0, 0, 1, 1, 2))):
            other = pick(rng, listings)
            if other.currency == first.currency and other not in chosen:
                chosen.append(other)
        lines = [self._bulk_line(listing, buyer) for listing in chosen]
        incoterm = rng.choices(self.incoterms, weights=self.incoterm_weights)[0]
        terms, deposit = self._payment_terms(buyer, placed)
        draft = Draft(
            buyer, user, supplier, OrderKind.BULK, first.currency, incoterm, self._place(incoterm, supplier, buyer),
            terms, deposit, pick(rng, WORDS["order_notes"]), lines, max(listing.lead_time_days for listing in chosen),
            buyer.language, Purchase.Source.API if rng.random() < 0.12 else Purchase.Source.CART,
        )  # fmt: skip
        self._write(draft, placed)

    def _title(self, listing: ListingRow, buyer: Buyer) -> str:
        return listing.title_zh if buyer.language.startswith("zh") else listing.title_en

    def _bulk_line(self, listing: ListingRow, buyer: Buyer) -> Line:
        """A line that keeps the listing's quantity rules: at least the MOQ (the variant's own, if
        higher), in whole order multiples; priced by the tier its quantity reaches."""
        rng = self.rng
        variant = pick(rng, listing.variants) if listing.variants else None
        minimum = max(listing.moq, (variant[3] or 0) if variant else 0)
        factor = rng.choice((1, 1, 1, 2, 2, 3, 5, 10))
        quantity = round_up(max(1, minimum * factor), listing.order_multiple)
        return Line(
            listing.id, variant[0] if variant else None, self._title(listing, buyer), variant[2] if variant else "",
            (variant[1] if variant and variant[1] else listing.sku), listing.unit, quantity,
            listing.price_for(quantity),
        )  # fmt: skip

    def _payment_terms(self, buyer: Buyer, placed: Any) -> tuple[str, int | None]:
        r = self.rng.random()
        if buyer.net_terms_since is not None and buyer.net_terms_since <= placed and r < 0.6:
            return (PaymentTerms.NET30 if r < 0.4 else PaymentTerms.NET60), None
        r = self.rng.random()
        if r < 0.55:
            return PaymentTerms.PREPAID, None
        if r < 0.92:
            return PaymentTerms.DEPOSIT, self.rng.choice((20, 30, 30, 50))
        return PaymentTerms.LC, None

    def _place(self, incoterm: str, supplier: TradingSupplier, buyer: Buyer) -> str:
        # Terms of the F and E groups name a place at the seller's end, the others the buyer's port.
        return supplier.city_en if incoterm in ("FOB", "EXW", "FCA") else buyer.port

    # --- orders from an award --------------------------------------------------------------------

    def from_quote(
        self,
        *,
        purchase_id: int,
        rfq: dict[str, Any],
        quote: dict[str, Any],
        quantity: int,
        supplier: TradingSupplier,
        buyer: Buyer,
        user: int,
        awarded_at: Any,
    ) -> tuple[int, str]:
        """The order an accepted quote makes (orders.services.award._order_from_quote); returns its
        id and number."""
        with_freight = quote["incoterm"] != rfq["incoterm"] and quote["freight_total"] is not None
        same_terms = quote["incoterm"] == rfq["incoterm"] or with_freight
        with translation.override(buyer.language):
            note = _("From your request for quotation “%(title)s”.") % {"title": rfq["title"]}
            lines = [Line(None, None, rfq["title"], "", "", rfq["unit"], quantity, quote["unit_price"])]
            if with_freight:
                title = _("Freight to %(country)s (%(incoterm)s)") % {
                    "country": country_name(rfq["destination_country"]),
                    "incoterm": rfq["incoterm"],
                }
                lines.append(Line(None, None, title, "", "", "unit", 1, money(quote["freight_total"])))
        draft = Draft(
            buyer, user, supplier, OrderKind.BULK, quote["currency"],
            rfq["incoterm"] if same_terms else quote["incoterm"],
            rfq["incoterm_place"] if same_terms else quote["incoterm_place"],
            PaymentTerms.PREPAID, None, note, lines, quote["lead_time_days"], buyer.language, Purchase.Source.RFQ,
            quote_id=quote["id"],
        )  # fmt: skip
        draft.award_note = {
            "rfq": rfq["id"], "quote": quote["id"], "awarded_quantity": quantity, "awarded_by": user,
            "unit_price": str(quote["unit_price"]),
            "freight": str(quote["freight_total"]) if with_freight else None,
        }  # fmt: skip
        return self._write(draft, awarded_at, purchase_id=purchase_id)

    # --- writing and walking -----------------------------------------------------------------------

    def _write(self, d: Draft, placed: Any, purchase_id: int | None = None) -> tuple[int, str]:
        rng, rows, ids = self.rng, self.rows, self.ids
        if purchase_id is None:
            purchase_id = ids.next(Purchase)
            key = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            rows.add("purchases", purchase_id, d.buyer.id, d.user, d.source, key, hex_digest(rng), placed)
        order_id = ids.next(Order)
        number = f"PO-{placed.year}-{self._number():06d}"
        subtotal = sum((line.total for line in d.lines), Decimal("0"))
        for position, line in enumerate(d.lines):
            rows.add(
                "order lines", order_id, line.listing_id, line.variant_id, line.title[:200], line.variant_label[:200],
                line.sku[:64], line.unit, line.quantity, line.unit_price, line.total, False, position, Decimal("0"),
            )  # fmt: skip
        placed_data: dict[str, Any] = {
            "purchase": purchase_id, "source": d.source, "sample_credit": "0", "lead_time_days": d.lead_time,
        }  # fmt: skip
        if d.quote_id is not None:
            placed_data["quote"] = d.quote_id
        life = Life(self, d, order_id, subtotal, placed)
        life.event("placed", "", "placed", BUYER, d.user, placed, data=placed_data)
        if d.award_note is not None:
            life.event("note", "placed", "placed", BUYER, d.user, placed, note=d.note, data=d.award_note)
        with contextlib.suppress(Stop):  # the year ended before the order's life did
            life.walk()
        o, s = life, life.stamps
        rows.add(
            "orders", order_id, number, purchase_id, d.buyer.id, d.user, d.supplier.id, d.kind, o.status, d.currency,
            d.incoterm, d.place, d.terms, d.deposit, d.buyer.billing, d.buyer.address, d.buyer.country, d.note,
            subtotal, Decimal("0"), o.freight, o.insurance, o.total, d.lead_time, d.quote_id, d.language,
            o.carrier, o.tracking, o.cancel_reason, o.cancelled_by, s.get("confirmed"), s.get("deposit_paid"),
            s.get("paid"), s.get("shipped"), s.get("delivered"), s.get("completed"), s.get("cancelled"), placed,
            o.updated,
        )  # fmt: skip
        life.write_protection()
        return order_id, number
