"""Requests for quotation: post, route to matching suppliers, quote, withdraw, cancel, close (the
award is `orders.services.award`).

Every write follows the house template: lock → guard → mutate → audit → side effects after
commit. The RFQ row is the lock everybody takes (posting a quote, withdrawing one, awarding), so
a quote can never change under an award that is being decided, and two awards of one RFQ queue
on it: the second sees "awarded" and is refused (or, with the same idempotency key, gets the
first one's purchase back).

Invariants kept:
- an RFQ reaches only suppliers whose certification is current and at least the required level,
  in its belt if it names one, and making its category (routing is idempotent: a recipient row
  per (rfq, supplier), each supplier's people emailed once);
- a supplier has one quote per RFQ, revised in place until the buyer decides;
- an award makes one purchase (idempotency key) with one order per awarded quote, each quantity
  within the quote's MOQ and quantity, all together at most the RFQ's quantity, and only from
  quotes still valid today;
- open is the only state that moves: open → awarded (the buyer's award), open → cancelled (the
  buyer's cancel, with a reason), open → closed (the hourly job, see `rfq_close_expired`).
  Awarded, cancelled and closed are final: no quote, no withdrawal, no award after them.
- every state change of an RFQ or a quote writes one immutable RfqEvent (posted, routed, quoted,
  quote_revised, withdrawn, awarded, declined, cancelled, closed), in the transaction and the
  service function that makes the change; a refused change writes none.
"""

import logging
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from belts.models import Belt, Category
from buyers.models import BuyerCompany, BuyerMember
from catalog.models import Listing
from marketplace.exceptions import ConflictError
from marketplace.i18n import validate_country_code
from marketplace.jobs import enqueue_on_commit
from marketplace.mail.services import mail_enqueue
from suppliers.levels import PUBLIC_LEVELS, CertificationLevel, levels_at_least
from suppliers.models import Supplier
from suppliers.selectors import supplier_for_member
from suppliers.services.notifications import supplier_notify

from ..models import Incoterm, Party, Quote, Rfq, RfqEvent, RfqRecipient
from .quote_terms import quote_terms_check, quote_terms_gap
from .rfq_attachments import rfq_attachments_precheck, rfq_attachments_receive
from .webhooks import webhook_emit_rfq_event, webhook_emit_rfq_received

logger = logging.getLogger(__name__)

MAX_QUANTITY = 1_000_000_000
MAX_PRICE = Decimal("9999999999.99")  # fits (12, 2)
MAX_TOTAL = Decimal("999999999999.99")  # fits (14, 2)


class RfqStateConflict(ConflictError):
    """The RFQ or quote is not in a state that allows this step now (409)."""


# --- helpers ------------------------------------------------------------------------------------


def _lock_rfq(rfq_id: int) -> Rfq:
    """The RFQ row, locked until the transaction ends: every write of an RFQ or its quotes starts here."""
    return Rfq.objects.select_for_update(of=("self",)).select_related("buyer").get(pk=rfq_id)


def _event(
    *,
    rfq: Rfq,
    kind: str,
    party: str,
    actor: User | None = None,
    quote: Quote | None = None,
    data: dict[str, Any] | None = None,
) -> RfqEvent:
    """The one audit row of a state change of `rfq` or one of its quotes, and its webhook
    deliveries (call in the change's transaction)."""
    event = RfqEvent.objects.create(rfq=rfq, quote=quote, actor=actor, party=party, kind=kind, data=data or {})
    webhook_emit_rfq_event(event, rfq)  # the buying company's (and an accepted quote's supplier's) webhooks
    return event


def _declined_events(*, rfq: Rfq, quotes: list[Quote], actor: User, why: str) -> None:
    """One `declined` event per quote the buyer's award or cancel declined (one INSERT)."""
    RfqEvent.objects.bulk_create(
        RfqEvent(rfq=rfq, quote=q, actor=actor, party=Party.BUYER, kind=RfqEvent.Kind.DECLINED, data={"why": why})
        for q in quotes
    )


def _require_buyer_member(*, buyer: BuyerCompany | int, actor: User) -> None:
    buyer_id = buyer if isinstance(buyer, int) else buyer.pk
    if not BuyerMember.objects.filter(user=actor, company_id=buyer_id).exists():
        raise PermissionDenied(_("Only people of the buying company can do this."))


