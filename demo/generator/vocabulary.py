"""The generator's vocabularies, read from demo/data/generator/: per industry (laser machines,
fabrics, men's and children's clothing, dried fruit and nuts, farm produce, goji) the words of
titles, descriptions and specifications, and per belt where its suppliers are and what they make.

Word choices follow a Zipf-like law (the n-th word of a list is picked about 1/n as often as the
first), so the catalog has common words, a long tail and a few rare ones, as real catalogs do.
The files are read once, when this module is first imported.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from marketplace.pgcopy import as_json

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "generator"


class Zipf:
    """Items picked with probability proportional to 1 / rank**s (the first is the most common)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, items: Sequence[Any], s: float = 1.0) -> None:
        if not items:
            raise ValueError("Zipf needs at least one item")
        self.items = list(items)
        acc, cum = 0.0, []
        for rank in range(1, len(self.items) + 1):
            acc += 1.0 / rank**s
            cum.append(acc)
        self.cum, self.total = cum, acc

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]

    def sample(self, rng: random.Random, k: int) -> list[Any]:
        """Up to `k` distinct items, each drawn by frequency."""
        chosen: list[Any] = []
        for _ in range(k * 3):
            item = self.pick(rng)
            if item not in chosen:
                chosen.append(item)
                if len(chosen) == k:
                    break
        return chosen


@dataclass
class Leaf:
    """A leaf category with what its listings are called and how they are sold."""

    slug: str
    nouns: Zipf  # (english, chinese)
    units: tuple[str, ...]
    price: tuple[float, float]  # CNY per unit, drawn log-uniformly
    moq: tuple[int, ...]  # most common first
    pre: tuple[tuple[float, Zipf], ...] = ()  # (probability, words before the noun)
    post: tuple[tuple[float, Zipf, str, str], ...] = ()  # (probability, words, english format, chinese)
    features: Zipf | None = None  # instead of the industry's
    size_scale: str | None = None  # instead of the industry's

    def __post_init__(self) -> None:
        self.moq_choice = Zipf(self.moq, 1.2)
        self.log_price = (math.log(self.price[0]), math.log(self.price[1]))


@dataclass
class Industry:
    """A root category: its leaves and the words its listings share."""

    root: str
    leaves: dict[str, Leaf]
    features: Zipf  # "with …" in titles, long tail
    applications: Zipf  # rare: "for shipbuilding"
    sentences: Zipf  # description sentences, (english, chinese) with {noun_en}/{noun_zh}
    specs: tuple[tuple[str, str, Zipf], ...]  # (name en, name zh, values)
    customisation: Zipf
    supplier_words: Zipf  # company name: "Laser Technology" / "激光科技"
    variant_kind: str  # "model", "colour", "size", "pack"
    variant_share: float
    sample_share: float
    sample: str  # "unit" (price of one), "flat" (a swatch fee), "double" (1.5–2.5× unit), "free"
    lead_time: tuple[int, int]
    capacity: tuple[int, int]
    order_multiples: tuple[int, ...]  # most common first (1 = any quantity)
    oem: float
    odm: float
    breaks: tuple[int, ...] = (2, 3, 5, 10)
    leaf_weights: dict[str, float] = field(default_factory=dict)
    features_before: bool = False  # adjectives ("sun-dried raisins") rather than "… with …"
    feature_prefix_zh: str = ""  # before a feature in a Chinese title ("配": "comes with")
    variant_models: Zipf | None = None  # variant_kind "model": words of the models' names
    size_scale: str = "adult"  # variant_kind "size": the scale of SIZES

    def __post_init__(self) -> None:
        self.multiple_choice = Zipf(self.order_multiples, 1.6)
        self.log_capacity = (math.log(self.capacity[0]), math.log(self.capacity[1]))
        # Each specification value as its JSON object, ready to join into the listing's list.
        self.spec_json = [
            Zipf([as_json({"name_en": name_en, "name_zh": name_zh, "value": value}) for value in values.items])
            for name_en, name_zh, values in self.specs
        ]


@dataclass(frozen=True)
class City:
    en: str
    zh: str
    division: str  # GB/T 2260 code, the 3rd–8th characters of a USCC


@dataclass
class BeltProfile:
    cities: tuple[City, ...]
    leaves: dict[str, float]  # leaf slug → share of the belt's listings
    weight: float  # share of all generated suppliers


# --- reading the files --------------------------------------------------------------------------


