"""A generated order's life after placing (demo.generator.orders places it): confirmation, terms,
payment and protection, shipping, delivery, disputes and cancellations, each step stamped and
written with its event as the order services write them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from demo.generator.tradebase import WORDS, data, hours, money, pick
from orders.models import (
    CHARGES,
    PAID_BEFORE_SHIPPING,
    Dispute,
    OrderKind,
    Party,
    PaymentTerms,
    Protection,
    ProtectionEvent,
)

if TYPE_CHECKING:
    from demo.generator.orders import Draft, OrderMaker

BUYER, SUPPLIER, SYSTEM, STAFF = Party.BUYER.value, Party.SUPPLIER.value, Party.SYSTEM.value, Party.STAFF.value
PROTECTED_SHARE = 0.45
DISPUTE_SHARE = 0.04  # of protected orders that arrive
DISPUTE_REASONS = (("quality", 35), ("not_as_described", 25), ("quantity", 15), ("damaged", 12), ("not_received", 8),
                   ("other", 5))  # fmt: skip
SEA = ("COSCO Shipping Lines", "Maersk", "MSC", "Evergreen Line", "ONE")
EXPRESS = ("DHL Express", "FedEx", "SF Express")
OVERLAND = {"KZ", "UZ", "RU", "PL", "DE"}  # China Railway Express reaches them


class Stop(Exception):
    """The generated year ends before the next step."""


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
