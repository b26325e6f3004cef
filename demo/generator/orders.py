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

from demo.generator.parties import Buyer, TradingSupplier
from demo.generator.plans import round_up
from demo.generator.tradebase import (
    WORDS,
    Calendar,
    Ids,
    Rows,
    data,
    hex_digest,
    hours,
    money,
    pick,
)
from marketplace.i18n import country_name
from orders.models import (
    CHARGES,
    PAID_BEFORE_SHIPPING,
    Dispute,
    Order,
    OrderKind,
    Party,
    PaymentTerms,
    Protection,
    ProtectionEvent,
    Purchase,
)

BUYER, SUPPLIER, SYSTEM, STAFF = Party.BUYER.value, Party.SUPPLIER.value, Party.SYSTEM.value, Party.STAFF.value
PROTECTED_SHARE = 0.45
DISPUTE_SHARE = 0.04  # of protected orders that arrive
DISPUTE_REASONS = (("quality", 35), ("not_as_described", 25), ("quantity", 15), ("damaged", 12), ("not_received", 8),
                   ("other", 5))  # fmt: skip
SAMPLE_SHARE = 0.12
INCOTERMS = (("FOB", 45), ("EXW", 9), ("FCA", 4), ("CIF", 20), ("CFR", 8), ("DAP", 6), ("DDP", 8))
SEA = ("COSCO Shipping Lines", "Maersk", "MSC", "Evergreen Line", "ONE")
EXPRESS = ("DHL Express", "FedEx", "SF Express")
OVERLAND = {"KZ", "UZ", "RU", "PL", "DE"}  # China Railway Express reaches them


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


class Stop(Exception):
    """The generated year ends before the next step."""


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


