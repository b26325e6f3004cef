"""The catalog's request mix: words of the generator's vocabularies and the URLs of each kind of
search and browse, shared by `scripts/measure_catalog.py` (a few fixed URLs per kind, timed in
process) and the load bench (`bench.run`, many URLs per kind drawn at random under load).

`fixed_kinds()` is the measuring script's mix. `search_urls()` and `api_list_urls()` widen it: the
same kinds (common word, rare word, misspelt English, Chinese, several filters, sort by price, a
belt's listings) filled from the generator's vocabularies (demo/data/generator/), so a run under
load meets well over a thousand distinct queries and no per-query cache stays warm.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

SEARCH = "/search/"
BARE_PATH = "/__bench__/bare/"  # only under the bench's settings (bench/urls.py)
API_LIST = "/api/v1/listings/"

# Words of the generator's vocabularies (demo/data/generator/) with known frequencies.
COMMON_WORDS = ("laser", "cotton", "shirt", "fabric", "raisins")
RARE_WORDS = ("shipbuilding", "restoration", "orchestras", "christenings", "firefighter")
TYPOS = ("lazer cuting", "cotten shirt", "rasins", "walnutt kernals", "goji juise")
CHINESE = ("激光切割机", "衬衫", "枸杞", "葡萄干", "纯棉连衣裙")
# Several filters at once: belt + level + MOQ at most + price at a quantity (+ sample, province).
FILTERS = (
    "belt=wuhan-laser&level=certified_origin&moq_max=5&price_max=60000&quantity=3",
    "belt=wenzhou-menswear&level=verified&moq_max=300&price_max=150&quantity=500&sample=1",
    "belt=xinjiang-farm-produce&province=CN-XJ&moq_max=1000&price_min=10&price_max=40&quantity=1000",
)
LEVELS = ("certified_origin", "verified")
PRICE_BANDS = ((0, 40), (10, 40), (0, 150), (5, 1000), (50, 60000), (0, 60000))  # CNY per unit


@dataclass(frozen=True)
class MixKind:
    name: str
    group: str  # "page" (search and browse pages) or "api"
    urls: tuple[str, ...]
    deep: int = 0  # follow "next" this many times first, and measure the page reached


def fixed_kinds() -> list[MixKind]:
    """The measuring script's mix: a few URLs per kind, the same on every run."""
    search, api = SEARCH, API_LIST
    return [
        MixKind("search: common word", "page", tuple(f"{search}?q={w}" for w in COMMON_WORDS)),
        MixKind("search: rare word", "page", tuple(f"{search}?q={w}" for w in RARE_WORDS)),
        MixKind("search: English typo", "page", tuple(f"{search}?q={w}" for w in TYPOS)),
        MixKind("search: Chinese", "page", tuple(f"{search}?q={w}" for w in CHINESE)),
        MixKind(
            "search: filters",
            "page",
            (f"{search}?q=laser&{FILTERS[0]}", f"{search}?q=shirt&{FILTERS[1]}", f"{search}?{FILTERS[2]}"),
        ),
        MixKind(
            "search: sort by price",
            "page",
            (f"{search}?q=cotton&sort=price", f"{search}?belt=shishi-textiles&sort=price", f"{search}?sort=price"),
        ),
        MixKind("search: deep page (51st)", "page", (f"{search}?q=cotton", f"{search}?belt=wuhan-laser"), deep=50),
        MixKind(
            "browse: belt page", "page", ("/belts/wuhan-laser/", "/belts/wenzhou-menswear/", "/belts/ningxia-goji/")
        ),
        MixKind(
            "browse: belt listings",
            "page",
            (f"{search}?belt=huzhou-childrenswear", f"{search}?belt=gansu-agriculture"),
        ),
        MixKind(
            "api: search",
            "api",
            tuple(f"{api}?q={w}" for w in (*COMMON_WORDS[:2], RARE_WORDS[0], TYPOS[0], CHINESE[0])),
        ),
        MixKind("api: filters", "api", (f"{api}?q=laser&{FILTERS[0]}", f"{api}?{FILTERS[2]}", f"{api}?sort=price")),
        MixKind("api: deep page (51st)", "api", (f"{api}?belt=wuhan-laser", api), deep=50),
    ]


@dataclass(frozen=True)
class Terms:
    """Search terms drawn from the generator's vocabularies, by kind."""

    common: tuple[str, ...]  # the first, most frequent words of each list
    rare: tuple[str, ...]  # applications ("for shipbuilding") and the tail of each noun list
    english: tuple[str, ...]  # every noun and feature, to misspell
    chinese: tuple[str, ...]


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.strip() for i in items if i.strip()))


