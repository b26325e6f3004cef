"""What was typed: words and Chinese bigrams (`TextQuery`), spelling corrections, the tsquery."""

# This module builds SQL from fixed pieces written here; every value typed by a user travels as a
# query parameter. Hence no S608/S611 (string-built SQL, RawSQL) per line:
# ruff: noqa: S608
from __future__ import annotations

import itertools
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from django.db import connections

from .tables import BELT_TABLE, SITE_TABLE

MAX_WORDS = 8
MAX_CJK_TOKENS = 24

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[a-z0-9]+")

# Letters people swap by sound: substituting one for the other costs half an edit.
SOUND_ALIKE = {frozenset(p) for p in ("sz", "ck", "cs", "iy", "fv", "ae", "ou")}


def cjk_tokens(text: str) -> list[str]:
    """The bigrams of each CJK run (a one-character run as itself), as SQL catalog_cjk_bigrams."""
    tokens: list[str] = []
    for run in CJK_RUN.findall(text):
        tokens.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return list(dict.fromkeys(tokens))


def cjk_bigrams(text: str) -> str:
    """Exactly what SQL catalog_cjk_bigrams returns: every bigram of each CJK run in order (a
    one-character run as itself), joined by spaces."""
    tokens: list[str] = []
    for run in CJK_RUN.findall(text):
        tokens.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return " ".join(tokens)


def cjk_chars(text: str) -> str:
    """Exactly what SQL catalog_cjk_chars returns: each CJK character followed by a space."""
    return "".join(ch + " " for run in CJK_RUN.findall(text) for ch in run)


def latin_words(text: str) -> list[str]:
    """Lower-case ASCII words and numbers outside CJK runs, accents dropped, in order, once each."""
    plain = unicodedata.normalize("NFKD", CJK_RUN.sub(" ", text.lower()))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return list(dict.fromkeys(LATIN_WORD.findall(plain)))


def _cjk_tsquery(tokens: tuple[str, ...]) -> str:
    # Tokens are CJK characters only (no quotes or operators). A lone character matches the
    # single characters indexed for titles and names (catalog_cjk_chars).
    return " & ".join(f"'{t}'" for t in tokens)


@dataclass(frozen=True)
class TextQuery:
    """A parsed search: English words (after correction), Chinese bigrams and synonym groups (any
    one term of a group is enough), all required; searched in the field tier that has matches."""

    typed: str = ""
    words: tuple[str, ...] = ()
    cjk: tuple[str, ...] = ()
    corrected: str = ""  # the query actually searched, when a word was corrected
    # At most how many listings match, from PostgreSQL's statistics of the vector column (the
    # rarest term's document count); None when there are no statistics (a small, new table).
    estimate: int | None = None
    # Synonym groups (catalog.SearchSynonym): each a tuple of terms, English or Chinese, of which
    # a listing must contain one.
    groups: tuple[tuple[str, ...], ...] = ()
    # Where the words must be, for listings: "A" titles, "AB" titles and the names around a listing
    # (category, supplier, belt), "" anywhere (descriptions and specifications too).
    fields: str = ""

    def __bool__(self) -> bool:
        return bool(self.words or self.cjk or self.groups)

    def sql(self, *, anywhere: bool = False) -> tuple[str, list[Any]]:
        """A tsquery expression and its parameters; in the query's field tier unless `anywhere`
        (supplier names and products, which have no tiers)."""
        parts: list[str] = []
        params: list[Any] = []
        if self.words:
            parts.append("plainto_tsquery('english', %s)")
            params.append(" ".join(self.words))
        if self.cjk:
            parts.append("%s::tsquery")
            params.append(_cjk_tsquery(self.cjk))
        for group in self.groups:
            alternatives = []
            for term in group:
                if CJK_RUN.search(term):
                    alternatives.append("%s::tsquery")
                    params.append(_cjk_tsquery(tuple(cjk_tokens(term))))
                else:
                    alternatives.append("plainto_tsquery('english', %s)")
                    params.append(term)
            parts.append("(" + " || ".join(alternatives) + ")")
        expression = "(" + " && ".join(parts) + ")"
        if self.fields and not anywhere:
            expression = f"catalog_tsquery_in({expression}, %s)"
            params.append(self.fields)
        return expression, params

    @property
    def in_names(self) -> bool:
        """Whether the query is searched in titles or names only, which the index of the vector's
        A and B weights answers (migration catalog 0018)."""
        return self.fields in ("A", "AB")

    def match_sql(self, alias: str) -> tuple[str, list[Any]]:
        """The condition "listing `alias` matches", in the form a GIN index answers exactly: the
        names' index for a query in titles or names (titles alone rechecked on the vector), else
        the index of the whole vector."""
        weighted, params = self.sql()
        if not self.in_names:
            return f"{alias}.search_vector @@ {weighted}", params
        bare, bare_params = self.sql(anywhere=True)
        condition = f"ts_filter({alias}.search_vector, '{{a,b}}') @@ {bare}"
        if self.fields == "A":
            return f"{condition} AND coalesce({alias}.search_vector, '') @@ {weighted}", [*bare_params, *params]
        return condition, bare_params


