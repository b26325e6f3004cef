"""`seed_demo`: the demo world carries real certifications with their evidence, and seeding twice
writes nothing the second time.

The world is seeded once for the module, inside a transaction rolled back at the end (each test
runs in its own savepoint within it), because seeding takes seconds.
"""

import datetime
import io
import os
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo.world import demo_world as load_demo_world
from suppliers.models import (
    LEVEL_RANK,
    AuditChecklist,
    Certification,
    CertificationLevel,
    EvidenceItem,
    Supplier,
    SupplierDocument,
    VerificationRun,
)
from suppliers.services import certifications_expiry_sweep

pytestmark = pytest.mark.django_db
# 7–10 s when written; the limit only catches a step gone slow per item. Under `make test` the
# pytest-xdist workers share the cores, so the wall-clock limit grows with their number.
SEED_SECONDS_LIMIT = 30 * int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
QUERY_BUDGET = 600  # 446 when written, 451 with the trade in flight, 520 with lots, licences and certificates:
# raise it with the world, not to hide per-item work

WORLD = load_demo_world()
DEMO_SUPPLIERS = {supplier["slug"]: supplier for belt in WORLD.belts for supplier in belt["suppliers"]}
BELT_OF = {supplier["slug"]: belt for belt in WORLD.belts for supplier in belt["suppliers"]}


def _seed() -> None:
    call_command("seed_demo", "--quiet", stdout=io.StringIO())


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """Seed once; roll everything back after the module's last test."""
    # Uploads wait for the worker, as in production: the seed checks its files itself.
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(FILE_CHECK_EAGER=False):
        started = time.monotonic()
        _seed()
        yield time.monotonic() - started
        transaction.set_rollback(True)


def _suppliers_table_counts() -> dict[str, tuple[int, int]]:
    """(rows, highest primary key) of every suppliers_* table, many-to-many tables included."""
    tables = [name for name in connection.introspection.table_names() if name.startswith("suppliers_")]
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            [pk] = connection.introspection.get_primary_key_columns(cursor, table)
            cursor.execute(f'SELECT count(*), coalesce(max("{pk}"), 0) FROM "{table}"')  # noqa: S608 (names from the catalog)
            counts[table] = cursor.fetchone()
    return counts


def test_the_first_run_is_reasonably_fast(demo_world):
    assert demo_world < SEED_SECONDS_LIMIT


def test_a_second_run_writes_nothing_and_stays_within_its_query_budget(demo_world):
    before = _suppliers_table_counts()
    assert before["suppliers_certification"][0] > 0

    with CaptureQueriesContext(connection) as queries:
        _seed()

    assert _suppliers_table_counts() == before
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    # Reading the world back is a few queries per row; this catches a step that starts doing work
    # (generating a picture, running the checks) on every run.
    assert len(queries) < QUERY_BUDGET, len(queries)


def test_every_certified_demo_supplier_has_a_current_certification_with_its_evidence(demo_world):

    for slug, data in DEMO_SUPPLIERS.items():
        if not data["certification"]:
            continue
        supplier = Supplier.objects.select_related("belt", "current_certification").get(slug=slug)
        certification = supplier.current_certification
        assert supplier.status == Supplier.Status.CERTIFIED, slug
        assert certification is not None and certification.is_current(), slug
        assert certification.level == data["certification"] == supplier.certification_level
        kinds = set(certification.evidence.values_list("kind", flat=True))
        assert {EvidenceItem.Kind.CODE_CHECKSUM, EvidenceItem.Kind.DOCUMENT} <= kinds, slug
        assert certification.evidence.filter(title_en="Business licence").exists(), slug
        for number in (c["number"] for c in WORLD.supplier_evidence[slug]["certificates"]):
            assert certification.evidence.filter(title_en__endswith=number).exists(), (slug, number)
        assert supplier.documents.filter(kind=SupplierDocument.Kind.LICENCE).exists()
        assert supplier.verification_runs.filter(status=VerificationRun.Status.DONE).exists()


