"""Listing search through the selector the page and the API share: matching and ranking in English
(with spelling correction) and Chinese, every filter and its facet counts, sorts, keyset pages.
"""

from decimal import Decimal

import pytest

from catalog import search
from catalog.models import Listing
from catalog.search import InvalidCursor, ListingFilters, cjk_tokens, latin_words, typo_distance
from catalog.selectors.public import listing_search
from tests import factories as f
from tests.catalog.factories import build_search_world, ids


@pytest.fixture
def search_world(db):
    return build_search_world()


def titles(result) -> list[str]:
    return [listing.title_en for listing in result.page.listings]


def found(text="", **filters) -> set[int]:
    sort = filters.pop("sort", "")
    return set(
        ids(listing_search(text=text, filters=ListingFilters(**filters), sort=sort, page_size=100).page.listings)
    )


def every_page(**search_args) -> tuple[list, list[str]]:
    """Every page of one search through its next links, and the SQL they ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages, cursor = [], None
    with CaptureQueriesContext(connection) as queries:
        while True:
            page = listing_search(cursor=cursor, **search_args).page
            pages.append(page)
            cursor = page.next_cursor
            if not cursor:
                break
    return pages, [q["sql"] for q in queries.captured_queries]


# --- words -----------------------------------------------------------------------------------------


def test_chinese_is_indexed_as_overlapping_bigrams_like_the_database_does():
    assert cjk_tokens("光纤激光切割机") == ["光纤", "纤激", "激光", "光切", "切割", "割机"]
    assert cjk_tokens("3015型 机") == ["型", "机"]  # one-character runs stay themselves
    assert latin_words("Fibre LASER 3015型 Café") == ["fibre", "laser", "3015", "cafe"]


def test_typo_distance_counts_sound_alike_letters_as_half_an_edit():
    assert typo_distance("lazer", "laser") == 0.5
    assert typo_distance("lazer", "blazer") == 1
    assert typo_distance("cuting", "cutting") == 1
    assert typo_distance("fiebr", "fiber") == 1  # a transposition


def test_misspelt_english_finds_laser_cutting_and_says_what_it_searched(search_world):
    result = listing_search(text="lazer cuting")
    assert result.text.corrected == "laser cutting"
    assert titles(result)[0] == "Fiber laser cutting machine 3015"
    assert search_world["listings"]["jeans"].pk not in ids(result.page.listings)


def test_a_correctly_spelt_query_is_not_corrected(search_world):
    result = listing_search(text="laser cutting")
    assert result.text.corrected == ""
    assert titles(result)[0] == "Fiber laser cutting machine 3015"


def test_correction_prefers_the_sound_alike_word_over_a_nearer_looking_one(search_world):
    # "blazer" shares more trigrams with "lazer", but s/z is the likelier slip.
    assert listing_search(text="lazer").text.corrected == "laser"
    assert listing_search(text="blazr jacket").text.corrected == "blazer jacket"


def test_words_that_are_nowhere_and_like_nothing_find_nothing(search_world):
    result = listing_search(text="xylophone")
    assert result.page.listings == []
    assert result.text.corrected == ""


def test_chinese_phrase_finds_listings_whose_title_holds_it(search_world):
    world = search_world["listings"]
    # The tube's title says 切管: 切割 → 切管 is a one-way synonym (catalog/data/synonyms.yaml).
    assert found("激光切割") == {world["fiber"].pk, world["tube"].pk}
    assert found("牛仔裤") == {world["jeans"].pk}
    assert found("雕刻机") == {world["co2"].pk}


def test_a_single_chinese_character_matches_titles_containing_it(search_world):
    world = search_world["listings"]
    assert found("裤") == {world["jeans"].pk}  # 裤 ends 牛仔裤: no bigram starts with it


def test_mixed_english_and_chinese_words_must_all_match(search_world):
    world = search_world["listings"]
    assert found("3015 激光") == {world["fiber"].pk}
    assert found("denim 激光") == set()


def test_supplier_name_finds_its_listings_and_the_supplier_is_shown_first(search_world):
    world = search_world
    result = listing_search(text="Guanggu", with_suppliers=True)
    assert ids(result.page.listings) == [world["listings"]["fiber"].pk]
    assert [s.slug for s in result.suppliers] == ["guanggu"]
    chinese = listing_search(text="华工激光", with_suppliers=True)
    assert chinese.suppliers[0].slug == "huagong"
    assert set(ids(chinese.page.listings)) == {world["listings"]["co2"].pk, world["listings"]["tube"].pk}


def test_suppliers_are_found_by_belt_and_by_what_their_sites_make(search_world):
    audited = search_world["suppliers"]["audited"]
    f.ProductionSiteFactory(supplier=audited, province="CN-FJ", products="Selvedge denim and chinos")
    by_products = listing_search(text="chinos", with_suppliers=True)
    assert [s.slug for s in by_products.suppliers] == ["shishi-denim"]
    by_belt = listing_search(text="石狮纺织", with_suppliers=True)
    assert "shishi-denim" in [s.slug for s in by_belt.suppliers]


def test_uncertified_suppliers_are_never_shown(search_world):
    result = listing_search(text="Applicant", with_suppliers=True)
    assert result.suppliers == []
    assert result.page.listings == []


def test_titles_that_hold_the_words_leave_out_listings_that_only_mention_them(search_world):
    # The CO2 engraver only mentions cutting in its description: a title holds the word.
    result = listing_search(text="cutting")
    assert titles(result) == ["Fiber laser cutting machine 3015"]
    assert result.text.fields == "A"


def test_names_around_a_listing_answer_when_no_title_does(search_world):
    world = search_world["listings"]
    # "Apparel" is the parent category of the jeans and the blazer, in no title.
    result = listing_search(text="apparel", page_size=100)
    assert set(ids(result.page.listings)) == {world["jeans"].pk, world["jacket"].pk}
    assert result.text.fields == "AB"


def test_descriptions_answer_when_neither_titles_nor_names_do(search_world):
    result = listing_search(text="acrylic")
    assert titles(result) == ["CO2 laser engraving machine"]
    assert result.text.fields == ""


def test_drafts_and_uncertified_suppliers_listings_are_never_found(search_world):
    hidden = {listing.pk for listing in search_world["hidden"].values()}
    assert not hidden & found("laser cutting")
    assert not hidden & found("Secret")
    assert not hidden & found()


# --- filters and facets ----------------------------------------------------------------------------


def test_each_filter_narrows_the_list(search_world):
    world = search_world["listings"]
    assert found(belt="shishi-textiles") == {world["jeans"].pk, world["jacket"].pk}
    assert found(belt="nowhere") == set()
    assert found(category="laser-equipment") == {world["fiber"].pk, world["co2"].pk, world["tube"].pk}
    assert found(category="laser-cutters") == {world["fiber"].pk, world["tube"].pk}
    assert found(level="certified_origin") == {world["co2"].pk, world["tube"].pk, world["jeans"].pk, world["jacket"].pk}
    assert found(level="audited_factory") == {world["jeans"].pk, world["jacket"].pk}
    assert found(province="CN-FJ") == {world["jeans"].pk, world["jacket"].pk}
    assert found(moq_max=2) == {world["fiber"].pk, world["co2"].pk, world["tube"].pk}
    assert found(sample=True) == {world["fiber"].pk, world["jeans"].pk}
    assert found(currency="USD") == {world["tube"].pk}


def test_price_range_uses_the_lowest_price_without_a_quantity(search_world):
    world = search_world["listings"]
    # jeans go down to 38.00, the jacket to 70.00 (CNY); the USD tube is left out of CNY prices.
    assert found(price_min=Decimal("30"), price_max=Decimal("75")) == {world["jeans"].pk, world["jacket"].pk}
    assert found(price_max=Decimal("40")) == {world["jeans"].pk}


def test_price_range_at_a_quantity_uses_the_tier_that_applies(search_world):
    world = search_world["listings"]
    # At 500 pieces the jeans cost 45.00 (the 1000 tier does not apply yet); the jacket needs 300.
    assert found(quantity=500, price_max=Decimal("40")) == set()
    assert found(quantity=500, price_max=Decimal("45")) == {world["jeans"].pk}
    assert found(quantity=1000, price_max=Decimal("40")) == {world["jeans"].pk}
    # A quantity alone keeps listings that can be ordered at it (MOQ at most the quantity).
    assert found(quantity=200, belt="shishi-textiles") == {world["jeans"].pk}


def test_facet_counts_count_under_the_other_filters_in_one_query(search_world, django_assert_num_queries):
    world = search_world
    facets = search.facet_counts(search.TextQuery(), ListingFilters(belt="wuhan-laser", sample=True))
    assert facets.exact
    assert facets.total == 1  # the fiber laser: in Wuhan and with a sample
    # The belt facet ignores the belt filter (but keeps "sample"): Wuhan 1, Shishi 1.
    assert facets.belt == {world["belts"]["wuhan"].pk: 1, world["belts"]["shishi"].pk: 1}
    # The sample facet ignores the sample filter: Wuhan has 3 listings.
    assert facets.sample == 1
    assert facets.level == {1: 1}
    assert facets.province == {"CN-HB": 1}
    with django_assert_num_queries(1):
        search.facet_counts(search.TextQuery(), ListingFilters(belt="wuhan-laser", level="verified"))


def test_facet_counts_with_words(search_world):
    world = search_world
    facets = listing_search(text="laser", with_facets=True).facets
    assert facets.total == 3
    assert facets.belt == {world["belts"]["wuhan"].pk: 3}
    assert facets.category == {world["categories"]["cutters"].pk: 2, world["categories"]["laser"].pk: 1}
    assert facets.level == {1: 1, 2: 2}
    narrowed = listing_search(text="laser", filters=ListingFilters(level="certified_origin"), with_facets=True)
    assert narrowed.facets.total == 2
    assert narrowed.facets.level == {1: 1, 2: 2}  # the level facet still counts every level


def test_facets_above_the_limit_come_from_a_page_sample_which_is_whole_while_small(
    search_world, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(search.facets, "FACET_LIMIT", 2)
    text = search.parse_text("laser")
    with django_assert_max_num_queries(2):  # the exact attempt overflows; then the sample
        facets = search.facet_counts(text, ListingFilters())
    assert facets.percent == 100  # a small table is sampled whole: the counts are exact
    assert facets.exact
    assert facets.total == 3
    assert sum(facets.belt.values()) == 3
    browse = search.facet_counts(search.TextQuery(), ListingFilters(belt="wuhan-laser"))
    assert (browse.total, browse.exact) == (3, True)


# --- sorts -------------------------------------------------------------------------------------------


def test_sorts_order_by_price_newest_and_moq(search_world):
    world = search_world["listings"]

    def order(sort: str) -> list[int]:
        return ids(listing_search(sort=sort).page.listings)

    assert order("newest") == [world[k].pk for k in ("fiber", "co2", "tube", "jeans", "jacket")]
    assert order("price") == [world[k].pk for k in ("jeans", "jacket", "co2", "fiber", "tube")]
    assert order("moq")[:2] == sorted([world["fiber"].pk, world["tube"].pk])
    assert order("moq")[-2:] == [world["jeans"].pk, world["jacket"].pk]


def test_relevance_without_words_is_newest(search_world):
    assert listing_search(sort="relevance").page.strategy == "newest"


def test_a_very_common_word_falls_back_to_the_quality_order(search_world, monkeypatch):
    monkeypatch.setattr(search.pages, "RANK_LIMIT", 2)
    result = listing_search(text="laser")
    assert result.page.strategy == "quality"
    # Certification level first (certified origin before verified), then newest.
    world = search_world["listings"]
    assert ids(result.page.listings) == [world["co2"].pk, world["tube"].pk, world["fiber"].pk]


# --- keyset pages ------------------------------------------------------------------------------------


@pytest.fixture
def many(search_world):
    supplier = search_world["suppliers"]["guanggu"]
    category = search_world["categories"]["cutters"]
    prices = [Decimal("100.00") + (n % 4) for n in range(30)]  # many equal prices: ties broken by id
    return [
        f.ListingFactory(supplier=supplier, category=category, title_en=f"Laser welder {n}", moq=1 + n % 3,
                         tiers=[(1, price)])
        for n, price in enumerate(prices)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "sort"), [("", "newest"), ("", "price"), ("", "moq"), ("laser", "relevance"), ("welder", "price")]
)
def test_cursor_pages_neither_repeat_nor_skip_and_go_back(many, text, sort):
    everything = ids(listing_search(text=text, sort=sort, page_size=100).page.listings)
    assert len(everything) >= 30
    seen: list[int] = []
    pages = []
    cursor = None
    while True:
        page = listing_search(text=text, sort=sort, cursor=cursor, page_size=7).page
        pages.append(page)
        seen += ids(page.listings)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == everything
    assert pages[0].previous_cursor is None
    # Back from the last page, one page at a time, to the first.
    back = pages[-1].previous_cursor
    for expected in reversed(pages[:-1]):
        page = listing_search(text=text, sort=sort, cursor=back, page_size=7).page
        assert ids(page.listings) == ids(expected.listings)
        back = page.previous_cursor
    assert back is None


def test_quality_order_pages_too(many, monkeypatch):
    monkeypatch.setattr(search.pages, "RANK_LIMIT", 5)
    everything = ids(listing_search(text="laser", page_size=100).page.listings)
    first = listing_search(text="laser", page_size=10).page
    assert first.strategy == "quality"
    second = listing_search(text="laser", page_size=10, cursor=first.next_cursor).page
    assert ids(first.listings) + ids(second.listings) == everything[:20]


def test_a_cursor_we_did_not_make_or_of_another_sort_is_refused(search_world):
    page = listing_search(sort="price", page_size=2).page
    with pytest.raises(InvalidCursor):
        listing_search(sort="newest", cursor=page.next_cursor)
    for bad in ("garbage", page.next_cursor[:-3] + "abc", ""):
        if bad:
            with pytest.raises(InvalidCursor):
                listing_search(sort="price", cursor=bad)


# --- a common word sorted by price or MOQ: read band by band ---------------------------------------


@pytest.fixture
def welders_among_cheap_goods(search_world):
    """A word that is rare among the cheapest listings: 12 welders at high prices and MOQs, 40
    cheaper listings without it. Statistics gathered, as autovacuum would."""
    supplier = search_world["suppliers"]["guanggu"]
    category = search_world["categories"]["cutters"]
    for n in range(40):
        f.ListingFactory(supplier=supplier, category=category, title_en=f"Raisin box {n}", description_en="",
                         moq=1 + n, tiers=[(1 + n, Decimal("1.00") + n)])  # fmt: skip
    welders = [
        f.ListingFactory(supplier=supplier, category=category, title_en=f"Spot welder {n}", description_en="",
                         moq=100 + n % 3, tiers=[(100 + n % 3, Decimal("500.00") + n % 4)])
        for n in range(12)
    ]  # fmt: skip
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_listing")
    return list(Listing.objects.filter(pk__in=[w.pk for w in welders]))  # with price_from from the database


@pytest.mark.parametrize("sort", ["price", "moq"])
def test_a_common_word_sorted_by_price_or_moq_pages_band_by_band_in_the_exact_order(
    welders_among_cheap_goods, monkeypatch, sort
):
    key = (lambda x: (x.price_from, x.pk)) if sort == "price" else (lambda x: (x.moq, x.pk))
    expected = [x.pk for x in sorted(welders_among_cheap_goods, key=key)]
    monkeypatch.setattr(search.pages, "RANK_LIMIT", 1)  # "welder" counts as common: the walk
    monkeypatch.setattr(search.pages, "WALK_PEEK", 5)  # the peek sees only cheap rows
    monkeypatch.setattr(search.pages, "BAND_SHARES", (0.1, 0.3))

    pages, sql = every_page(text="welder", sort=sort, page_size=5)
    assert {page.strategy for page in pages} == {sort}
    assert [pk for page in pages for pk in ids(page.listings)] == expected
    assert any("work_mem = '32MB'" in q for q in sql), "no band was read"
    # And back from the last page.
    back = listing_search(text="welder", sort=sort, cursor=pages[-1].previous_cursor, page_size=5).page
    assert ids(back.listings) == ids(pages[-2].listings)


@pytest.mark.parametrize("walk_rows", [3, 100_000])
def test_a_common_word_in_the_default_order_pages_exactly_whether_the_walk_finds_a_page_or_not(
    welders_among_cheap_goods, search_world, monkeypatch, walk_rows
):
    """The walk of the default order reads WALK_ROWS public rows; when they hold less than a page
    (here: the welders are older than the raisin boxes, or filters keep few rows), the page is read
    from every match. Both give the same pages, in the same order, to the end and back."""
    monkeypatch.setattr(search.pages, "RANK_LIMIT", 1)  # "welder" counts as common: the walk
    monkeypatch.setattr(search.pages, "WALK_ROWS", walk_rows)
    everything = listing_search(text="welder", sort="quality", page_size=100).page
    expected = ids(everything.listings)
    assert len(expected) == 12

    pages, sql = every_page(text="welder", sort="quality", page_size=5)
    assert [pk for page in pages for pk in ids(page.listings)] == expected
    # Every match is read for a page the walk fell short of: each page with 3 rows walked, only
    # the last (short) page with all of them.
    read_every_match = sum("work_mem = '32MB'" in q for q in sql)
    assert read_every_match == (len(pages) if walk_rows == 3 else 1)
    back = listing_search(text="welder", sort="quality", cursor=pages[-1].previous_cursor, page_size=5).page
    assert ids(back.listings) == ids(pages[-2].listings)
    # A filter the walked rows rarely meet: the same listings as without the walk's bound.
    belt = search_world["suppliers"]["guanggu"].belt.slug
    filtered = listing_search(text="welder", sort="quality", filters=ListingFilters(belt=belt, moq_max=101)).page
    assert {x.pk for x in filtered.listings} == {w.pk for w in welders_among_cheap_goods if w.moq <= 101}


@pytest.mark.parametrize("walk_rows", [2, 100_000])
@pytest.mark.parametrize("sort", ["newest", "price", "moq"])
def test_filters_without_words_page_exactly_whether_the_walk_finds_a_page_or_not(
    welders_among_cheap_goods, search_world, monkeypatch, walk_rows, sort
):
    """Filters without words walk WALK_ROWS public rows in the order; when those hold less than a
    page, every row the filters keep is read, sorted. Either way: the same pages, in the exact
    order, to the end and back."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(search.pages, "WALK_ROWS", walk_rows)
    belt = search_world["suppliers"]["guanggu"].belt
    kept = [x for x in Listing.objects.public() if x.belt_id == belt.pk and x.moq <= 101]
    key = {
        "newest": lambda x: (-x.created_at.timestamp(), -x.pk),
        "price": lambda x: (x.price_from if x.price_from is not None else Decimal(search.PRICE_SENTINEL), x.pk),
        "moq": lambda x: (x.moq, x.pk),
    }[sort]
    expected = [x.pk for x in sorted(kept, key=key)]
    assert len(expected) > 6
    filters = ListingFilters(belt=belt.slug, moq_max=101)

    pages, sql = every_page(filters=filters, sort=sort, page_size=3)
    assert [pk for page in pages for pk in ids(page.listings)] == expected
    # Every row the filters keep is read for a page the walk fell short of: every page when the walk
    # is 2 rows (a page asks for 4: one more tells whether there is a next), else the last page only.
    read_every_row = sum("enable_indexscan = off" in q for q in sql)
    assert read_every_row == (len(pages) if walk_rows == 2 else 1)
    back = listing_search(filters=filters, sort=sort, cursor=pages[-1].previous_cursor, page_size=3).page
    assert ids(back.listings) == ids(pages[-2].listings)
    # Without a belt: the same.
    unbelted = [x.pk for x in sorted((x for x in Listing.objects.public() if x.moq <= 101), key=key)][:3]
    with CaptureQueriesContext(connection) as queries:
        page = listing_search(filters=ListingFilters(moq_max=101), sort=sort, page_size=3).page
    assert ids(page.listings) == unbelted
    assert any("enable_indexscan = off" in q["sql"] for q in queries.captured_queries) == (walk_rows == 2)


