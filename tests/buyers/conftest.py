"""The cast for inquiries, after healthchecks' Alice/Bob/Charlie:

- `buyer` (company A) writes to `supplier` (answered by `supplier_member`) about `listing`;
- `other_buyer` (company B) and `other_member` (of `other_supplier`) must see nothing of it;
- `notified` records (message id, base url) of each message whose emails were written to the outbox,
  once the transaction commits (the emails themselves are in `django.core.mail.outbox` by then): a
  message without attachment when it is written, one with an attachment when its check is over.
"""

import pytest
from django.db import transaction

from buyers.services import inquiries as services
from buyers.services.inquiries import inquiry_start
from tests import factories as f


@pytest.fixture
def notified(monkeypatch):
    sent: list[tuple[int, str]] = []
    real = services._notify_other_side

    def recording(message, *, base_url: str) -> int:
        transaction.on_commit(lambda: sent.append((message.pk, base_url)))
        return real(message, base_url=base_url)

    monkeypatch.setattr(services, "_notify_other_side", recording)
    return sent


@pytest.fixture
def company(buyer):
    return buyer.buyer_membership.company


@pytest.fixture
def other_buyer(db):
    return f.BuyerMemberFactory().user


@pytest.fixture
def listing(supplier, category):
    return f.ListingFactory(supplier=supplier, category=category)


@pytest.fixture
def inquiry(buyer, company, supplier, supplier_member, listing, notified):
    return inquiry_start(
        buyer=company, actor=buyer, supplier=supplier, listing=listing,
        subject="Fiber laser 3015, 20 units", body="Price for 20 units FOB Wuhan?",
    )  # fmt: skip


def png_upload(name: str = "drawing.png", size: tuple[int, int] = (64, 48)):
    return f.image_upload(name=name, fmt="PNG", size=size)
