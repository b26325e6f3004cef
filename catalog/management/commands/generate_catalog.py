"""Generate a large, realistic catalog with PostgreSQL bulk loading, so that anyone can measure.

    python manage.py seed_demo                     # belts and categories first
    python manage.py generate_catalog --listings 1000000 [--suppliers N] [--seed 42] [--batch 100000]

Suppliers are spread over the belts already in the database (about one per 50 listings), at a mix
of statuses and certification levels, each with production sites in its belt's province, an
active certification and its audit events. Listings are assembled from per-industry vocabularies
(catalog/bulk.py) in English and Chinese, with 1–4 price tiers, MOQ, carton multiples, samples,
lead times, variants and specifications, created over the last two years.

How it loads: one transaction. Rows are generated in batches (by a second thread, while the last
batch is being copied) and streamed with COPY from in-memory buffers, with triggers off
(`session_replication_role = replica`, which needs a superuser; without it the load runs with
triggers on, slower): no per-row foreign-key checks, denormalising or vocabulary triggers — the
generator only points at rows it made or read, and `catalog.search.rebuild_denormalised()` does
the triggers' work set-based afterwards. For a load at least as large as what is there, the
listing tables' non-unique secondary indexes are dropped first; after the rebuild the listing
table is rewritten compactly (CLUSTER on its primary key: the rebuild's UPDATE left a dead copy of
every row) and the indexes are built again. VACUUM ANALYZE runs after the commit. A failure
anywhere leaves the database as it was.

A second run refuses while generated data (suppliers whose slug starts with "gen-") is present,
unless given --append, which adds more suppliers and listings.
"""

from __future__ import annotations

import datetime
import io
import itertools
import queue
import random
import threading
import time
from collections import Counter
from typing import Any

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from belts.models import Belt, Category
from catalog import bulk
from catalog.models import Listing, ListingVariant, PriceTier

DEFAULT_LISTINGS_PER_SUPPLIER = 50
LISTING_TABLES = (Listing, PriceTier, ListingVariant)
PLACEHOLDER_REPORT = "generated/audit-report-placeholder.pdf"


def _supplier_models() -> dict[str, Any]:
    """The suppliers app's models, reached through ORM relations (catalog never imports it)."""
    supplier = Belt._meta.get_field("suppliers").related_model
    return {
        "supplier": supplier,
        "site": Listing._meta.get_field("production_site").related_model,
        "certification": supplier._meta.get_field("current_certification").related_model,
        "event": supplier._meta.get_field("events").related_model,
        "main_categories": supplier._meta.get_field("main_categories").remote_field.through,
    }


