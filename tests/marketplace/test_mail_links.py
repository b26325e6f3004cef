"""Mails are read outside the site: every link in them is absolute (settings.SITE_URL + path)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from orders.services.transitions import order_rate
from tests.orders.factories import order_at

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Plain-text mail templates: every templates/**/email(s)/*.txt.
MAIL_TEMPLATES = sorted(p for p in TEMPLATES.rglob("*.txt") if p.parent.name in ("email", "emails"))


def test_there_are_mail_templates_to_check():
    assert len(MAIL_TEMPLATES) > 20


@pytest.mark.parametrize("template", MAIL_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_a_mail_template_makes_no_relative_link(template):
    source = template.read_text()
    assert not re.search(r"\{% url ", source), "use {% absolute_url … %} (marketplace/templatetags/site_urls.py)"
    assert not re.search(r"get_absolute_url\s*}}", source), "use {{ obj.get_absolute_url|absolute }}"


def test_an_order_mail_links_to_the_order_with_the_sites_address(
    buyer, supplier, supplier_member, django_capture_on_commit_callbacks
):
    order = order_at("completed", buyer=buyer, supplier=supplier)
    with django_capture_on_commit_callbacks(execute=True):
        order_rate(order=order, actor=buyer, stars=5)
    (sent,) = mail.outbox
    assert f"{settings.SITE_URL}/orders/{order.number}/" in sent.body
    assert not re.search(r"(?<![\w:/.])/orders/", sent.body)
