"""Redis down (cache and broker) degrades the site, never fails it.

The app runs in gunicorn with the production settings on a redis-server of the test's own, which the
test kills: the API still answers (throttles fail open), an inquiry sent from the page is answered
with its redirect and its notice is sent by the sweep once Redis is back, `/healthz` (liveness)
stays ok while `/readyz` answers 503 and names the cache and the broker.
"""

import json

import pytest
from django.core import mail
from django.urls import reverse

from buyers.models import Inquiry
from marketplace.mail.models import OutboundMail
from marketplace.mail.tasks import mail_sweep_task
from tests import factories as f
from tests.orders.factories import PLACING_TERMS, listing_with
from tests.outage import session_headers

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
# Redis killed (connections refused at once) or frozen (connections accepted, never answered).
OUTAGES = pytest.mark.parametrize("outage", ["killed", "frozen"])


@OUTAGES
def test_the_api_answers_while_redis_is_down(live_app, redis_server, outage):
    """Anonymous and signed-in API requests pass their throttles with the cache unreachable."""
    buyer = f.BuyerMemberFactory().user
    listing = listing_with(f.SupplierFactory(), f.CategoryFactory())
    assert live_app.request("GET", "/api/v1/belts/")[0] == 200
    redis_server.outage(outage)

    anonymous = live_app.request("GET", "/api/v1/belts/")
    order = json.dumps({"kind": "bulk", "lines": [{"listing": listing.pk, "quantity": 10}], **PLACING_TERMS})
    placed = live_app.request(
        "POST",
        "/api/v1/orders/",
        data=order.encode(),
        headers={**session_headers(buyer, json=True), "Idempotency-Key": "outage-1"},
    )

    assert anonymous[0] == 200, live_app.log.read_text()[-3000:]
    assert placed[0] == 201, placed[1][:2000]


@OUTAGES
def test_an_inquiry_sent_while_redis_is_down_is_answered_and_its_notice_sent_once_redis_is_back(
    live_app, redis_server, outage
):
    buyer = f.BuyerMemberFactory().user
    supplier = f.SupplierFactory()
    seller = f.SupplierMemberFactory(supplier=supplier).user
    redis_server.outage(outage)

    sent = live_app.request(
        "POST",
        f"{reverse('buyers:inquiry_new')}?supplier={supplier.slug}",
        data=b"subject=20+units&body=Price+FOB+Wuhan%3F",
        headers={**session_headers(buyer), "Content-Type": "application/x-www-form-urlencoded"},
    )

    assert sent[0] == 302, live_app.log.read_text()[-3000:]
    assert Inquiry.objects.filter(supplier=supplier).count() == 1
    notice = OutboundMail.objects.get(kind="inquiry_new")
    assert notice.sent_at is None  # the send task could not be queued: it waits for the sweep

    redis_server.recover(outage)
    mail.outbox.clear()
    mail_sweep_task.apply()  # what the beat runs every minute
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert [m.to for m in mail.outbox] == [[seller.email]]
