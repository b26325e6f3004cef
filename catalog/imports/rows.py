"""One row: its cells read and checked into a listing's fields and tiers, with every reason when wrong."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from belts.hs import normalise_hs_code
from belts.regions import PROVINCES
from marketplace.i18n import validate_country_code

from ..incoterms import Incoterm
from ..models import Listing
from ..rules import Tier, validate_tiers
from ..tradedata import DEFAULT_ORIGIN_COUNTRY, DEFAULT_PRICE_BASIS, MAX_EXPORT_MARKETS
from .columns import (
    CURRENCY_WORDS,
    FORMULA_PREFIXES,
    INCOTERM_WORDS,
    MOQ_MODE_WORDS,
    NO_WORDS,
    STATUS_WORDS,
    TEXT_KEYS,
    TIER_COUNT,
    UNIT_WORDS,
    YES_WORDS,
)
from .reading import Sheet


class _Absent:
    """The file has no such column: on an update the listing keeps its value."""


ABSENT = _Absent()
NUMBER = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")


@dataclass
class RowOutcome:
    line: int
    sku: str
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # saved, but not quite as asked (kept as draft)
    action: str = ""  # "created" / "updated" once saved


class _Cells:
    """Typed access to one row's cells; each reader appends a message naming the column when wrong."""

    def __init__(self, sheet: Sheet, cells: list[str], errors: list[str]) -> None:
        self.sheet, self.cells, self.errors = sheet, cells, errors

    def label(self, key: str) -> str:
        return self.sheet.labels.get(key, key)

    def has(self, key: str) -> bool:
        return key in self.sheet.columns

    def raw(self, key: str) -> str | _Absent:
        index = self.sheet.columns.get(key)
        if index is None:
            return ABSENT
        value = self.cells[index] if index < len(self.cells) else ""
        if key in TEXT_KEYS and value[:1] == "'" and value[1:2] in FORMULA_PREFIXES:
            value = value[1:]  # our own export's guard against spreadsheet formulas
        return value

    def fail(self, key: str, message: str, **params: object) -> None:
        self.errors.append(message % {"column": self.label(key), **params})

    def text(self, key: str, max_length: int) -> str | _Absent:
        value = self.raw(key)
        if isinstance(value, str) and len(value) > max_length:
            self.fail(
                key, _("%(column)s: at most %(max)s characters (this one has %(n)s)."), max=max_length, n=len(value)
            )
        return value

    def integer(self, key: str, *, minimum: int, maximum: int = 2_000_000_000) -> int | _Absent | None:
        value = self.raw(key)
        if not isinstance(value, str):
            return value  # the column is absent
        if value == "":
            return None
        number = _number(value)
        if number is None or number != number.to_integral_value():
            self.fail(key, _("%(column)s: “%(value)s” is not a whole number."), value=value)
            return None
        if number < minimum:
            self.fail(key, _("%(column)s: must be at least %(min)s."), min=minimum)
            return None
        if number > maximum:
            self.fail(key, _("%(column)s: must be at most %(max)s."), max=f"{maximum:,}")
            return None
        return int(number)

    def price(self, key: str) -> Decimal | _Absent | None:
        value = self.raw(key)
        if not isinstance(value, str):
            return value  # the column is absent
        if value == "":
            return None
        number = _number(value.lstrip("¥￥$").strip())
        if number is None:
            self.fail(
                key, _("%(column)s: “%(value)s” is not a price; write digits and a point, e.g. 12.50."), value=value
            )
            return None
        if number < 0:
            self.fail(key, _("%(column)s: cannot be negative."))
            return None
        if number != number.quantize(Decimal("0.01")):
            self.fail(key, _("%(column)s: at most two decimal places (“%(value)s”)."), value=value)
            return None
        if number >= Decimal("1e10"):
            self.fail(key, _("%(column)s: “%(value)s” is too large."), value=value)
            return None
        return number.quantize(Decimal("0.01"))

    def boolean(self, key: str) -> bool | _Absent | None:
        value = self.raw(key)
        if not isinstance(value, str):
            return value  # the column is absent
        if value == "":
            return None
        word = value.lower()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        self.fail(key, _("%(column)s: “%(value)s” is neither yes nor no."), value=value)
        return None

    def hs_code(self, key: str) -> str | _Absent | None:
        value = self.raw(key)
        if not isinstance(value, str):
            return value  # the column is absent
        try:
            return normalise_hs_code(value) or None
        except ValidationError as exc:
            self.fail(key, "%(column)s: " + exc.messages[0].replace("%", "%%"))
            return None

    def country(self, key: str) -> str | _Absent | None:
        value = self.raw(key)
        if not isinstance(value, str):
            return value  # the column is absent
        code = value.strip().upper()
        if not code:
            return None
        try:
            validate_country_code(code)
        except ValidationError:
            self.fail(
                key, _("%(column)s: “%(value)s” is not a two-letter country code (ISO 3166, such as CN)."), value=value
            )
            return None
        return code

    def countries(self, key: str) -> list[str] | _Absent | None:
        value = self.raw(key)
        if not isinstance(value, str):
            return value  # the column is absent
        codes: list[str] = []
        for word in _MARKET_SEPARATORS.split(value.strip()):
            code = word.upper()
            if not code or code in codes:
                continue
            try:
                validate_country_code(code)
            except ValidationError:
                self.fail(
                    key, _("%(column)s: “%(value)s” is not a two-letter country code (ISO 3166, such as DE)."),
                    value=word[:20],
                )  # fmt: skip
                continue
            codes.append(code)
        if len(codes) > MAX_EXPORT_MARKETS:
            self.fail(key, _("%(column)s: at most %(max)s countries."), max=MAX_EXPORT_MARKETS)
        return codes

    def province(self, key: str) -> str | _Absent | None:
        value = self.raw(key)
        if not isinstance(value, str):
            return value  # the column is absent
        text = " ".join(value.split())
        if not text:
            return None
        code = _PROVINCE_WORDS.get(text.lower()) or _PROVINCE_WORDS.get(text)
        if code is None:
            self.fail(
                key,
                _("%(column)s: “%(value)s” is not a province of China (a code such as CN-HB, or its name)."),
                value=value,
            )
        return code

    def choice(self, key: str, words: dict[str, str], allowed: Iterable[str]) -> str | _Absent | None:
        value = self.raw(key)
        if not isinstance(value, str):
            return value  # the column is absent
        if value == "":
            return None
        found = words.get(" ".join(value.lower().split()))
        if found is None:
            self.fail(
                key, _("%(column)s: “%(value)s” is not one of: %(choices)s."), value=value, choices=", ".join(allowed)
            )
        return found


