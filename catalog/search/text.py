"""What was typed: words and Chinese bigrams (`TextQuery`), spelling corrections, the tsquery."""

# This module builds SQL from fixed pieces written here; every value typed by a user travels as a
# query parameter. Hence no S608/S611 (string-built SQL, RawSQL) per line:
# ruff: noqa: S608
from __future__ import annotations

import itertools
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import connections

from .tables import SITE_TABLE

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
    """A parsed search: English words (after correction) and Chinese bigrams, all required."""

    typed: str = ""
    words: tuple[str, ...] = ()
    cjk: tuple[str, ...] = ()
    corrected: str = ""  # the query actually searched, when a word was corrected
    # At most how many listings match, from PostgreSQL's statistics of the vector column (the
    # rarest term's document count); None when there are no statistics (a small, new table).
    estimate: int | None = None

    def __bool__(self) -> bool:
        return bool(self.words or self.cjk)

    def sql(self) -> tuple[str, list[Any]]:
        """A tsquery expression and its parameters."""
        parts: list[str] = []
        params: list[Any] = []
        if self.words:
            parts.append("plainto_tsquery('english', %s)")
            params.append(" ".join(self.words))
        if self.cjk:
            parts.append("%s::tsquery")
            params.append(_cjk_tsquery(self.cjk))
        return "(" + " && ".join(parts) + ")", params


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
         CASE WHEN t.kind = 'en' THEN plainto_tsquery('english', t.token) END AS q,
         CASE WHEN t.kind = 'en' THEN tsvector_to_array(to_tsvector('english', t.token))
              ELSE ARRAY[t.token] END AS lexemes
    FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(token, kind, n)
), rated AS (
  SELECT terms.*, (SELECT max(st.freqs[array_position(st.elems, e)]) FROM unnest(terms.lexemes) AS e) AS freq
    FROM terms, st
)
SELECT r.token, r.kind, cardinality(r.lexemes) = 0 AS stop, r.freq,
       CASE WHEN r.kind <> 'en' OR cardinality(r.lexemes) = 0 OR r.freq IS NOT NULL THEN true
            ELSE EXISTS (SELECT 1 FROM catalog_listing_matches(r.q, 1)) OR catalog_supplier_has_match(r.q)
                 OR EXISTS (SELECT 1 FROM {site} p WHERE catalog_products_vector(p.products) @@ r.q) END AS known,
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


def parse_text(typed: str, *, using: str = "default") -> TextQuery:
    """Parse a typed query, estimate how common its terms are and spell-correct unknown English
    words: one query, plus one for spelling candidates and one to pick among several corrections."""
    typed = " ".join(typed.split())[:200]
    words = latin_words(typed)[:MAX_WORDS]
    cjk = tuple(cjk_tokens(typed)[:MAX_CJK_TOKENS])
    if not words and not cjk:
        return TextQuery(typed=typed)
    with connections[using].cursor() as cursor:
        sql = WORD_INFO_SQL.replace("{site}", SITE_TABLE)
        cursor.execute(sql, [[*words, *cjk], ["en"] * len(words) + ["zh"] * len(cjk)])
        info = cursor.fetchall()
    kept: list[str] = []
    unknown: list[str] = []
    documents: dict[str, float | None] = {}  # term → at most how many listings contain it (None: no statistics)
    for token, kind, stop, freq, known, cutoff, total in info:
        if stop:
            continue
        documents[token] = None if cutoff is None else (freq if freq is not None else cutoff) * total
        if kind == "en":
            kept.append(token)
            if not known and re.fullmatch(r"[a-z]{3,40}", token):
                unknown.append(token)
    statistics = (info[0][5], info[0][6]) if info and info[0][5] is not None else None

    def estimate(terms: list[str]) -> int | None:
        counts = [documents.get(t) for t in terms]
        return None if not counts or None in counts else round(min(c for c in counts if c is not None))

    text = TextQuery(typed=typed, words=tuple(kept), cjk=cjk, estimate=estimate([*kept, *cjk]))
    if not unknown:
        return text
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
    return TextQuery(typed=typed, words=tuple(chosen), cjk=cjk, corrected=corrected, estimate=estimate([*chosen, *cjk]))


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