def test_audited_factories_have_their_report_and_an_outcome_for_every_checklist_point(demo_world):

    audited = Supplier.objects.filter(certification_level=CertificationLevel.AUDITED_FACTORY)
    assert audited.count() == sum(d["certification"] == "audited_factory" for d in DEMO_SUPPLIERS.values())
    for supplier in audited.select_related("current_certification__checklist"):
        certification = supplier.current_certification
        checklist = certification.checklist
        assert checklist.slug == WORLD.belt_checklists[BELT_OF[supplier.slug]["slug"]]
        assert certification.checklist_version == checklist.version
        assert certification.audit_report
        points = set(checklist.points.values_list("code", flat=True))
        assert set(certification.audit_results.values_list("code", flat=True)) == points, supplier.slug
        assert certification.evidence.filter(kind=EvidenceItem.Kind.SITE_VISIT).exists()
    for data in WORLD.audit_checklists:
        assert 5 <= AuditChecklist.objects.get(slug=data["slug"]).points.count() <= 8


def test_every_file_of_the_demo_is_checked_and_clean_without_a_worker(demo_world):

    assert SupplierDocument.objects.exists()
    assert not SupplierDocument.objects.exclude(file_check="clean").exists()
    assert not SupplierDocument.objects.filter(file="").exists()
    assert not Certification.objects.exclude(file_check="clean").exists()
    assert not Certification.objects.exclude(file_quarantine="").exists()


def test_sites_are_in_the_belts_province_and_verified_from_certified_origin_up(demo_world):

    for supplier in Supplier.objects.select_related("belt").prefetch_related("sites"):
        sites = list(supplier.sites.all())
        if supplier.business_type == Supplier.BusinessType.TRADING:
            # The trading company's only place is a rented warehouse outside the region.
            assert sites and all(s.province != supplier.belt.province and not s.is_verified for s in sites)
            continue
        assert any(s.province == supplier.belt.province for s in sites), supplier.slug
        origin = LEVEL_RANK[supplier.certification_level] >= LEVEL_RANK[CertificationLevel.CERTIFIED_ORIGIN]
        assert any(s.is_verified for s in sites) == origin, supplier.slug


def test_applications_under_verification_have_finished_runs_one_with_a_warning(demo_world):

    applicants = Supplier.objects.filter(status=Supplier.Status.UNDER_VERIFICATION).prefetch_related(
        "verification_runs__checks"
    )
    assert applicants.count() >= 3
    outcomes = []
    for supplier in applicants:
        [run] = supplier.verification_runs.all()
        assert run.status == VerificationRun.Status.DONE and run.checks.count() == 6
        outcomes.append(run.worst_outcome())
    assert outcomes.count("warn") == 1 and outcomes.count("fail") == 0
    assert not Supplier.objects.filter(status=Supplier.Status.DRAFT, verification_runs__isnull=False).exists()


def test_the_daily_job_has_a_certificate_to_remind_about(demo_world):
    soon = timezone.localdate() + datetime.timedelta(days=30)
    expiring = SupplierDocument.objects.filter(
        kind=SupplierDocument.Kind.CERTIFICATE, supplier__status=Supplier.Status.CERTIFIED, valid_until__lte=soon
    )
    assert expiring.count() == 1

    assert certifications_expiry_sweep() == {"reminded": 1, "suspended": 0, "downgraded": 0, "expired": 0}


def test_demo_profiles_and_verify_pages_show_the_evidence_and_no_documents(client, demo_world):
    supplier = Supplier.objects.get(slug="wuhan-guanggu-photonics")

    html = client.get(supplier.get_absolute_url()).content.decode()
    assert "Laser equipment checklist, version 1" in html
    assert "/media/suppliers/" not in html and "/documents/" not in html
    verify = client.get(supplier.current_certification.get_absolute_url())
    assert 'data-verdict="current"' in verify.content.decode()


# --- the listings a buyer browses: trade details, variants, production sites ---------------------

DEMO_LISTINGS = {listing["sku"]: listing for supplier in DEMO_SUPPLIERS.values() for listing in supplier["listings"]}


def _demo_listings():
    from catalog.models import Listing

    return (
        Listing.objects.filter(sku__in=DEMO_LISTINGS)
        .select_related("supplier__belt", "production_site")
        .prefetch_related("tiers", "variants")
    )