def _number(text: str) -> Decimal | None:
    text = text.strip()
    if not NUMBER.match(text.lstrip("-")):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


# Defaults for a new listing when a column is absent or its cell empty (the model's own defaults).
DEFAULTS: dict[str, object] = {
    "description_en": "",
    "description_zh": "",
    "unit": Listing.Unit.PIECE,
    "currency": Listing.Currency.CNY,
    "moq_mode": Listing.MoqMode.MIXED,
    "order_multiple": 1,
    "lead_time_days": 15,
    "monthly_capacity": None,
    "sample_available": False,
    "sample_price": None,
    "oem": False,
    "odm": False,
    "title_en": "",
    "title_zh": "",
    "hs_code": "",
    "origin_country": DEFAULT_ORIGIN_COUNTRY,
    "origin_region": "",
    "export_markets": [],
    "price_incoterm": DEFAULT_PRICE_BASIS.value,
    "price_incoterm_place": "",
}
_MARKET_SEPARATORS = re.compile(r"[\s,;，、；]+")
# A province by its code, its English or Chinese name, or its short Chinese name (新疆, 广西, 湖北).
_PROVINCE_WORDS = {
    **{code.lower(): code for code in PROVINCES},
    **{names[0].lower(): code for code, names in PROVINCES.items()},
    **{names[1]: code for code, names in PROVINCES.items()},
    **{
        re.sub("(维吾尔|回族|壮族)?自治区$|特别行政区$|省$|市$", "", names[1]): code
        for code, names in PROVINCES.items()
    },
}


