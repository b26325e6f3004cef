"""Prices as a buyer reads them: the range of a listing's tiers, the price at a quantity, and the
approximate amount in the buyer's chosen currency at the rates staff set (`ExchangeRate`).

Money is `Decimal`, converted through the yuan and rounded once, ROUND_HALF_UP to the target
currency's places. A converted amount is an approximation, always shown with the date of its rate;
what a buyer orders and pays stays in the listing's own currency.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from .exchange import BASE_CURRENCY, ExchangeRate
from .rules import Tier, quantity_with_unit, tier_for_quantity

PLACES = {"CNY": 2, "USD": 2, "EUR": 2}  # minor units of each currency prices are shown in
DEFAULT_CURRENCY = {"zh-hans": "CNY"}  # by language, when the buyer chose none; else USD
FALLBACK_CURRENCY = "USD"
BOOK_ATTRIBUTE = "price_book"  # the request's PriceBook


def quantize(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded half up to the minor unit of `currency`."""
    return amount.quantize(Decimal(1).scaleb(-PLACES.get(currency, 2)), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rates:
    """The yuan value of one unit of each currency (CNY is 1) and the day each rate is of."""

    to_cny: dict[str, Decimal] = field(default_factory=dict)
    dated: dict[str, date] = field(default_factory=dict)

    def knows(self, currency: str) -> bool:
        return currency == BASE_CURRENCY or currency in self.to_cny

    def convert(self, amount: Decimal, source: str, target: str) -> Decimal | None:
        """`amount` of `source` in `target`, rounded half up to the target's places; None when a
        rate is missing. Rounded once, at the end, so a round trip is off by rounding only."""
        if source == target:
            return amount
        if not (self.knows(source) and self.knows(target)):
            return None
        cny = amount * self.to_cny.get(source, Decimal(1))
        return quantize(cny / self.to_cny.get(target, Decimal(1)), target)

    def date_of(self, source: str, target: str) -> date | None:
        """The day of the older rate a conversion from `source` to `target` uses."""
        days = [self.dated[c] for c in (source, target) if c in self.dated]
        return min(days) if days else None


def exchange_rates_on(day: date | None = None) -> Rates:
    """The latest rate of each currency valid on or before `day` (today), entered last if two
    share a day. One query (the index `exchangerate_latest_idx` serves it)."""
    day = day or timezone.localdate()
    rows = (
        ExchangeRate.objects.filter(valid_on__lte=day)
        .order_by("currency", "-valid_on", "-created_at", "-id")
        .distinct("currency")
        .values_list("currency", "rate", "valid_on")
    )
    to_cny, dated = {}, {}
    for currency, rate, valid_on in rows:
        to_cny[currency], dated[currency] = rate, valid_on
    return Rates(to_cny=to_cny, dated=dated)


@transaction.atomic
def exchange_rate_set(*, currency: str, rate: Decimal, valid_on: date, actor: Any) -> ExchangeRate:
    """Record the rate of `currency` from `valid_on` (a new row: the history is kept). The page
    cache's trigger on the table bumps every public page's version in this transaction, so the next
    request shows prices at the new rate. Raises ValidationError for an unknown currency or a
    rate that is not positive."""
    entry = ExchangeRate(currency=currency, rate=rate, valid_on=valid_on, set_by=actor)
    entry.full_clean()
    entry.save()
    return entry


# --- the buyer's currency ----------------------------------------------------------------------


def chosen_currency(request: HttpRequest) -> str:
    """The currency the buyer chose in the header (its cookie), else their language's."""
    chosen = request.COOKIES.get(settings.CURRENCY_COOKIE_NAME, "")
    if chosen in settings.PRICE_CURRENCIES:
        return chosen
    return DEFAULT_CURRENCY.get(get_language() or "", FALLBACK_CURRENCY)


class PriceBook:
    """A request's currency and, read once when first needed, the day's rates."""

    def __init__(self, currency: str, rates: Rates | None = None) -> None:
        self.currency = currency
        self._rates = rates

    @property
    def rates(self) -> Rates:
        if self._rates is None:
            self._rates = exchange_rates_on()
        return self._rates


def price_book_for(request: HttpRequest) -> PriceBook:
    """The request's PriceBook, one per request (so its rates are read once however many
    templates ask)."""
    book = getattr(request, BOOK_ATTRIBUTE, None)
    if book is None:
        book = PriceBook(chosen_currency(request))
        setattr(request, BOOK_ATTRIBUTE, book)
    return book


# --- what a listing's price reads as -----------------------------------------------------------


@dataclass(frozen=True)
class Approximation:
    """A listing's figures in another currency, at the rate of `rate_date`."""

    currency: str
    low: Decimal
    high: Decimal
    at_quantity: Decimal | None
    rate_date: date | None
    tiers: tuple[Decimal, ...] = ()  # each tier's unit price, in the summary's tier order

    @property
    def is_range(self) -> bool:
        return self.low != self.high


@dataclass(frozen=True)
class PriceSummary:
    """A listing's unit prices as a card, the listing page, the compare page and the API show
    them: lowest–highest over its tiers, from which quantity the lowest applies, the price at the
    buyer's quantity, and the same approximately in the buyer's currency."""

    currency: str
    unit: str
    tiers: tuple[Tier, ...]
    moq: int
    quantity: int | None = None
    approx: Approximation | None = None

    @property
    def low(self) -> Decimal | None:
        return min((t.unit_price for t in self.tiers), default=None)

    @property
    def high(self) -> Decimal | None:
        return max((t.unit_price for t in self.tiers), default=None)

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    @property
    def lowest_from(self) -> int | None:
        """The smallest quantity that buys at the lowest price."""
        low = self.low
        return min((t.min_quantity for t in self.tiers if t.unit_price == low), default=None)

    @property
    def lowest_from_label(self) -> str:
        return quantity_with_unit(self.lowest_from or 0, self.unit)

    @property
    def moq_label(self) -> str:
        return quantity_with_unit(self.moq, self.unit)

    @property
    def quantity_label(self) -> str:
        return quantity_with_unit(self.quantity or 0, self.unit)

    @property
    def at_quantity(self) -> Decimal | None:
        """The unit price of the tier that applies at the buyer's quantity (None: below every tier)."""
        if self.quantity is None:
            return None
        tier = tier_for_quantity(self.tiers, self.quantity)
        return tier.unit_price if tier is not None else None

    def rows(self) -> list[tuple[Tier, Decimal | None]]:
        """Each tier, in rising quantity, with its unit price in the buyer's currency (None when
        not converted)."""
        converted = self.approx.tiers if self.approx is not None else ()
        return [(t, converted[i] if i < len(converted) else None) for i, t in enumerate(self.tiers)]


def price_summary(
    *,
    currency: str,
    unit: str,
    moq: int,
    tiers: Iterable[Tier],
    book: PriceBook | None = None,
    quantity: int | None = None,
) -> PriceSummary:
    """The PriceSummary of a listing sold in `currency` with `tiers`; converted to the book's
    currency when it differs and its rate is known (reading the rates at most once per book)."""
    ordered = tuple(sorted(tiers, key=lambda t: t.min_quantity))
    summary = PriceSummary(currency=currency, unit=unit, tiers=ordered, moq=moq, quantity=quantity)
    if book is None or book.currency == currency or not ordered:
        return summary
    rates, target = book.rates, book.currency
    low, high, at = summary.low, summary.high, summary.at_quantity
    low_c = rates.convert(low, currency, target) if low is not None else None
    high_c = rates.convert(high, currency, target) if high is not None else None
    if low_c is None or high_c is None:
        return summary
    at_c = rates.convert(at, currency, target) if at is not None else None
    each = tuple(rates.convert(t.unit_price, currency, target) or Decimal(0) for t in ordered)
    approx = Approximation(target, low_c, high_c, at_c, rates.date_of(currency, target), each)
    return PriceSummary(currency=currency, unit=unit, tiers=ordered, moq=moq, quantity=quantity, approx=approx)


@dataclass(frozen=True)
class Converted:
    """An amount in the buyer's currency, at the rate of `rate_date`: an approximation."""

    currency: str
    amount: Decimal
    rate_date: date | None


def converted_amount(amount: Decimal | None, currency: str, *, book: PriceBook) -> Converted | None:
    """`amount` of `currency` in the book's currency; None when it is already in it, is None, or
    a rate is missing."""
    if amount is None or currency == book.currency:
        return None
    value = book.rates.convert(amount, currency, book.currency)
    if value is None:
        return None
    return Converted(book.currency, value, book.rates.date_of(currency, book.currency))


def listing_tiers(listing: Any) -> list[Tier]:
    """A listing's tiers from what its selector loaded: the card arrays (`tier_quantities`,
    `tier_prices`, see catalog.selectors.public) or the prefetched `tiers`."""
    quantities: Sequence[int] | None = getattr(listing, "tier_quantities", None)
    prices: Sequence[Decimal] | None = getattr(listing, "tier_prices", None)
    if quantities is not None and prices is not None:
        return [Tier(q, p) for q, p in zip(quantities, prices, strict=True)]
    return [Tier(t.min_quantity, t.unit_price) for t in listing.tiers.all()]


def listing_price_summary(listing: Any, *, book: PriceBook | None = None, quantity: int | None = None) -> PriceSummary:
    """The PriceSummary of a listing whose tiers its selector loaded (no query but the rates)."""
    return price_summary(
        currency=listing.currency,
        unit=listing.unit,
        moq=listing.moq,
        tiers=listing_tiers(listing),
        book=book,
        quantity=quantity,
    )
