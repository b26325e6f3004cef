"""The background job: rows in small transactions, progress after each, one runner per job, resumable."""

import copy
import gc
import logging
import operator
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import DatabaseError, DataError, IntegrityError, connection, models, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, JSONField
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from belts.models import Category
from marketplace.pgcopy import CopyTable, as_json, as_pg_array, reserve_ids

from ..figures import belt_figures_refresh_later
from ..models import Listing, ListingEvent, ListingImport, ListingVariant, PriceTier
from ..rules import Tier
from ..search.rebuild import rebuild_listings
from ..selectors.manage import supplier_publish_blocker
from .reading import Sheet, read_sheet
from .rows import RowOutcome, _Cells, _clean_row, _Context, _existing_tiers

# The name the single module logged under, kept so log filters and alerts still match.
logger = logging.getLogger("catalog.imports")

MAX_REPORTED_ROWS = 1000  # rows kept in the report; the counts stay exact beyond it
# Key of this module's PostgreSQL advisory locks (one per import job): "LI" as a number.
LOCK_NAMESPACE = 0x4C49


def _save_row(
    *, ctx: _Context, sku: str, existing: Listing | None, fields: dict[str, object], tiers: list[Tier] | None
) -> Listing:
    """Write one checked row: the listing, and its tiers when the row gives them and they changed."""
    listing = existing or Listing(supplier=ctx.supplier, sku=sku)
    was_published = existing is not None and existing.status == Listing.Status.PUBLISHED
    for key, value in fields.items():
        setattr(listing, key, value)
    if listing.status == Listing.Status.PUBLISHED and not was_published:
        listing.published_at = timezone.now()
    # The denormalised columns (is_public, belt, price_from, search_vector…) are the database
    # triggers' business (migration 0005): they run on this save and on the tiers' below.
    if existing is None:
        listing.save()
    else:
        listing.save(update_fields=[*fields, "published_at", "updated_at"])
    if tiers is not None and tiers != _existing_tiers(existing):
        if existing is not None:
            listing.tiers.all().delete()
        PriceTier.objects.bulk_create(
            PriceTier(listing=listing, min_quantity=t.min_quantity, unit_price=t.unit_price) for t in tiers
        )
    return listing


def _sku_of(sheet: Sheet, cells: list[str]) -> str:
    """The row's SKU exactly as `_clean_row` reads it (an export's formula guard removed)."""
    sku = _Cells(sheet, cells, []).raw("sku")
    return sku if isinstance(sku, str) else ""


def _report_entry(outcome: RowOutcome) -> dict[str, object]:
    return {"line": outcome.line, "sku": outcome.sku, "errors": outcome.errors, "notes": outcome.notes}


def _event(ctx: _Context, listing: Listing, outcome: RowOutcome, file_name: str) -> ListingEvent:
    note = (
        _("Created from row %(line)s of %(file)s")
        if outcome.action == "created"
        else _("Updated from row %(line)s of %(file)s")
    )
    return ListingEvent(
        listing=listing,
        actor_id=ctx.actor_id,
        kind=ListingEvent.Kind.IMPORTED,
        note=note % {"line": outcome.line, "file": file_name},
    )


TIER_COPY = CopyTable(PriceTier, ["listing_id", "min_quantity", "unit_price"])


# Fields whose Python value is written to the COPY as it is (its text is what PostgreSQL reads);
# any other field goes through its own get_db_prep_save.
_PLAIN_FIELDS = (
    models.CharField, models.TextField, models.IntegerField, models.SmallIntegerField, models.BigIntegerField,
    models.PositiveIntegerField, models.PositiveSmallIntegerField, models.BooleanField, models.DecimalField,
    models.DateField, models.ForeignKey,
)  # fmt: skip


def _copy_values(fields: list[Field]) -> Callable[[Listing], tuple[object, ...]]:
    """A function giving a listing's values for the COPY of `fields`, each field's conversion
    chosen once (models.DateTimeField is a DateField: an aware datetime's text is what PostgreSQL
    reads)."""

    def json_of(attname: str) -> Callable[[Listing], object]:
        return lambda listing: as_json(getattr(listing, attname))

    def prepared(field: Field) -> Callable[[Listing], object]:
        return lambda listing: field.get_db_prep_save(getattr(listing, field.attname), connection)

    def array_of(attname: str) -> Callable[[Listing], object]:
        return lambda listing: as_pg_array(getattr(listing, attname))

    getters: list[Callable[[Listing], object]] = []
    for field in fields:
        if isinstance(field, JSONField):
            getters.append(json_of(field.attname))
        elif isinstance(field, ArrayField):
            getters.append(array_of(field.attname))
        elif isinstance(field, _PLAIN_FIELDS):
            getters.append(operator.attrgetter(field.attname))
        else:
            getters.append(prepared(field))
    return lambda listing: tuple(get(listing) for get in getters)