def test_every_demo_listing_has_specifications_a_site_of_its_own_and_the_details_of_its_data(demo_world):
    listings = list(_demo_listings())
    assert len(listings) == len(DEMO_LISTINGS) == len(WORLD.listing_details)
    for listing in listings:
        details = WORLD.listing_details[listing.sku]
        assert len(listing.specifications) >= 2, listing.sku
        assert all(spec["name_en"] and spec["name_zh"] and spec["value"] for spec in listing.specifications)
        assert listing.production_site is not None and listing.production_site.supplier_id == listing.supplier_id
        if "site" in details:
            assert listing.production_site.name == details["site"], listing.sku
        assert listing.variants.count() == len(details.get("variants", [])), listing.sku
        assert (listing.moq_mode, listing.order_multiple) == (
            details.get("moq_mode", "mixed"),
            details.get("order_multiple", 1),
        )
    # Enough of each kind for the pages to show them.
    assert sum(bool(listing.variants.all()) for listing in listings) >= 40
    assert sum(listing.per_variant_moq for listing in listings) >= 10
    assert sum(listing.order_multiple > 1 for listing in listings) >= 40
    assert sum(listing.oem for listing in listings) >= 40 and sum(listing.odm for listing in listings) >= 8
    assert sum(bool(listing.customisation_en and listing.customisation_zh) for listing in listings) >= 15
    assert sum(listing.sample_fee_credited for listing in listings) >= 5


def test_a_buyer_can_order_every_demo_listing_at_its_minimum(demo_world):
    """MOQs, variant MOQs and tier quantities are whole cartons, and the MOQ has a price."""
    for listing in _demo_listings():
        m = listing.order_multiple
        assert listing.moq % m == 0, listing.sku
        assert all(tier.min_quantity % m == 0 for tier in listing.tiers.all()), listing.sku
        variants = list(listing.variants.all())
        if variants and listing.per_variant_moq:
            typed = {variant.pk: variant.moq or listing.moq for variant in variants}
            assert all(q % m == 0 for q in typed.values()), listing.sku
        elif variants:
            typed = {variants[0].pk: listing.moq}
        else:
            typed = {None: listing.moq}
        check = listing.check_quantities(typed)
        assert check.ok, (listing.sku, check.errors)


def test_certified_origin_marks_the_listings_of_certified_manufacturers_at_verified_sites_only(demo_world):
    marked = {level: [] for level in CertificationLevel.values}
    for listing in _demo_listings():
        marked[listing.supplier.certification_level].append(listing.certified_origin)
    assert all(marked[CertificationLevel.AUDITED_FACTORY]) and all(marked[CertificationLevel.CERTIFIED_ORIGIN])
    # Verified companies' sites were not visited, and the trader packs in a rented warehouse elsewhere.
    assert marked[CertificationLevel.VERIFIED] and not any(marked[CertificationLevel.VERIFIED])
    trader = _demo_listings().filter(supplier__business_type=Supplier.BusinessType.TRADING)
    assert trader.exists() and not any(listing.certified_origin for listing in trader)


def test_demo_listing_page_shows_variants_rules_specifications_and_the_mark(client, demo_world):
    from catalog.models import Listing

    listing = Listing.objects.get(sku="HX-228T-TASLAN")
    html = client.get(listing.get_absolute_url()).content.decode()
    assert html.count('data-testid="variant"') == 4
    assert "Minimum order: 1,000 metres of each variant you choose" in html
    assert "Sold in multiples of 100" in html
    assert "Yarn count" in html and 'data-testid="certified-origin"' in html


