"""Generated inquiries and requests for quotation, written as buyers.services.inquiries and
orders.services.rfq / award write them.

Inquiries: a buyer's first message about a listing (or the supplier in general), the supplier's
answer after its own response time (some never answer), sometimes a follow-up and a second
answer; read marks and the first reply's time as the services keep them.

RFQs: posted, routed by the job to matching certified suppliers (as `rfq_matching_suppliers`
finds them, at most `rfq_reach` of them), quoted by some before the deadline, then awarded (one
quote, or two under group supply, each an order), cancelled by the buyer, closed by the job once
no quote is valid, or still open."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from belts.models import Category
from buyers.models import Inquiry
from demo.generator.orders import ListingRow, OrderMaker
from demo.generator.parties import LEVEL_RANK, Buyer, TradingSupplier
from demo.generator.tradebase import DAY, WORDS, Calendar, Ids, Rows, data, hex_digest, hours, money, pick
from demo.generator.vocabulary import LEAF_INDUSTRY
from orders.models import Purchase, Quote, Rfq
from suppliers.levels import PUBLIC_LEVELS

BUYER, SUPPLIER, SYSTEM = "buyer", "supplier", "system"
UNIT_ZH = {
    "piece": "件",
    "set": "套",
    "pair": "双",
    "metre": "米",
    "kg": "公斤",
    "tonne": "吨",
    "carton": "箱",
    "unit": "台",
}


def _fill(text: str, **values: Any) -> str:
    return text.format(**values)


class InquiryMaker:
    def __init__(self, rng: random.Random, ids: Ids, rows: Rows, calendar: Calendar) -> None:
        self.rng, self.ids, self.rows, self.calendar = rng, ids, rows, calendar
        self.until = calendar.until

    def make(self, supplier: TradingSupplier, buyer: Buyer, listings: list[ListingRow], start: Any) -> None:
        rng = self.rng
        listing = pick(rng, listings) if listings and rng.random() < 0.75 else None
        zh = buyer.language.startswith("zh")
        noun = (listing.title_zh if zh else listing.title_en) if listing else ("贵司产品" if zh else "products")
        unit = listing.unit if listing else "piece"
        qty = (listing.moq if listing else 100) * rng.choice((1, 2, 5, 10))
        values = {
            "noun": noun[:80], "qty": f"{qty:,}", "unit": unit, "unit_zh": UNIT_ZH.get(unit, "件"),
            "incoterm": rng.choice(("FOB", "CIF", "EXW")), "place": buyer.port, "city": buyer.city,
            "business": buyer.business, "days": rng.choice((7, 10, 15, 20, 25, 30)),
        }  # fmt: skip
        if zh:
            subject = _fill(pick(rng, WORDS["zh_subjects"]), **values)
            body = _fill(pick(rng, WORDS["zh_bodies"]), **values)
            answer = _fill(pick(rng, WORDS["zh_answers"]), **values)
        else:
            subject = _fill(pick(rng, WORDS["inquiry_subjects"]), **values)
            body = " ".join(
                (
                    _fill(pick(rng, WORDS["inquiry_openings"]), **values),
                    _fill(pick(rng, WORDS["inquiry_asks"]), **values),
                )
            )
            answer = _fill(pick(rng, WORDS["inquiry_answers"]), **values)
        user = pick(rng, buyer.users)
        inquiry_id = self.ids.next(Inquiry)
        messages = [(BUYER, user, body, start)]
        buyer_read = start  # inquiry_start: the writer has read its own message
        supplier_read = first_reply = None
        t = start
        if rng.random() < supplier.answers:
            t = t + hours(rng, supplier.answer_hours, 1.0)
            if t < self.until:
                messages.append((SUPPLIER, supplier.user_id, answer, t))
                supplier_read = first_reply = t
                follow = t + hours(rng, 10)
                if follow < self.until:
                    buyer_read = t + (follow - t) * rng.random()  # read before writing again, or not at all
                    if rng.random() < 0.45 and not zh:
                        messages.append((BUYER, user, pick(rng, WORDS["inquiry_follow_ups"]), follow))
                        buyer_read = follow
                        second = follow + hours(rng, supplier.answer_hours, 1.0)
                        if second < self.until and rng.random() < 0.8:
                            messages.append(
                                (SUPPLIER, supplier.user_id, pick(rng, WORDS["inquiry_second_answers"]), second)
                            )
                            supplier_read = second
                            later = second + hours(rng, 12)
                            buyer_read = later if later < self.until else buyer_read
        elif rng.random() < 0.6:
            seen = start + hours(rng, 20)
            supplier_read = seen if seen < self.until else None
        last = messages[-1][3]
        self.rows.add(
            "inquiries", inquiry_id, buyer.id, supplier.id, listing.id if listing else None, subject[:200], user, start,
            last, buyer_read, supplier_read, first_reply,
        )  # fmt: skip
        for party, author, text, when in messages:
            # Claimed by the notification at once (no attachment to wait for).
            self.rows.add("inquiry messages", inquiry_id, author, party, text, when, when, "clean", "", "")


class RfqMaker:
    """RFQs with their recipients, quotes, events and awards."""

    def __init__(
        self,
        rng: random.Random,
        ids: Ids,
        rows: Rows,
        calendar: Calendar,
        orders: OrderMaker,
        suppliers: list[TradingSupplier],
        reach: int,
    ) -> None:
        self.rng, self.ids, self.rows, self.calendar, self.orders = rng, ids, rows, calendar, orders
        self.until = calendar.until
        self.reach = reach
        self.suppliers = {s.id: s for s in suppliers}
        parents = dict(Category.objects.values_list("pk", "parent_id"))
        slugs = dict(Category.objects.values_list("pk", "slug"))
        # Leaves the vocabulary can name, by the suppliers that make them (main category or listing).
        self.leaves = sorted(pk for pk in parents if slugs[pk] in LEAF_INDUSTRY)
        self.slugs = slugs
        self.reached_by: dict[int, list[TradingSupplier]] = defaultdict(list)
        self.leaves_of: dict[int, list[int]] = defaultdict(list)  # supplier id → the leaves that reach it
        for supplier in suppliers:
            for leaf in self.leaves:
                main = {leaf, parents[leaf]} & supplier.main_categories
                if main or leaf in supplier.listed_categories:
                    self.reached_by[leaf].append(supplier)
                    self.leaves_of[supplier.id].append(leaf)
        self.matching: dict[tuple[int, int | None, str], list[TradingSupplier]] = {}

    def _matching(self, leaf: int, belt: int | None, level: str) -> list[TradingSupplier]:
        key = (leaf, belt, level)
        if key not in self.matching:
            rank = LEVEL_RANK[level]
            self.matching[key] = [
                s for s in self.reached_by[leaf] if LEVEL_RANK[s.level] >= rank and (belt is None or s.belt_id == belt)
            ]
        return self.matching[key]

    def make(self, buyer: Buyer, anchor: TradingSupplier, posted: Any) -> None:
        """One RFQ of `buyer` for something `anchor` makes (so that somebody can answer it)."""
        rng = self.rng
        leaves = self.leaves_of.get(anchor.id) or self.leaves
        leaf = pick(rng, leaves)
        industry = LEAF_INDUSTRY[self.slugs[leaf]]
        spec = industry.leaves[self.slugs[leaf]]
        noun_en, _noun_zh = spec.nouns.pick(rng)
        level = rng.choices(PUBLIC_LEVELS, weights=(70, 22, 8))[0]
        belt = anchor.belt_id if rng.random() < 0.4 else None
        matching = self._matching(leaf, belt, level)
        unit = pick(rng, spec.units)
        quantity = spec.moq_choice.pick(rng) * rng.choice((2, 3, 5, 10, 20))
        currency = "CNY" if buyer.country == "CN" else ("USD" if rng.random() < 0.85 else "CNY")
        base = rng.uniform(*spec.price) * (1000 if unit == "tonne" else 1)
        base = base / 7.1 if currency == "USD" else base
        target = money(base * rng.uniform(0.8, 1.0)) if rng.random() < 0.6 else None
        incoterm = rng.choices(("FOB", "CIF", "EXW", "DDP", "CFR"), weights=(45, 25, 10, 10, 10))[0]
        place = (
            buyer.port if incoterm in ("CIF", "DDP", "CFR") else pick(rng, ("Shanghai", "Ningbo", "Shenzhen", "Xiamen"))
        )
        deadline = (posted + datetime.timedelta(days=rng.randint(7, 21))).date()
        user = pick(rng, buyer.users)
        details = " ".join(
            _fill(pick(rng, WORDS["rfq_details"]), city=buyer.city, incoterm=incoterm, place=place)
            for _ in range(rng.randint(1, 3))
        )
        title = f"{quantity:,} {unit} {noun_en}"[:200]
        rfq: dict[str, Any] = {
            "id": self.ids.next(Rfq), "title": title, "unit": unit, "incoterm": incoterm, "incoterm_place": place,
            "destination_country": buyer.country, "currency": currency, "quantity": quantity,
        }  # fmt: skip
        allow_split = rng.random() < 0.7
        events: list[tuple] = [(None, user, BUYER, "posted", {}, posted)]
        routed = posted + datetime.timedelta(seconds=rng.randint(5, 90))  # the routing job, just after commit
        reached = rng.sample(matching, min(self.reach, len(matching)))
        if routed < self.until:
            events.append((None, None, SYSTEM, "routed", {"added": len(reached), "total": len(reached)}, routed))
        else:
            routed, reached = None, []
        # Quotes, before the deadline, each from a supplier the RFQ reached.
        end_of_deadline = datetime.datetime.combine(deadline, datetime.time(23, 59), tzinfo=posted.tzinfo)
        quotes: list[dict[str, Any]] = []
        recipients: list[tuple[TradingSupplier, Any]] = []
        for supplier in reached:
            quoted_at = None
            if rng.random() < 0.35 * supplier.answers:
                quoted_at = routed + hours(rng, max(2.0, supplier.answer_hours * 3), 1.0)
                if quoted_at >= min(self.until, end_of_deadline):
                    quoted_at = None
            seen = quoted_at - hours(rng, 1) if quoted_at else (routed + hours(rng, 20) if rng.random() < 0.6 else None)
            seen = max(seen, routed) if seen else None
            recipients.append((supplier, seen if seen and seen < self.until else None))
            if quoted_at is None:
                continue
            price = money(max(0.01, float(target or money(base)) * rng.uniform(0.85, 1.25)))
            q_quantity = (
                quantity if not allow_split or rng.random() < 0.7 else max(1, int(quantity * rng.uniform(0.3, 0.9)))
            )
            own_terms = rng.random() < 0.2 and incoterm != "FOB"
            quote_incoterm = "FOB" if own_terms else incoterm
            freight = money(float(price) * q_quantity * rng.uniform(0.03, 0.1)) if own_terms else None
            quotes.append({
                "id": self.ids.next(Quote), "supplier": supplier, "unit_price": price, "currency": currency,
                "moq": max(1, min(q_quantity, spec.moq_choice.items[0])), "quantity": q_quantity,
                "lead_time_days": rng.randint(7, 45), "incoterm": quote_incoterm,
                "incoterm_place": supplier.city_en if own_terms else place, "freight_total": freight,
                "valid_until": deadline + datetime.timedelta(days=rng.randint(10, 30)),
                "note": pick(rng, WORDS["quote_notes"]), "status": "submitted", "created_at": quoted_at,
                "updated_at": quoted_at, "accepted_quantity": None, "decided_by": None, "decided_at": None,
            })  # fmt: skip
            terms = {"unit_price": str(price), "currency": currency, "quantity": q_quantity}
            events.append((quotes[-1]["id"], supplier.user_id, SUPPLIER, "quoted", terms, quoted_at))
        quotes.sort(key=lambda q: q["created_at"])
        # The buyer's decision: an award some time after the last quote, or a cancellation.
        status, cancel_reason, cancelled_at, closed_at, updated = "open", "", None, None, routed or posted
        r = rng.random()
        decision = None
        if quotes and r < 0.45:
            decision = quotes[-1]["created_at"] + hours(rng, 30)
        elif r > 0.9:
            decision = posted + datetime.timedelta(days=rng.uniform(1, (deadline - posted.date()).days))
        # A few quotes are withdrawn again before the buyer decides.
        stop = min(self.until, end_of_deadline, decision or self.until)
        for quote in quotes:
            withdrawn = quote["created_at"] + hours(rng, 48)
            if rng.random() < 0.04 and withdrawn < stop:
                quote["status"], quote["updated_at"] = "withdrawn", withdrawn
                events.append((quote["id"], quote["supplier"].user_id, SUPPLIER, "withdrawn", {}, withdrawn))
        submitted = [q for q in quotes if q["status"] == "submitted"]
        if decision is not None and decision < self.until:
            if r < 0.45:
                if submitted and decision.date() <= min(q["valid_until"] for q in submitted):
                    status = "awarded"
            else:
                status, cancel_reason, cancelled_at = "cancelled", pick(rng, WORDS["rfq_cancel_reasons"]), decision
        if status == "awarded":
            self._award(rfq, buyer, user, submitted, allow_split, decision, events)
            updated = decision
        elif status == "cancelled":
            # Quotes after the cancellation never came: the RFQ took none.
            late = {q["id"] for q in quotes if q["created_at"] > cancelled_at}
            quotes = [q for q in quotes if q["id"] not in late]
            events = [e for e in events if e[0] not in late]
            events.append((None, user, BUYER, "cancelled", {"reason": cancel_reason}, cancelled_at))
            for quote in quotes:
                if quote["status"] == "submitted":
                    self._decline(quote, user, cancelled_at, "cancelled", events)
            updated = cancelled_at
        else:
            # rfq_close_expired: past the deadline with no quote still valid.
            valid = max((q["valid_until"] for q in quotes if q["status"] == "submitted"), default=deadline)
            closing = datetime.datetime.combine(max(valid, deadline) + DAY, datetime.time(1, 0), tzinfo=posted.tzinfo)
            if closing < self.until:
                status, closed_at, updated = "closed", closing, closing
                undecided = sum(1 for q in quotes if q["status"] == "submitted")
                events.append((None, None, SYSTEM, "closed", {"undecided_quotes": undecided}, closing))
        self.rows.add(
            "rfqs", rfq["id"], buyer.id, user, title, details, leaf, belt, quantity, unit, target, currency,
            buyer.country, incoterm, place, level, deadline, allow_split, status, routed, cancel_reason,
            user if cancelled_at else None, cancelled_at, closed_at, posted, updated,
        )  # fmt: skip
        quoted = {q["supplier"].id for q in quotes}
        for recipient, seen in recipients:
            # A supplier that quoted has seen the request.
            self.rows.add(
                "rfq recipients",
                rfq["id"],
                recipient.id,
                routed,
                routed,
                seen or routed if recipient.id in quoted else seen,
            )
        for q in quotes:
            self.rows.add(
                "quotes", q["id"], rfq["id"], q["supplier"].id, q["supplier"].user_id, q["unit_price"], q["currency"],
                q["moq"], q["quantity"], q["lead_time_days"], q["incoterm"], q["incoterm_place"], q["freight_total"],
                q["valid_until"], q["note"], q["status"], q["accepted_quantity"], q["decided_by"], q["decided_at"],
                q["created_at"], q["updated_at"],
            )  # fmt: skip
        for quote_id, actor, party, kind, payload, when in events:
            self.rows.add("rfq events", rfq["id"], quote_id, actor, party, kind, data(payload), when)

    def _decline(self, quote: dict[str, Any], user: int, when: Any, why: str, events: list[tuple]) -> None:
        quote.update(status="declined", decided_by=user, decided_at=when, updated_at=when)
        events.append((quote["id"], user, BUYER, "declined", {"why": why}, when))

    def _award(
        self,
        rfq: dict[str, Any],
        buyer: Buyer,
        user: int,
        submitted: list[dict[str, Any]],
        allow_split: bool,
        when: Any,
        events: list[tuple],
    ) -> None:
        """orders.services.award.rfq_award: one purchase, one order per accepted quote at its
        price, the other quotes declined."""
        rng = self.rng
        count = 2 if allow_split and len(submitted) >= 2 and rng.random() < 0.2 else 1
        accepted = sorted(rng.sample(submitted, count), key=lambda q: q["id"])
        purchase_id = self.ids.next(Purchase)
        key = f"rfq-{rfq['id']}-{rng.getrandbits(64):016x}"
        self.rows.add("purchases", purchase_id, buyer.id, user, Purchase.Source.RFQ, key, hex_digest(rng), when)
        left = rfq["quantity"]
        for quote in accepted:
            quantity = min(quote["quantity"], left)
            if quantity < quote["moq"]:
                continue
            left -= quantity
            _order_id, number = self.orders.from_quote(
                purchase_id=purchase_id, rfq=rfq, quote=quote, quantity=quantity, supplier=quote["supplier"],
                buyer=buyer, user=user, awarded_at=when,
            )  # fmt: skip
            quote.update(
                status="accepted", accepted_quantity=quantity, decided_by=user, decided_at=when, updated_at=when
            )
            events.append((quote["id"], user, BUYER, "awarded", {"quantity": quantity, "order": number}, when))
        for quote in submitted:
            if quote["status"] == "submitted":
                self._decline(quote, user, when, "awarded", events)