def typo_distance(a: str, b: str) -> float:
    """Optimal-string-alignment distance; sound-alike substitutions (s/z, c/k…) cost 0.5."""
    rows = [[float(j) for j in range(len(b) + 1)]]
    for i in range(1, len(a) + 1):
        row = [float(i)] + [0.0] * len(b)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                sub = 0.0
            elif frozenset((a[i - 1], b[j - 1])) in SOUND_ALIKE:
                sub = 0.5
            else:
                sub = 1.0
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + sub)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _allowed_distance(word: str) -> float:
    return 1 if len(word) <= 4 else 2 if len(word) <= 8 else 3


# One query per search: for each term its lexeme's document frequency from pg_stats (the most
# common elements ANALYZE keeps for the tsvector column: with statistics target 1000, every lexeme
# in more than about 0.1 % of listings), whether an English word is known (common, or a GIN
# lookup of a rare lexeme finds a listing or supplier) and, when it is not, spelling candidates.
WORD_INFO_SQL = """
WITH st AS MATERIALIZED (
  SELECT coalesce(s.most_common_elems::text::text[], '{}') AS elems,
         coalesce(s.most_common_elem_freqs, '{}') AS freqs
    FROM (SELECT 1) AS one
    LEFT JOIN pg_stats AS s
      ON s.schemaname = current_schema() AND s.tablename = 'catalog_listing' AND s.attname = 'search_vector'
), terms AS (
  SELECT t.token, t.kind, t.n,
         CASE WHEN t.kind = 'en' THEN plainto_tsquery('english', t.token) ELSE t.token::tsquery END AS q,
         CASE WHEN t.kind = 'en' THEN tsvector_to_array(to_tsvector('english', t.token))
              ELSE ARRAY[t.token] END AS lexemes
    FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(token, kind, n)
), rated AS (
  SELECT terms.*, (SELECT max(st.freqs[array_position(st.elems, e)]) FROM unnest(terms.lexemes) AS e) AS freq
    FROM terms, st
)
SELECT r.token, r.kind, cardinality(r.lexemes) = 0 AS stop, r.freq,
       CASE WHEN cardinality(r.lexemes) = 0 OR r.freq IS NOT NULL THEN true
            ELSE EXISTS (SELECT 1 FROM catalog_listing_matches(r.q, 1)) OR catalog_supplier_has_match(r.q)
                 OR EXISTS (SELECT 1 FROM {site} p WHERE catalog_products_vector(p.products) @@ r.q)
                 OR EXISTS (SELECT 1 FROM {belt} b
                             WHERE catalog_text_vector(concat_ws(' ', b.name_en, b.industry_en, b.brand_en),
                                   concat_ws(' ', b.name_zh, b.industry_zh, b.brand_zh), 'A') @@ r.q)
       END AS known,
       (SELECT st.freqs[cardinality(st.elems) + 1] FROM st) AS cutoff,
       (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'catalog_listing'::regclass) AS total
  FROM rated AS r
 ORDER BY r.n
"""

CANDIDATES_SQL = """
WITH st AS MATERIALIZED (
  SELECT coalesce(s.most_common_elems::text::text[], '{}') AS elems,
         coalesce(s.most_common_elem_freqs, '{}') AS freqs
    FROM (SELECT 1) AS one
    LEFT JOIN pg_stats AS s
      ON s.schemaname = current_schema() AND s.tablename = 'catalog_listing' AND s.attname = 'search_vector'
)
SELECT w.word, ARRAY(
         SELECT v.word || ':' || max(v.ndoc) || ':' || coalesce(
                  (SELECT max(st.freqs[array_position(st.elems, e)])
                     FROM unnest(tsvector_to_array(to_tsvector('english', v.word))) AS e), -1)
           FROM catalog_searchword v
          WHERE v.word %% w.word
          GROUP BY v.word ORDER BY similarity(v.word, w.word) DESC, max(v.ndoc) DESC LIMIT 10)
  FROM unnest(%s::text[]) AS w(word), st
"""


