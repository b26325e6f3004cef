"""Each demo role signs in through the real form and lands on its own dashboard (screenshots)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-2026"


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()


def test_supplier_signs_in_and_sees_its_listings(live_server, page, screenshot, demo_world):
    sign_in(page, live_server.url, "supplier@demo.test")
    page.wait_for_url(re.compile(r"/dashboard/supplier/$"))
    rows = page.get_by_test_id("supplier-listings").locator("tbody tr")
    assert rows.count() >= 3
    assert "Wuhan Guanggu Photonics" in page.content()
    screenshot("10-supplier-dashboard")


def test_operator_sees_the_belt_funnel(live_server, page, screenshot, demo_world):
    sign_in(page, live_server.url, "operator@demo.test")
    page.wait_for_url(re.compile(r"/dashboard/belt/$"))
    assert page.get_by_test_id("funnel").locator(".card").count() == 7  # one per stage, "expired" included
    screenshot("11-operator-dashboard")


def test_buyer_signs_in_to_the_buyer_dashboard_in_chinese(live_server, page, screenshot, demo_world):
    page.goto(live_server.url + "/")
    # A cached page holds no CSRF token: the switch first fetches the visitor\'s own (js/csrf.js).
    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    sign_in(page, live_server.url, "buyer@demo.test")
    page.wait_for_url(re.compile(r"/dashboard/buyer/$"))
    assert "Rotterdam Industrial Supply" in page.content()
    assert "荷兰" in page.content()  # the company's country, in Chinese
    screenshot("12-buyer-dashboard-zh")


def test_sign_up_with_a_bad_password_keeps_what_was_typed(live_server, page, screenshot, db):
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("input[name=full_name]", "Anna de Vries")
    page.fill("input[name=email]", "anna@tulip-imports.test")
    page.fill("input[name=company_name]", "Tulip Imports B.V.")
    page.select_option("select[name=country]", "NL")
    page.fill("input[name=password]", "123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback, .text-danger").count() >= 1
    assert page.input_value("input[name=company_name]") == "Tulip Imports B.V."
    assert page.input_value("input[name=email]") == "anna@tulip-imports.test"
    screenshot("13-signup-error")


def test_staff_signs_in_to_django_admin(live_server, page, screenshot, demo_world):
    sign_in(page, live_server.url, "admin@demo.test")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(live_server.url + "/admin/suppliers/supplier/?status=all")
    assert page.locator("#result_list tbody tr").count() >= 20
    screenshot("14-admin-suppliers")
