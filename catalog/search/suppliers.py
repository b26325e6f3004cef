"""Suppliers matching the typed text: SQL conditions on a supplier row and the box beside the results."""

# This module builds SQL from fixed pieces written here; every value typed by a user travels as a
# query parameter. Hence no S608/S611 (string-built SQL, RawSQL) per line:
# ruff: noqa: S608, S611
from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from suppliers.levels import PUBLIC_LEVELS, public_levels_sql
from suppliers.models import Supplier

from .tables import BELT_TABLE, SITE_TABLE, SUPPLIER_TABLE
from .text import TextQuery


def supplier_match_sql(text: TextQuery, alias: str) -> tuple[str, list[Any]]:
    """A condition on a supplier row: its name, its belt (name, industry) or a production site's
    products match `text`. Each branch uses its own index (or a table of a few dozen belts)."""
    tsquery, params = text.sql(anywhere=True)
    table = SUPPLIER_TABLE
    site_table = SITE_TABLE
    sql = (
        f"{alias}.id IN ("  # nosec B608
        f"SELECT id FROM {table} WHERE catalog_supplier_vector(name_en, name_zh) @@ {tsquery} "
        f"UNION SELECT id FROM {table} WHERE belt_id IN (SELECT id FROM {BELT_TABLE} WHERE catalog_text_vector("
        "concat_ws(' ', name_en, industry_en, brand_en), concat_ws(' ', name_zh, industry_zh, brand_zh), 'A') "
        f"@@ {tsquery}) "
        f"UNION SELECT supplier_id FROM {site_table} WHERE catalog_products_vector(products) @@ {tsquery})"
    )
    return sql, params * 3


def supplier_box_sql(text: TextQuery, limit: int) -> tuple[str, str, list[Any]]:
    """For the few suppliers shown above the listings: (ids SQL, name-match ids SQL, params).

    Each branch (name, products of a production site, belt) takes its own best `limit`
    certified suppliers by level and name through its own index, so a word that matches a whole
    belt ("laser") costs a few rows, not thousands."""
    tsquery, params = text.sql(anywhere=True)
    table = SUPPLIER_TABLE
    site_table = SITE_TABLE
    certified = (
        f"s.status = 'certified' AND s.certification_level IN {public_levels_sql()} "
        "AND (s.certified_until IS NULL OR s.certified_until >= %s)"
    )
    order = "ORDER BY catalog_level_rank(s.certification_level) DESC, s.name_en LIMIT %s"
    today = timezone.localdate()
    name = (
        f"SELECT s.id FROM {table} s WHERE catalog_supplier_vector(s.name_en, s.name_zh) @@ {tsquery} "  # nosec B608
        f"AND {certified} {order}"
    )
    # Products and belt: the first few found (a common word matches thousands; ordering them all
    # costs more than the box is worth). The box orders its handful itself.
    sites = (
        f"SELECT p.supplier_id AS id FROM {site_table} p JOIN {table} s ON s.id = p.supplier_id "  # nosec B608
        f"WHERE catalog_products_vector(p.products) @@ {tsquery} AND {certified} LIMIT %s"
    )
    belt = (
        f"SELECT s.id FROM {table} s WHERE s.belt_id IN (SELECT id FROM {BELT_TABLE} WHERE catalog_text_vector("  # nosec B608
        "concat_ws(' ', name_en, industry_en, brand_en), concat_ws(' ', name_zh, industry_zh, brand_zh), 'A') "
        f"@@ {tsquery}) AND {certified} LIMIT %s"
    )
    branch = [*params, today, limit]
    ids = f"SELECT id FROM (({name}) UNION ALL ({sites}) UNION ALL ({belt})) AS matched"  # nosec B608
    return ids, name, [branch, branch, branch]


def supplier_list_matching(text: TextQuery, *, limit: int = 6, using: str = "default") -> list[Any]:
    """The few certified suppliers shown above the listings: name matches first, then the
    strongest certification, then name. One query (bounded per branch, see supplier_box_sql)."""
    supplier = Supplier
    ids_sql, name_sql, (name_params, site_params, belt_params) = supplier_box_sql(text, limit)
    rank = Case(
        *[When(certification_level=level, then=Value(i)) for i, level in enumerate(PUBLIC_LEVELS)],
        default=Value(-1),
        output_field=IntegerField(),
    )
    name_match = RawSQL(f"{supplier._meta.db_table}.id IN ({name_sql})", name_params, output_field=BooleanField())  # nosec B611
    return list(
        supplier.objects.using(using)
        .filter(pk__in=RawSQL(ids_sql, [*name_params, *site_params, *belt_params]))  # nosec B611
        .select_related("belt")
        .annotate(name_match=name_match, level_order=rank)
        .order_by("-name_match", "-level_order", "name_en")[:limit]
    )


def suppliers_matching(qs: QuerySet, text: TextQuery) -> QuerySet:
    """`qs` (of suppliers) narrowed to those whose name, belt or products match `text`."""
    if not text:
        return qs
    sql, params = supplier_match_sql(text, qs.model._meta.db_table)
    return qs.filter(RawSQL(sql, params, output_field=BooleanField()))  # nosec B611


def supplier_name_match_sql(text: TextQuery, alias: str) -> tuple[str, list[Any]]:
    """Whether the supplier's own name matches (a hashed list from the name index)."""
    tsquery, params = text.sql(anywhere=True)
    table = SUPPLIER_TABLE
    return (
        f"{alias}.id IN (SELECT id FROM {table} WHERE catalog_supplier_vector(name_en, name_zh) @@ {tsquery})",  # nosec B608
        params,
    )