# The synonyms whose terms the typed text contains: English runs of up to four words and Chinese
# substrings, each compared as catalog_synonym_key makes it (stems; Chinese as written) against
# the GIN-indexed keys of catalog_searchsynonym. A one-way synonym answers to its first term only;
# a belt's synonyms only within that belt.
SYNONYMS_SQL = """
SELECT g.n, s.terms
  FROM unnest(%s::text[]) WITH ORDINALITY AS g(gram, n)
  CROSS JOIN LATERAL (SELECT catalog_synonym_key(g.gram)::varchar AS key) AS k
  JOIN catalog_searchsynonym AS s ON s.keys @> ARRAY[k.key]
 WHERE k.key <> ''
   AND (s.kind = 'equivalent' OR s.keys[1] = k.key)
   AND (s.belt_id IS NULL OR s.belt_id = (SELECT b.id FROM belts_belt AS b WHERE b.slug = %s))
 ORDER BY g.n, s.id
"""

# How many listings the query finds by their titles alone, and by titles and the names around them
# (each count stops at TIER_COUNT_CAP).
TIERS_SQL = """
SELECT (SELECT count(*) FROM catalog_listing_matches(catalog_tsquery_in({q}, 'A'), %s)),
       (SELECT count(*) FROM catalog_listing_matches(catalog_tsquery_in({q}, 'AB'), %s))
"""
TIER_COUNT_CAP = 60
# Titles alone answer when they find this many listings, or at least this share of what titles and
# names find: "blazer" (one title, and the whole category "Suits and blazers") keeps to the title;
# "dried fruit" (two titles, a category of a dozen) takes the category.
TITLES_ENOUGH = 3
TITLES_SHARE = 0.5

MAX_PHRASE_WORDS = 4
MAX_SYNONYM_CHARS = 8
# A query whose rarest term is in more listings than this is "common": its tier is not checked
# (a GIN lookup of a common word costs a bitmap of its postings) and is titles and names.
TIER_CHECK_LIMIT = 5000


@dataclass(frozen=True)
class _Gram:
    """A stretch of the typed text: words [start, end) of the English words, or characters
    [start, end) of Chinese run `run` (-1 for English)."""

    run: int
    start: int
    end: int
    text: str


def _grams(words: list[str], runs: list[str]) -> list[_Gram]:
    grams = [
        _Gram(-1, i, i + n, " ".join(words[i : i + n]))
        for i in range(len(words))
        for n in range(1, min(MAX_PHRASE_WORDS, len(words) - i) + 1)
    ]
    for r, run in enumerate(runs):
        for i in range(len(run)):
            for n in range(1, min(MAX_SYNONYM_CHARS, len(run) - i) + 1):
                grams.append(_Gram(r, i, i + n, run[i : i + n]))
    return grams


def _expand_synonyms(
    words: list[str], runs: list[str], belt: str, using: str
) -> tuple[list[str], list[str], list[tuple[str, ...]]]:
    """Replace what a synonym names with a group of its terms: (plain words, Chinese segments
    outside the groups, groups). Longer stretches win, then the leftmost; groups never overlap."""
    grams = _grams(words, runs)
    if not grams:
        return words, runs, []
    with connections[using].cursor() as cursor:
        cursor.execute(SYNONYMS_SQL, [[g.text for g in grams], belt])
        found = cursor.fetchall()
    if not found:
        return words, runs, []
    terms_of: dict[int, list[str]] = {}
    for n, terms in found:
        terms_of.setdefault(n - 1, []).extend(terms)
    chosen: list[tuple[_Gram, tuple[str, ...]]] = []
    taken: set[tuple[int, int]] = set()
    for index in sorted(terms_of, key=lambda i: (-(grams[i].end - grams[i].start), grams[i].run, grams[i].start)):
        gram = grams[index]
        cells = {(gram.run, p) for p in range(gram.start, gram.end)}
        if cells & taken:
            continue
        taken |= cells
        chosen.append((gram, tuple(dict.fromkeys([gram.text, *terms_of[index]]))))
    plain_words = [w for i, w in enumerate(words) if (-1, i) not in taken]
    segments: list[str] = []
    for r, run in enumerate(runs):
        segment = ""
        for i, ch in enumerate(run):
            if (r, i) in taken:
                if segment:
                    segments.append(segment)
                segment = ""
            else:
                segment += ch
        if segment:
            segments.append(segment)
    chosen.sort(key=lambda c: (c[0].run, c[0].start))
    return plain_words, segments, [terms for _gram, terms in chosen]


