"""A small catalog to search: two belts, a category tree, suppliers at each public level, and
listings whose words, prices, MOQs and samples differ so each filter and sort has a visible effect.
"""

import datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from catalog.models import Listing
from catalog.synonyms import shipped_synonyms_load
from tests import factories as f


def _listing(supplier, category, *, title_en, title_zh, days_old, moq, tiers, **kwargs):
    listing = f.ListingFactory(
        supplier=supplier,
        category=category,
        title_en=title_en,
        title_zh=title_zh,
        moq=moq,
        tiers=[(q, Decimal(p)) for q, p in tiers],
        **kwargs,
    )
    # created_at is auto_now_add: age it afterwards so "newest" has a known order.
    Listing.objects.filter(pk=listing.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_old))
    return listing


def build_search_world() -> dict:
    """Build the world (each test module wraps this in its own `search_world` fixture)."""
    # The spelling vocabulary is no model table, so a flush between transactional tests (the
    # browser tests seed the demo world) leaves its words behind: start from this world's words.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_searchword")
    # The shipped synonyms come with a migration: a flush by a transactional test removes them.
    shipped_synonyms_load()
    wuhan = f.BeltFactory(
        slug="wuhan-laser", name_en="Wuhan laser belt", name_zh="武汉激光产业带", province="CN-HB",
        industry_en="Laser equipment", industry_zh="激光设备",
    )  # fmt: skip
    shishi = f.BeltFactory(
        slug="shishi-textiles", name_en="Shishi textile belt", name_zh="石狮纺织产业带", province="CN-FJ",
        industry_en="Casual wear", industry_zh="休闲服装", brand_en="Shishi apparel", brand_zh="石狮服装",
    )  # fmt: skip
    laser = f.CategoryFactory(slug="laser-equipment", name_en="Laser equipment", name_zh="激光设备")
    cutters = f.CategoryFactory(
        slug="laser-cutters", name_en="Laser cutting machines", name_zh="激光切割机", parent=laser
    )
    apparel = f.CategoryFactory(slug="apparel", name_en="Apparel", name_zh="服装")
    denim = f.CategoryFactory(slug="denim", name_en="Denim", name_zh="牛仔", parent=apparel)

    guanggu = f.SupplierFactory(
        belt=wuhan, slug="guanggu", name_en="Wuhan Guanggu Photonics Co., Ltd.", name_zh="武汉光谷光电科技有限公司",
        certification_level="verified", province="CN-HB",
    )  # fmt: skip
    origin = f.SupplierFactory(
        belt=wuhan, slug="huagong", name_en="Huagong Laser Works", name_zh="华工激光",
        certification_level="certified_origin", province="CN-HB",
    )  # fmt: skip
    audited = f.SupplierFactory(
        belt=shishi, slug="shishi-denim", name_en="Shishi Blue Denim Factory", name_zh="石狮蓝色牛仔厂",
        certification_level="audited_factory", province="CN-FJ",
    )  # fmt: skip
    applicant = f.ApplicantSupplierFactory(belt=wuhan, slug="applicant", name_en="Applicant Laser Trading")

    listings = {
        "fiber": _listing(
            guanggu,
            cutters,
            title_en="Fiber laser cutting machine 3015",
            title_zh="光纤激光切割机3015",
            days_old=1,
            moq=1,
            tiers=[(1, "98000.00"), (5, "91000.00")],
            sample_available=True,
            sample_price=Decimal("500.00"),
            description_en="3 kW source for sheet metal.",
            description_zh="三千瓦光源，适合钣金。",
        ),
        "co2": _listing(
            origin,
            laser,
            title_en="CO2 laser engraving machine",
            title_zh="二氧化碳激光雕刻机",
            days_old=2,
            moq=2,
            tiers=[(2, "12000.00"), (10, "11000.00")],
            description_en="Engraves wood and acrylic; also does light cutting of acrylic.",
            description_zh="雕刻木材与亚克力。",
        ),
        "tube": _listing(
            origin,
            cutters,
            title_en="Tube laser cutter",
            title_zh="激光切管机",
            days_old=3,
            moq=1,
            tiers=[(1, "150000.00")],
            currency="USD",
            description_en="Round and square tubes.",
            description_zh="圆管方管。",
        ),
        "jeans": _listing(
            audited,
            denim,
            title_en="Men's slim denim jeans",
            title_zh="男士修身牛仔裤",
            days_old=4,
            moq=100,
            tiers=[(100, "45.00"), (1000, "38.00")],
            sample_available=True,
            sample_price=Decimal("60.00"),
            description_en="Stretch cotton denim.",
            description_zh="弹力棉牛仔布。",
        ),
        "jacket": _listing(
            audited,
            apparel,
            title_en="Blazer jacket for men",
            title_zh="男士西装外套",
            days_old=5,
            moq=300,
            tiers=[(300, "80.00"), (1000, "70.00")],
            description_en="Wool blend.",
            description_zh="羊毛混纺。",
        ),
    }
    hidden = {
        "draft": _listing(
            guanggu,
            cutters,
            title_en="Secret laser cutting prototype",
            title_zh="秘密原型",
            days_old=0,
            moq=1,
            tiers=[(1, "1.00")],
            status=Listing.Status.DRAFT,
        ),
        "applicant": _listing(
            applicant,
            cutters,
            title_en="Applicant laser cutting machine",
            title_zh="申请者激光切割机",
            days_old=0,
            moq=1,
            tiers=[(1, "2.00")],
        ),
    }
    return {
        "belts": {"wuhan": wuhan, "shishi": shishi},
        "categories": {"laser": laser, "cutters": cutters, "apparel": apparel, "denim": denim},
        "suppliers": {"guanggu": guanggu, "origin": origin, "audited": audited, "applicant": applicant},
        "listings": listings,
        "hidden": hidden,
    }


def ids(listings) -> list[int]:
    return [listing.pk for listing in listings]
