"""The belts' regional-brand licences of the demo world (`brand_licences` in world.yaml), granted
through the same service as a belt operator's page, so the marks show on the listings after
`make run`. A supplier that already holds a licence of that kind keeps it: a second seed writes
nothing."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from belts.models import Category
from demo.seed.pictures import brand_licence_picture
from demo.seed.run import Run
from marketplace.filecheck.services import file_check
from suppliers.filechecks import BRAND_LICENCE_CHECK
from suppliers.models import BrandLicence, Supplier
from suppliers.services import brand_licence_grant


def brand_licences_sync(
    run: Run,
    *,
    users: dict[str, User],
    suppliers: dict[str, Supplier],
    categories: dict[str, Category],
    today: datetime.date,
) -> None:
    # Read once for all entries, so a second run costs one query here.
    held = set(BrandLicence.objects.filter(status=BrandLicence.Status.ACTIVE).values_list("supplier__slug", "kind"))
    for entry in run.world.brand_licences:
        supplier = suppliers[entry["supplier"]]
        kind = entry.get("kind", BrandLicence.Kind.REGIONAL_BRAND)
        if (supplier.slug, kind) in held:
            continue
        supplier.refresh_from_db()
        belt = supplier.belt
        assert belt is not None  # a certified supplier has its belt
        mark = entry.get("mark_en") or belt.brand_en
        mark_zh = entry.get("mark_zh") or belt.brand_zh
        scope = [categories[slug] for slug in entry["categories"]]
        until = today + datetime.timedelta(days=int(entry["valid_days"]))
        picture = brand_licence_picture(
            holder_zh=supplier.name_zh, holder_en=supplier.name_en, mark=f"{mark_zh} / {mark}",
            scope=", ".join(c.name_en for c in scope), until=until.isoformat(), grantor=entry["grantor"],
        )  # fmt: skip
        licence = brand_licence_grant(
            supplier=supplier, actor=users[entry["granted_by"]], kind=kind,
            mark_en=entry.get("mark_en", ""), mark_zh=entry.get("mark_zh", ""), categories=scope,
            valid_until=until, document=SimpleUploadedFile("brand-licence.png", picture),
        )  # fmt: skip
        # The check the worker would run, run here: the demo's documents are clean without a worker.
        file_check(kind=BRAND_LICENCE_CHECK, pk=licence.pk)
        run.tally["granted brand licence"] += 1