class Command(BaseCommand):
    help = (
        "Generate a large realistic catalog (suppliers, sites, certifications, listings, tiers, variants) "
        "with PostgreSQL COPY, for measuring. Needs the belts and categories of `seed_demo`. "
        "Example: generate_catalog --listings 1000000"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--listings", type=int, default=10_000, help="How many listings to add (default 10000).")
        parser.add_argument(
            "--suppliers",
            type=int,
            default=None,
            help=f"How many suppliers to add (default: one per {DEFAULT_LISTINGS_PER_SUPPLIER} listings).",
        )
        parser.add_argument("--seed", type=int, default=42, help="Random seed: the same seed gives the same data.")
        parser.add_argument(
            "--batch", type=int, default=100_000, help="Listings generated and copied per batch (default 100000)."
        )
        parser.add_argument(
            "--append", action="store_true", help="Add to generated data already in the database instead of refusing."
        )
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help="Never drop the listing tables' secondary indexes during the load (slower for large loads).",
        )
        parser.add_argument("--no-vacuum", action="store_true", help="Skip the VACUUM ANALYZE at the end.")

    # --- entry -----------------------------------------------------------------------------------

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("generate_catalog needs PostgreSQL (it loads with COPY).")
        listings, batch = options["listings"], options["batch"]
        if listings < 1 or batch < 1:
            raise CommandError("--listings and --batch must be at least 1.")
        suppliers = options["suppliers"] or max(1, round(listings / DEFAULT_LISTINGS_PER_SUPPLIER))
        if suppliers < 1:
            raise CommandError("--suppliers must be at least 1.")
        self.verbose = options["verbosity"] > 0
        self.timings: dict[str, float] = {}
        self.counts: Counter[str] = Counter()
        started = time.monotonic()

        models = _supplier_models()
        self._refuse_if_generated(models["supplier"], append=options["append"])
        profiles = self._belt_profiles()
        categories = dict(Category.objects.values_list("slug", "pk"))
        existing = Listing.objects.count()
        drop_indexes = not options["keep_indexes"] and listings >= existing
        # A different stream for each run on the same database, the same stream for the same state.
        rng = random.Random(options["seed"] * 1_000_003 + existing)

        self._say(
            f"Generating {listings:,} listings of {suppliers:,} suppliers in {len(profiles)} belts "
            f"(seed {options['seed']}, batches of {batch:,}; {existing:,} listings already here)."
        )
        from catalog.figures import belt_figures_count
        from catalog.search import rebuild_denormalised

        with transaction.atomic(), connection.cursor() as cursor:
            self._session_settings(cursor)
            dropped = self._phase("drop indexes", self._drop_indexes, cursor) if drop_indexes else []
            replica = self._triggers_off(cursor)
            plans = self._phase("suppliers", self._suppliers, cursor, rng, models, profiles, categories, suppliers)
            self._phase("listings", self._listings, cursor, rng, plans, categories, listings, batch)
            # Still without triggers: the rebuild writes the triggers' columns itself, and the belt
            # it sets is the supplier's own (no need for a million deferred foreign-key checks).
            self._phase("denormalise", rebuild_denormalised, using=connection.alias)
            if replica:
                cursor.execute("SET LOCAL session_replication_role = origin")
            if dropped:
                self._phase("compact listings", self._cluster, cursor)
                self._phase("build indexes", self._create_indexes, cursor, dropped)
        if options["no_vacuum"]:
            self._say("Skipped VACUUM ANALYZE (--no-vacuum).")
        elif connection.in_atomic_block:
            self._phase("analyze", self._analyze, vacuum=False)
            self._say("Ran ANALYZE only: VACUUM cannot run inside the caller's transaction.")
        else:
            self._phase("vacuum analyze", self._analyze, vacuum=True)
        self._phase("belt figures", belt_figures_count)
        self._summary(time.monotonic() - started)

    # --- checks ----------------------------------------------------------------------------------

    def _refuse_if_generated(self, supplier_model: Any, *, append: bool) -> None:
        generated = supplier_model.objects.filter(slug__startswith=bulk.GENERATED_SLUG_PREFIX)
        count = generated.count()
        if count and not append:
            listing_count = Listing.objects.filter(supplier__in=generated).count()
            raise CommandError(
                f"This database already holds generated data ({count:,} suppliers, {listing_count:,} listings). "
                "Run again with --append to add more, or generate into a fresh database."
            )

    def _belt_profiles(self) -> list[tuple[Belt, bulk.BeltProfile]]:
        """Each active belt with where its suppliers are and which leaf categories they make."""
        known = set(Category.objects.filter(slug__in=bulk.LEAF_INDUSTRY).values_list("slug", flat=True))
        out: list[tuple[Belt, bulk.BeltProfile]] = []
        skipped: list[str] = []
        for belt in Belt.objects.active().order_by("position", "pk"):
            used = Listing.objects.filter(supplier__belt=belt).values_list("category__slug", flat=True).distinct()
            profile = bulk.profile_for_belt(
                slug=belt.slug,
                province=belt.province,
                city_en=belt.city_en,
                city_zh=belt.city_zh,
                industry_en=belt.industry_en,
                used_leaves=used,
            )
            leaves = {leaf: w for leaf, w in (profile.leaves if profile else {}).items() if leaf in known}
            if not leaves:
                skipped.append(belt.slug)
                continue
            out.append((belt, bulk.BeltProfile(profile.cities, leaves, profile.weight)))
        if skipped:
            self._say(f"Skipped belts with no category the generator knows: {', '.join(skipped)}.")
        if not out:
            raise CommandError(
                "No belt with categories the generator knows. Load the demo belts and categories first: "
                "python manage.py seed_demo"
            )
        return out

    # --- suppliers -------------------------------------------------------------------------------

    def _suppliers(
        self,
        cursor: Any,
        rng: random.Random,
        models: dict[str, Any],
        profiles: list[tuple[Belt, bulk.BeltProfile]],
        categories: dict[str, int],
        count: int,
    ) -> list[tuple[bulk.SupplierPlan, float]]:
        """Suppliers with their sites, certifications, events and main categories; returns the plans
        listing generation draws from, each with its share of the listings."""
        supplier_model, site_model = models["supplier"], models["site"]
        certification_model, event_model = models["certification"], models["event"]
        now = timezone.now()
        today = timezone.localdate()
        report = self._placeholder_report(certification_model)
        supplier_ids = bulk.reserve_ids(cursor, supplier_model, count)
        states = [name for name, _share in bulk.SUPPLIER_STATES]
        state_weights = [share for _name, share in bulk.SUPPLIER_STATES]
        belt_weights = [profile.weight for _belt, profile in profiles]

        supplier_rows, event_rows, category_rows = [], [], []
        plans: list[tuple[bulk.SupplierPlan, float]] = []
        pending_sites: list[list[Any]] = []
        pending_certs: list[list[Any]] = []
        site_refs: list[list[tuple[list[Any], str, str]]] = []  # per plan: (site row, city en, city zh)
        for supplier_id in supplier_ids:
            belt, profile = rng.choices(profiles, weights=belt_weights)[0]
            city = rng.choice(profile.cities)
            state = rng.choices(states, weights=state_weights)[0]
            trading = rng.random() < 0.12
            if trading and state in ("certified_origin", "audited_factory"):
                state = "verified"  # the origin levels are for manufacturers
            # A supplier makes a few of its belt's leaves, its main line most.
            own_leaves = rng.sample(list(profile.leaves), k=min(len(profile.leaves), rng.randint(1, 3)))
            leaves = {leaf: profile.leaves[leaf] * (3 if i == 0 else 1) for i, leaf in enumerate(own_leaves)}
            industry = bulk.LEAF_INDUSTRY[own_leaves[0]]

            brand = rng.sample(bulk.BRAND_SYLLABLES, 2)
            brand_en = brand[0][0] + brand[1][0].lower()
            brand_zh = brand[0][1] + brand[1][1]
            word_en, word_zh = industry.supplier_words.pick(rng)
            if trading:
                word_en, word_zh = rng.choice((("Trading", "贸易"), ("Import and Export", "进出口")))
            name_en = f"{city.en} {brand_en} {word_en} Co., Ltd."
            name_zh = f"{city.zh}{brand_zh}{word_zh}有限公司"
            base = bulk.slugify_ascii(f"{city.en} {brand_en} {word_en}")[:80]
            slug = f"{bulk.GENERATED_SLUG_PREFIX}{base}-{supplier_id}"
            surname, given = rng.choice(bulk.SURNAMES), rng.choice(bulk.GIVEN_NAMES)
            phone = f"+86 {rng.randint(130, 199)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
            person = f"{surname[1]}{given[1]} ({surname[0]} {given[0]})"
            road_en, road_zh = rng.choice(bulk.ROADS)
            number = rng.randint(1, 999)
            address = f"{city.zh}{road_zh}{number}号 ({number} {road_en}, {city.en})"

            founded = rng.randint(1988, 2021)
            staff = bulk.nice_at_least(rng.lognormvariate(4.2, 0.9))
            area = bulk.nice_at_least(staff * rng.uniform(30, 120))
            nouns = [bulk.LEAF_INDUSTRY[leaf].leaves[leaf].nouns.items[0] for leaf in own_leaves]
            makes_en = ", ".join(en for en, _zh in nouns)
            makes_zh = "、".join(zh for _en, zh in nouns)
            kind_en = "Trades in" if trading else "Makes"
            description_en = (
                f"{kind_en} {makes_en} in {city.en}, in the {belt.name_en}. Founded in {founded}, "
                f"{staff:,} staff" + ("." if trading else f" and a {area:,} m² factory.")
            )
            description_zh = (
                f"位于{city.zh}，{belt.name_zh}企业，{'经营' if trading else '生产'}{makes_zh}。"
                f"成立于{founded}年，员工{staff}人。"
            )

            joined = now - datetime.timedelta(days=rng.uniform(760, 1100))
            submitted = None if state == "draft" else joined + datetime.timedelta(days=rng.uniform(1, 10))
            status, level = _status_and_level(state, rng)
            certified_at = decided_at = certified_until = None
            current_certification = None
            if state in (*bulk.PUBLIC_STATES, *bulk.LAPSED_STATES):
                certified_at = submitted + datetime.timedelta(days=rng.uniform(3, 25))
                decided_at = certified_at
                if state == "expired":
                    # Lapsed at least two days ago: clear of the one-day time-zone margin of
                    # the denormalised is_public (migration 0005), so both views agree.
                    certified_until = today - datetime.timedelta(days=rng.randint(2, 120))
                else:
                    certified_until = today + datetime.timedelta(days=rng.randint(20, 365))
                cert_level = level if level != "none" else rng.choice(bulk.PUBLIC_STATES)
                cert_status = "downgraded" if state == "suspended" else "active"
                cert = [
                    None, supplier_id, cert_level, cert_status, bulk.verification_code(rng),
                    certified_until - datetime.timedelta(days=365), certified_until, certified_at,
                    "Generated scale-test data", report if cert_level == "audited_factory" else "",
                ]  # fmt: skip
                pending_certs.append(cert)
                if state != "suspended":
                    current_certification = cert  # its id is set once reserved
                event_rows.append((supplier_id, "certified", "none", cert_level, certified_at, bulk.as_json({})))
                if state == "suspended":
                    suspended = certified_at + datetime.timedelta(days=rng.uniform(30, 600))
                    decided_at = suspended
                    event_rows.append((supplier_id, "suspended", cert_level, "none", suspended, bulk.as_json({})))
            elif state in ("rejected", "info_requested"):
                decided_at = submitted + datetime.timedelta(days=rng.uniform(2, 20))
                event_rows.append((supplier_id, state, "", "", decided_at, bulk.as_json({})))
            if submitted:
                event_rows.append((supplier_id, "submitted", "", "", submitted, bulk.as_json({})))

            # Production sites in the belt's province; origin levels have them verified.
            site_count = rng.choices((0, 1, 2, 3), weights=(50, 40, 8, 2) if trading else (0, 70, 22, 8))[0]
            sites: list[tuple[list[Any], str, str]] = []
            for index in range(site_count):
                site_city = city if index == 0 else rng.choice(profile.cities)
                site_name = ("Main plant / 总厂", "No. 2 workshop / 二号车间", "Packing plant / 包装厂")[index]
                verified = state in ("certified_origin", "audited_factory") or (
                    state == "verified" and rng.random() < 0.4
                )
                row = [
                    None, supplier_id, site_name, f"{site_city.zh}{road_zh}{number + index * 12}号",
                    belt.province, f"{site_city.en} {site_city.zh}", f"{makes_en} / {makes_zh}"[:300], verified,
                    certified_at if verified else None,
                ]  # fmt: skip
                pending_sites.append(row)
                sites.append((row, site_city.en, site_city.zh))  # id filled below

            supplier_rows.append(
                [
                    supplier_id, slug, name_en, name_zh, belt.pk,
                    bulk.generated_uscc(city.division, supplier_id), person, address,
                    "trading" if trading else "manufacturer", status, level, certified_at, certified_until,
                    belt.province, city.en, city.zh, founded, staff, None if trading else area,
                    description_en, description_zh, phone,
                    "", person.split(" (")[0], "", "", joined, submitted, decided_at, current_certification,
                ]
            )  # fmt: skip
            for leaf in own_leaves[:2]:
                category_rows.append((supplier_id, categories[leaf]))
            weight = min(rng.paretovariate(1.3), 40.0) * (1.0 if state in bulk.PUBLIC_STATES else 0.3)
            plan = bulk.SupplierPlan(
                id=supplier_id,
                state=state,
                leaves=leaves,
                sites=[],  # filled once the sites have their ids
                sku_prefix=(brand[0][0][:1] + brand[1][0][:1] + word_en[:1]).upper(),
                currency_usd=rng.choice((0.0, 0.1, 0.3)),
            )
            plans.append((plan, weight))
            site_refs.append(sites)

        for row, site_id in zip(pending_sites, bulk.reserve_ids(cursor, site_model, len(pending_sites)), strict=True):
            row[0] = site_id
        for (plan, _weight), refs in zip(plans, site_refs, strict=True):
            plan.sites = [(row[0], city_en, city_zh) for row, city_en, city_zh in refs]
        for row, cert_id in zip(
            pending_certs, bulk.reserve_ids(cursor, certification_model, len(pending_certs)), strict=True
        ):
            row[0] = cert_id
        for row in supplier_rows:
            row[-1] = row[-1][0] if row[-1] else None

        supplier_table = bulk.CopyTable(
            supplier_model,
            (
                "id", "slug", "name_en", "name_zh", "belt_id", "uscc", "legal_representative", "registered_address",
                "business_type", "status", "certification_level", "certified_at", "certified_until", "province",
                "city_en", "city_zh", "year_founded", "staff_count", "factory_area_m2", "description_en",
                "description_zh", "phone", "website", "contact_name", "contact_email", "contact_phone",
                "created_at", "submitted_at", "decided_at", "current_certification_id",
            ),
        )  # fmt: skip
        cert_table = bulk.CopyTable(
            certification_model,
            (
                "id", "supplier_id", "level", "status", "code", "valid_from", "valid_until", "decided_at", "reason",
                "audit_report",
            ),
        )  # fmt: skip
        site_table = bulk.CopyTable(
            site_model,
            ("id", "supplier_id", "name", "address", "province", "city", "products", "is_verified", "verified_at"),
        )
        event_table = bulk.CopyTable(
            event_model, ("supplier_id", "kind", "from_level", "to_level", "created_at", "data")
        )
        through_table = bulk.CopyTable(models["main_categories"], ("supplier_id", "category_id"))
        self.counts["suppliers"] += supplier_table.copy(cursor, (tuple(r) for r in supplier_rows))
        self.counts["certifications"] += cert_table.copy(cursor, (tuple(r) for r in pending_certs))
        self.counts["production sites"] += site_table.copy(cursor, (tuple(r) for r in pending_sites))
        self.counts["supplier events"] += event_table.copy(cursor, event_rows)
        self.counts["supplier main categories"] += through_table.copy(cursor, category_rows)
        by_state = Counter(plan.state for plan, _w in plans)
        self._say("  suppliers: " + ", ".join(f"{state} {n:,}" for state, n in by_state.most_common()))
        return plans

    def _placeholder_report(self, certification_model: Any) -> str:
        """One shared, clearly marked file for the audited-factory certifications' required report."""
        storage = certification_model._meta.get_field("audit_report").storage
        if storage.exists(PLACEHOLDER_REPORT):
            return PLACEHOLDER_REPORT
        page = Image.new("RGB", (595, 842), "white")
        ImageDraw.Draw(page).text(
            (60, 80),
            "Generated scale-test data (generate_catalog).\nNot a real audit report.",
            fill="black",
            font=ImageFont.load_default(size=18),
        )
        out = io.BytesIO()
        page.save(out, format="PDF")
        return storage.save(PLACEHOLDER_REPORT, ContentFile(out.getvalue()))

    # --- listings --------------------------------------------------------------------------------

    def _listings(
        self,
        cursor: Any,
        rng: random.Random,
        plans: list[tuple[bulk.SupplierPlan, float]],
        categories: dict[str, int],
        total: int,
        batch: int,
    ) -> None:
        """Listings with their tiers and variants. A second thread builds and encodes the next batch
        while this one copies the last: Python and PostgreSQL work at the same time."""
        tables = (
            bulk.CopyTable(Listing, bulk.LISTING_COLUMNS),
            bulk.CopyTable(PriceTier, bulk.TIER_COLUMNS),
            bulk.CopyTable(ListingVariant, bulk.VARIANT_COLUMNS),
        )
        ids = bulk.reserve_ids(cursor, Listing, total)
        batches: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
        stop = threading.Event()

        def produce() -> None:
            try:
                now = timezone.now()
                times = bulk.created_times(
                    rng, total, now - datetime.timedelta(days=730), now - datetime.timedelta(hours=1)
                )
                suppliers = [plan for plan, _weight in plans]
                cumulative = list(itertools.accumulate(weight for _plan, weight in plans))
                maker = bulk.ListingMaker(rng, categories, now)
                for start in range(0, total, batch):
                    size = min(batch, total - start)
                    owners = rng.choices(suppliers, cum_weights=cumulative, k=size)
                    rows = bulk.ListingRows()
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
                for name, table, encoded in zip(("listings", "price tiers", "variants"), tables, payload, strict=True):
                    self.counts[name] += table.send(cursor, encoded)
                done += payload[0][1]
                self._progress(done, total, time.monotonic() - started)
        finally:
            stop.set()
            producer.join()

    def _triggers_off(self, cursor: Any) -> bool:
        """Turn off triggers (per-row foreign-key checks, the catalog's denormalising triggers and
        its vocabulary triggers) for the load, if allowed: rebuild_denormalised does their work
        set-based afterwards."""
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            self._say("  Could not turn off triggers (needs a superuser): loading with them on, slower.")
            return False
        return True

    def _progress(self, done: int, total: int, seconds: float) -> None:
        rate = done / seconds if seconds else 0.0
        eta = (total - done) / rate if rate else 0.0
        self._say(
            f"  listings {done:>11,} / {total:,}  {100 * done / total:5.1f}%  "
            f"{rate:9,.0f} rows/s  elapsed {_clock(seconds)}  ETA {_clock(eta)}"
        )

    # --- indexes, compaction, statistics ---------------------------------------------------------

    def _session_settings(self, cursor: Any) -> None:
        # Bigger sort memory for index builds and CLUSTER; this transaction only.
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")

    def _drop_indexes(self, cursor: Any) -> list[tuple[str, str]]:
        """Drop the listing tables' indexes that back no constraint and enforce nothing; returns
        (name, definition) to build them again. Unique indexes stay, so duplicates still fail."""
        tables = [model._meta.db_table for model in LISTING_TABLES]
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
        self._say(f"  dropped {len(dropped)} secondary indexes for the load")
        return dropped

    def _cluster(self, cursor: Any) -> None:
        """The denormalising UPDATE left a dead copy of every listing row: rewrite the table compactly."""
        table = Listing._meta.db_table
        cursor.execute(f'CLUSTER "{table}" USING "{table}_pkey"')

    def _create_indexes(self, cursor: Any, dropped: list[tuple[str, str]]) -> None:
        for name, definition in dropped:
            started = time.monotonic()
            cursor.execute(definition)
            self._say(f"  built {name} in {_clock(time.monotonic() - started)}")

    def _analyze(self, *, vacuum: bool) -> None:
        models = _supplier_models()
        tables = [
            *(model._meta.db_table for model in LISTING_TABLES),
            *(models[key]._meta.db_table for key in ("supplier", "site", "certification", "event")),
        ]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'{"VACUUM ANALYZE" if vacuum else "ANALYZE"} "{table}"')

    # --- output ----------------------------------------------------------------------------------

    def _phase(self, name: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        self._say(f"{name}…")
        started = time.monotonic()
        result = function(*args, **kwargs)
        self.timings[name] = time.monotonic() - started
        self._say(f"{name}: {_clock(self.timings[name])}")
        return result

    def _summary(self, seconds: float) -> None:
        self._say("Rows added: " + ", ".join(f"{name} {n:,}" for name, n in self.counts.items()))
        self._say("Time per phase: " + ", ".join(f"{name} {_clock(t)}" for name, t in self.timings.items()))
        self.stdout.write(f"Generated {self.counts['listings']:,} listings in {_clock(seconds)} ({seconds:.1f} s).")

    def _say(self, text: str) -> None:
        if self.verbose:
            self.stdout.write(text)
            self.stdout.flush()


def _put(batches: queue.Queue, item: tuple[str, Any], stop: threading.Event) -> None:
    """Hand an item to the copying thread, unless it has stopped listening."""
    while not stop.is_set():
        try:
            batches.put(item, timeout=0.2)
            return
        except queue.Full:
            continue


def _status_and_level(state: str, rng: random.Random) -> tuple[str, str]:
    if state in bulk.PUBLIC_STATES:
        return "certified", state
    if state == "expired":
        return "certified", rng.choice(bulk.PUBLIC_STATES)
    if state == "suspended":
        return "suspended", "none"
    return state, "none"


def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
