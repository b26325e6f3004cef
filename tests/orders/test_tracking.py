"""Carriers and their public tracking pages (orders.tracking): names as suppliers write them are
recognised, the number is put in the carrier's URL safely, and unknown carriers get no link."""

from urllib.parse import urlsplit

import pytest

from orders.tracking import CARRIERS, carrier_for, tracking_url


@pytest.mark.parametrize(
    ("written", "carrier"),
    [
        ("COSCO", "COSCO Shipping"),
        ("COSCO Shipping Lines Co., Ltd.", "COSCO Shipping"),
        ("中远海运", "COSCO Shipping"),
        ("Maersk Line", "Maersk"),
        ("MAERSK", "Maersk"),
        ("MSC", "MSC"),
        ("Mediterranean Shipping Company", "MSC"),
        ("CMA-CGM", "CMA CGM"),
        ("cma cgm", "CMA CGM"),
        ("Hapag-Lloyd AG", "Hapag-Lloyd"),
        ("Evergreen Line", "Evergreen"),
        ("ONE", "ONE (Ocean Network Express)"),
        ("Ocean Network Express", "ONE (Ocean Network Express)"),
        ("DHL Express", "DHL Express"),
        ("FedEx", "FedEx"),
        ("UPS", "UPS"),
        ("SF Express", "SF Express"),
        ("顺丰速运", "SF Express"),
        ("EMS", "EMS / China Post"),
        ("China Post", "EMS / China Post"),
    ],
)
def test_carriers_are_recognised_as_suppliers_write_them(written, carrier):
    assert carrier_for(written).name == carrier


@pytest.mark.parametrize("written", ["", "Acme Freight", "One Time Logistics", "Shipping Lines", "DHLX"])
def test_other_names_are_not_guessed_at(written):
    assert carrier_for(written) is None
    assert tracking_url(written, "123") is None


def test_every_suggested_carrier_links_to_its_own_https_site_with_the_number():
    for carrier in CARRIERS:
        url = tracking_url(carrier.name, "ABC123")
        assert url is not None and urlsplit(url).scheme == "https", carrier.name
        assert "ABC123" in url, carrier.name
        assert carrier_for(carrier.name) is carrier


def test_the_number_is_url_encoded_and_cannot_change_the_address():
    url = tracking_url("Maersk", " MAEU 123/../?x=1&y#z ")
    assert url == "https://www.maersk.com/tracking/MAEU%20123%2F..%2F%3Fx%3D1%26y%23z"
    assert tracking_url("UPS", "1Z999").endswith("tracknum=1Z999")
    assert tracking_url("Maersk", "   ") is None


def test_each_common_carrier_of_the_brief_is_suggested():
    names = {carrier.name for carrier in CARRIERS}
    for expected in ("COSCO", "Maersk", "MSC", "CMA CGM", "Hapag-Lloyd", "Evergreen", "ONE", "DHL", "FedEx", "UPS",
                     "SF Express", "EMS"):  # fmt: skip
        assert any(name.startswith(expected) for name in names), expected
