"""Acceptance: a mail server outage never turns a committed change into an error, and the mail
arrives once the server is back.

With the SMTP backend pointed at a closed port, a buyer places an order (API), staff certify an
applicant (the service the admin calls) and a buyer sends an inquiry (the page): every request
answers 2xx/3xx and three mails wait in the outbox. Then a real SMTP server (aiosmtpd) starts on
that port and the sweep, run as the beat runs it, delivers all three within a minute.
"""

import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.mail.models import OutboundMail
from marketplace.mail.tasks import mail_sweep_task
from suppliers.models import CertificationLevel
from suppliers.services import supplier_certify
from tests import factories as f
from tests.conftest import client_for
from tests.orders.factories import PLACING_TERMS as TERMS
from tests.orders.factories import listing_with


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _closed_port() -> int:
    """A port nothing listens on (the kernel gave it to us, and we let it go)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port(settings):
    port = _closed_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    return port


@pytest.mark.django_db(transaction=True)  # real commits: the outbox sends after them
def test_mail_server_down_then_up_no_errors_and_every_mail_arrives(smtp_port, filesystem_broker):
    belt = f.BeltFactory()
    category = f.CategoryFactory()
    supplier = f.SupplierFactory(belt=belt)
    seller = f.SupplierMemberFactory(supplier=supplier).user
    listing = listing_with(supplier, category)
    applicant = f.ApplicantSupplierFactory(belt=belt)
    applicant_owner = f.SupplierMemberFactory(supplier=applicant).user
    buyer = f.BuyerMemberFactory().user
    staff = f.UserFactory(is_staff=True, is_superuser=True)

    # 1. An order placed through the API.
    api = APIClient()
    api.force_authenticate(buyer)
    placed = api.post(
        "/api/v1/orders/",
        {"kind": "bulk", "lines": [{"listing": listing.pk, "quantity": 10}], **TERMS},
        format="json",
        HTTP_IDEMPOTENCY_KEY="smtp-down-1",
    )
    assert placed.status_code == 201, placed.content
    # 2. A certification decision, through the service the admin's decision page calls.
    supplier_certify(supplier=applicant, level=CertificationLevel.VERIFIED, actor=staff, reason="Licence checked")
    # 3. An inquiry sent from the page.
    sent = client_for(buyer).post(
        f"{reverse('buyers:inquiry_new')}?supplier={supplier.slug}",
        {"subject": "20 units", "body": "Price FOB Wuhan?"},
    )
    assert sent.status_code == 302

    waiting = OutboundMail.objects.unsent()
    everything = list(OutboundMail.objects.values_list("kind", "to", "sent_at", "attempts"))
    assert waiting.count() == len(everything) == 3, everything
    assert sorted(waiting.values_list("kind", flat=True)) == ["inquiry_new", "order_placed", "supplier_certified"]
    assert all(m.attempts == 1 and "Connection refused" in m.last_error for m in waiting)  # tried after commit

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        deadline = time.monotonic() + 60
        while len(inbox.envelopes) < 3 and time.monotonic() < deadline:
            mail_sweep_task.apply()  # what the beat runs every minute
            time.sleep(0.2)
    finally:
        server.stop()

    assert sorted(e.rcpt_tos[0] for e in inbox.envelopes) == sorted([seller.email, applicant_owner.email, seller.email])
    assert not OutboundMail.objects.unsent().exists()
    assert len(inbox.envelopes) == 3  # each once