def _read(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _pairs(items: Iterable[Any]) -> list[Any]:
    return [tuple(item) if isinstance(item, list) else item for item in items]


def _industry(data: dict[str, Any], shared: dict[str, Any]) -> Industry:
    named = {**shared, **data.get("words", {})}

    def words(value: str | list[Any]) -> Zipf:
        """A word list given in place, or by the name of one of the file's `words` or of words.yaml."""
        if isinstance(value, str):
            if value not in named:
                raise ValueError(f"{data['root']}: no word list named {value}")
            value = named[value]
        return Zipf(_pairs(value))

    leaves = {
        slug: Leaf(
            slug,
            words(leaf["nouns"]),
            units=tuple(leaf["units"]),
            price=tuple(leaf["price"]),
            moq=tuple(leaf["moq"]),
            pre=tuple((p, words(w)) for p, w in leaf.get("pre", ())),
            post=tuple((p, words(w), fmt_en, fmt_zh) for p, w, fmt_en, fmt_zh in leaf.get("post", ())),
            features=words(leaf["features"]) if "features" in leaf else None,
            size_scale=leaf.get("size_scale"),
        )
        for slug, leaf in data["leaves"].items()
    }
    return Industry(
        root=data["root"],
        leaves=leaves,
        features=words(data["features"]),
        applications=words(data["applications"]),
        sentences=words(data["sentences"]),
        specs=tuple((name_en, name_zh, Zipf(values)) for name_en, name_zh, values in data["specs"]),
        customisation=words(data["customisation"]),
        supplier_words=words(data["supplier_words"]),
        variant_kind=data["variant_kind"],
        variant_share=data["variant_share"],
        sample_share=data["sample_share"],
        sample=data["sample"],
        lead_time=tuple(data["lead_time"]),
        capacity=tuple(data["capacity"]),
        order_multiples=tuple(data["order_multiples"]),
        oem=data["oem"],
        odm=data["odm"],
        breaks=tuple(data["breaks"]),
        leaf_weights=data["leaf_weights"],
        features_before=data["features_before"],
        feature_prefix_zh=data.get("feature_prefix_zh", ""),
        variant_models=words(data["variant_models"]) if "variant_models" in data else None,
        size_scale=data.get("size_scale", "adult"),
    )


_WORDS = _read("words.yaml")
_SUPPLIER_WORDS = _read("suppliers.yaml")
_BELTS = _read("belts.yaml")

TRADE_SENTENCES = Zipf(_pairs(_WORDS["trade_sentences"]))  # appended to any description
COLOURS = Zipf(_WORDS["colours"])  # variant colours, "English / 中文"
SIZES: dict[str, tuple[str, ...]] = {name: tuple(scale) for name, scale in _read("sizes.yaml").items()}


def _industries() -> dict[str, Industry]:
    industries: dict[str, Industry] = {}
    for root in _read("industries.yaml"):
        industry = _industry(_read(f"industries/{root}.yaml"), _WORDS)
        if industry.root != root:
            raise ValueError(f"industries/{root}.yaml holds the industry {industry.root}")
        if industry.variant_kind == "model" and industry.variant_models is None:
            raise ValueError(f"{root}: variant_kind model needs variant_models")
        if industry.variant_kind == "size" and industry.size_scale not in SIZES:
            raise ValueError(f"{root}: size_scale {industry.size_scale} is not in sizes.yaml")
        industries[root] = industry
    return industries


INDUSTRIES: dict[str, Industry] = _industries()
LEAF_INDUSTRY: dict[str, Industry] = {leaf: i for i in INDUSTRIES.values() for leaf in i.leaves}

BELT_PROFILES: dict[str, BeltProfile] = {
    slug: BeltProfile(
        tuple(City(*city) for city in profile["cities"]),
        {**INDUSTRIES[profile["industry"]].leaf_weights, **profile.get("extra_leaves", {})},
        weight=profile["weight"],
    )
    for slug, profile in _BELTS["profiles"].items()
}
# Keywords of a belt's industry (English) → root category, for belts the profiles do not know.
INDUSTRY_KEYWORDS: tuple[tuple[str, str], ...] = tuple(_pairs(_BELTS["industry_keywords"]))
# Province (ISO 3166-2:CN) → its GB/T 2260 prefix, for the USCC of belts the profiles do not know.
PROVINCE_DIVISION: dict[str, str] = _BELTS["province_division"]

BRAND_SYLLABLES: tuple[tuple[str, str], ...] = tuple(_pairs(_SUPPLIER_WORDS["brand_syllables"]))
SURNAMES: tuple[tuple[str, str], ...] = tuple(_pairs(_SUPPLIER_WORDS["surnames"]))
GIVEN_NAMES: tuple[tuple[str, str], ...] = tuple(_pairs(_SUPPLIER_WORDS["given_names"]))
ROADS: tuple[tuple[str, str], ...] = tuple(_pairs(_SUPPLIER_WORDS["roads"]))


def profile_for_belt(
    *, slug: str, province: str, city_en: str, city_zh: str, industry_en: str, used_leaves: Iterable[str]
) -> BeltProfile | None:
    """The profile of a demo belt, or one guessed for another belt (None if nothing fits)."""
    if slug in BELT_PROFILES:
        return BELT_PROFILES[slug]
    leaves = {leaf: 1.0 for leaf in used_leaves if leaf in LEAF_INDUSTRY}
    if not leaves:
        text = industry_en.lower()
        root = next((root for word, root in INDUSTRY_KEYWORDS if word in text), None)
        if root is None:
            return None
        leaves = dict(INDUSTRIES[root].leaf_weights)
    division = PROVINCE_DIVISION.get(province, "11") + "0000"
    city = City(city_en.split("(")[0].strip() or "City", city_zh or "市", division)
    return BeltProfile((city,), leaves, weight=10)
