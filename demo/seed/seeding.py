"""Seed the demo world of demo/data/: belts, categories, suppliers at several certification levels,
listings, logins and trade in flight.

Safe to run again: every row is found by its natural key (slug, email, supplier + SKU) and only
written when it is missing or differs from the data files, so a second run writes nothing.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from belts.models import Belt
from catalog.models import ExchangeRate
from catalog.prices import exchange_rate_set
from demo.seed.companies import (
    accounts_sync,
    belt_sync,
    categories_sync,
    checklists_sync,
    company_terms_sync,
    supplier_sync,
    user_sync,
)
from demo.seed.licences import brand_licences_sync
from demo.seed.listings import (
    IMAGE_EVERY,
    certificate_kinds_by_listing,
    certificates_sync,
    image_create,
    listing_sync,
    variants_by_listing,
    variants_sync,
)
from demo.seed.lots import lots_sync
from demo.seed.report import belt_line
from demo.seed.run import Run
from demo.seed.trade import trade_sync
from suppliers.models import Supplier


def seed(run: Run) -> None:
    """Write the world; the caller owns the transaction (a failure halfway leaves nothing)."""
    world = run.world
    users = {account["email"]: user_sync(run, account) for account in world.accounts}
    admin = users["admin@demo.test"]
    categories, colours = categories_sync(run)
    run.say(f"Categories: {len(categories)} in {len(world.categories)} industries")
    checklists = checklists_sync(run)

    today = timezone.localdate()
    valid_until = today + datetime.timedelta(days=world.certification_valid_days)
    listing_number = 0
    certificates = certificate_kinds_by_listing()
    belts: dict[str, Belt] = {}
    suppliers: dict[str, Supplier] = {}
    for position, belt_data in enumerate(world.belts):
        before = run.tally.total()
        belt = belt_sync(run, belt_data, position)
        belts[belt.slug] = belt
        checklist = checklists[world.belt_checklists[belt.slug]]
        if not checklist.belts.filter(pk=belt.pk).exists():
            checklist.belts.add(belt)
            run.tally["linked belt to audit checklist"] += 1
        for supplier_data in belt_data["suppliers"]:
            supplier = supplier_sync(
                run, supplier_data, belt, actor=admin, valid_until=valid_until, checklist=checklist
            )
            suppliers[supplier.slug] = supplier
            # Read once per supplier, not per listing, so a second run stays a few queries per row.
            sites = dict(supplier.sites.values_list("name", "pk")) if supplier_data["listings"] else {}
            variants = variants_by_listing(supplier) if supplier_data["listings"] else {}
            for listing_data in supplier_data["listings"]:
                listing_number += 1
                listing = listing_sync(
                    run,
                    listing_data,
                    supplier,
                    categories,
                    number=listing_number,
                    sites=sites,
                    trade=belt_data.get("listing_trade"),
                    province=belt.province,
                )
                variants_sync(run, listing, variants.get(listing.pk, []))
                if listing_number % IMAGE_EVERY == 1:  # the pictured listings carry the belt's export certificates
                    held = certificates.get(listing.pk, set())
                    certificates_sync(run, listing, belt_data.get("listing_trade"), held)
                if listing_number % IMAGE_EVERY == 1 and not listing.images.exists():
                    image_create(run, listing, supplier, belt, colours[listing_data["category"]])
        run.say(belt_line(position, len(world.belts), belt, written=run.tally.total() - before))

    first_supplier = suppliers[world.belts[0]["suppliers"][0]["slug"]]
    operator_belt = belts[world.operator["belt"]]
    company = accounts_sync(run, users, first_supplier=first_supplier, operator_belt=operator_belt)
    company_terms_sync(run, company, buyer=users["buyer@demo.test"], admin=admin)
    buyer, seller = users["buyer@demo.test"], users["supplier@demo.test"]
    trade_sync(run, company, buyer=buyer, seller=seller, supplier=first_supplier)
    brand_licences_sync(run, users=users, suppliers=suppliers, categories=categories, today=today)
    lots_sync(run, users, company=company, buyer=buyer)
    exchange_rates_sync(run, actor=admin, today=today)


# Yuan for one unit of each currency, as staff would set them; the demo shows approximate prices.
DEMO_RATES = {"USD": Decimal("7.18"), "EUR": Decimal("7.79")}


def exchange_rates_sync(run: Run, *, actor: User, today: datetime.date) -> None:
    """A rate for each currency the buyer may choose, once (a rate already set is left as it is)."""
    for currency, rate in DEMO_RATES.items():
        if not ExchangeRate.objects.filter(currency=currency).exists():
            exchange_rate_set(currency=currency, rate=rate, valid_on=today, actor=actor)
            run.tally["set exchange rate"] += 1