@dataclass
class _Context:
    """What every row of one job needs, loaded once."""

    supplier: Any
    actor_id: int | None
    publish_blocker: str  # why the supplier may not publish now; empty when it may
    categories: dict[str, int]  # slug (lower case) → id
    with_variants: set[int] = field(default_factory=set)  # ids of this batch's listings that have variants
    seen: dict[str, int] = field(default_factory=dict)  # SKU → first row number, across the whole file


def _clean_row(
    sheet: Sheet, line: int, cells: list[str], existing: Listing | None, ctx: _Context
) -> tuple[RowOutcome, dict[str, object], list[Tier] | None]:
    """The listing fields and tiers one row asks for, and everything wrong with it. No queries.

    A column the file does not have leaves an existing listing's value alone (a file of only sku
    and prices updates prices); an empty cell means the default. A new listing needs a title, a
    category, the MOQ and a first price tier. Returns the outcome (errors, notes), the fields to
    write and the tiers (None: keep the listing's tiers).
    """
    c = _Cells(sheet, cells, [])
    sku = c.text("sku", Listing._meta.get_field("sku").max_length or 64)
    outcome = RowOutcome(line=line, sku=sku if isinstance(sku, str) else "", errors=c.errors)
    if not outcome.sku:
        c.fail("sku", _("%(column)s: the SKU is missing; it is the key that finds the listing on the next import."))
    elif outcome.sku in ctx.seen:
        c.fail(
            "sku",
            _("%(column)s: “%(sku)s” is already on row %(line)s of this file."),
            sku=outcome.sku,
            line=ctx.seen[outcome.sku],
        )
    if existing is not None and existing.status == Listing.Status.ARCHIVED:
        c.fail(
            "sku",
            _("%(column)s: the listing “%(sku)s” is archived; restore it before importing it again."),
            sku=outcome.sku,
        )
    creating = existing is None

    asked: dict[str, object] = {}
    for key in ("title_en", "title_zh", "description_en", "description_zh"):
        column = Listing._meta.get_field(key)
        assert isinstance(column, models.Field)  # a column, never a reverse relation
        asked[key] = c.text(key, column.max_length or 100_000)
    category = c.raw("category")
    if isinstance(category, str):
        asked["category_id"] = ctx.categories.get(category.lower())
        if category == "":
            c.fail("category", _("%(column)s: the category is missing."))
        elif asked["category_id"] is None:
            c.fail(
                "category", _("%(column)s: there is no category “%(value)s”; use a code from the list."), value=category
            )
    elif creating:
        c.errors.append(_("%(column)s: required to create a listing.") % {"column": "category"})
    asked["unit"] = c.choice("unit", UNIT_WORDS, Listing.Unit.values)
    asked["currency"] = c.choice("currency", CURRENCY_WORDS, Listing.Currency.values)
    asked["moq"] = c.integer("moq", minimum=1)
    if c.raw("moq") == "":
        c.fail("moq", _("%(column)s: the minimum order quantity is missing."))
    elif creating and not c.has("moq"):
        c.errors.append(_("%(column)s: required to create a listing.") % {"column": "moq"})
    asked["moq_mode"] = c.choice("moq_mode", MOQ_MODE_WORDS, Listing.MoqMode.values)
    asked["order_multiple"] = c.integer("order_multiple", minimum=1)
    asked["lead_time_days"] = c.integer("lead_time_days", minimum=0, maximum=32767)
    asked["monthly_capacity"] = c.integer("monthly_capacity", minimum=1)
    asked["sample_available"] = c.boolean("sample_available")
    asked["sample_price"] = c.price("sample_price")
    asked["oem"] = c.boolean("oem")
    asked["odm"] = c.boolean("odm")
    asked["hs_code"] = c.hs_code("hs_code")
    asked["origin_country"] = c.country("origin_country")
    asked["origin_region"] = c.province("origin_region")
    asked["export_markets"] = c.countries("export_markets")
    asked["price_incoterm"] = c.choice("price_incoterm", INCOTERM_WORDS, Incoterm.values)
    asked["price_incoterm_place"] = c.text("price_incoterm_place", 80)
    status = c.choice("status", STATUS_WORDS, ("draft", "published"))

    errors_before_tiers = len(c.errors)
    tiers = _clean_tiers(c)
    tiers_readable = len(c.errors) == errors_before_tiers
    if creating and tiers is None:
        c.errors.append(
            _("%(column)s: a new listing needs at least one price tier.") % {"column": "tier1_qty, tier1_price"}
        )

    # What to write: an absent column keeps the listing's value (or, when new, the default);
    # an empty cell is the default.
    fields: dict[str, object] = {}
    for key, value in asked.items():
        if isinstance(value, _Absent):
            if creating:
                fields[key] = DEFAULTS.get(key)
            continue
        fields[key] = DEFAULTS.get(key) if value is None else value
    final = {key: fields[key] if key in fields else getattr(existing, key, None) for key in asked}

    if not (final["title_en"] or final["title_zh"]):
        c.errors.append(
            _("%(en)s / %(zh)s: give a title in English or in Chinese.")
            % {"en": c.label("title_en"), "zh": c.label("title_zh")}
        )
    if final["origin_region"] and final["origin_country"] not in (None, DEFAULT_ORIGIN_COUNTRY):
        c.fail(
            "origin_region",
            _("%(column)s: a province of origin is for goods from China; leave it empty for another country."),
        )
    if final["sample_available"] and final["sample_price"] is None:
        c.fail("sample_price", _("%(column)s: give the sample price when a sample is available."))
    if final["moq_mode"] == Listing.MoqMode.PER_VARIANT and (existing is None or existing.pk not in ctx.with_variants):
        # The listing form's rule too: variants are added on the listing's page, not by the import.
        c.fail("moq_mode", _("%(column)s: a per-variant MOQ needs variants; add them on the listing's page first."))
    tier_list = tiers if tiers is not None else _existing_tiers(existing)
    if isinstance(final["moq"], int) and tier_list and tiers_readable:
        # The quantity rules every door shares; an update that changes only the MOQ is checked
        # against the listing's own tiers.
        c.errors.extend(validate_tiers(tier_list, moq=final["moq"]))

    if isinstance(status, _Absent):
        if creating:
            fields["status"] = Listing.Status.DRAFT
    else:
        status = status or Listing.Status.DRAFT
        if status == Listing.Status.PUBLISHED and ctx.publish_blocker:
            outcome.notes.append(
                _("%(column)s: saved as a draft. %(reason)s")
                % {"column": c.label("status"), "reason": ctx.publish_blocker}
            )
            status = Listing.Status.DRAFT
        fields["status"] = status
    return outcome, fields, tiers


