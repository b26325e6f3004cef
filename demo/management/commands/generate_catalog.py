"""Generate a large, realistic catalog with PostgreSQL bulk loading, so that anyone can measure.

    python manage.py seed_demo                     # belts and categories first
    python manage.py generate_catalog --listings 1000000 [--suppliers N] [--seed 42] [--batch 100000]
    python manage.py generate_catalog --listings 1000000 --trade [--orders N] [--rfqs N] [--inquiries N]
    python manage.py generate_catalog --listings 0 --trade          # a year of trade over the catalog there

Suppliers are spread over the belts already in the database (about one per 50 listings), at a mix
of statuses and certification levels, each with production sites in its belt's province, an
active certification and its audit events. Listings are assembled from per-industry vocabularies
(demo/data/generator/*.yaml) in English and Chinese, with 1–4 price tiers, MOQ, carton multiples,
samples, lead times, variants and specifications, created over the last two years. The code is in
demo/generator/: vocabulary, plans, suppliers, listings, and the loading steps.

How it loads: one transaction. Rows are generated in batches (by a second thread, while the last
batch is being copied) and streamed with COPY from in-memory buffers, with triggers off
(`session_replication_role = replica`, which needs a superuser; without it the load runs with
triggers on, slower): no per-row foreign-key checks, denormalising or vocabulary triggers — the
generator only points at rows it made or read. Each batch of listings goes through an unlogged
stage: `catalog.search.rebuild.bulk_insert_listings` computes the triggers' columns and the search
vectors there set-based (in parallel; the Chinese tokens of the texts come from the generator)
and inserts the rows complete, so every listing row is written once. The spelling vocabulary is
recounted after the last batch. For a load at least as large as what is there, the listing
tables' non-unique secondary indexes are dropped first and built again at the end. VACUUM
ANALYZE runs after the commit. A failure anywhere leaves the database as it was.

A second run refuses while generated data (suppliers whose slug starts with "gen-") is present,
unless given --append, which adds more suppliers and listings.

With --trade, a year of trade follows (demo/generator/trade.py), over the generated suppliers that
are publicly certified and have no people yet, once the indexes are built: buying companies in
many countries, inquiries, orders in every status, RFQs with quotes and awards, with their events,
payment protection and ledger, by default 0.2 orders, 0.1 RFQs and 0.3 inquiries per generated
listing; then the suppliers' response figures are computed from it.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from belts.models import Belt, Category
from catalog.figures import belt_figures_count
from catalog.models import Listing
from catalog.search.rebuild import rebuild_vocabulary
from demo.generator.loading import (
    analyze,
    clock,
    create_indexes,
    drop_indexes,
    listings_load,
    session_settings,
    trade_tables,
    triggers_off,
)
from demo.generator.plans import GENERATED_SLUG_PREFIX
from demo.generator.suppliers import supplier_models, suppliers_load
from demo.generator.trade import trade_load, trade_present
from demo.generator.tradebase import TradeSizes
from demo.generator.vocabulary import LEAF_INDUSTRY, BeltProfile, profile_for_belt
from marketplace.pagecache.pages import every_page_changed
from orders.figures import supplier_figures_compute

DEFAULT_LISTINGS_PER_SUPPLIER = 50
# A year of trade per generated listing, by default.
TRADE_PER_LISTING = {"orders": 0.2, "rfqs": 0.1, "inquiries": 0.3}


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
            help="Never drop the listing and trade tables' secondary indexes during the load (slower for large loads).",
        )
        parser.add_argument("--no-vacuum", action="store_true", help="Skip the VACUUM ANALYZE at the end.")
        trade = parser.add_argument_group("a year of trade")
        trade.add_argument(
            "--trade",
            action="store_true",
            help="Also generate a year of trade over the generated catalog (with --listings 0: only the trade).",
        )
        for name, share in TRADE_PER_LISTING.items():
            trade.add_argument(
                f"--{name}", type=int, default=None, help=f"How many {name} (default: {share} per generated listing)."
            )
        trade.add_argument(
            "--rfq-reach",
            type=int,
            default=25,
            help="The most matching suppliers one RFQ is routed to (default 25; the routing job reaches all).",
        )
        trade.add_argument(
            "--trade-until",
            type=datetime.datetime.fromisoformat,
            default=None,
            help="The end of the generated year, ISO 8601 (default: now). The same seed and end give the same trade.",
        )

    # --- entry -----------------------------------------------------------------------------------

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("generate_catalog needs PostgreSQL (it loads with COPY).")
        listings, batch = options["listings"], options["batch"]
        if listings == 0 and options["trade"]:
            self.verbose = options["verbosity"] > 0
            self._trade_only(options)
            return
        if listings < 1 or batch < 1:
            raise CommandError("--listings and --batch must be at least 1 (or --listings 0 with --trade).")
        suppliers = options["suppliers"] or max(1, round(listings / DEFAULT_LISTINGS_PER_SUPPLIER))
        if suppliers < 1:
            raise CommandError("--suppliers must be at least 1.")
        self.verbose = options["verbosity"] > 0
        self.timings: dict[str, float] = {}
        self.counts: Counter[str] = Counter()
        started = time.monotonic()

        models = supplier_models()
        self._refuse_if_generated(models["supplier"], append=options["append"])
        if options["trade"]:
            self._refuse_if_trade()
        profiles = self._belt_profiles()
        categories = dict(Category.objects.values_list("slug", "pk"))
        existing = Listing.objects.count()
        drop = not options["keep_indexes"] and listings >= existing
        # A different stream for each run on the same database, the same stream for the same state.
        rng = random.Random(options["seed"] * 1_000_003 + existing)  # nosec B311

        self._say(
            f"Generating {listings:,} listings of {suppliers:,} suppliers in {len(profiles)} belts "
            f"(seed {options['seed']}, batches of {batch:,}; {existing:,} listings already here)."
        )
        with transaction.atomic(), connection.cursor() as cursor:
            session_settings(cursor)
            dropped = self._phase("drop indexes", drop_indexes, cursor, self._say) if drop else []
            replica = triggers_off(cursor, self._say)
            plans = self._phase(
                "suppliers",
                suppliers_load,
                cursor,
                rng,
                models,
                profiles,
                categories,
                suppliers,
                self.counts,
                self._say,
            )
            self._phase(
                "listings", listings_load, cursor, rng, plans, categories, listings, batch, self.counts, self._progress
            )
            self._phase("vocabulary", rebuild_vocabulary, using=connection.alias)
            if replica:
                cursor.execute("SET LOCAL session_replication_role = origin")
                every_page_changed()  # the page versions' triggers were off with the others
            if dropped:
                self._phase("build indexes", create_indexes, cursor, dropped, self._say)
            if options["trade"]:
                self._trade(cursor, options, replica=replica)
        self._finish(options, started)

    def _finish(self, options: dict[str, Any], started: float) -> None:
        if options["no_vacuum"]:
            self._say("Skipped VACUUM ANALYZE (--no-vacuum).")
        elif connection.in_atomic_block:
            self._phase("analyze", analyze, vacuum=False, trade=options["trade"])
            self._say("Ran ANALYZE only: VACUUM cannot run inside the caller's transaction.")
        else:
            self._phase("vacuum analyze", analyze, vacuum=True, trade=options["trade"])
        self._phase("belt figures", belt_figures_count)
        self._summary(time.monotonic() - started)

    # --- trade -----------------------------------------------------------------------------------

    def _trade_only(self, options: dict[str, Any]) -> None:
        """A year of trade over the generated catalog already in the database."""
        self.timings, self.counts = {}, Counter()
        started = time.monotonic()
        self._refuse_if_trade()
        with transaction.atomic(), connection.cursor() as cursor:
            session_settings(cursor)
            replica = triggers_off(cursor, self._say)
            self._trade(cursor, options, replica=replica)
        self._finish(options, started)

    def _trade(self, cursor: Any, options: dict[str, Any], *, replica: bool) -> None:
        generated = Listing.objects.filter(supplier__slug__startswith=GENERATED_SLUG_PREFIX).count()
        if not generated:
            raise CommandError("There is no generated catalog to trade over: run generate_catalog --listings N first.")
        sizes = TradeSizes(
            **{name: options[name] if options[name] is not None else round(share * generated)
               for name, share in TRADE_PER_LISTING.items()},
            rfq_reach=options["rfq_reach"],
        )  # fmt: skip
        if min(sizes.orders, sizes.rfqs, sizes.inquiries) < 0 or sizes.rfq_reach < 1:
            raise CommandError("--orders, --rfqs and --inquiries must be at least 0, --rfq-reach at least 1.")
        until = options["trade_until"] or timezone.now()
        if timezone.is_naive(until):
            until = timezone.make_aware(until, datetime.UTC)
        seed = options["seed"] * 1_000_003 + generated + 7
        self._say(
            f"A year of trade to {until:%Y-%m-%d %H:%M} over {generated:,} generated listings: about "
            f"{sizes.orders:,} orders, {sizes.rfqs:,} RFQs, {sizes.inquiries:,} inquiries (seed {options['seed']})."
        )
        # A large trade goes in faster without the secondary indexes of its tables, built again after
        # (the unique ones stay); a small one beside much trade already there keeps them.
        with connection.cursor() as count:
            count.execute("SELECT count(*) FROM orders_order")
            existing = count.fetchone()[0]
        tables = trade_tables()
        drop = not options["keep_indexes"] and sizes.orders >= existing
        dropped = self._phase("drop trade indexes", drop_indexes, cursor, self._say, tables) if drop else []
        if replica:
            cursor.execute("SET LOCAL session_replication_role = replica")
        self._phase("trade", trade_load, cursor, random.Random(seed), sizes, until, self.counts, self._say)  # nosec B311
        if replica:
            cursor.execute("SET LOCAL session_replication_role = origin")
        if dropped:
            self._phase("build trade indexes", create_indexes, cursor, dropped, self._say)
        every_page_changed()  # the profiles show the response figures computed next
        self._phase("supplier figures", supplier_figures_compute, now=until)

    def _refuse_if_trade(self) -> None:
        with connection.cursor() as cursor:
            if trade_present(cursor):
                raise CommandError(
                    "This database already holds generated trade: generate it into a fresh database "
                    "(with the catalog, or --listings 0 --trade after it)."
                )

    # --- checks ----------------------------------------------------------------------------------

    def _refuse_if_generated(self, supplier_model: Any, *, append: bool) -> None:
        generated = supplier_model.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX)
        count = generated.count()
        if count and not append:
            listing_count = Listing.objects.filter(supplier__in=generated).count()
            raise CommandError(
                f"This database already holds generated data ({count:,} suppliers, {listing_count:,} listings). "
                "Run again with --append to add more, or generate into a fresh database."
            )

    def _belt_profiles(self) -> list[tuple[Belt, BeltProfile]]:
        """Each active belt with where its suppliers are and which leaf categories they make."""
        known = set(Category.objects.filter(slug__in=LEAF_INDUSTRY).values_list("slug", flat=True))
        out: list[tuple[Belt, BeltProfile]] = []
        skipped: list[str] = []
        for belt in Belt.objects.active().order_by("position", "pk"):
            used = Listing.objects.filter(supplier__belt=belt).values_list("category__slug", flat=True).distinct()
            profile = profile_for_belt(
                slug=belt.slug,
                province=belt.province,
                city_en=belt.city_en,
                city_zh=belt.city_zh,
                industry_en=belt.industry_en,
                used_leaves=used,
            )
            leaves = {leaf: w for leaf, w in (profile.leaves if profile else {}).items() if leaf in known}
            if profile is None or not leaves:
                skipped.append(belt.slug)
                continue
            out.append((belt, BeltProfile(profile.cities, leaves, profile.weight)))
        if skipped:
            self._say(f"Skipped belts with no category the generator knows: {', '.join(skipped)}.")
        if not out:
            raise CommandError(
                "No belt with categories the generator knows. Load the demo belts and categories first: "
                "python manage.py seed_demo"
            )
        return out

    # --- suppliers -------------------------------------------------------------------------------

    def _progress(self, done: int, total: int, seconds: float) -> None:
        rate = done / seconds if seconds else 0.0
        eta = (total - done) / rate if rate else 0.0
        self._say(
            f"  listings {done:>11,} / {total:,}  {100 * done / total:5.1f}%  "
            f"{rate:9,.0f} rows/s  elapsed {clock(seconds)}  ETA {clock(eta)}"
        )

    # --- phases and output -----------------------------------------------------------------------

    def _phase(self, name: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        self._say(f"{name}…")
        started = time.monotonic()
        result = function(*args, **kwargs)
        self.timings[name] = time.monotonic() - started
        self._say(f"{name}: {clock(self.timings[name])}")
        return result

    def _summary(self, seconds: float) -> None:
        self._say("Rows added: " + ", ".join(f"{name} {n:,}" for name, n in self.counts.items()))
        self._say("Time per phase: " + ", ".join(f"{name} {clock(t)}" for name, t in self.timings.items()))
        trade = f", {self.counts['orders']:,} orders" if self.counts["orders"] else ""
        self.stdout.write(
            f"Generated {self.counts['listings']:,} listings{trade} in {clock(seconds)} ({seconds:.1f} s)."
        )

    def _say(self, text: str) -> None:
        if self.verbose:
            self.stdout.write(text)
            self.stdout.flush()