def test_the_demo_trade_is_in_flight_for_the_demo_buyer_and_supplier(demo_world):
    """The demo buyer finds orders at several stages (one shipped with its tracking number, one
    completed and rated, one whose CIF freight and insurance wait for the buyer's acceptance) and
    inquiries, one answered; the demo supplier has an order to confirm."""
    from accounts.models import User
    from buyers.models import Inquiry
    from orders.models import Order

    buyer = User.objects.get(email="buyer@demo.test").buyer_membership.company
    supplier = User.objects.get(email="supplier@demo.test").supplier_membership.supplier
    statuses = set(Order.objects.filter(buyer=buyer, supplier=supplier).values_list("status", flat=True))
    assert {"placed", "proposed", "shipped", "completed"} <= statuses
    shipped = Order.objects.get(buyer=buyer, supplier=supplier, status="shipped")
    assert shipped.tracking_number and shipped.payment_terms == "deposit" and shipped.freight
    kinds = list(shipped.events.order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds == ["placed", "proposed", "confirmed", "deposit_paid", "paid", "shipped"]
    assert shipped.total == shipped.subtotal - shipped.sample_credit + shipped.freight + shipped.insurance
    proposed = Order.objects.get(buyer=buyer, supplier=supplier, status="proposed")
    assert proposed.freight and proposed.insurance and proposed.total > proposed.subtotal
    assert Order.objects.get(buyer=buyer, supplier=supplier, status="completed").rating.stars == 5
    assert Order.objects.filter(buyer=buyer).exclude(supplier=supplier).exists()  # one purchase, two suppliers
    inquiries = Inquiry.objects.filter(buyer=buyer, supplier=supplier)
    assert inquiries.count() == 2 and inquiries.filter(first_supplier_reply_at__isnull=False).count() == 1
    assert supplier.figures.ratings == 1
    from orders.models import Rfq

    rfq = Rfq.objects.get(buyer=buyer, status=Rfq.Status.OPEN)
    assert rfq.recipients.filter(supplier=supplier).exists()
    assert rfq.quotes.count() == 2  # two quotes to compare, one of them the demo supplier's


# --- the world other tests, the browser tests and `make run` rely on --------------------------------


def test_the_seeded_world_has_the_logins_and_counts_the_rest_relies_on(demo_world):
    """The same world the Python literals of orders/demo_data.py seeded before they became demo/data/
    (counts taken from that seed), so a change to the data files that drops something shows here."""
    from accounts.models import User
    from belts.models import Belt, Category
    from buyers.models import Inquiry
    from catalog.models import Listing, ListingImage, ListingVariant, PriceTier
    from orders.models import Purchase, Quote, Rfq
    from suppliers.models import ProductionSite

    for email, role in [
        ("admin@demo.test", "staff"),
        ("buyer@demo.test", "buyer"),
        ("supplier@demo.test", "supplier"),
        ("operator@demo.test", "operator"),
        ("produce@demo.test", "supplier"),
    ]:
        user = User.objects.get(email=email)
        assert user.role == role and user.is_active and user.check_password("demo-pass-2026"), email
    assert User.objects.get(email="admin@demo.test").is_superuser
    assert not User.objects.get(email="sales@ruiguang-laser.demo.test").has_usable_password()
    assert User.objects.get(email="supplier@demo.test").supplier_membership.supplier.slug == "wuhan-guanggu-photonics"

    assert list(Belt.objects.order_by("position").values_list("slug", flat=True)) == [
        "wuhan-laser", "shishi-textiles", "wenzhou-menswear", "huzhou-childrenswear",
        "xinjiang-farm-produce", "gansu-agriculture", "ningxia-goji",
    ]  # fmt: skip
    assert (Category.objects.filter(parent=None).count(), Category.objects.count()) == (7, 41)
    levels = {
        level: Supplier.objects.filter(status=Supplier.Status.CERTIFIED, certification_level=level).count()
        for level in ("verified", "certified_origin", "audited_factory")
    }
    assert levels == {"verified": 7, "certified_origin": 7, "audited_factory": 7}
    assert Supplier.objects.filter(status=Supplier.Status.UNDER_VERIFICATION).count() == 4
    assert Supplier.objects.filter(status=Supplier.Status.DRAFT).count() == 3
    assert (Listing.objects.count(), PriceTier.objects.count(), ListingVariant.objects.count()) == (86, 256, 125)
    assert ListingImage.objects.count() == 29
    assert (ProductionSite.objects.count(), ProductionSite.objects.filter(is_verified=True).count()) == (32, 18)
    assert SupplierDocument.objects.count() == 75 and AuditChecklist.objects.count() == 3
    assert (Purchase.objects.count(), Inquiry.objects.count(), Rfq.objects.count(), Quote.objects.count()) == (
        5, 2, 1, 2,
    )  # fmt: skip


def test_the_demo_company_has_saved_addresses_and_net_terms_on_record(demo_world):
    """Checkout offers the demo buyer a default shipping and a billing address, and net terms
    (approved by the admin, with the reason on record)."""
    from accounts.models import User

    company = User.objects.get(email="buyer@demo.test").buyer_membership.company
    assert company.addresses.get(is_default=True).label == "Rotterdam warehouse"
    assert company.addresses.get(is_billing=True).label == "Head office (invoices)"
    assert company.net_terms_approved and company.net_terms_decided_by.email == "admin@demo.test"
    kinds = sorted(company.events.values_list("kind", flat=True))
    assert kinds == ["address_added", "address_added", "net_terms_approved"]


def test_the_seed_prints_the_demo_logins_even_when_quiet(demo_world):
    out = io.StringIO()
    call_command("seed_demo", "--quiet", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Demo logins" and lines[1].split() == ["email", "password", "role", "what", "they", "see"]
    assert [line.split()[:3] for line in lines[3:]] == [
        ["admin@demo.test", "demo-pass-2026", "staff"],
        ["buyer@demo.test", "demo-pass-2026", "buyer"],
        ["supplier@demo.test", "demo-pass-2026", "supplier"],
        ["operator@demo.test", "demo-pass-2026", "operator"],
        ["produce@demo.test", "demo-pass-2026", "supplier"],
    ]


def test_the_demo_world_shows_analytics_after_the_seed(client, demo_world):
    """The seed counts a month of page views and runs the analytics job over its trade: the demo
    supplier's analytics and the belts' statistics are not empty after `make run`."""
    from accounts.models import User
    from analytics.models import BeltMonth, SupplierDay

    assert SupplierDay.objects.filter(listing_views__gt=0).exists()
    assert SupplierDay.objects.filter(orders__gt=0).exists()
    assert BeltMonth.objects.filter(orders__gt=0, suppliers_certified__gt=0).exists()
    client.force_login(User.objects.get(email="supplier@demo.test"))
    page = client.get("/dashboard/supplier/analytics/").content.decode()
    assert 'data-testid="total-views">0<' not in page and "<svg" in page


def test_demo_belts_license_their_brand_and_the_listings_in_scope_show_the_mark(client, demo_world):
    from django.test import Client

    from catalog.models import Listing
    from suppliers.models import BrandLicence

    licences = {licence.supplier.slug: licence for licence in BrandLicence.objects.select_related("supplier")}
    assert set(licences) == {entry["supplier"] for entry in WORLD.brand_licences}
    assert all(licence.file_check == "clean" and licence.standing() == "valid" for licence in licences.values())
    assert licences["turpan-silk-road-raisins"].mark_en == "Turpan raisins"
    in_scope = Listing.objects.filter(supplier__slug="wuhan-guanggu-photonics", category__slug="laser-cutting-machines")
    out_of_scope = Listing.objects.filter(supplier__slug="hubei-huaxin-laser-marking").first()
    page = Client().get(in_scope.first().get_absolute_url()).content.decode()
    assert 'data-testid="brand-mark"' in page and "Hubei laser" in page
    assert 'data-testid="brand-mark"' not in Client().get(out_of_scope.get_absolute_url()).content.decode()
    verify = Client().get(f"/verify/licences/{licences['wuhan-guanggu-photonics'].number}/").content.decode()
    assert 'data-verdict="valid"' in verify


def test_the_produce_supplier_has_lots_with_clean_certificates_and_an_order_shipped_from_them(demo_world):
    """Every lot traceable to its vineyard: the Xinjiang raisin maker sells two listings by lot, its lots
    carry checked certificates, and the demo buyer's order of its raisins shipped from two lots."""
    from catalog.lots.selectors import listing_lot_stock
    from catalog.models import Listing, Lot, LotCertificate
    from orders.models import OrderLineLot

    supplier = Supplier.objects.get(slug="turpan-silk-road-raisins")
    from accounts.models import User

    assert User.objects.get(email="produce@demo.test").supplier_membership.supplier == supplier
    lots = {lot.code: lot for lot in Lot.objects.filter(supplier=supplier)}
    assert set(lots) == {"TSR-2026-GV07", "TSR-2026-GV12", "TSR-2026-BK03"}
    assert LotCertificate.objects.filter(lot__supplier=supplier).count() == 4
    assert not LotCertificate.objects.exclude(file_check="clean").exists()
    assert (lots["TSR-2026-GV07"].remaining, lots["TSR-2026-GV12"].remaining) == (7400, 5600)
    shipped = OrderLineLot.objects.filter(line__order__supplier=supplier)
    assert sorted(shipped.values_list("lot__code", "quantity")) == [("TSR-2026-GV07", 600), ("TSR-2026-GV12", 400)]
    assert shipped.first().line.order.status == "shipped"
    raisins = Listing.objects.get(supplier=supplier, sku="SR-GR-A")
    assert raisins.sold_by_lot and listing_lot_stock(listing=raisins) == 13000