def _existing_tiers(listing: Listing | None) -> list[Tier]:
    if listing is None:
        return []
    return [Tier(min_quantity=t.min_quantity, unit_price=t.unit_price) for t in listing.tiers.all()]


def _clean_tiers(c: _Cells) -> list[Tier] | None:
    """The row's price tiers in order, or None when the file has no tier columns at all."""
    if not any(c.has(f"tier{n}_qty") or c.has(f"tier{n}_price") for n in range(1, TIER_COUNT + 1)):
        return None
    tiers: list[Tier] = []
    gap_at = 0
    errors_before = len(c.errors)
    for n in range(1, TIER_COUNT + 1):
        qty_key, price_key = f"tier{n}_qty", f"tier{n}_price"
        qty, price = c.integer(qty_key, minimum=1), c.price(price_key)
        qty_given, price_given = c.raw(qty_key) not in ("", ABSENT), c.raw(price_key) not in ("", ABSENT)
        if not qty_given and not price_given:
            gap_at = gap_at or n
            continue
        if qty_given != price_given:
            c.errors.append(
                _("%(qty)s, %(price)s: give both the quantity and the unit price, or neither.")
                % {"qty": c.label(qty_key), "price": c.label(price_key)}
            )
            continue
        if gap_at:
            c.errors.append(
                _("%(column)s: fill the price tiers in order, without gaps (tier %(n)s is empty).")
                % {"column": c.label(qty_key), "n": gap_at}
            )
            gap_at = 0
        if isinstance(qty, int) and isinstance(price, Decimal):
            tiers.append(Tier(min_quantity=qty, unit_price=price))
    if not tiers and len(c.errors) == errors_before:
        c.errors.append(
            _("%(qty)s, %(price)s: give at least one price tier.")
            % {"qty": c.label("tier1_qty"), "price": c.label("tier1_price")}
        )
    return tiers
