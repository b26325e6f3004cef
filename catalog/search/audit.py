"""The catalog's part of the nightly badge audit: each listing's copies of its supplier's badges
(`is_public`, `level_rank`, `origin_mark`) recomputed from scratch, repaired and reported."""

# SQL built from fixed pieces written here (table names from the models); no value typed by a user
# reaches it. Hence no S608 per line:
# ruff: noqa: S608
from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import connection

from suppliers.badges import Drift

from .tables import SITE_TABLE, SUPPLIER_TABLE

# What the listing trigger would write now, beside what is stored; only the rows that differ.
DRIFT_SQL = f"""
SELECT l.id, l.is_public, l.level_rank, l.origin_mark, x.is_public, x.level_rank, x.origin_mark
  FROM catalog_listing l
  JOIN {SUPPLIER_TABLE} s ON s.id = l.supplier_id
  LEFT JOIN {SITE_TABLE} site ON site.id = l.production_site_id
 CROSS JOIN LATERAL (
   SELECT catalog_listing_is_public(l.status, s.status, s.certification_level, s.certified_until) AS is_public,
          catalog_level_rank(s.certification_level) AS level_rank,
          coalesce(site.confers_origin AND site.supplier_id = l.supplier_id, false) AS origin_mark
 ) x
 WHERE (l.is_public, l.level_rank, l.origin_mark) IS DISTINCT FROM (x.is_public, x.level_rank, x.origin_mark)
"""  # nosec B608

# Touching a listing makes its trigger recompute every copied column (migration 0005).
REPAIR_SQL = "UPDATE catalog_listing SET price_from = NULL WHERE id = ANY(%s)"

COLUMNS = ("is_public", "level_rank", "origin_mark")


def listing_badges_audit(*, record: Callable[[Drift], None], today: datetime.date) -> None:
    """Connected to suppliers.hooks.badges_audited."""
    with connection.cursor() as cursor:
        cursor.execute(DRIFT_SQL)
        rows = cursor.fetchall()
        for row in rows:
            listing_id, stored, expected = row[0], row[1:4], row[4:7]
            for column, was, should in zip(COLUMNS, stored, expected, strict=True):
                if was != should:
                    record(Drift(f"listing {listing_id}", column, str(was), str(should)))
        if rows:
            cursor.execute(REPAIR_SQL, [[row[0] for row in rows]])
