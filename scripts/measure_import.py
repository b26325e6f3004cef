"""How many rows a second the listing import writes: a CSV of N new published listings (three price
tiers each) for a certified supplier of the database's catalog, imported by `listing_import_run`
in this process (no worker), timed from start to end of the job.

    DATABASE_URL=… .venv/bin/python scripts/measure_import.py [--rows 2000] [--category laser-cutting-machines]

It writes real listings into the database it is pointed at: use a scratch or scale-test catalog.
"""

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.test")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from belts.models import Category  # noqa: E402
from catalog.imports import listing_import_create, listing_import_run  # noqa: E402
from catalog.imports.columns import COLUMNS  # noqa: E402
from catalog.models import Listing  # noqa: E402
from suppliers.models import Supplier  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--category", default="")
    args = parser.parse_args()
    supplier = next(s for s in Supplier.objects.filter(status="certified").order_by("pk") if s.members.exists())
    member = supplier.members.first()
    category = args.category or Category.objects.filter(parent__isnull=False).order_by("pk").first().slug
    keys = [c.key for c in COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(keys)
    tag = str(int(time.time()))
    for n in range(args.rows):
        cells = dict.fromkeys(keys, "")
        cells.update(
            sku=f"M{tag}-{n}", title_en=f"Fibre laser cutting machine model {n}", title_zh=f"光纤激光切割机 {n}型",
            category=category, description_en="3 kW source for sheet metal, CE marked.", unit="set",
            currency="CNY", moq="1", tier1_qty="1", tier1_price="128000", tier2_qty="5", tier2_price="121000",
            tier3_qty="20", tier3_price="115000", lead_time_days="25",
        )  # fmt: skip
        writer.writerow([cells[k] for k in keys])
    upload = SimpleUploadedFile("measure.csv", out.getvalue().encode(), content_type="text/csv")
    job = listing_import_create(supplier=supplier, actor=member.user, upload=upload)
    before = Listing.objects.count()
    started = time.monotonic()
    job = listing_import_run(import_id=job.pk)
    seconds = time.monotonic() - started
    print(
        f"{args.rows} rows in {seconds:.1f} s = {args.rows / seconds:.0f} rows/s into a catalog of {before:,} "
        f"listings; job {job.status}, {job.created_count} created, {len(job.error_rows)} rows reported"
    )


if __name__ == "__main__":
    main()