class Life:
    """One order's steps after placing, in time, until it ends or the year does."""

    def __init__(self, maker: OrderMaker, draft: Draft, order_id: int, subtotal: Decimal, placed: Any) -> None:
        self.m, self.d, self.id = maker, draft, order_id
        self.rng = maker.rng
        self.subtotal = self.total = subtotal
        self.freight: Decimal | None = None
        self.insurance: Decimal | None = None
        self.status = "placed"
        self.t = self.updated = placed
        self.stamps: dict[str, Any] = {}
        self.carrier = self.tracking = self.cancel_reason = self.cancelled_by = ""
        self.protection: dict[str, Any] | None = None
        self.disputes: list[dict[str, Any]] = []

    # --- rows ------------------------------------------------------------------------------------

    def event(
        self, kind: str, from_status: str, to_status: str, party: str, actor: int | None, when: Any,
        note: str = "", data: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        self.m.rows.add("order events", self.id, actor, party, kind, from_status, to_status, note, _data(data), when)

    def later(self, wait: datetime.timedelta) -> Any:
        """Move the clock on by `wait`; Stop when that is past the end of the year."""
        when = self.t + max(wait, datetime.timedelta(minutes=3))
        if when >= self.m.until:
            raise Stop
        self.t = when
        return when

    def step(self, to_status: str, party: str, actor: int | None, *, kind: str | None = None, **extra: Any) -> None:
        """orders.services.transitions._transition: the status, its timestamp and its event."""
        from_status, self.status = self.status, to_status
        self.stamps.setdefault(to_status, self.t)
        if to_status == "confirmed":
            self.stamps["confirmed"] = self.t
        self.updated = self.t
        self.event(kind or to_status, from_status, to_status, party, actor, self.t, **extra)

    # --- the walk --------------------------------------------------------------------------------

    def walk(self) -> None:
        d, rng = self.d, self.rng
        supplier_user, buyer_user = d.supplier.user_id, d.user
        self.later(hours(rng, d.supplier.answer_hours * 2))
        if rng.random() < 0.06:
            return self.cancel(BUYER if rng.random() < 0.6 else SUPPLIER)
        self.confirm(supplier_user, buyer_user)
        if self.status == "cancelled":
            return None
        protected = d.terms in PAID_BEFORE_SHIPPING and self.total > 0 and rng.random() < PROTECTED_SHARE
        if protected:
            self.later(hours(rng, 5))
            self.protection_open()
        if rng.random() < 0.04:
            self.later(hours(rng, 30))
            return self.cancel(BUYER if rng.random() < 0.5 else SUPPLIER)
        production = datetime.timedelta(days=(d.lead_time or 3) * rng.uniform(0.7, 1.15))
        if d.terms == PaymentTerms.PREPAID:
            self.later(hours(rng, 40))
            self.pay("paid")
            self.later(production if d.kind == OrderKind.BULK else hours(rng, 48))
            self.ship()
            self.deliver()
        elif d.terms == PaymentTerms.DEPOSIT:
            self.later(hours(rng, 40))
            self.pay("deposit_paid")
            self.later(production)
            self.pay("paid")
            self.later(hours(rng, 40))
            self.ship()
            self.deliver()
        elif d.terms in (PaymentTerms.NET30, PaymentTerms.NET60):
            self.later(production)
            self.ship()
            shipped = self.t
            self.deliver()
            net = 30 if d.terms == PaymentTerms.NET30 else 60
            due = shipped + datetime.timedelta(days=net + rng.uniform(-8, 6))
            self.later(max(due - self.t, hours(rng, 24)))
            self.pay("paid")
        else:  # a letter of credit: the bank pays against the documents, before the goods arrive
            self.later(production)
            self.ship()
            shipped = self.t
            self.later(datetime.timedelta(days=rng.uniform(3, 10)))
            self.pay("paid")
            arrival = shipped + self.transit()
            self.later(max(arrival - self.t, hours(rng, 24)))
            self.step("delivered", BUYER, buyer_user)
        if rng.random() < 0.1:
            return None  # the buyer never closes it
        self.later(datetime.timedelta(days=rng.uniform(0.5, 10)))
        self.step("completed", BUYER, buyer_user)
        if rng.random() < 0.45:
            self.later(datetime.timedelta(days=rng.uniform(0, 6)))
            self.rate()
        return None

    def confirm(self, supplier_user: int, buyer_user: int) -> None:
        """order_confirm (and order_accept_terms): charges the Incoterm has the seller pay, set by
        the supplier; a changed total is proposed and binds once the buyer accepts it."""
        rng, d = self.rng, self.d
        needed = () if d.quote_id else CHARGES.get(d.incoterm, ())
        if not needed:
            return self.step("confirmed", SUPPLIER, supplier_user, data={"total": str(self.total)})
        included = rng.random() < 0.15
        self.freight = Decimal("0.00") if included else money(round(float(self.subtotal) * rng.uniform(0.03, 0.12), -1))
        if "insurance" in needed:
            self.insurance = Decimal("0.00") if included else money(float(self.subtotal + self.freight) * 0.003)
        self.total = self.subtotal + self.freight + (self.insurance or Decimal("0"))
        charges = {
            "freight": str(self.freight),
            **({"insurance": str(self.insurance)} if self.insurance is not None else {}),
        }
        charges["total"] = str(self.total)
        if self.total == self.subtotal:
            return self.step("confirmed", SUPPLIER, supplier_user, data=charges)
        self.step("proposed", SUPPLIER, supplier_user, data=charges)
        self.later(hours(rng, 20))
        if rng.random() < 0.08:
            return self.cancel(BUYER)
        return self.step("confirmed", BUYER, buyer_user, data={"total": str(self.total)})

    def cancel(self, party: str) -> None:
        reason = pick(self.rng, WORDS["cancel_reasons"][party])
        actor = self.d.user if party == BUYER else self.d.supplier.user_id
        self.cancel_reason, self.cancelled_by = reason, party
        self.step("cancelled", party, actor, note=reason)
        p = self.protection
        if p is not None and p["status"] == Protection.Status.AWAITING_PAYMENT:
            # Nothing was paid in yet: the protection ends with the order, moving no money.
            self.protection_event("cancelled", party, actor, to_status=Protection.Status.CANCELLED)
            p["closed_at"] = self.t

    def pay(self, to_status: str) -> None:
        """The supplier records the payment, or for a protected order the platform does
        (orders.services.protection.protection_payment_record, by the payment adapter)."""
        p = self.protection
        if p is None:
            self.step(to_status, SUPPLIER, self.d.supplier.user_id)
            return
        deposit = money(self.total * self.d.deposit / 100) if self.d.deposit else None
        amount = deposit if to_status == "deposit_paid" and deposit else self.total - p["paid"]
        reference = f"PAY-{self.rng.getrandbits(40):010X}"
        event = self.protection_event("paid", SYSTEM, None, data={"amount": str(amount), "reference": reference})
        self.ledger(event, "buyer", "escrow", amount)
        p["paid"] += amount
        if to_status == "deposit_paid":
            self.step("deposit_paid", SYSTEM, None, data=None)
            return
        p["held_at"] = self.t
        self.protection_event("held", SYSTEM, None, to_status=Protection.Status.HELD)
        self.step("paid", SYSTEM, None)

    def ship(self) -> None:
        rng, d = self.rng, self.d
        if d.kind == OrderKind.SAMPLE:
            carrier = rng.choice(EXPRESS)
        elif d.buyer.country in OVERLAND and rng.random() < 0.4:
            carrier = "China Railway Express"
        else:
            carrier = rng.choice(SEA)
        prefix = dict(WORDS["carriers"])[carrier]
        self.carrier, self.tracking = carrier, f"{prefix}{rng.randrange(10**9, 10**10)}"
        self.step(
            "shipped", SUPPLIER, d.supplier.user_id, data={"carrier": self.carrier, "tracking_number": self.tracking}
        )
        p = self.protection
        if p is not None and p["status"] == Protection.Status.HELD:
            p["release_due_at"] = self.t + self.m.auto_release
            self.protection_event(
                "release_due_set", SUPPLIER, d.supplier.user_id,
                data={"release_due_at": p["release_due_at"].isoformat()},
            )  # fmt: skip

    def transit(self) -> datetime.timedelta:
        # Well inside the protection's automatic release: the buyer confirms delivery first.
        if self.d.kind == OrderKind.SAMPLE:
            return datetime.timedelta(days=self.rng.uniform(2, 7))
        return datetime.timedelta(days=self.rng.uniform(6, 26))

    def deliver(self) -> None:
        self.later(self.transit())
        p = self.protection
        if p is not None and p["status"] == Protection.Status.HELD and self.rng.random() < DISPUTE_SHARE:
            self.dispute()  # the buyer confirms the delivery once it is decided (or never: refunded)
            self.later(hours(self.rng, 30))
        self.step("delivered", BUYER, self.d.user)
        if p is not None and p["status"] == Protection.Status.HELD:
            held = p["paid"]
            event = self.protection_event(
                "released", BUYER, self.d.user, to_status=Protection.Status.RELEASED, data={"amount": str(held)}
            )
            self.ledger(event, "escrow", "supplier", held)
            p["closed_at"] = self.t

    def rate(self) -> None:
        stars = self.rng.choices((5, 4, 3, 2, 1), weights=(55, 30, 10, 3, 2))[0]
        text = pick(self.rng, WORDS["rating_texts"]) if stars >= 3 else "Quality below the sample; slow answers."
        d = self.d
        self.m.rows.add("ratings", self.id, d.buyer.id, d.supplier.id, stars, text, d.user, self.t)
        self.event("rated", "completed", "completed", BUYER, d.user, self.t, note=text, data={"stars": stars})

    def dispute(self) -> None:
        """orders.services.disputes: the buyer disputes the goods while the funds are held, the
        supplier answers (mostly), staff decide: release, partial refund, or a full refund that
        cancels the order. Stop when the year ends first, or when the order is cancelled."""
        rng, d, p = self.rng, self.d, self.protection
        assert p is not None
        reason = rng.choices([r for r, _w in DISPUTE_REASONS], weights=[w for _r, w in DISPUTE_REASONS])[0]
        held = p["paid"]
        requested = money(held * Decimal(str(round(rng.uniform(0.1, 0.5), 2)))) if rng.random() < 0.5 else None
        row: dict[str, Any] = {
            "id": self.m.ids.next(Dispute), "status": Dispute.Status.OPEN, "reason": reason,
            "description": pick(rng, WORDS["dispute_descriptions"][reason]), "refund_requested": requested,
            "answer": "", "answered_by": None, "answered_at": None, "decision": "", "refund_amount": None,
            "decision_reason": "", "decided_by": None, "decided_at": None, "created_at": self.t, "updated_at": self.t,
        }  # fmt: skip
        self.disputes.append(row)
        self.protection_event(
            "dispute_opened", BUYER, d.user, dispute=row["id"], note=row["description"],
            data={"reason": reason, "refund_requested": str(requested) if requested else None, "files": 0},
        )  # fmt: skip
        if rng.random() < 0.85:
            self.later(hours(rng, d.supplier.answer_hours * 2))
            row.update(status=Dispute.Status.ANSWERED, answer=pick(rng, WORDS["dispute_answers"]),
                       answered_by=d.supplier.user_id, answered_at=self.t, updated_at=self.t)  # fmt: skip
            self.protection_event(
                "dispute_answered", SUPPLIER, d.supplier.user_id, dispute=row["id"], note=row["answer"],
                data={"files": 0},
            )  # fmt: skip
        self.later(datetime.timedelta(days=rng.uniform(1, 6)))
        decision = rng.choices(list(Dispute.Decision.values), weights=(40, 35, 25))[0]
        why, staff = pick(rng, WORDS["dispute_reasons"]), self.m.staff
        if decision == Dispute.Decision.PARTIAL_REFUND:
            refund = min(requested or money(held * Decimal("0.2")), held - Decimal("0.01"))
            if refund <= 0:
                decision, refund = Dispute.Decision.RELEASE, Decimal("0")
        else:
            refund = held if decision == Dispute.Decision.REFUND else Decimal("0")
        if decision == Dispute.Decision.RELEASE:
            event = self.protection_event(
                "released", STAFF, staff, to_status=Protection.Status.RELEASED, dispute=row["id"], note=why,
                data={"amount": str(held)},
            )  # fmt: skip
            self.ledger(event, "escrow", "supplier", held)
        else:
            rest = held - refund
            status = Protection.Status.REFUNDED if rest == 0 else Protection.Status.PARTIALLY_REFUNDED
            event = self.protection_event(
                "refunded", STAFF, staff, to_status=status, dispute=row["id"], note=why,
                data={"amount": str(refund), "released": str(rest)},
            )  # fmt: skip
            self.ledger(event, "escrow", "buyer", refund)
            if rest:
                event = self.protection_event(
                    "released", STAFF, staff, dispute=row["id"], note=why, data={"amount": str(rest)}
                )
                self.ledger(event, "escrow", "supplier", rest)
        p["closed_at"] = self.t
        row.update(status=Dispute.Status.DECIDED, decision=decision, decision_reason=why, refund_amount=refund,
                   decided_by=staff, decided_at=self.t, updated_at=self.t)  # fmt: skip
        cancels = decision == Dispute.Decision.REFUND and self.status in ("paid", "shipped")
        if cancels:
            self.cancel_reason, self.cancelled_by = why, STAFF
            self.step("cancelled", STAFF, staff, note=why)
        self.protection_event(
            "dispute_decided", STAFF, staff, dispute=row["id"], note=why,
            data={"decision": decision, "refunded": str(refund), "released": str(held - refund)},
        )  # fmt: skip
        if cancels:
            raise Stop

    # --- protection --------------------------------------------------------------------------------

    def protection_open(self) -> None:
        """orders.services.protection.protection_open, chosen by the buyer once the order is confirmed."""
        self.protection = {
            "id": self.m.ids.next(Protection), "status": Protection.Status.AWAITING_PAYMENT, "amount": self.total,
            "paid": Decimal("0"), "created_at": self.t, "updated_at": self.t, "held_at": None, "closed_at": None,
            "release_due_at": None,
        }  # fmt: skip
        self.protection_event("opened", BUYER, self.d.user, data={"amount": str(self.total)})

    def protection_event(
        self,
        kind: str,
        party: str,
        actor: int | None,
        *,
        to_status: str | None = None,
        data: dict[str, Any] | None = None,
        dispute: int | None = None,
        note: str = "",
    ) -> int:
        p = self.protection
        assert p is not None
        from_status = "" if kind == "opened" else p["status"]
        if to_status is not None:
            p["status"] = to_status
        p["updated_at"] = self.t
        event_id = self.m.ids.next(ProtectionEvent)
        self.m.rows.add(
            "protection events", event_id, p["id"], self.id, dispute, actor, party, kind, from_status, p["status"],
            note, _data(data), self.t,
        )  # fmt: skip
        return event_id

    def ledger(self, event_id: int, source: str, target: str, amount: Decimal) -> None:
        """orders.services.protection.move: the account money leaves is credited, the one it reaches debited."""
        currency = self.d.currency
        self.m.rows.add("ledger entries", event_id, self.id, source, currency, Decimal("0"), amount, self.t)
        self.m.rows.add("ledger entries", event_id, self.id, target, currency, amount, Decimal("0"), self.t)

    def write_protection(self) -> None:
        p = self.protection
        if p is None:
            return
        for row in self.disputes:
            self.m.rows.add(
                "disputes", row["id"], self.id, p["id"], row["status"], row["reason"], row["description"],
                row["refund_requested"], self.d.user, row["answer"], row["answered_by"], row["answered_at"],
                row["decision"], row["refund_amount"], row["decision_reason"], row["decided_by"], row["decided_at"],
                row["created_at"], row["updated_at"],
            )  # fmt: skip
        self.m.rows.add(
            "protections", p["id"], self.id, p["status"], self.d.currency, p["amount"], p["release_due_at"],
            self.d.user, p["held_at"], p["closed_at"], p["created_at"], p["updated_at"],
        )  # fmt: skip


def _data(value: dict[str, Any] | None) -> str:
    return data(value)
