"""The regional-brand mark, as a rule over any sequence of changes (hypothesis).

Steps: a licence granted (regional brand or geographical indication), renewed, its scope narrowed or
widened, revoked; days passing (a licence starts or ends with no write); the holder certified,
downgraded, suspended or its certificate expired. After every step, every place that shows the mark
— the listing pages, the cards on the home, belt, search and supplier pages, the supplier profile,
the listing API (one and the list) — shows exactly what `suppliers.brand.brand_mark` decides from
the facts read afresh. Pages are read by anonymous visitors, so most answers come from the page
cache, warmed before every step.
"""

import contextlib
import datetime
import re
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from catalog.figures import belt_figures_count
from marketplace.exceptions import ApplicationError
from suppliers.brand import HolderFacts, LicenceFacts, brand_mark, holder_is_certified
from suppliers.models import BrandLicence, CertificationLevel, Supplier
from suppliers.services import brand_licence_grant, brand_licence_renew, brand_licence_revoke, supplier_certify
from tests import factories as f

from . import factories as world
from .factories import pdf_upload

pytestmark = pytest.mark.django_db

LICENCE_STEPS = ("grant", "grant_gi", "grant_short", "grant_later", "renew", "narrow", "widen", "revoke", "revoke_gi")
TIME_STEPS = ("next_day", "week_passes")
STEPS = st.lists(
    st.sampled_from([*LICENCE_STEPS, *TIME_STEPS, "certify_verified", "downgrade", "suspend", "expire", "renew_cert"]),
    min_size=1,
    max_size=8,
)
CARD = re.compile(r'data-testid="listing-card" data-listing="(\d+)">(.*?)</article>', re.DOTALL)
MARK = re.compile(r'data-testid="brand-mark"[^>]*>® ([^<]+)<')
PROFILE_MARK = re.compile(r'data-testid="profile-brand-mark"[^>]*>® ([^<]+)<')


def _cards(html: str) -> dict[int, list[str]]:
    return {int(pk): MARK.findall(body) for pk, body in CARD.findall(html)}


def _expected(supplier_id: int, listings: list, today: datetime.date) -> tuple[dict[int, str | None], list[str]]:
    """What the rule decides from the facts in the database now: each listing's mark (English) and
    the profile's marks."""
    supplier = Supplier.objects.get(pk=supplier_id)
    holder = HolderFacts(supplier.status, supplier.certification_level, supplier.certified_until, supplier.belt_id)
    licences = [
        LicenceFacts(
            number=licence.number,
            status=licence.status,
            belt_id=licence.belt_id,
            valid_from=licence.valid_from,
            valid_until=licence.valid_until,
            category_ids=frozenset(c.pk for c in licence.categories.all()),
            mark_en=licence.mark_en,
            mark_zh=licence.mark_zh,
        )
        for licence in BrandLicence.objects.filter(supplier_id=supplier_id).prefetch_related("categories")
    ]
    marks = {}
    for listing in listings:
        mark = brand_mark(holder, licences, category_id=listing.category_id, parent_id=listing.category.parent_id,
                          today=today)  # fmt: skip
        marks[listing.pk] = mark.mark_en if mark else None
    profile = []
    if holder_is_certified(holder, today):
        current = [lic for lic in licences if lic.status == "active" and lic.belt_id == holder.belt_id
                   and lic.valid_from <= today <= lic.valid_until]  # fmt: skip
        profile = [lic.mark_en for lic in sorted(current, key=lambda lic: (-lic.valid_until.toordinal(), lic.number))]
    return marks, profile


def _check_every_place(supplier: Supplier, member, listings: list, today: datetime.date) -> None:
    marks, profile = _expected(supplier.pk, listings, today)
    anonymous, own = Client(), Client()
    own.force_login(member)
    public = Supplier.objects.certified().filter(pk=supplier.pk).exists()
    for listing in listings:
        want = [marks[listing.pk]] if marks[listing.pk] else []
        page = anonymous.get(f"/listings/{listing.pk}/")
        assert page.status_code == (200 if public else 404)
        if public:
            assert MARK.findall(page.content.decode()) == want, ("listing", listing.pk)
            api = anonymous.get(f"/api/v1/listings/{listing.pk}/").json()["brand_mark"]
            assert (api["name_en"] if api else None) == marks[listing.pk], ("api", listing.pk)
        preview = own.get(f"/listings/{listing.pk}/")  # the supplier's own view, public or not
        assert MARK.findall(preview.content.decode()) == want, ("preview", listing.pk)
    if not public:
        assert all(mark is None for mark in marks.values())
        return
    lists = {
        "home": "/",
        "belt": f"/belts/{supplier.belt.slug}/",
        "search": "/search/?q=laser",
        "supplier": f"/suppliers/{supplier.slug}/",
    }
    for name, url in lists.items():
        html = anonymous.get(url).content.decode()
        cards = _cards(html)
        for listing in listings:
            if listing.pk in cards:
                assert cards[listing.pk] == ([marks[listing.pk]] if marks[listing.pk] else []), (name, listing.pk)
        if name in ("belt", "search", "supplier"):
            assert set(cards) >= {listing.pk for listing in listings}, name
        if name == "supplier":
            assert PROFILE_MARK.findall(html) == profile
    results = anonymous.get("/api/v1/listings/", {"page_size": 50}).json()["results"]
    shown = {row["id"]: (row["brand_mark"] or {}).get("name_en") for row in results}
    assert {pk: shown.get(pk) for pk in marks} == marks