def _relax_unknown_bigrams(segments: list[str], known: dict[str, bool]) -> tuple[str, ...]:
    """The Chinese tokens of the segments, where a bigram no listing has (it bridges two words:
    童运 in 儿童运动套装) gives way to its characters that no known neighbour covers."""
    tokens: list[str] = []
    for segment in segments:
        if len(segment) == 1:
            tokens.append(segment)
            continue
        bigrams = [segment[i : i + 2] for i in range(len(segment) - 1)]
        ok = [known.get(b, True) for b in bigrams]
        for i, bigram in enumerate(bigrams):
            if ok[i]:
                tokens.append(bigram)
                continue
            if not (i > 0 and ok[i - 1]):
                tokens.append(bigram[0])
            if not (i + 1 < len(bigrams) and ok[i + 1]):
                tokens.append(bigram[1])
    return tuple(dict.fromkeys(tokens))[:MAX_CJK_TOKENS]


def parse_text(typed: str, *, belt: str = "", tiers: bool = True, using: str = "default") -> TextQuery:
    """Parse a typed query: synonyms (catalog.SearchSynonym, this belt's too) become groups of
    alternatives; how common each term is is estimated, unknown English words are spell-corrected
    and Chinese bigrams no listing has are relaxed; then the field tier is chosen (titles, then
    titles and names, then anywhere: the first that finds something; not for a search of suppliers,
    `tiers=False`). Two to five queries."""
    typed = " ".join(typed.split())[:200]
    typed_words = latin_words(typed)[:MAX_WORDS]
    runs = CJK_RUN.findall(typed)
    if not typed_words and not runs:
        return TextQuery(typed=typed)
    words, segments, groups = _expand_synonyms(typed_words, runs, belt, using)
    plain_cjk = [t for segment in segments for t in cjk_tokens(segment)][:MAX_CJK_TOKENS]
    group_words = [w for group in groups for term in group for w in latin_words(term)]
    group_cjk = [t for group in groups for term in group for t in cjk_tokens(term)]
    en_tokens = list(dict.fromkeys([*words, *group_words]))
    zh_tokens = list(dict.fromkeys([*plain_cjk, *group_cjk]))
    with connections[using].cursor() as cursor:
        sql = WORD_INFO_SQL.replace("{site}", SITE_TABLE).replace("{belt}", BELT_TABLE)
        cursor.execute(sql, [[*en_tokens, *zh_tokens], ["en"] * len(en_tokens) + ["zh"] * len(zh_tokens)])
        info = cursor.fetchall()
    kept: list[str] = []
    unknown: list[str] = []
    known_zh: dict[str, bool] = {}
    documents: dict[str, float | None] = {}  # term → at most how many listings contain it (None: no statistics)
    for token, kind, stop, freq, known, cutoff, total in info:
        if stop:
            continue
        documents[token] = None if cutoff is None else (freq if freq is not None else cutoff) * total
        if kind == "zh":
            known_zh[token] = bool(known)
        elif token in words:
            kept.append(token)
            if not known and re.fullmatch(r"[a-z]{3,40}", token):
                unknown.append(token)
    cjk = _relax_unknown_bigrams(segments, known_zh)
    statistics = (info[0][5], info[0][6]) if info and info[0][5] is not None else None

    def estimate(terms: list[str]) -> int | None:
        counts = [documents.get(t) for t in terms]
        for group in groups:  # a group matches at most the sum of its terms' matches
            sums = []
            for term in group:
                parts = [documents.get(t) for t in [*latin_words(term), *cjk_tokens(term)] if t in documents]
                sums.append(None if not parts or None in parts else min(c for c in parts if c is not None))
            counts.append(None if None in sums else sum(c for c in sums if c is not None))
        return None if not counts or None in counts else round(min(c for c in counts if c is not None))

    text = TextQuery(typed=typed, words=tuple(kept), cjk=cjk, groups=tuple(groups), estimate=estimate([*kept, *cjk]))
    if unknown:
        text = _corrected(text, unknown, documents, statistics, estimate, using=using)
    return _in_tier(text, using=using) if tiers else text


def _in_tier(text: TextQuery, *, using: str) -> TextQuery:
    """`text` searched in titles when titles find enough of what titles and names find (TITLES_ENOUGH,
    TITLES_SHARE), else in titles and names when they find something, else anywhere. A common
    query searches titles and names unchecked. Within a tier, title matches rank first (migration
    catalog 0015)."""
    if not text:
        return text
    if text.estimate is not None and text.estimate > TIER_CHECK_LIMIT:
        return replace(text, fields="AB")
    expression, params = text.sql(anywhere=True)
    with connections[using].cursor() as cursor:
        cursor.execute(TIERS_SQL.format(q=expression), [*params, TIER_COUNT_CAP, *params, TIER_COUNT_CAP])
        in_titles, in_names = cursor.fetchone()
    if in_titles and (in_titles >= TITLES_ENOUGH or in_titles >= TITLES_SHARE * in_names):
        return replace(text, fields="A")
    return replace(text, fields="AB" if in_names else "")