@pytest.mark.parametrize("where", ["below every welder", "among them", "past them all"])
def test_a_first_band_from_the_facets_sample_gives_the_exact_page_wherever_it_ends(
    welders_among_cheap_goods, monkeypatch, where
):
    """Sorted by price, a first page starts with the band the facets' sample suggests (its smallest
    sampled prices, each standing for `scale` listings). A sample that misjudges costs more bands,
    never a wrong page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.search import Facets, parse_text, search_page
    from catalog.selectors.public import _with_card_data

    monkeypatch.setattr(search.pages, "RANK_LIMIT", 1)  # "welder" counts as common: the walk
    monkeypatch.setattr(search.pages, "WALK_PEEK", 5)  # the peek sees only cheap rows
    welders = sorted(welders_among_cheap_goods, key=lambda x: (x.price_from, x.pk))
    bound = {
        "below every welder": welders[0].price_from - 1,
        "among them": welders[3].price_from,
        "past them all": welders[-1].price_from + 1,
    }[where]
    hint = Facets(exact=False, price_head=[bound], scale=1000.0)
    text = parse_text("welder")
    with CaptureQueriesContext(connection) as queries:
        page = search_page(
            _with_card_data(Listing.objects.all()), text, ListingFilters(), sort="price", page_size=5, facets=hint
        )
    assert ids(page.listings) == [x.pk for x in welders[:5]]
    # The first band read ends at the sample's bound.
    bands = [q["sql"] for q in queries.captured_queries if "coalesce(l.price_from, 9999999999.99) <= " in q["sql"]]
    assert bands and f"coalesce(l.price_from, 9999999999.99) <= {bound}" in bands[0]


def test_the_facets_sample_reports_the_smallest_prices_and_moqs_of_what_passes_every_filter(
    welders_among_cheap_goods, monkeypatch
):
    from catalog.search import facet_counts, parse_text

    monkeypatch.setattr(search.facets, "FACET_LIMIT", 1)  # "welder" counts as common: the sample
    facets = facet_counts(parse_text("welder"), ListingFilters(moq_max=101))
    kept = [x for x in welders_among_cheap_goods if x.moq <= 101]
    assert facets.price_head == sorted(x.price_from for x in kept)[: search.facets.HEAD_VALUES]
    assert facets.moq_head == sorted(x.moq for x in kept)[: search.facets.HEAD_VALUES]


def test_without_facets_a_price_sorted_first_page_takes_its_first_band_from_the_sample(
    welders_among_cheap_goods, monkeypatch
):
    """The API asks no facets: its first page sorted by price reads the same fixed sample for the
    first band, and pages exactly whatever the sample holds."""
    monkeypatch.setattr(search.pages, "RANK_LIMIT", 1)  # "welder" counts as common: the walk
    monkeypatch.setattr(search.pages, "WALK_PEEK", 5)  # the peek sees only cheap rows
    monkeypatch.setattr(search.pages, "FACET_SAMPLE_ROWS", 5)  # a sample of a few of the table's pages
    expected = [x.pk for x in sorted(welders_among_cheap_goods, key=lambda x: (x.price_from, x.pk))]
    pages, sql = every_page(text="welder", sort="price", page_size=5)
    assert [pk for page in pages for pk in ids(page.listings)] == expected
    assert sum("TABLESAMPLE" in q for q in sql) == 1  # the first page only
