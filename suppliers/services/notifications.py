"""Emails to a supplier's people, each in the person's own language, sent after commit."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from ..models import Supplier


def supplier_recipients(supplier: Supplier) -> list[tuple[str, str]]:
    """(email, language) of every member, plus the application's contact address."""
    people = [(m.user.email, m.user.preferred_language) for m in supplier.members.select_related("user")]
    emails = {email for email, _ in people}
    if supplier.contact_email and supplier.contact_email not in emails:
        people.append((supplier.contact_email, "zh-hans"))
    return people


def supplier_notify(*, supplier: Supplier, template: str, context: dict) -> None:
    """Queue one email per recipient, rendered from `emails/<template>.txt` (subject on line 1)."""
    messages = []
    for email, language in supplier_recipients(supplier):
        with translation.override(language):
            text = render_to_string(f"emails/{template}.txt", {"supplier": supplier, **context})
        subject, _, body = text.strip().partition("\n")
        messages.append((subject.strip(), body.strip(), email))

    def send() -> None:
        for subject, body, email in messages:
            send_mail(subject, body, None, [email])

    transaction.on_commit(send)