def _copy_new(cursor: CursorWrapper, listings: list[Listing], now: datetime) -> None:
    """Insert new listings through one COPY, with keys taken from the table's sequence first."""
    if not listings:
        return
    fields = list(Listing._meta.concrete_fields)
    for listing, pk in zip(listings, reserve_ids(cursor, Listing, len(listings)), strict=True):
        listing.pk = pk
        listing.created_at = now
        listing._state.adding = False
    values = _copy_values(fields)
    CopyTable(Listing, [str(f.column) for f in fields]).copy(cursor, (values(listing) for listing in listings))


def _write_at_once(
    *,
    ctx: _Context,
    checked: list[tuple[RowOutcome, str, dict[str, object], list[Tier] | None]],
    existing: dict[str, Listing],
) -> list[Listing]:
    """Write the checked rows set-based: new listings in one COPY, changed ones in one UPDATE,
    their tiers in one DELETE and one COPY, then their denormalised columns and search vectors
    recomputed in two statements (`rebuild_listings`) instead of by the triggers row by row and
    tier by tier. The listings in the rows' order. A database refusal raises, for the caller to
    redo the rows one by one."""
    now = timezone.now()
    listings: list[Listing] = []
    new: list[Listing] = []
    changed: list[Listing] = []
    changed_fields: set[str] = set()
    for _outcome, sku, fields, _tiers in checked:
        before = existing.get(sku)
        listing = copy.copy(before) if before is not None else Listing(supplier=ctx.supplier, sku=sku)
        was_published = before is not None and before.status == Listing.Status.PUBLISHED
        for key, value in fields.items():
            setattr(listing, key, value)
        if listing.status == Listing.Status.PUBLISHED and not was_published:
            listing.published_at = now
        listing.updated_at = now
        listings.append(listing)
        if before is None:
            new.append(listing)
        else:
            changed.append(listing)
            changed_fields.update(fields)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL catalog.rebuilding = 'on'")
        _copy_new(cursor, new, now)
    if changed:
        Listing.objects.bulk_update(changed, [*sorted(changed_fields), "published_at", "updated_at"])
    retiered = [
        (listing, tiers)
        for listing, (_outcome, sku, _fields, tiers) in zip(listings, checked, strict=True)
        if tiers is not None and tiers != _existing_tiers(existing.get(sku))
    ]
    changed_ids = {listing.pk for listing in changed}
    PriceTier.objects.filter(
        listing__in=[listing.pk for listing, _tiers in retiered if listing.pk in changed_ids]
    ).delete()
    with connection.cursor() as cursor:
        TIER_COPY.copy(
            cursor,
            ((listing.pk, t.min_quantity, t.unit_price) for listing, tiers in retiered for t in tiers or []),
        )
        cursor.execute("SET LOCAL catalog.rebuilding = 'off'")
    rebuild_listings([listing.pk for listing in listings])
    return listings


def _write_one_by_one(
    *,
    job_id: int,
    ctx: _Context,
    sheet: Sheet,
    outcome: RowOutcome,
    sku: str,
    existing: dict[str, Listing],
    fields: dict[str, object],
    tiers: list[Tier] | None,
) -> Listing | None:
    """Write one checked row in its own savepoint, the triggers doing the rest; a row the database
    refuses gets its reason in `outcome.errors` and None."""
    try:
        with transaction.atomic():
            return _save_row(ctx=ctx, sku=sku, existing=existing.get(sku), fields=fields, tiers=tiers)
    except IntegrityError as exc:
        logger.warning("import %s row %s refused by the database", job_id, outcome.line, exc_info=True)
        if "listing_unique_supplier_sku" in str(exc):
            outcome.errors.append(
                _("%(column)s: “%(sku)s” was saved by another import at the same moment; import the "
                  "file again to update it.") % {"column": sheet.labels["sku"], "sku": sku}
            )  # fmt: skip
        else:
            outcome.errors.append(_("This row could not be saved: it breaks a rule of the catalog."))
    except DataError:
        logger.warning("import %s row %s refused by the database", job_id, outcome.line, exc_info=True)
        outcome.errors.append(_("This row could not be saved: a value is out of range."))
    return None


