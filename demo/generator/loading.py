"""How `generate_catalog` loads: COPY with triggers off where allowed, secondary indexes dropped for
a large load and built again after, statistics refreshed; and the listings streamed by two
threads, one building and encoding the next batch while the other copies the last, so Python and
PostgreSQL work at the same time. Each batch of listings is copied into a stage and inserted from
there with its denormalised columns and search vector computed on the way in (in parallel), so
every listing row is written once, already complete."""

from __future__ import annotations

import datetime
import itertools
import queue
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from catalog.models import Listing, ListingVariant, PriceTier
from catalog.search.rebuild import BULK_CJK_COLUMNS, bulk_insert_finish, bulk_insert_listings, bulk_insert_prepare
from demo.generator.listings import (
    LISTING_COLUMNS,
    TIER_COLUMNS,
    VARIANT_COLUMNS,
    ListingMaker,
    ListingRows,
    created_times,
)
from demo.generator.plans import SupplierPlan
from demo.generator.suppliers import supplier_models
from demo.generator.tradebase import COLUMNS
from marketplace.pgcopy import CopyTable, reserve_ids

LISTING_TABLES = (Listing, PriceTier, ListingVariant)
STAGE = "generate_catalog_listing"  # the unlogged table each batch of listings passes through


def listings_load(
    cursor: Any,
    rng: random.Random,
    plans: list[tuple[SupplierPlan, float]],
    categories: dict[str, int],
    total: int,
    batch: int,
    counts: Counter[str],
    progress: Callable[[int, int, float], None],
) -> None:
    """Listings with their tiers and variants. A second thread builds and encodes the next batch
    while this one copies the last: Python and PostgreSQL work at the same time."""
    tables = (
        CopyTable(Listing, LISTING_COLUMNS, table=STAGE, stage_columns=BULK_CJK_COLUMNS),
        CopyTable(PriceTier, TIER_COLUMNS),
        CopyTable(ListingVariant, VARIANT_COLUMNS),
    )
    ids = reserve_ids(cursor, Listing, total)
    cursor.execute(f'DROP TABLE IF EXISTS "{STAGE}"')
    # Unlogged rather than temporary, so that parallel workers may read it.
    cursor.execute(f'CREATE UNLOGGED TABLE "{STAGE}" (LIKE "{Listing._meta.db_table}")')
    cursor.execute(f'ALTER TABLE "{STAGE}" ' + ", ".join(f'ADD COLUMN "{c}" text' for c in BULK_CJK_COLUMNS))
    bulk_insert_prepare(cursor)
    batches: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce() -> None:
        try:
            now = timezone.now()
            times = created_times(rng, total, now - datetime.timedelta(days=730), now - datetime.timedelta(hours=1))
            suppliers = [plan for plan, _weight in plans]
            cumulative = list(itertools.accumulate(weight for _plan, weight in plans))
            maker = ListingMaker(rng, categories, now)
            for start in range(0, total, batch):
                size = min(batch, total - start)
                owners = rng.choices(suppliers, cum_weights=cumulative, k=size)
                rows = ListingRows()
                for offset in range(size):
                    maker.build(rows, ids[start + offset], owners[offset], times[start + offset])
                encoded = [
                    table.encode(part)
                    for table, part in zip(tables, (rows.listings, rows.tiers, rows.variants), strict=True)
                ]
                _put(batches, ("batch", encoded), stop)
            _put(batches, ("done", None), stop)
        except BaseException as exc:  # handed to the copying thread, which raises it
            _put(batches, ("error", exc), stop)

    started = time.monotonic()
    producer = threading.Thread(target=produce, name="generate_catalog", daemon=True)
    producer.start()
    done = 0
    try:
        while True:
            kind, payload = batches.get()
            if kind == "done":
                break
            if kind == "error":
                raise payload
            # The listings through the stage, where their denormalised columns and search vectors
            # are computed set-based on the way in; the tiers and variants straight in.
            tables[0].send(cursor, payload[0])
            counts["listings"] += bulk_insert_listings(cursor, STAGE, tables[0].columns)
            cursor.execute(f'TRUNCATE "{STAGE}"')
            for name, table, encoded in zip(("price tiers", "variants"), tables[1:], payload[1:], strict=True):
                counts[name] += table.send(cursor, encoded)
            done += payload[0][1]
            progress(done, total, time.monotonic() - started)
    finally:
        stop.set()
        producer.join()
    cursor.execute(f'DROP TABLE "{STAGE}"')
    bulk_insert_finish(cursor)


def triggers_off(cursor: Any, say: Callable[[str], None]) -> bool:
    """Turn off triggers (per-row foreign-key checks, the catalog's denormalising triggers and
    its vocabulary triggers) for the load, if allowed: bulk_insert_listings and
    rebuild_vocabulary do their work set-based."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        say("  Could not turn off triggers (needs a superuser): loading with them on, slower.")
        return False
    return True


def session_settings(cursor: Any) -> None:
    # Bigger sort memory for the index builds; this transaction only.
    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    cursor.execute("SET LOCAL work_mem = '256MB'")
    cursor.execute("SET LOCAL synchronous_commit = off")


def drop_indexes(cursor: Any, say: Callable[[str], None], tables: list[str] | None = None) -> list[tuple[str, str]]:
    """Drop the indexes of `tables` (default: the listing tables) that back no constraint and
    enforce nothing; returns (name, definition) to build them again. Unique indexes stay, so
    duplicates still fail."""
    tables = tables or [model._meta.db_table for model in LISTING_TABLES]
    cursor.execute(
        """
        SELECT c.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = ANY(ARRAY[%s]::regclass[])
          AND NOT i.indisprimary AND NOT i.indisunique
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY c.relname
        """,
        [tables],
    )
    dropped = cursor.fetchall()
    for name, _definition in dropped:
        cursor.execute(f'DROP INDEX "{name}"')
    say(f"  dropped {len(dropped)} secondary indexes for the load")
    return dropped


def create_indexes(cursor: Any, dropped: list[tuple[str, str]], say: Callable[[str], None]) -> None:
    for name, definition in dropped:
        started = time.monotonic()
        cursor.execute(definition)
        say(f"  built {name} in {clock(time.monotonic() - started)}")


def trade_tables() -> list[str]:
    """The tables the generated trade writes."""
    return sorted({model._meta.db_table for model, _columns in COLUMNS.values()})


def analyze(*, vacuum: bool, trade: bool = False) -> None:
    """Statistics (and the visibility map) of the tables the load wrote, the trade's too if made."""
    models = supplier_models()
    tables = [
        *(model._meta.db_table for model in LISTING_TABLES),
        *(models[key]._meta.db_table for key in ("supplier", "site", "certification", "event")),
    ]
    if trade:
        tables += trade_tables()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'{"VACUUM ANALYZE" if vacuum else "ANALYZE"} "{table}"')


# --- output ----------------------------------------------------------------------------------


def _put(batches: queue.Queue, item: tuple[str, Any], stop: threading.Event) -> None:
    """Hand an item to the copying thread, unless it has stopped listening."""
    while not stop.is_set():
        try:
            batches.put(item, timeout=0.2)
            return
        except queue.Full:
            continue


def clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