def _licence(supplier: Supplier, kind: str) -> BrandLicence | None:
    return BrandLicence.objects.filter(supplier=supplier, kind=kind, status="active").first()


def _step(step: str, supplier: Supplier, operator, staff, scope: dict, today: datetime.date) -> None:
    brand, gi = "regional_brand", "geographical_indication"
    if step in ("grant", "grant_short", "grant_later"):
        start = today + datetime.timedelta(days=2) if step == "grant_later" else today
        days = 1 if step == "grant_short" else 6
        brand_licence_grant(supplier=supplier, actor=operator, categories=[scope["top"]], document=pdf_upload(),
                            valid_from=start, valid_until=start + datetime.timedelta(days=days))  # fmt: skip
    elif step == "grant_gi":
        brand_licence_grant(supplier=supplier, actor=operator, categories=[scope["other"]], document=pdf_upload(),
                            kind=gi, mark_en="Wuhan optics", mark_zh="武汉光谷",
                            valid_until=today + datetime.timedelta(days=3))  # fmt: skip
    elif step in ("renew", "narrow", "widen"):
        licence = _licence(supplier, brand) or _licence(supplier, gi)
        if licence is None:
            return
        categories = {"renew": None, "narrow": [scope["sub"]], "widen": [scope["top"], scope["other"]]}[step]
        brand_licence_renew(licence=licence, actor=operator, valid_until=max(licence.valid_until, today)
                            + datetime.timedelta(days=4), categories=categories)  # fmt: skip
    elif step in ("revoke", "revoke_gi"):
        licence = _licence(supplier, brand if step == "revoke" else gi)
        if licence is not None:
            brand_licence_revoke(licence=licence, actor=operator, reason="Brand rules broken")
    elif step == "renew_cert":
        supplier_certify(supplier=supplier, level=CertificationLevel.VERIFIED, actor=staff)
    else:
        world.certification_step(step, supplier, staff, today)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
@example(steps=["grant", "revoke"])  # revocation drops the mark on the next request
@example(steps=["grant_short", "next_day", "next_day"])  # the last day, then the day after
@example(steps=["grant_later", "next_day", "next_day", "week_passes"])  # starts, then ends
@example(steps=["grant", "suspend", "renew_cert"])  # the certification lapses and comes back
@example(steps=["grant", "expire"])
@example(steps=["grant", "grant_gi", "narrow", "widen", "revoke_gi"])
def test_the_mark_everywhere_is_what_the_rule_decides_from_the_current_facts(belt, staff, category, steps):
    sid = transaction.savepoint_create()
    base = timezone.localdate()
    offset = {"days": 0}
    real_localdate = timezone.localdate

    def localdate(*args, **kwargs):
        if args or kwargs:
            return real_localdate(*args, **kwargs)
        return base + datetime.timedelta(days=offset["days"])

    try:
        with mock.patch.object(timezone, "localdate", localdate):
            operator = f.BeltOperatorFactory(belt=belt).user
            supplier, member = world.application(belt, sites=1)
            supplier_certify(supplier=supplier, level=CertificationLevel.VERIFIED, actor=staff)
            other = f.CategoryFactory(slug="laser-optics", name_en="Laser optics")
            sub = f.CategoryFactory(slug="fibre-cutters", name_en="Fibre laser cutters", parent=category)
            scope = {"top": category, "sub": sub, "other": other}
            listings = [
                f.ListingFactory(supplier=supplier, category=cat, title_en=f"Laser {cat.slug}")
                for cat in (category, sub, other)
            ]
            belt_figures_count()
            for step in steps:
                supplier.refresh_from_db()
                _check_every_place(supplier, member, listings, timezone.localdate())
                if step in TIME_STEPS:
                    offset["days"] += 1 if step == "next_day" else 7
                    continue
                # A refused change changes nothing; the marks must still be true.
                with contextlib.suppress(ApplicationError):
                    _step(step, supplier, operator, staff, scope, timezone.localdate())
            supplier.refresh_from_db()
            _check_every_place(supplier, member, listings, timezone.localdate())
    finally:
        transaction.savepoint_rollback(sid)
