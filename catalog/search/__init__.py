"""Listing search, filters, facets and keyset pages that stay fast at a million listings.

Everything here reads the denormalised columns of `catalog_listing` that the triggers of
migration 0005 keep true (is_public, belt_id, province, level_rank, price_from, search_vector), so
every query is one table and one index before its LIMIT.

Text. English words go through `plainto_tsquery('english', …)`; Chinese runs become the same
overlapping bigrams the index holds (`cjk_tokens`, the twin of SQL `catalog_cjk_bigrams`), ANDed;
a one-character run matches the single characters indexed for titles and supplier names.
An English word that no public listing or supplier name contains is corrected against the
vocabulary table `catalog_searchword` with pg_trgm (`%`, GIN trigram index): the nearest words by
a typo distance (sound-alike letters cost half), and when several words are corrected, the best
combination that finds something. The page says "Showing results for …".

Bounded work (what a common word costs). At a million listings a GIN bitmap over a common word's
postings costs 90-180 ms before the first row (200k TIDs, then sorting the page table), so a common
word never goes through the GIN index:

- How common each term is comes from PostgreSQL's own statistics of the vector column
  (`pg_stats.most_common_elems`; migration 0005 raises its statistics target to 1000, so ANALYZE
  keeps every lexeme in more than ~0.1 % of listings). The rarest term bounds the matches
  (`TextQuery.estimate`), read in the same query as the spelling check. Without statistics (a
  small new table) the matches are counted through `catalog_listing_matches` instead.
- Small (estimate at most RANK_LIMIT): `catalog_listing_matches(q, cap)`, a SQL function that may
  only use the GIN index and stops at `cap` rows, feeds the facets (exact) and the page; relevance
  is `ts_rank` with the field weights (A title, B category/supplier/belt, C description,
  D specifications) times 1 + 5 % per certification level of the supplier, keyset-paged on
  (rank, id) over every match.
- Common (more): ranking every match would read every match's vector, so relevance falls back to
  a precomputed quality order (certification level, then newest; `listing_public_quality_idx`)
  and every sort walks its partial index checking the match row by row (`_walk_page`: the
  planner is told not to sort or bitmap, as it underestimates ANDs of correlated words). At a
  density of at least RANK_LIMIT / table size a page reads a few thousand rows.
- A query in titles or names (`TextQuery.fields` "A"/"AB": every common query) is answered by the
  GIN index of `ts_filter(search_vector, '{a,b}')` (migration 0018), which holds a word only where
  a title or a name holds it: the index of the whole vector also returns every description that
  mentions it, for the heap to recheck ("steel": 140,000 rows for 3,000 matches).
- Sorted by price or MOQ, a common text reads bands of the sort column (`_walk_page`); the first
  band of a first page ends where the fixed sample (below) puts HEAD_PAGES pages of matches, so
  dear goods ("laser cutter" by price) are read in one band instead of the whole match.
- Filters without words walk WALK_ROWS rows of the order (the belt's own index when a belt is
  chosen), then read every row the filters keep through their indexes (`_filtered_page`).
- Facets are counted in one query (GROUPING SETS, one FILTER per facet: each facet counts under
  the other active filters): exact over the matches of a small text; otherwise estimated from a
  fixed sample of the table's pages (TABLESAMPLE SYSTEM … REPEATABLE, about FACET_SAMPLE_ROWS
  rows; the whole table while it has fewer, where the "estimate" is exact) and shown as "≈". The
  sample also reports the smallest prices and MOQs of what passes every filter (the first band).
- Known risk: a sort whose order is correlated with a common word's absence (cheapest first,
  where the word is on expensive machines) is bounded by the peek and the bands; a sample that
  misjudges where the matches start costs the next bands, never a wrong page.

Pages are keyset (cursor) pages in every sort, so page 500 costs what page 1 costs; the cursor
is signed and opaque and remembers the strategy it was made with.
"""

# The package's modules by concern (text, filters, facets, pages, suppliers, rebuild); every name
# the single module had is importable from here. A limit is read where it is used: tests and tuning
# patch that module (`catalog.search.pages.RANK_LIMIT`), not this package.
from .facets import FACET_LIMIT, FACET_SAMPLE_ROWS, FACET_SQL, Facets, facet_counts
from .filters import FACETS, ListingFilters
from .pages import (
    BAND_COLUMNS,
    BAND_SHARES,
    CURSOR_SALT,
    KEY_TYPES,
    ORDERS,
    PRICE_SENTINEL,
    RANK_LIMIT,
    SORTS,
    WALK_PEEK,
    InvalidCursor,
    Page,
    SearchResult,
    choose_strategy,
    count_matches,
    decode_cursor,
    encode_cursor,
    search_page,
)
from .rebuild import REBUILD_COMPUTE_SQL, REBUILD_UPDATE_SQL, rebuild_denormalised
from .suppliers import (
    supplier_box_sql,
    supplier_list_matching,
    supplier_match_sql,
    supplier_name_match_sql,
    suppliers_matching,
)
from .tables import BELT_TABLE, CATEGORY_TABLE, SITE_TABLE, SUPPLIER_TABLE
from .text import (
    CANDIDATES_SQL,
    CJK_RUN,
    LATIN_WORD,
    MAX_CJK_TOKENS,
    MAX_WORDS,
    SOUND_ALIKE,
    WORD_INFO_SQL,
    TextQuery,
    cjk_tokens,
    latin_words,
    parse_text,
    typo_distance,
)

__all__ = [
    "BAND_COLUMNS",
    "BAND_SHARES",
    "BELT_TABLE",
    "CANDIDATES_SQL",
    "CATEGORY_TABLE",
    "CJK_RUN",
    "CURSOR_SALT",
    "FACETS",
    "FACET_LIMIT",
    "FACET_SAMPLE_ROWS",
    "FACET_SQL",
    "KEY_TYPES",
    "LATIN_WORD",
    "MAX_CJK_TOKENS",
    "MAX_WORDS",
    "ORDERS",
    "PRICE_SENTINEL",
    "RANK_LIMIT",
    "REBUILD_COMPUTE_SQL",
    "REBUILD_UPDATE_SQL",
    "SITE_TABLE",
    "SORTS",
    "SOUND_ALIKE",
    "SUPPLIER_TABLE",
    "WALK_PEEK",
    "WORD_INFO_SQL",
    "Facets",
    "InvalidCursor",
    "ListingFilters",
    "Page",
    "SearchResult",
    "TextQuery",
    "choose_strategy",
    "cjk_tokens",
    "count_matches",
    "decode_cursor",
    "encode_cursor",
    "facet_counts",
    "latin_words",
    "parse_text",
    "rebuild_denormalised",
    "search_page",
    "supplier_box_sql",
    "supplier_list_matching",
    "supplier_match_sql",
    "supplier_name_match_sql",
    "suppliers_matching",
    "typo_distance",
]
