"""Emails about a placed order's life to the other party, each in the reader's language, after commit.

The buyer's side is every member of the buying company; the person who placed the order reads it
in the order's language (the one they bought in), colleagues in their own. The supplier's side is
`suppliers.services.notifications.supplier_recipients` (members plus the application contact).
"""

from buyers.models import BuyerMember
from marketplace.mail.services import mail_enqueue
from suppliers.services.notifications import supplier_recipients

from ..models import Order, OrderEvent, Party


def buyer_recipients(order: Order) -> list[tuple[str, str]]:
    """(email, language) of every member of the order's buying company."""
    members = BuyerMember.objects.filter(company_id=order.buyer_id).select_related("user").order_by("pk")
    return [
        (m.user.email, order.language if m.user_id == order.placed_by_id else m.user.preferred_language)
        for m in members
    ]


def order_notify(*, order: Order, event: OrderEvent, to_party: str) -> None:
    """Enqueue one email per person of `to_party`, rendered now from
    `orders/email/order_<event kind>.txt` (subject on line 1), in the caller's transaction (outbox):
    a rolled-back change sends nothing, and a mail server that is down does not undo the change
    already committed (the outbox tries again). One email per event and person, ever."""
    recipients = buyer_recipients(order) if to_party == Party.BUYER else supplier_recipients(order.supplier)
    for email, language in recipients:
        mail_enqueue(
            to=email,
            template=f"orders/email/order_{event.kind}.txt",
            context={"order": order, "event": event, "to_party": to_party},
            language=language,
            kind=f"order_{event.kind}",
            dedupe_key=f"order-event:{event.pk}:{email}",
        )
