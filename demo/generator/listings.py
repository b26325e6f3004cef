"""Listing, price tier and variant rows for a batch of listing ids, built with one seeded
`random.Random` from the industries' vocabularies: titles and descriptions in English and Chinese,
1–4 price tiers, MOQ, carton multiples, samples, lead times, variants and specifications."""

from __future__ import annotations

import bisect
import datetime
import json
import math
import random
from dataclasses import dataclass, field

from catalog.search.text import CJK_RUN, cjk_bigrams, cjk_chars
from demo.generator.plans import LAPSED_STATES, PUBLIC_STATES, SupplierPlan, nice_at_least, round_up
from demo.generator.vocabulary import COLOURS, LEAF_INDUSTRY, SIZES, TRADE_SENTENCES, Industry, Leaf


@dataclass
class ListingRows:
    listings: list[tuple] = field(default_factory=list)
    tiers: list[tuple] = field(default_factory=list)
    variants: list[tuple] = field(default_factory=list)


# fmt: off
LISTING_COLUMNS = (
    "id", "supplier_id", "category_id", "sku", "title_en", "title_zh", "description_en", "description_zh",
    "status", "unit", "currency", "moq", "lead_time_days", "monthly_capacity", "sample_available",
    "sample_price", "sample_fee_credited", "moq_mode", "order_multiple", "oem", "odm", "customisation_en",
    "customisation_zh", "specifications", "production_site_id", "created_at", "updated_at", "published_at",
    "archived_at", "price_from",
)
# fmt: on
TIER_COLUMNS = ("listing_id", "min_quantity", "unit_price")
VARIANT_COLUMNS = ("listing_id", "sku", "size", "colour", "model", "moq", "position")