def _run_batch(*, job_id: int, ctx: _Context, sheet: Sheet, rows: list[tuple[int, list[str]]], file_name: str) -> None:
    """Import `rows` in one transaction, moving the job's counters with them.

    Listings and progress commit together, so a crash loses at most this batch and a re-run
    resumes exactly after the last committed row. The rows are checked first, then written
    set-based in a savepoint; when the database refuses that (a concurrent import of the same
    SKU, a value out of range), the rows are written again one by one, each in its own
    savepoint, so the row the database refuses is reported with its reason and the others stay.
    """
    with transaction.atomic():
        job = ListingImport.objects.select_for_update().get(pk=job_id)
        skus = {sku for _line, cells in rows if (sku := _sku_of(sheet, cells))}
        # Locked in pk order, so two imports of one supplier touching the same SKUs cannot deadlock.
        existing = {
            listing.sku: listing
            for listing in Listing.objects.select_for_update(of=("self",))
            .filter(supplier=ctx.supplier, sku__in=skus)
            .order_by("pk")
            .prefetch_related("tiers")
        }
        ctx.with_variants = set(
            ListingVariant.objects.filter(listing__in=existing.values()).values_list("listing_id", flat=True).distinct()
        )
        seen_before = dict(ctx.seen)
        outcomes: list[RowOutcome] = []
        checked: list[tuple[RowOutcome, str, dict[str, object], list[Tier] | None]] = []
        for line, cells in rows:
            sku = _sku_of(sheet, cells)
            outcome, fields, tiers = _clean_row(sheet, line, cells, existing.get(sku), ctx)
            outcomes.append(outcome)
            if not outcome.errors:
                checked.append((outcome, sku, fields, tiers))
                ctx.seen[sku] = line  # a later row of the file with this SKU is a duplicate
        events: list[ListingEvent] = []
        try:
            # COPY goes straight to psycopg2: its errors are turned into Django's here.
            with transaction.atomic(), connection.wrap_database_errors:
                written = _write_at_once(ctx=ctx, checked=checked, existing=existing)
        except (IntegrityError, DataError):
            logger.info("import %s: batch refused by the database, written row by row", job_id, exc_info=True)
            written = []
            ctx.seen = seen_before
            for outcome, sku, fields, tiers in checked:
                listing = _write_one_by_one(
                    job_id=job_id, ctx=ctx, sheet=sheet, outcome=outcome, sku=sku, existing=existing,
                    fields=fields, tiers=tiers,
                )  # fmt: skip
                if listing is not None:
                    ctx.seen[sku] = outcome.line
                    written.append(listing)
            checked = [entry for entry in checked if not entry[0].errors]
        created = updated = 0
        for (outcome, sku, _fields, _tiers), listing in zip(checked, written, strict=True):
            outcome.action = "updated" if sku in existing else "created"
            created += outcome.action == "created"
            updated += outcome.action == "updated"
            events.append(_event(ctx, listing, outcome, file_name))
        report = [_report_entry(outcome) for outcome in outcomes if outcome.errors or outcome.notes]
        ListingEvent.objects.bulk_create(events)
        room = max(0, MAX_REPORTED_ROWS - len(job.error_rows))
        job.error_rows = [*job.error_rows, *report[:room]]
        job.processed_rows += len(rows)
        job.created_count += created
        job.updated_count += updated
        job.save(update_fields=["error_rows", "processed_rows", "created_count", "updated_count"])