def _corrected(
    text: TextQuery,
    unknown: list[str],
    documents: dict[str, float | None],
    statistics: tuple[float, float] | None,
    estimate: Any,
    *,
    using: str,
) -> TextQuery:
    """`text` with its unknown English words replaced by the best spelling corrections."""
    kept, cjk, typed = list(text.words), text.cjk, text.typed
    with connections[using].cursor() as cursor:
        cursor.execute(CANDIDATES_SQL, [unknown])
        candidates = dict(cursor.fetchall())
    options: dict[int, list[tuple[str, float, int]]] = {}
    for position, word in enumerate(kept):
        ranked = _rank_corrections(word, candidates.get(word) or [])
        if ranked:
            options[position] = [(c, d, n) for c, d, n, _ in ranked]
            for candidate, _, _, freq in ranked:
                if statistics is not None:
                    cutoff, total = statistics
                    documents[candidate] = (freq if freq >= 0 else cutoff) * total
    if not options:
        return text
    combos = _combinations(kept, options)
    chosen = combos[0]
    if len(combos) > 1:
        # Words common enough to meet by chance (independence: total × Π frequency ≥ 20) surely
        # do; only combinations with a rare word are checked, through the GIN index (cheap for
        # a rare word, not for a common one).
        def likely(combo: tuple[str, ...]) -> bool:
            if statistics is None:
                return False
            share = 1.0
            for term in [*combo, *cjk]:
                count = documents.get(term)
                if count is None:
                    return False
                share *= count / max(statistics[1], 1)
            return share * statistics[1] >= 20

        first_likely = next((i for i, combo in enumerate(combos) if likely(combo)), len(combos))
        checked = combos[:first_likely]
        found = _first_with_matches(checked, cjk, using=using) if checked else None
        if found is not None:
            chosen = combos[found]
        elif first_likely < len(combos):
            chosen = combos[first_likely]
    corrected = typed
    for before, after in zip(kept, chosen, strict=True):
        if before != after:
            corrected = re.sub(rf"(?i)(?<![a-z0-9]){re.escape(before)}(?![a-z0-9])", after, corrected)
    return replace(text, words=tuple(chosen), corrected=corrected, estimate=estimate([*chosen, *cjk]))


def _rank_corrections(word: str, candidates: list[str]) -> list[tuple[str, float, int, float]]:
    """Candidates within the allowed distance: (word, distance, documents, frequency), nearest first."""
    scored = []
    for order, entry in enumerate(candidates):
        candidate, ndoc, freq = entry.split(":")
        distance = typo_distance(word, candidate)
        if 0 < distance <= _allowed_distance(word):
            scored.append((distance, -int(ndoc), order, candidate, float(freq)))
    scored.sort()
    return [(candidate, distance, -negative, freq) for distance, negative, _, candidate, freq in scored[:3]]


def _combinations(words: list[str], options: dict[int, list[tuple[str, float, int]]]) -> list[tuple[str, ...]]:
    """Corrected word lists, best first: least total distance, then most common words (≤ 9)."""
    positions = sorted(options)
    choices = [options[p][:3] if n < 2 else options[p][:1] for n, p in enumerate(positions)]
    combos = []
    for picked in itertools.product(*choices):
        corrected = list(words)
        for position, (candidate, _, _) in zip(positions, picked, strict=True):
            corrected[position] = candidate
        distance = sum(d for _, d, _ in picked)
        commonness = sum(math.log1p(n) for _, _, n in picked)
        combos.append((distance, -commonness, tuple(corrected)))
    combos.sort()
    return [c for _, _, c in combos[:9]]


def _first_with_matches(combos: list[tuple[str, ...]], cjk: tuple[str, ...], *, using: str) -> int | None:
    """The index of the first word list that finds a public listing (None when none does)."""
    cjk_sql, cjk_params = ("", [])
    if cjk:
        cjk_sql, cjk_params = " && %s::tsquery", [_cjk_tsquery(cjk)]
    sql = (
        "SELECT c.n FROM unnest(%s::text[]) WITH ORDINALITY AS c(t, n) "  # nosec B608
        f"WHERE EXISTS (SELECT 1 FROM catalog_listing_matches(plainto_tsquery('english', c.t){cjk_sql}, 1))"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [[" ".join(c) for c in combos], *cjk_params])
        found = [n for (n,) in cursor.fetchall()]
    return min(found) - 1 if found else None
