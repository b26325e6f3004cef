"""Honest prices: a card shows the range of a listing's tiers and from which quantity the lowest
applies, the price at the searched quantity, and an approximation in the buyer's currency at the
rate staff set (dated); a new rate shows on the next request of a cached page; Chinese pages group
digits; units read in the plural."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.exchange import ExchangeRate
from catalog.figures import belt_figures_count
from catalog.prices import PriceBook, Rates, exchange_rate_set, exchange_rates_on, price_summary, quantity_with_unit
from catalog.rules import Tier
from tests import factories as f
from tests.conftest import client_for

WELDER_TIERS = [(1, Decimal("23800.00")), (5, Decimal("21500.00")), (10, Decimal("19800.00"))]


@pytest.fixture
def welder(supplier, category):
    listing = f.ListingFactory(
        supplier=supplier,
        category=category,
        title_en="Handheld fiber laser welder",
        unit="set",
        moq=1,
        tiers=WELDER_TIERS,
    )
    belt_figures_count()
    return listing


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- conversion and the range, for any amounts and rates -----------------------------------------

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2)
rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50"), places=6)


@settings(max_examples=300, deadline=None)
@given(amount=amounts, usd=rates, eur=rates, pair=st.sampled_from([("CNY", "USD"), ("USD", "EUR"), ("EUR", "CNY")]))
def test_conversion_round_trips_within_rounding(amount, usd, eur, pair):
    book = Rates(to_cny={"USD": usd, "EUR": eur})
    source, target = pair
    there = book.convert(amount, source, target)
    back = book.convert(there, target, source)
    assert there == there.quantize(Decimal("0.01")) and back == back.quantize(Decimal("0.01"))
    # The first rounding (half a cent of the target) is worth that much of the source, plus the
    # second rounding's half cent.
    value = {"CNY": Decimal(1), "USD": usd, "EUR": eur}
    bound = Decimal("0.005") * value[target] / value[source] + Decimal("0.005")
    assert abs(back - amount) <= bound


tier_lists = st.lists(
    st.tuples(st.integers(min_value=1, max_value=10**6), amounts), min_size=1, max_size=10, unique_by=lambda t: t[0]
)


@settings(max_examples=300, deadline=None)
@given(tiers=tier_lists, quantity=st.none() | st.integers(min_value=1, max_value=2 * 10**6), rate=rates)
def test_the_range_always_contains_every_tier_price_and_the_price_at_the_quantity(tiers, quantity, rate):
    summary = price_summary(
        currency="CNY",
        unit="set",
        moq=1,
        tiers=[Tier(q, p) for q, p in tiers],
        book=PriceBook("USD", Rates(to_cny={"USD": rate}, dated={"USD": datetime.date(2026, 12, 6)})),
        quantity=quantity,
    )
    assert all(summary.low <= price <= summary.high for _q, price in tiers)
    assert summary.lowest_from is not None
    assert dict(tiers)[summary.lowest_from] == summary.low
    if summary.at_quantity is not None:
        assert summary.low <= summary.at_quantity <= summary.high
        assert summary.at_quantity in {price for q, price in tiers if q <= quantity}
    approx = summary.approx
    assert approx is not None and approx.low <= approx.high
    assert all(approx.low <= each <= approx.high for each in approx.tiers)
    assert approx.rate_date == datetime.date(2026, 12, 6)


def test_a_missing_rate_gives_no_approximation():
    summary = price_summary(
        currency="CNY", unit="set", moq=1, tiers=[Tier(1, Decimal(5))], book=PriceBook("EUR", Rates())
    )
    assert summary.approx is None and summary.low == Decimal(5)


# --- the rates in force ---------------------------------------------------------------------------


def test_the_latest_rate_on_or_before_today_is_used_and_a_correction_wins(staff):
    today = timezone.localdate()
    exchange_rate_set(currency="USD", rate=Decimal("7.0"), valid_on=today - datetime.timedelta(days=3), actor=staff)
    exchange_rate_set(currency="USD", rate=Decimal("7.2"), valid_on=today, actor=staff)
    exchange_rate_set(currency="USD", rate=Decimal("7.25"), valid_on=today, actor=staff)  # a correction
    exchange_rate_set(currency="USD", rate=Decimal("9.9"), valid_on=today + datetime.timedelta(days=1), actor=staff)
    in_force = exchange_rates_on()
    assert in_force.to_cny == {"USD": Decimal("7.25")} and in_force.dated == {"USD": today}
    assert exchange_rates_on(today - datetime.timedelta(days=1)).to_cny == {"USD": Decimal("7.0")}
    assert ExchangeRate.objects.count() == 4  # the history is kept


entries = st.lists(
    st.tuples(
        st.sampled_from(["USD", "EUR"]),
        st.decimals(min_value=Decimal("0.5"), max_value=Decimal("20"), places=4),
        st.integers(min_value=-5, max_value=3),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=entries)
def test_the_rates_in_force_follow_any_sequence_of_entries(db, steps):
    """Whatever staff enter, in any order (back-dated, for tomorrow, corrections of a day), the rate
    in force is the latest valid on or before today, the last entered of its day."""
    with transaction.atomic():
        today = timezone.localdate()
        expected: dict[str, tuple[Decimal, datetime.date]] = {}
        for currency, rate, offset in steps:
            day = today + datetime.timedelta(days=offset)
            exchange_rate_set(currency=currency, rate=rate, valid_on=day, actor=None)
            if offset <= 0 and (currency not in expected or day >= expected[currency][1]):
                expected[currency] = (rate, day)
            in_force = exchange_rates_on()
            assert in_force.to_cny == {c: r for c, (r, _d) in expected.items()}
            assert in_force.dated == {c: d for c, (_r, d) in expected.items()}
        transaction.set_rollback(True)


# --- cards ----------------------------------------------------------------------------------------


def test_a_card_shows_the_range_and_from_which_quantity_the_lowest_price_applies(welder):
    page = html(Client().get(reverse("catalog:home")))
    assert "CNY 19,800–23,800" in page
    assert "from 10 sets: 19,800" in page
    assert "MOQ 1 set" in page


def test_the_search_and_supplier_pages_load_the_cards_stylesheet(welder):
    """Without it the compare button sits under the card's link, and "Add to compare" opens the
    listing instead."""
    assert "css/catalog.css" in html(Client().get(reverse("catalog:search")))
    assert "css/catalog.css" in html(Client().get(welder.supplier.get_absolute_url()))


def test_a_search_by_quantity_prices_the_cards_at_that_quantity(welder):
    page = html(Client().get(reverse("catalog:search"), {"quantity": "5"}))
    assert 'data-testid="card-price-at"' in page
    assert "At 5 sets: CNY 21,500 each" in page


def test_cards_show_an_approximation_in_the_chosen_currency_with_its_date(welder, staff):
    exchange_rate_set(currency="USD", rate=Decimal("7.2"), valid_on=datetime.date(2026, 12, 6), actor=staff)
    page = html(Client().get(reverse("catalog:home")))  # English: US dollars unless chosen
    assert "≈ USD 2,750–3,305.56" in page  # 19,800 / 7.2 and 23,800 / 7.2, half up
    assert "(rate of 2026-12-06)" in page
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "≈ USD" not in html(chinese.get(reverse("catalog:home")))  # Chinese: yuan, the listing's own


def test_the_listing_page_shows_the_range_and_each_tier_approximately(welder, staff):
    exchange_rate_set(currency="EUR", rate=Decimal("8"), valid_on=timezone.localdate(), actor=staff)
    client = Client()
    client.cookies["currency"] = "EUR"
    page = html(client.get(welder.get_absolute_url()))
    assert 'data-testid="price-range"' in page and "CNY 19,800–23,800" in page
    assert "≈ EUR" in page and "2,975.00" in page and "2,475.00" in page  # 23,800 / 8, 19,800 / 8


def test_chinese_pages_group_digits_by_three(welder):
    with translation.override("zh-hans"):
        page = html(Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(reverse("catalog:home")))
    assert "CNY 19,800–23,800" in page
    assert "19800" not in page.replace('data-min="', "")


def test_units_read_in_the_plural():
    assert quantity_with_unit(1, "set") == "1 set"
    assert quantity_with_unit(2, "set") == "2 sets"
    assert quantity_with_unit(1000, "piece") == "1,000 pieces"


# --- the currency chooser and the page cache ------------------------------------------------------


def test_a_rate_staff_change_shows_on_the_next_request_of_a_cached_page(welder, staff):
    exchange_rate_set(currency="USD", rate=Decimal("7.2"), valid_on=timezone.localdate(), actor=staff)
    url = reverse("catalog:home")
    api = f"/api/v1/listings/{welder.pk}/?in_currency=USD"
    assert "≈ USD 2,750–3,305.56" in html(Client().get(url))
    assert "≈ USD 2,750–3,305.56" in html(Client().get(url))  # now from the cache
    assert Client().get(api).json()["prices"]["approximate"]["high"] == "3305.56"
    assert Client().get(api).json()["prices"]["approximate"]["high"] == "3305.56"  # cached
    response = client_for(staff).post(
        reverse("admin:catalog_exchangerate_add"),
        {"currency": "USD", "rate": "8", "valid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = html(Client().get(url))
    assert "≈ USD 2,475–2,975" in page and "3,305.56" not in page
    listing_page = html(Client().get(welder.get_absolute_url()))
    assert "2,975.00" in listing_page
    assert Client().get(api).json()["prices"]["approximate"]["high"] == "2975.00"


def test_a_visitor_s_currency_never_leaks_into_another_visitor_s_cached_page(welder, staff):
    exchange_rate_set(currency="USD", rate=Decimal("7.2"), valid_on=timezone.localdate(), actor=staff)
    exchange_rate_set(currency="EUR", rate=Decimal("8"), valid_on=timezone.localdate(), actor=staff)
    url = reverse("catalog:search")
    euro = Client()
    euro.cookies["currency"] = "EUR"
    assert "≈ EUR 2,475–2,975" in html(euro.get(url))
    plain = html(Client().get(url))
    assert "≈ EUR" not in plain and "≈ USD 2,750–3,305.56" in plain
    yuan = Client()
    yuan.cookies["currency"] = "CNY"
    page = html(yuan.get(url))
    assert "≈" not in page.split('data-testid="search-page"')[1]
    nonsense = Client()
    nonsense.cookies["currency"] = "XYZ"
    assert "≈ USD 2,750–3,305.56" in html(nonsense.get(url))


def test_the_currency_chooser_sets_its_cookie_and_goes_back(welder):
    client = Client()
    response = client.post(reverse("catalog:set_currency"), {"currency": "EUR", "next": "/search/?q=welder"})
    assert response.status_code == 302 and response["Location"] == "/search/?q=welder"
    assert response.cookies["currency"].value == "EUR"
    assert 'data-testid="currency-EUR" aria-current="true"' in html(client.get(reverse("catalog:home")))


def test_the_currency_chooser_refuses_other_currencies_and_other_sites():
    response = Client().post(reverse("catalog:set_currency"), {"currency": "GBP", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "currency" not in response.cookies
    assert Client().get(reverse("catalog:set_currency")).status_code == 405


# --- staff set rates; nobody else may ---------------------------------------------------------------


def test_a_rate_once_entered_cannot_be_changed_or_deleted_in_the_admin(staff):
    rate = exchange_rate_set(currency="USD", rate=Decimal("7.2"), valid_on=timezone.localdate(), actor=staff)
    admin = client_for(staff)
    change = reverse("admin:catalog_exchangerate_change", args=[rate.pk])
    admin.post(change, {"currency": "USD", "rate": "1", "valid_on": timezone.localdate().isoformat()})
    assert admin.post(reverse("admin:catalog_exchangerate_delete", args=[rate.pk]), {"post": "yes"}).status_code == 403
    rate.refresh_from_db()
    assert rate.rate == Decimal("7.2") and ExchangeRate.objects.count() == 1


def test_an_outsider_cannot_set_a_rate(outsider, buyer):
    for user in (outsider, buyer):
        response = client_for(user).post(
            reverse("admin:catalog_exchangerate_add"),
            {"currency": "USD", "rate": "1", "valid_on": timezone.localdate().isoformat()},
        )
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not ExchangeRate.objects.exists()


def test_a_rate_must_be_positive(staff):
    response = client_for(staff).post(
        reverse("admin:catalog_exchangerate_add"),
        {"currency": "USD", "rate": "0", "valid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200 and not ExchangeRate.objects.exists()


# --- the API ----------------------------------------------------------------------------------------


def test_the_api_gives_the_range_and_asked_the_approximate_figures(welder, staff):
    exchange_rate_set(currency="USD", rate=Decimal("7.2"), valid_on=datetime.date(2026, 12, 6), actor=staff)
    listed = Client().get("/api/v1/listings/", {"quantity": "5"}).json()["results"][0]["prices"]
    assert listed == {
        "currency": "CNY",
        "low": "19800.00",
        "high": "23800.00",
        "low_from_quantity": 10,
        "quantity": 5,
        "at_quantity": "21500.00",
        "approximate": None,
    }
    converted = Client().get("/api/v1/listings/", {"quantity": "5", "in_currency": "USD"}).json()
    assert converted["results"][0]["prices"]["approximate"] == {
        "currency": "USD",
        "low": "2750.00",
        "high": "3305.56",
        "at_quantity": "2986.11",
        "rate_date": "2026-12-06",
    }
    detail = Client().get(f"/api/v1/listings/{welder.pk}/", {"in_currency": "USD"}).json()["prices"]
    assert detail["low"] == "19800.00" and detail["approximate"]["high"] == "3305.56"
    bad = Client().get(f"/api/v1/listings/{welder.pk}/", {"in_currency": "GBP"})
    assert bad.status_code == 400 and "in_currency" in bad.json()
    for wrong in ("", "usd"):  # present but empty, or not as the schema's enum spells it
        for url in (f"/api/v1/listings/{welder.pk}/", "/api/v1/listings/"):
            refused = Client().get(url, {"in_currency": wrong})
            assert refused.status_code == 400 and "in_currency" in refused.json(), (url, wrong)


def test_the_cart_shows_each_order_s_subtotal_approximately_and_the_order_stays_in_its_currency(welder, buyer, staff):
    exchange_rate_set(currency="USD", rate=Decimal("7.2"), valid_on=datetime.date(2026, 12, 6), actor=staff)
    client = client_for(buyer)
    response = client.post(reverse("orders:cart_add", args=[welder.pk]), {"kind": "bulk", "quantity": "10"})
    assert response.status_code == 302
    page = html(client.get(reverse("orders:cart")))
    assert "CNY 198,000.00" in page  # 10 × 19,800: the order's own currency
    assert "≈ USD 27,500.00 (rate of 2026-12-06)" in page


def test_the_service_refuses_an_unknown_currency_or_a_rate_below_zero(staff):
    for currency, rate in (("GBP", Decimal("9")), ("CNY", Decimal("1")), ("USD", Decimal("-1"))):
        with pytest.raises(ValidationError):
            exchange_rate_set(currency=currency, rate=rate, valid_on=timezone.localdate(), actor=staff)
    assert not ExchangeRate.objects.exists()
