"""The index of titles and names (migration catalog 0018) answers a query in titles or names
exactly as the weighted query on the whole vector does, through the search's own SQL.

`ts_filter(search_vector, '{a,b}') @@ q` equals `search_vector @@ q:AB` only while every lexeme of
a vector has positions (a lexeme without positions matches any weight, and ts_filter drops it):
the first test checks both on every lexeme of the demo world, English and Chinese."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from catalog.search import TextQuery, parse_text
from catalog.search.filters import _matches_source
from catalog.synonyms import shipped_synonyms_load

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_catalog(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        shipped_synonyms_load()
        call_command("seed_demo", "--quiet", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def _scalar(sql: str, params: list | None = None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def test_every_lexeme_of_every_vector_has_positions(demo_catalog):
    without = _scalar(
        "SELECT count(*) FROM catalog_listing l, unnest(l.search_vector) u "
        "WHERE u.positions IS NULL OR cardinality(u.positions) = 0"
    )
    assert _scalar("SELECT count(*) FROM catalog_listing WHERE search_vector IS NOT NULL") > 50
    assert without == 0


def test_the_names_filter_matches_what_the_weighted_query_matches_for_every_lexeme(demo_catalog):
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT u.lexeme FROM catalog_listing l, unnest(l.search_vector) u ORDER BY 1")
        lexemes = [row[0] for row in cursor.fetchall()]
    assert any("\u4e00" <= ch <= "\u9fff" for word in lexemes for ch in word)  # Chinese bigrams among them
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT w.lexeme,
                   count(*) FILTER (WHERE ts_filter(l.search_vector, '{a,b}') @@ quote_literal(w.lexeme)::tsquery),
                   count(*) FILTER (WHERE l.search_vector @@ (quote_literal(w.lexeme) || ':AB')::tsquery),
                   count(*) FILTER (WHERE ts_filter(l.search_vector, '{a,b}') @@ quote_literal(w.lexeme)::tsquery
                                     AND l.search_vector @@ (quote_literal(w.lexeme) || ':A')::tsquery),
                   count(*) FILTER (WHERE l.search_vector @@ (quote_literal(w.lexeme) || ':A')::tsquery)
              FROM unnest(%s::text[]) AS w(lexeme) CROSS JOIN catalog_listing l
             GROUP BY w.lexeme
            """,
            [lexemes],
        )
        rows = cursor.fetchall()
    assert len(rows) == len(lexemes)
    differing = [row for row in rows if row[1] != row[2] or row[3] != row[4]]
    assert differing == []
    assert sum(row[2] for row in rows) > 0


@pytest.mark.parametrize("typed", ["laser", "laser cutting machine", "shirt", "枸杞", "激光切割机", "西装"])
def test_a_query_in_titles_or_names_finds_the_same_listings_through_either_index(demo_catalog, typed):
    text = parse_text(typed)
    for fields in ("A", "AB"):
        narrowed = TextQuery(typed=text.typed, words=text.words, cjk=text.cjk, groups=text.groups, fields=fields)
        weighted, params = narrowed.sql()
        with connection.cursor() as cursor:
            public = "SELECT array_agg(id ORDER BY id) FROM catalog_listing l WHERE l.is_public"
            cursor.execute(f"{public} AND l.search_vector @@ {weighted}", params)
            expected = cursor.fetchone()[0] or []
            source = _matches_source(narrowed, 10_000)
            cursor.execute(f"SELECT array_agg(id ORDER BY id) FROM {source.sql} AS l", source.params)  # noqa: S608
            assert (cursor.fetchone()[0] or []) == expected, (typed, fields)
            condition, condition_params = narrowed.match_sql("l")
            cursor.execute(f"{public} AND {condition}", condition_params)
            assert (cursor.fetchone()[0] or []) == expected, (typed, fields)
        assert expected or fields == "A"