def vocabulary_terms() -> Terms:
    from demo.generator.vocabulary import INDUSTRIES

    common, rare, english, chinese = list(COMMON_WORDS), list(RARE_WORDS), [], list(CHINESE)
    for industry in INDUSTRIES.values():
        for leaf in industry.leaves.values():
            nouns = leaf.nouns.items
            common += [en for en, _zh in nouns[:3]]
            rare += [en for en, _zh in nouns[-3:]]
            english += [en for en, _zh in nouns]
            chinese += [zh for _en, zh in nouns]
            for _probability, words in leaf.pre:
                common += [en for en, _zh in words.items[:2]]
                chinese += [zh for _en, zh in words.items[:4]]
        rare += [en for en, _zh in industry.applications.items]
        english += [en for en, _zh in industry.features.items]
        chinese += [zh for _en, zh in industry.features.items]
        chinese += [zh for _en, zh in industry.applications.items]
    return Terms(_unique(common), _unique(rare), _unique(english), _unique(chinese))


def misspell(text: str, rng: random.Random) -> str:
    """One typing mistake in the longest word: a letter dropped, doubled, swapped or replaced."""
    words = text.split()
    index = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[index]
    if len(word) < 4:
        return text
    at = rng.randrange(1, len(word) - 1)
    mistake = rng.randrange(4)
    if mistake == 0:
        word = word[:at] + word[at + 1 :]
    elif mistake == 1:
        word = word[:at] + word[at] + word[at:]
    elif mistake == 2:
        word = word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
    else:
        vowels = "aeiou"
        word = word[:at] + rng.choice(vowels.replace(word[at], "") or vowels) + word[at + 1 :]
    words[index] = word
    return " ".join(words)


def _filters(rng: random.Random, belts: Sequence[str]) -> dict[str, str]:
    """Several filters at once, in the shapes of FILTERS."""
    params = {"belt": rng.choice(belts)}
    if rng.random() < 0.7:
        params["level"] = rng.choice(LEVELS)
    if rng.random() < 0.7:
        params["moq_max"] = str(rng.choice((5, 50, 300, 1000, 5000)))
    if rng.random() < 0.7:
        low, high = rng.choice(PRICE_BANDS)
        if low:
            params["price_min"] = str(low)
        params["price_max"] = str(high)
        params["quantity"] = str(rng.choice((3, 100, 500, 1000)))
    if rng.random() < 0.3:
        params["sample"] = "true"
    return params


def _query_strings(terms: Terms, belts: Sequence[str], rng: random.Random, per_kind: int) -> dict[str, list[str]]:
    """`per_kind` distinct query strings for each kind of the mix (fewer where the words run out)."""
    names = ("common", "rare", "typo", "chinese", "filters", "sort", "belt")
    kinds: dict[str, dict[str, None]] = {name: {} for name in names}  # insertion-ordered sets
    for _ in range(per_kind * 20):
        if all(len(found) >= per_kind for found in kinds.values()):
            break
        kinds["common"][urlencode({"q": rng.choice(terms.common)})] = None
        kinds["rare"][urlencode({"q": rng.choice(terms.rare)})] = None
        kinds["typo"][urlencode({"q": misspell(rng.choice(terms.english), rng)})] = None
        chinese = rng.choice(terms.chinese)
        if rng.random() < 0.4:
            chinese += rng.choice(terms.chinese)
        kinds["chinese"][urlencode({"q": chinese})] = None
        word = {"q": rng.choice(terms.common)} if rng.random() < 0.7 else {}
        kinds["filters"][urlencode({**word, **_filters(rng, belts)})] = None
        scope = rng.choice(({"q": rng.choice(terms.common)}, {"belt": rng.choice(belts)}, {}))
        kinds["sort"][urlencode({**scope, "sort": "price"})] = None
        browse = {"belt": rng.choice(belts)}
        if rng.random() < 0.6:
            browse["level"] = rng.choice(LEVELS)
        if rng.random() < 0.4:
            browse["sample"] = "true"
        kinds["belt"][urlencode(browse)] = None
    return {name: list(found)[:per_kind] for name, found in kinds.items()}


def encoded(url: str) -> str:
    """A URL as it goes on the wire: spaces and Chinese percent-encoded (the test client does that
    itself; a load generator sends the bytes it is given)."""
    return quote(url, safe="/?&=%+:")


def search_urls(belts: Sequence[str], *, per_kind: int = 250, seed: int = 1) -> list[str]:
    """The search page's mix: the fixed URLs, then `per_kind` more of each kind (deep pages aside:
    their cursors are read from the pages before them)."""
    strings = _query_strings(vocabulary_terms(), belts, random.Random(seed), per_kind)  # nosec B311
    fixed = [
        url
        for kind in fixed_kinds()
        if kind.name.startswith(("search", "browse: belt listings")) and not kind.deep
        for url in kind.urls
    ]
    return list(dict.fromkeys([*map(encoded, fixed), *(f"{SEARCH}?{s}" for found in strings.values() for s in found)]))


def api_list_urls(belts: Sequence[str], *, per_kind: int = 100, seed: int = 2) -> list[str]:
    """The API list's mix: the fixed URLs, then words, misspellings, Chinese, filters, sorting."""
    strings = _query_strings(vocabulary_terms(), belts, random.Random(seed), per_kind)  # nosec B311
    fixed = [url for kind in fixed_kinds() if kind.group == "api" and not kind.deep for url in kind.urls]
    return list(
        dict.fromkeys([*map(encoded, fixed), *(f"{API_LIST}?{s}" for found in strings.values() for s in found)])
    )
