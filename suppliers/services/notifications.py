"""Emails to a supplier's people, each in the person's own language, through the outbox."""

from typing import Any

from marketplace.mail.services import mail_enqueue

from ..models import Supplier


def supplier_recipients(supplier: Supplier) -> list[tuple[str, str]]:
    """(email, language) of every member, plus the application's contact address."""
    people = [(m.user.email, m.user.preferred_language) for m in supplier.members.select_related("user")]
    emails = {email for email, _ in people}
    if supplier.contact_email and supplier.contact_email not in emails:
        people.append((supplier.contact_email, "zh-hans"))
    return people


def supplier_notify(
    *,
    supplier: Supplier,
    template: str,
    context: dict[str, Any],
    folder: str = "emails",
    dedupe: str | None = None,
) -> None:
    """Enqueue one email per recipient, rendered from `<folder>/<template>.txt` (subject on line 1),
    in the caller's transaction: a rolled-back decision sends nothing, a committed one is sent
    after commit (again by the sweep while the mail server is down). With `dedupe`, each person
    gets this mail once, ever (`<dedupe>:<email>` is the outbox's key)."""
    for email, language in supplier_recipients(supplier):
        mail_enqueue(
            to=email,
            template=f"{folder}/{template}.txt",
            context={"supplier": supplier, **context},
            language=language,
            kind=template,
            dedupe_key=f"{dedupe}:{email}" if dedupe else None,
        )
