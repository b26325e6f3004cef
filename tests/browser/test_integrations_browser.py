"""Integrations in the browser (screenshots, en and zh): a supplier makes a read-only API token from
its dashboard (the key shown once, then only its prefix) and revokes it; registers a webhook that
a real receiver on loopback gets a signed delivery at, and reads the delivery in the log; a buyer
and a belt operator find the same pages in Chinese."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import ApiToken
from orders.models import WebhookEndpoint
from orders.services.transitions import order_confirm
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.orders.factories import order_at
from tests.orders.webhook_helpers import Receiver, free_port, verify_signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver():
    receiver = Receiver(port=free_port()).start()
    yield receiver
    receiver.stop()


def test_a_supplier_makes_and_revokes_a_token_and_receives_a_signed_webhook(
    live_server, page, screenshot, receiver, settings
):
    settings.WEBHOOK_SEND_EAGER = True  # deliveries go out as the step commits, in this process
    supplier = f.SupplierFactory(name_en="Wuhan Guanggu Photonics Co., Ltd.")
    member = f.SupplierMemberFactory(supplier=supplier).user
    buyer = f.BuyerMemberFactory().user
    base = live_server.url
    sign_in(page, base, member.email)

    # --- an API token, from the dashboard's link
    page.get_by_test_id("dashboard-api-tokens").click()
    page.wait_for_url(re.compile(r"/accounts/tokens/$"))
    page.fill("input[name=name]", "SAP ERP (read only)")
    page.select_option("select[name=scope]", "read")
    page.get_by_test_id("token-create").click()
    key = page.get_by_test_id("token-key").input_value()
    token = ApiToken.objects.get(user=member)
    assert key.startswith(token.prefix) and token.scope == "read"
    expect(page.get_by_test_id("token-row")).to_contain_text(token.prefix)
    screenshot("integrations-01-token-made-en")
    page.reload()
    expect(page.get_by_test_id("token-new")).to_have_count(0)  # shown once
    assert key not in page.content()
    page.get_by_test_id("token-revoke").click()
    expect(page.get_by_test_id("token-revoked")).to_be_visible()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    screenshot("integrations-02-token-revoked-en")

    # --- a webhook endpoint, its secret shown once, a signed delivery, the log
    page.goto(base + "/dashboard/supplier/")
    page.get_by_test_id("dashboard-webhooks").click()
    page.wait_for_url(re.compile(r"/dashboard/webhooks/$"))
    page.fill("input[name=url]", receiver.url)
    page.fill("input[name=description]", "ERP order feed")
    page.locator("input[name=events][value='order.confirmed']").check()
    page.locator("input[name=events][value='order.shipped']").check()
    page.get_by_test_id("webhook-create").click()
    page.wait_for_url(re.compile(r"/dashboard/webhooks/\d+/$"))
    secret = page.get_by_test_id("webhook-secret-value").input_value()
    endpoint = WebhookEndpoint.objects.get(supplier=supplier)
    assert secret == endpoint.secret
    screenshot("integrations-03-webhook-secret-en")

    order = order_at("placed", buyer=buyer, supplier=supplier)
    order_confirm(order=order, actor=member)
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert verify_signature(secret, request.headers["x-webhook-signature"], request.body)
    assert order.number.encode() in request.body

    page.reload()
    expect(page.get_by_test_id("webhook-secret")).to_have_count(0)
    row = page.get_by_test_id("delivery-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("order.confirmed")
    expect(row).to_contain_text("200")
    screenshot("integrations-04-webhook-log-en")


def test_a_buyer_and_an_operator_find_tokens_and_webhooks_in_chinese(live_server, page, screenshot, belt):
    buyer = f.BuyerMemberFactory(user__preferred_language="zh-hans").user
    operator = f.BeltOperatorFactory(belt=belt).user
    base = live_server.url
    page.goto(base + "/")
    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    sign_in(page, base, buyer.email)
    page.get_by_test_id("dashboard-webhooks").click()
    page.wait_for_url(re.compile(r"/dashboard/webhooks/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.fill("input[name=url]", "http://127.0.0.1:9/purchasing/hooks")
    page.locator("input[name=events][value='rfq.quoted']").check()
    page.get_by_test_id("webhook-create").click()
    page.wait_for_url(re.compile(r"/dashboard/webhooks/\d+/$"))
    expect(page.get_by_test_id("webhook-secret-value")).to_have_value(WebhookEndpoint.objects.get().secret)
    screenshot("integrations-05-webhook-buyer-zh")
    page.goto(base + "/dashboard/webhooks/")
    screenshot("integrations-06-webhooks-buyer-zh")

    page.goto(base + "/accounts/tokens/")
    page.fill("input[name=name]", "采购系统")
    page.get_by_test_id("token-create").click()
    expect(page.get_by_test_id("token-key")).to_have_value(re.compile(r"^mkt_"))
    screenshot("integrations-07-token-buyer-zh")

    page.context.clear_cookies()
    page.goto(base + "/")
    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    sign_in(page, base, operator.email)
    page.get_by_test_id("dashboard-api-tokens").click()
    page.wait_for_url(re.compile(r"/accounts/tokens/$"))
    expect(page.get_by_test_id("tokens-empty")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot("integrations-08-tokens-operator-zh")