class ListingMaker:
    """Builds listing, tier and variant rows for a batch of ids with one seeded generator."""

    def __init__(self, rng: random.Random, categories: dict[str, int], now: datetime.datetime) -> None:
        self.rng = rng
        self.categories = categories
        self.now = now
        self.tokens = CjkTokens()

    def status_for(self, state: str) -> str:
        r = self.rng.random()
        if state in PUBLIC_STATES:
            return "published" if r < 0.9 else ("draft" if r < 0.96 else "archived")
        if state in LAPSED_STATES:
            return "published" if r < 0.8 else ("draft" if r < 0.92 else "archived")
        return "draft" if r < 0.9 else "archived"

    def build(self, rows: ListingRows, listing_id: int, supplier: SupplierPlan, created: datetime.datetime) -> None:
        rng = self.rng
        random_ = rng.random
        leaf_slug = supplier.leaf_slugs[bisect.bisect_right(supplier.leaf_cum, random_() * supplier.leaf_cum[-1])]
        industry = LEAF_INDUSTRY[leaf_slug]
        leaf = industry.leaves[leaf_slug]

        title_en, title_zh, noun_en, noun_zh = self._title(industry, leaf)
        description_en, description_zh, zh_pieces = self._description(industry, noun_en, noun_zh, supplier)

        # Quantities: MOQ and tiers in whole multiples of the carton pack.
        multiple = industry.multiple_choice.pick(rng) if random_() < 0.35 else 1
        moq = round_up(leaf.moq_choice.pick(rng), multiple)
        unit = leaf.units[int(random_() * len(leaf.units))]
        low, high = leaf.log_price
        price = math.exp(low + (high - low) * random_())
        if unit == "tonne":
            price *= 1000
            moq = round_up(max(1, moq // 1000) if moq >= 1000 else (1, 5, 10, 20)[int(random_() * 4)], multiple)
        currency = "CNY"
        if random_() < supplier.currency_usd:
            currency = "USD"
            price /= 7.1
        r = random_()
        tier_count = 1 if r < 0.15 else 2 if r < 0.4 else 3 if r < 0.8 else 4
        quantity, first_price = moq, max(0.01, round(price, 2))
        unit_price = first_price
        tiers = rows.tiers
        breaks = industry.breaks
        tiers.append((listing_id, quantity, f"{unit_price:.2f}"))
        least = unit_price
        for _ in range(tier_count - 1):
            quantity = round_up(nice_at_least(quantity * breaks[int(random_() * len(breaks))]), multiple)
            unit_price = max(0.01, round(unit_price * (0.98 - 0.1 * random_()), 2))
            tiers.append((listing_id, quantity, f"{unit_price:.2f}"))
            least = min(least, unit_price)

        sample_available = random_() < industry.sample_share
        sample_price = None
        if sample_available:
            if industry.sample == "unit":
                sample_price = f"{first_price:.2f}"
            elif industry.sample == "flat":
                sample_price = f"{(10, 15, 20, 30, 50)[int(random_() * 5)]}.00"
            elif industry.sample == "double":
                sample_price = f"{first_price * (1.5 + random_()):.2f}"
            else:
                sample_price = "0.00" if random_() < 0.4 else f"{(10, 20, 30, 50)[int(random_() * 4)]}.00"

        variants = 0
        if random_() < industry.variant_share:
            variants = self._variants(rows, industry, leaf_slug, listing_id)
        moq_mode = "mixed"
        if variants and random_() < 0.4:
            moq_mode = "per_variant"
            self._variant_moqs(rows, variants, moq, multiple)

        oem, odm = random_() < industry.oem, random_() < industry.odm
        custom_en = custom_zh = ""
        if oem or odm:
            options = industry.customisation.sample(rng, 1 + int(random_() * 3))
            custom_en = ", ".join(en for en, _zh in options).capitalize()
            custom_zh = "、".join(zh for _en, zh in options)

        specs = [spec.pick(rng) for spec in industry.spec_json if random_() < 0.7]
        specifications = "[" + ", ".join(specs) + "]"

        status = self.status_for(supplier.state)
        published_at = archived_at = None
        now = self.now
        age = (now - created).total_seconds()
        updated = created + datetime.timedelta(seconds=random_() * min(age, 120 * 86400))
        if status != "draft":
            published_at = min(now, created + datetime.timedelta(seconds=300 + random_() * 3 * 86400))
            if updated < published_at:
                updated = published_at
            if status == "archived":
                archived_at = min(now, published_at + datetime.timedelta(days=1 + random_() * 300))
                if updated < archived_at:
                    updated = archived_at

        site_id = None
        if supplier.sites and random_() < 0.92:
            site_id = supplier.sites[int(random_() * len(supplier.sites))][0]

        sku = f"{supplier.sku_prefix}-{listing_id}" if random_() < 0.9 else ""
        low_lead, high_lead = industry.lead_time
        lead = low_lead + int(random_() * (high_lead - low_lead + 1))
        capacity = None
        if random_() >= 0.1:
            low, high = industry.log_capacity
            capacity = nice_at_least(math.exp(low + (high - low) * random_()))
            if unit == "tonne":
                capacity = max(1, capacity // 1000)

        rows.listings.append(
            (
                listing_id,
                supplier.id,
                self.categories[leaf_slug],
                sku,
                title_en[:200],
                title_zh[:200],
                description_en,
                description_zh,
                status,
                unit,
                currency,
                moq,
                lead,
                capacity,
                sample_available,
                sample_price,
                sample_available and random_() < 0.4,
                moq_mode,
                multiple,
                oem,
                odm,
                custom_en[:300],
                custom_zh[:300],
                specifications,
                site_id,
                created,
                updated,
                published_at,
                archived_at,
                f"{least:.2f}",
                *self.tokens.title(title_zh[:200]),
                self.tokens.text(description_zh, zh_pieces, custom_zh[:300]),
                self.tokens.specifications(specs),
            )
        )

    def _title(self, industry: Industry, leaf: Leaf) -> tuple[str, str, str, str]:
        rng = self.rng
        noun_en, noun_zh = leaf.nouns.pick(rng)
        pre_en, pre_zh = [], []
        for probability, words in leaf.pre:
            if rng.random() < probability:
                en, zh = words.pick(rng)
                if en.lower() not in noun_en.lower():
                    pre_en.append(en)
                    pre_zh.append(zh)
        en = " ".join([*pre_en, noun_en])
        zh = "".join([*pre_zh, noun_zh])
        for probability, words, fmt_en, fmt_zh in leaf.post:
            if rng.random() < probability:
                value_en, value_zh = words.pick(rng)
                en += fmt_en.format(value_en)
                zh += fmt_zh.format(value_zh)
        if rng.random() < 0.45:
            feature_en, feature_zh = (leaf.features or industry.features).pick(rng)
            if industry.features_before:
                en, zh = f"{feature_en} {en}", f"{feature_zh}{zh}"
            else:
                en += f" with {feature_en}"
                zh += f" {industry.feature_prefix_zh}{feature_zh}"
        if rng.random() < 0.12:
            use_en, use_zh = industry.applications.pick(rng)
            en += f", for {use_en}"
            zh += f" {use_zh}用"
        return en[0].upper() + en[1:], zh, noun_en, noun_zh

    def _description(
        self, industry: Industry, noun_en: str, noun_zh: str, supplier: SupplierPlan
    ) -> tuple[str, str, list[str]]:
        """English, Chinese, and the Chinese sentences it is made of."""
        rng = self.rng
        chosen = industry.sentences.sample(rng, rng.randint(2, 3)) + TRADE_SENTENCES.sample(rng, rng.randint(0, 2))
        en = " ".join(s_en.format(noun_en=noun_en, noun_zh=noun_zh) for s_en, _ in chosen)
        pieces = [s_zh.format(noun_en=noun_en, noun_zh=noun_zh) for _, s_zh in chosen]
        if supplier.sites and rng.random() < 0.5:
            _site, city_en, city_zh = rng.choice(supplier.sites)
            en += f" Made at our {city_en} site."
            pieces.append(f"产自我司{city_zh}生产基地。")
        return en, "".join(pieces), pieces

    def _variants(self, rows: ListingRows, industry: Industry, leaf_slug: str, listing_id: int) -> int:
        rng = self.rng
        kind = industry.variant_kind
        start = len(rows.variants)
        if kind == "size":
            scale = SIZES[industry.leaves[leaf_slug].size_scale or industry.size_scale]
            count = rng.randint(3, len(scale))
            first = rng.randint(0, len(scale) - count)
            colour = COLOURS.pick(rng) if rng.random() < 0.5 else ""
            values = [(size, colour, "") for size in scale[first : first + count]]
        elif kind == "colour":
            values = [("", colour, "") for colour in COLOURS.sample(rng, rng.randint(2, 6))]
        elif kind == "pack":
            count = rng.randint(2, 3)
            first = rng.randint(0, len(SIZES["pack"]) - count)
            values = [(size, "", "") for size in SIZES["pack"][first : first + count]]
        else:
            assert industry.variant_models is not None  # the loader requires them for kind "model"
            powers = [en for en, _zh in industry.variant_models.sample(rng, rng.randint(2, 4))]
            values = [("", "", f"Model {power}") for power in powers]
        for position, (size, colour, model) in enumerate(values):
            rows.variants.append((listing_id, "", size, colour, model, None, position))
        return len(rows.variants) - start

    def _variant_moqs(self, rows: ListingRows, count: int, moq: int, multiple: int) -> None:
        """Per-variant MOQ: about half the variants get their own minimum, the rest use the listing's."""
        for index in range(len(rows.variants) - count, len(rows.variants)):
            if self.rng.random() < 0.5:
                own = round_up(max(1, int(moq * self.rng.choice((0.5, 1, 2)))), multiple)
                row = rows.variants[index]
                rows.variants[index] = (*row[:5], own, row[6])


def created_times(
    rng: random.Random, count: int, start: datetime.datetime, end: datetime.datetime
) -> list[datetime.datetime]:
    """`count` times spread evenly over [start, end) with jitter, in rising order."""
    span = (end - start).total_seconds()
    step = span / max(count, 1)
    return [start + datetime.timedelta(seconds=(i + rng.random()) * step) for i in range(count)]


class CjkTokens:
    """The CJK tokens of a listing's texts as SQL catalog_cjk_bigrams and catalog_cjk_chars make
    them (catalog.search.rebuild.BULK_CJK_COLUMNS), remembered per title, sentence and
    specification: texts are made of few distinct pieces."""

    def __init__(self) -> None:
        self.bigrams: dict[str, str] = {}
        self.titles: dict[str, tuple[str, str]] = {}
        self.specs: dict[str, tuple[str, str]] = {}

    def _bigrams(self, text: str) -> str:
        found = self.bigrams.get(text)
        if found is None:
            found = self.bigrams[text] = cjk_bigrams(text)
        return found

    def title(self, zh: str) -> tuple[str, str]:
        found = self.titles.get(zh)
        if found is None:
            found = self.titles[zh] = (cjk_bigrams(zh), cjk_chars(zh))
        return found

    def text(self, description: str, pieces: list[str], customisation: str) -> str:
        """The tokens of the description's first 1000 characters, a space and the customisation
        (catalog_listing_vector's Chinese "C" text), from the sentences when no CJK run crosses
        from one into the next."""
        if len(description) <= 1000 and all(not CJK_RUN.match(piece[-1:]) for piece in pieces[:-1]):
            parts = [self._bigrams(piece) for piece in pieces]
        else:
            parts = [cjk_bigrams(description[:1000])]
        parts.append(self._bigrams(customisation))
        return " ".join(part for part in parts if part)

    def specifications(self, specs: list[str]) -> str:
        """The tokens of the names' array, a space and the values' array, as JSON text: each
        string is quoted there, so no CJK run crosses from one into the next."""
        names, values = [], []
        for spec in specs:
            found = self.specs.get(spec)
            if found is None:
                item = json.loads(spec)
                found = self.specs[spec] = (cjk_bigrams(item["name_zh"]), cjk_bigrams(str(item["value"])))
            names.append(found[0])
            values.append(found[1])
        return " ".join(part for part in (*names, *values) if part)