def _supplier_of(actor: User) -> Supplier:
    supplier = supplier_for_member(user=actor)
    if supplier is None:
        raise PermissionDenied(_("Only suppliers can quote."))
    return supplier


def _text(value: Any, field: str, errors: dict[str, list[str]], *, required: bool, max_length: int) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[field] = [_("This field is required.")]
    elif len(text) > max_length:
        errors[field] = [_("Use at most %(n)d characters.") % {"n": max_length}]
    return text


def _int(value: Any, field: str, errors: dict[str, list[str]], *, minimum: int, maximum: int = MAX_QUANTITY) -> int:
    if isinstance(value, bool) or value is None or value == "":
        errors[field] = [_("Enter a whole number.")]
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = [_("Enter a whole number.")]
        return 0
    if str(number) != str(value).strip() and not isinstance(value, int):
        errors[field] = [_("Enter a whole number.")]
    elif not minimum <= number <= maximum:
        errors[field] = [_("Enter a whole number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum}]
    return number


def _decimal(
    value: Any, field: str, errors: dict[str, list[str]], *, required: bool, maximum: Decimal = MAX_PRICE
) -> Decimal | None:
    if value is None or value == "":
        if required:
            errors[field] = [_("This field is required.")]
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter an amount such as 12.50.")]
        return None
    if not number.is_finite() or number < 0 or number > maximum:
        errors[field] = [_("Enter an amount of 0 or more.")]
        return None
    if number != number.quantize(Decimal("0.01")):
        errors[field] = [_("Use at most two decimal places.")]
        return None
    return number


def _choice(value: Any, field: str, errors: dict[str, list[str]], choices: Iterable[str]) -> str:
    choice = str(value or "")
    if choice not in set(choices):
        errors[field] = [_("Choose one of the options.")]
    return choice


# --- posting and routing ------------------------------------------------------------------------


@transaction.atomic
def rfq_post(
    *,
    buyer: BuyerCompany,
    actor: User,
    title: str,
    details: str = "",
    category: Category | None,
    belt: Belt | None = None,
    quantity: int,
    unit: str,
    target_price: Decimal | str | None = None,
    currency: str,
    destination_country: str,
    incoterm: str,
    incoterm_place: str = "",
    required_level: str = CertificationLevel.VERIFIED,
    deadline: date,
    allow_split: bool = True,
    attachments: Sequence["UploadedFile[bytes]"] = (),
) -> Rfq:
    """Post an RFQ for `buyer` (its members only), with up to RFQ_ATTACHMENTS_MAX files (drawings,
    specifications: checked in the worker, `orders.services.rfq_attachments`), and queue its
    routing after commit. Raises ValidationError by field (the deadline must be in the future)."""
    _require_buyer_member(buyer=buyer, actor=actor)
    errors: dict[str, list[str]] = {}
    fields = {
        "title": _text(title, "title", errors, required=True, max_length=200),
        "details": _text(details, "details", errors, required=False, max_length=5000),
        "quantity": _int(quantity, "quantity", errors, minimum=1),
        "unit": _choice(unit, "unit", errors, Listing.Unit.values),
        "target_price": _decimal(target_price, "target_price", errors, required=False),
        "currency": _choice(currency, "currency", errors, Listing.Currency.values),
        "incoterm": _choice(incoterm, "incoterm", errors, Incoterm.values),
        "incoterm_place": _text(incoterm_place, "incoterm_place", errors, required=False, max_length=120),
        "required_level": _choice(required_level, "required_level", errors, PUBLIC_LEVELS),
        "allow_split": bool(allow_split),
    }
    if category is None:
        errors["category"] = [_("Choose the category of what you want, so the request reaches the right factories.")]
    country = str(destination_country or "").strip().upper()
    try:
        validate_country_code(country)
    except ValidationError as exc:
        errors["destination_country"] = exc.messages
    if not isinstance(deadline, date) or deadline <= timezone.localdate():
        errors["deadline"] = [_("Choose a deadline in the future.")]
    if problems := rfq_attachments_precheck(list(attachments or ())):
        errors["attachments"] = problems
    if errors:
        raise ValidationError(errors)
    rfq = Rfq.objects.create(
        buyer=buyer,
        created_by=actor,
        category=category,
        belt=belt,
        destination_country=country,
        deadline=deadline,
        **fields,
    )
    files = rfq_attachments_receive(rfq=rfq, actor=actor, uploads=list(attachments or ()))
    _event(
        rfq=rfq,
        kind=RfqEvent.Kind.POSTED,
        party=Party.BUYER,
        actor=actor,
        data={"files": len(files)} if files else None,
    )
    from ..tasks import rfq_route_task

    enqueue_on_commit(rfq_route_task, rfq.pk)  # the broker down: the routing sweep routes it
    return rfq


def _category_and_below(category: Category) -> list[int]:
    """The category's id and those of all its sub-categories (the tree is shallow: one query a level)."""
    ids, level = [category.pk], [category.pk]
    while level:
        level = list(Category.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        level = [pk for pk in level if pk not in ids]
        ids.extend(level)
    return ids


def rfq_matching_suppliers(*, rfq: Rfq) -> QuerySet[Supplier]:
    """The suppliers an RFQ should reach: currently publicly certified, at least the required
    level, in the RFQ's belt when it names one, and making its category: one of their main
    categories is the category or its parent, or they have a public listing in the category or a
    sub-category of it."""
    suppliers = Supplier.objects.certified().filter(certification_level__in=levels_at_least(rfq.required_level))
    if rfq.belt_id:
        suppliers = suppliers.filter(belt_id=rfq.belt_id)
    category = rfq.category  # no query without a category
    if category is not None:
        main = [pk for pk in (category.pk, category.parent_id) if pk]
        listed = Listing.objects.public().filter(category_id__in=_category_and_below(category))
        suppliers = suppliers.filter(
            Q(pk__in=Supplier.objects.filter(main_categories__in=main).values("pk"))
            | Q(pk__in=listed.values("supplier_id"))
        )
    return suppliers.order_by("pk")


@transaction.atomic
def rfq_route(*, rfq_id: int) -> int:
    """The background job: route an open RFQ to its matching suppliers and email each one's people
    once, after commit; tell the buyer when nobody matched. Safe to run twice: recipients are
    unique per (rfq, supplier) and each is claimed for emailing by `notified_at`. Returns how many
    suppliers the RFQ has reached in all."""
    rfq = Rfq.objects.select_for_update(of=("self",)).select_related("category", "buyer").filter(pk=rfq_id).first()
    if rfq is None:  # a job queued for an RFQ that no longer exists (a database reset): nothing to route
        logger.info("rfq_route: RFQ %s does not exist; job dropped", rfq_id)
        return 0
    if rfq.status != Rfq.Status.OPEN:
        return rfq.recipients.count()
    now = timezone.now()
    first_run = rfq.routed_at is None
    matching = list(rfq_matching_suppliers(rfq=rfq).values_list("pk", flat=True))
    before = rfq.recipients.count()
    RfqRecipient.objects.bulk_create(
        [RfqRecipient(rfq=rfq, supplier_id=pk, routed_at=now) for pk in matching], ignore_conflicts=True
    )
    if first_run:
        rfq.routed_at = now
        rfq.save(update_fields=["routed_at", "updated_at"])
    # Claim the recipients nobody emailed yet (a second run finds none).
    to_notify = list(
        RfqRecipient.objects.filter(rfq=rfq, notified_at__isnull=True).select_related("supplier").order_by("pk")
    )
    RfqRecipient.objects.filter(pk__in=[r.pk for r in to_notify]).update(notified_at=now)
    for recipient in to_notify:
        _email_supplier(recipient.supplier, "rfq_routed", {"rfq": rfq})
    webhook_emit_rfq_received(rfq=rfq, supplier_ids=[r.supplier_id for r in to_notify])  # once: claimed above
    total = rfq.recipients.count()
    if first_run or total > before:  # a run that reached nobody new changed nothing: no event
        _event(rfq=rfq, kind=RfqEvent.Kind.ROUTED, party=Party.SYSTEM, data={"added": total - before, "total": total})
    if first_run and total == 0:
        _email_buyer(rfq, "rfq_no_match", {"rfq": rfq})
    return total


# --- quotes -------------------------------------------------------------------------------------


def _quote_fields(rfq: Rfq, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {
        "unit_price": _decimal(data.get("unit_price"), "unit_price", errors, required=True),
        "currency": _choice(data.get("currency") or rfq.currency, "currency", errors, Listing.Currency.values),
        "moq": _int(data.get("moq"), "moq", errors, minimum=1),
        "quantity": _int(data.get("quantity"), "quantity", errors, minimum=1, maximum=rfq.quantity),
        "lead_time_days": _int(data.get("lead_time_days"), "lead_time_days", errors, minimum=0, maximum=3650),
        "incoterm": _choice(data.get("incoterm") or rfq.incoterm, "incoterm", errors, Incoterm.values),
        "incoterm_place": _text(data.get("incoterm_place"), "incoterm_place", errors, required=False, max_length=120),
        "freight_total": _decimal(
            data.get("freight_total"), "freight_total", errors, required=False, maximum=MAX_TOTAL
        ),
        "note": _text(data.get("note"), "note", errors, required=False, max_length=2000),
    }
    valid_until = data.get("valid_until")
    if not isinstance(valid_until, date) or valid_until < timezone.localdate():
        errors["valid_until"] = [_("Choose a date from today on.")]
    fields["valid_until"] = valid_until
    if "quantity" in errors and fields["quantity"] > rfq.quantity:
        errors["quantity"] = [_("You can quote for at most the %(n)s the buyer asks for.") % {"n": rfq.quantity}]
    if not errors.get("moq") and not errors.get("quantity") and fields["moq"] > fields["quantity"]:
        errors["moq"] = [_("The MOQ cannot be more than the quantity you can supply.")]
    if fields["incoterm"] == rfq.incoterm:
        fields["freight_total"] = None  # freight is only asked for to bring another Incoterm to the RFQ's
    if not errors and quote_total_at_basis(rfq, fields) > MAX_TOTAL:
        errors["unit_price"] = [
            _("At this price the quote comes to more than %(currency)s %(max)s, the most one order can hold.")
            % {"currency": fields["currency"], "max": f"{MAX_TOTAL:,.2f}"}
        ]
    if errors:
        raise ValidationError(errors)
    return fields


def quote_total_at_basis(rfq: Rfq, fields: dict[str, Any]) -> Decimal:
    """What the buyer's comparison shows for a quote of `fields` (`orders.selectors.rfq.quote_row`):
    the unit price at the quantity it is compared at, plus freight. Any award of the quote makes an
    order of at most this, so a quote is taken only when it fits an order's total."""
    basis: int = min(fields["quantity"] if rfq.allow_split else rfq.quantity, rfq.quantity)
    unit_price: Decimal = fields["unit_price"]
    freight: Decimal = fields["freight_total"] or Decimal("0")
    return unit_price * basis + freight


@transaction.atomic
def quote_submit(*, rfq: Rfq, actor: User, confirm_terms: bool = False, **data: Any) -> tuple[Quote, bool]:
    """Create or revise the actor's supplier's one quote for `rfq`: only a supplier the RFQ was
    routed to, while the RFQ is open and its deadline has not passed, and while the quote is not
    decided. A quote on terms that leave the buyer paying for what the RFQ's Incoterm has the seller
    pay, without freight, is sent only with `confirm_terms` (`orders.services.quote_terms`).
    Returns (quote, created). Raises PermissionDenied, RfqStateConflict, ValidationError,
    QuoteTermsUnconfirmed."""
    supplier = _supplier_of(actor)
    rfq = _lock_rfq(rfq.pk)
    if not RfqRecipient.objects.filter(rfq=rfq, supplier=supplier).exists():
        raise PermissionDenied(_("This request for quotation was not sent to your company."))
    if rfq.status != Rfq.Status.OPEN:
        raise RfqStateConflict(
            _("This request is “%(status)s”: it takes no more quotes.") % {"status": rfq.status_label}
        )
    if not rfq.is_open_for_quotes():
        raise RfqStateConflict(_("The deadline for quotes has passed."))
    fields = _quote_fields(rfq, data)
    quote = Quote.objects.filter(rfq=rfq, supplier=supplier).first()
    if quote is not None and quote.status in (Quote.Status.ACCEPTED, Quote.Status.DECLINED):
        raise RfqStateConflict(_("The buyer has already decided on your quote; it can no longer be changed."))
    quote_terms_check(rfq=rfq, fields=fields, confirmed=bool(confirm_terms))
    terms = {"unit_price": str(fields["unit_price"]), "currency": fields["currency"], "quantity": fields["quantity"]}
    if quote_terms_gap(rfq=rfq, incoterm=fields["incoterm"], freight_total=fields["freight_total"]):
        terms["terms_confirmed"] = True  # sent on other terms without freight, knowingly
    if quote is None:
        quote = Quote.objects.create(rfq=rfq, supplier=supplier, created_by=actor, **fields)
        _event(rfq=rfq, quote=quote, kind=RfqEvent.Kind.QUOTED, party=Party.SUPPLIER, actor=actor, data=terms)
        return quote, True
    # A withdrawn quote submitted again is back in the race: "quoted" again, not a revision.
    kind = RfqEvent.Kind.QUOTED if quote.status == Quote.Status.WITHDRAWN else RfqEvent.Kind.QUOTE_REVISED
    for name, value in fields.items():
        setattr(quote, name, value)
    quote.status = Quote.Status.SUBMITTED
    quote.created_by = actor
    quote.save(update_fields=[*fields, "status", "created_by", "updated_at"])
    _event(rfq=rfq, quote=quote, kind=kind, party=Party.SUPPLIER, actor=actor, data=terms)
    return quote, False


@transaction.atomic
def quote_withdraw(*, rfq: Rfq, actor: User) -> Quote:
    """Withdraw the actor's supplier's submitted quote while the RFQ is open."""
    supplier = _supplier_of(actor)
    rfq = _lock_rfq(rfq.pk)
    quote = Quote.objects.filter(rfq=rfq, supplier=supplier).first()
    if quote is None:
        raise RfqStateConflict(_("You have not quoted for this request."))
    if rfq.status != Rfq.Status.OPEN or quote.status != Quote.Status.SUBMITTED:
        raise RfqStateConflict(_("Only a submitted quote of an open request can be withdrawn."))
    quote.status = Quote.Status.WITHDRAWN
    quote.save(update_fields=["status", "updated_at"])
    _event(rfq=rfq, quote=quote, kind=RfqEvent.Kind.WITHDRAWN, party=Party.SUPPLIER, actor=actor)
    return quote


def rfq_mark_seen(*, recipient_ids: Sequence[int]) -> None:
    """The supplier opened its opportunities: stamp the first look (one UPDATE, atomic by itself;
    no lock needed: two tabs stamping at once keep the earlier stamp or the later, both true)."""
    if recipient_ids:
        RfqRecipient.objects.filter(pk__in=list(recipient_ids), seen_at__isnull=True).update(seen_at=timezone.now())


# --- the end of an RFQ without an award: cancel, close -------------------------------------------

CANCEL_REASON_MAX = 1000


@transaction.atomic
def rfq_cancel(*, rfq: Rfq, actor: User, reason: str) -> Rfq:
    """The buying company cancels its open RFQ, giving a reason: no quote, withdrawal or award
    after it. Its submitted quotes are declined, and the suppliers whose quotes these were are
    emailed after commit (suppliers who withdrew theirs, or never quoted, are not).

    Raises PermissionDenied (not a member of the buying company), ValidationError {"reason"},
    RfqStateConflict (not open: already awarded, closed or cancelled)."""
    rfq = _lock_rfq(rfq.pk)
    _require_buyer_member(buyer=rfq.buyer_id, actor=actor)
    errors: dict[str, list[str]] = {}
    reason = _text(reason, "reason", errors, required=True, max_length=CANCEL_REASON_MAX)
    if errors:
        raise ValidationError(errors)
    if rfq.status != Rfq.Status.OPEN:
        raise RfqStateConflict(
            _("This request is “%(status)s”: it can no longer be cancelled.") % {"status": rfq.status_label}
        )
    now = timezone.now()
    rfq.status, rfq.cancel_reason, rfq.cancelled_by, rfq.cancelled_at = Rfq.Status.CANCELLED, reason, actor, now
    rfq.save(update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at", "updated_at"])
    # The quotes are locked after the RFQ, as in the award: the same order everywhere, no deadlock.
    declined = list(
        Quote.objects.select_for_update(of=("self",))
        .select_related("supplier")
        .filter(rfq=rfq, status=Quote.Status.SUBMITTED)
        .order_by("pk")
    )
    Quote.objects.filter(pk__in=[q.pk for q in declined]).update(
        status=Quote.Status.DECLINED, decided_by=actor, decided_at=now, updated_at=now
    )
    _event(rfq=rfq, kind=RfqEvent.Kind.CANCELLED, party=Party.BUYER, actor=actor, data={"reason": reason})
    _declined_events(rfq=rfq, quotes=declined, actor=actor, why="cancelled")
    for quote in declined:
        _email_supplier(quote.supplier, "rfq_cancelled", {"rfq": rfq, "quote": quote})
    return rfq


def rfq_list_expired() -> QuerySet[Rfq]:
    """Open RFQs the closing job should close: the deadline day has passed and no quote can still
    be accepted (none submitted and valid today)."""
    today = timezone.localdate()
    live = Quote.objects.filter(status=Quote.Status.SUBMITTED, valid_until__gte=today)
    return (
        Rfq.objects.filter(status=Rfq.Status.OPEN, deadline__lt=today)
        .exclude(pk__in=live.values("rfq_id"))
        .order_by("pk")
    )


def rfq_close_expired() -> int:
    """The hourly job: close every open RFQ whose deadline has passed without an award once none
    of its quotes can still be accepted; returns how many it closed.

    The rule: after the deadline an RFQ takes no more quotes (`Rfq.is_open_for_quotes`), but it
    stays open, and awardable, while at least one submitted quote is still valid (`valid_until`
    today or later): the buyer can still accept an offer the supplier stands by. When the last
    valid quote expires (or at the deadline, when none is valid), the job closes the RFQ, and
    closed is final like cancelled: no award after it, since every quote in it has expired.

    When the closed RFQ had quotes the buyer never decided on, its people are told once by email
    (the status moves open → closed once, under the RFQ lock). Each RFQ is closed in its own
    transaction. Safe to run twice or at the same time: a second run finds nothing to close."""
    closed = 0
    for rfq_id in list(rfq_list_expired().values_list("pk", flat=True)):
        closed += _rfq_close(rfq_id=rfq_id)
    return closed


@transaction.atomic
def _rfq_close(*, rfq_id: int) -> int:
    """Close one RFQ if it is still open and expired under its lock (an award or a quote may have
    come in since the job listed it); 1 when it closed it, else 0."""
    rfq = _lock_rfq(rfq_id)
    if not rfq_list_expired().filter(pk=rfq.pk).exists():
        return 0
    rfq.status, rfq.closed_at = Rfq.Status.CLOSED, timezone.now()
    rfq.save(update_fields=["status", "closed_at", "updated_at"])
    undecided = rfq.quotes.filter(status=Quote.Status.SUBMITTED).count()
    _event(rfq=rfq, kind=RfqEvent.Kind.CLOSED, party=Party.SYSTEM, data={"undecided_quotes": undecided})
    if undecided:
        _email_buyer(rfq, "rfq_closed", {"rfq": rfq, "quotes": undecided})
    return 1


# --- emails -------------------------------------------------------------------------------------


def _email_supplier(supplier: Supplier, template: str, context: dict[str, Any]) -> None:
    """One email per person of `supplier`, in their language, through the outbox (caller's transaction)."""
    supplier_notify(supplier=supplier, template=template, context=context, folder="orders/email")


def _email_buyer(rfq: Rfq, template: str, context: dict[str, Any]) -> None:
    """One email per member of the RFQ's buying company, in their language, through the outbox."""
    members = BuyerMember.objects.filter(company_id=rfq.buyer_id).select_related("user").order_by("pk")
    for member in members:
        mail_enqueue(
            to=member.user.email,
            template=f"orders/email/{template}.txt",
            context=context,
            language=member.user.preferred_language or "en",
            kind=template,
        )