@contextmanager
def _job_lock(import_id: int) -> Iterator[bool]:
    """A PostgreSQL session lock on one job: True if this worker holds it, False if another does.

    A redelivered message (the broker may deliver twice) finds the lock taken and leaves; a worker
    that died loses its connection and with it the lock, so the job can be run again.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, import_id])
        locked = bool(cursor.fetchone()[0])
    try:
        yield locked
    finally:
        if locked:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, import_id])
            except DatabaseError:  # the connection is gone, and the lock with it
                logger.warning("could not release the lock of import %s", import_id, exc_info=True)


def _resume_seen(job: ListingImport, sheet: Sheet) -> dict[str, int]:
    """SKUs of the rows a crashed run already saved, so duplicates are still caught after a resume."""
    rejected = {entry["line"] for entry in job.error_rows if entry.get("errors")}
    seen: dict[str, int] = {}
    for line, cells in sheet.rows[: job.processed_rows]:
        sku = _sku_of(sheet, cells)
        if sku and line not in rejected:
            seen.setdefault(sku, line)
    return seen


def _import_rows(job: ListingImport) -> None:
    """Read the stored file and import its rows batch by batch, after the last committed batch."""
    with job.file.open("rb") as stored:
        sheet = read_sheet(stored.read(), job.format)
    supplier = job.supplier
    ctx = _Context(
        supplier=supplier,
        actor_id=job.created_by_id,
        publish_blocker=supplier_publish_blocker(supplier=supplier),
        categories={slug.lower(): pk for pk, slug in Category.objects.values_list("pk", "slug")},
        seen=_resume_seen(job, sheet),
    )
    if job.total_rows != len(sheet.rows):
        ListingImport.objects.filter(pk=job.pk).update(total_rows=len(sheet.rows))
    batch = settings.LISTING_IMPORT_BATCH_SIZE  # rows per transaction: the progress bar moves after each
    for start in range(job.processed_rows, len(sheet.rows), batch):
        _run_batch(
            job_id=job.pk,
            ctx=ctx,
            sheet=sheet,
            rows=sheet.rows[start : start + batch],
            file_name=job.original_name,
        )


def listing_import_run(*, import_id: int, language: str | None = None) -> ListingImport | None:
    """Run one import job to the end. Safe to run twice and to re-run after a crash.

    A finished or failed job is left alone; a running one resumes after its last committed batch
    (the upsert is keyed by the supplier's SKU, so nothing is duplicated). An unexpected error marks
    the job failed with a message; the batches already committed stay.
    """
    with translation.override(language or translation.get_language()), _job_lock(import_id) as locked:
        if not locked:
            logger.info("import %s is already being run by another worker", import_id)
            return None
        job = ListingImport.objects.select_related("supplier").filter(pk=import_id).first()
        if job is None or job.status in (ListingImport.Status.DONE, ListingImport.Status.FAILED):
            return job
        ListingImport.objects.filter(pk=job.pk).update(
            status=ListingImport.Status.RUNNING, started_at=Coalesce("started_at", timezone.now())
        )
        out_of_memory = False
        failure: str | None = None
        try:
            _import_rows(job)
        except MemoryError:
            # Allocate nothing here: the exception's frames still hold what the job read. Leaving
            # this block drops them, and the failure is recorded below with the memory back.
            out_of_memory = True
        except Exception as exc:
            logger.exception("import %s stopped", import_id)
            job.refresh_from_db()
            if isinstance(exc, ValidationError):
                failure = " ".join(exc.messages)
            else:
                failure = _(
                    "The import stopped unexpectedly after %(done)s of %(total)s rows. The rows before that are "
                    "saved; upload the file again to import the rest (listings already imported are updated, "
                    "not duplicated)."
                ) % {"done": job.processed_rows, "total": job.total_rows}
        if out_of_memory:
            gc.collect()
            # The worker's per-job memory limit (marketplace.celery) stopped this job, not the worker.
            logger.warning("import %s stopped: over the job memory limit", import_id)
            failure = _(
                "The file needs more memory to import than an import may use. Split it into smaller files "
                "and import them one after the other."
            )
        if failure is not None:
            ListingImport.objects.filter(pk=job.pk).update(
                status=ListingImport.Status.FAILED, failure=failure, finished_at=timezone.now()
            )
        else:
            ListingImport.objects.filter(pk=job.pk, status=ListingImport.Status.RUNNING).update(
                status=ListingImport.Status.DONE, finished_at=timezone.now()
            )
        job.refresh_from_db()
        if job.created_count or job.updated_count:  # rows may have been published
            belt_figures_refresh_later(belt_ids=[job.supplier.belt_id])
        logger.info(
            "import %s %s: %s created, %s updated, %s rows",
            job.pk,
            job.status,
            job.created_count,
            job.updated_count,
            job.processed_rows,
        )
        return job
