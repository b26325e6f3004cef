"""A supplier, in a real browser, imports listings from a CSV file with some bad rows: the file is
queued, a real Celery worker imports it while the progress bar moves (htmx polling), and the page
ends with the summary and the row report (screenshots in var/screenshots/)."""

import re
import time

import pytest

from catalog.models import Listing, ListingImport
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory
GOOD_ROWS = 1200


def listings_csv() -> bytes:
    lines = ["货号,英文标题,中文标题,类目,起订量,阶梯1数量,阶梯1单价,阶梯2数量,阶梯2单价,状态"]
    for n in range(1, GOOD_ROWS + 1):
        lines.append(
            f"LC-{n:04d},Fiber laser cutter {n},光纤激光切割机 {n}型,laser-cutters,1,1,{128000 + n},5,121000,发布"
        )
        if n == 3:
            lines.append("LC-BAD-1,Engraver,激光打标机,laser-cutters,十台,1,32000,,,草稿")  # row 5
        if n == 7:
            lines.append("LC-BAD-2,Welder,激光焊接机,spaceships,1,1,56000,5,58000,草稿")  # row 10
        if n == 12:
            lines.append(",No SKU,无货号,laser-cutters,1,1,100,,,草稿")  # row 16
    return ("\n".join(lines) + "\n").encode("gbk")


@pytest.fixture
def worker_env() -> dict[str, str]:
    """Small batches, so that the import takes several steps the progress bar can show."""
    return {"LISTING_IMPORT_BATCH_SIZE": "25"}


@pytest.fixture
def wuhan_supplier():
    belt = f.BeltFactory(slug="wuhan-laser", name_en="Wuhan Optics Valley laser belt", name_zh="武汉光谷激光产业带")
    f.CategoryFactory(slug="laser-cutters", name_en="Laser cutting machines", name_zh="激光切割机")
    supplier = f.SupplierFactory(
        belt=belt, name_en="Wuhan Guanggu Photonics Co., Ltd.", name_zh="武汉光谷光电科技有限公司"
    )
    return f.SupplierMemberFactory(supplier=supplier, user__email="sales@guanggu-photonics.test").user


def test_supplier_imports_a_csv_watches_progress_and_reads_the_row_report(
    live_server, page, screenshot, worker, wuhan_supplier
):
    process, log = worker
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "sales@guanggu-photonics.test")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/"))

    page.goto(live_server.url + "/dashboard/listings/import/")
    assert page.get_by_test_id("column-help").is_visible()
    screenshot("import-upload")

    page.set_input_files(
        "input[name=file]", files=[{"name": "产品清单.csv", "mimeType": "text/csv", "buffer": listings_csv()}]
    )
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_url(re.compile(r"/dashboard/listings/import/\d+/$"))
    job_box = page.get_by_test_id("import-job")
    progress = page.get_by_test_id("import-progress")

    # Watch the bar: htmx swaps the fragment every second until the job is done.
    seen: list[int] = []
    shot_mid_way = False
    deadline = time.monotonic() + 120
    while job_box.get_attribute("data-status") not in ("done", "failed"):
        assert time.monotonic() < deadline, "the import did not finish in 120 s:\n" + log.read_text()
        assert process.poll() is None, log.read_text()
        value = int(progress.get_attribute("aria-valuenow") or 0)
        if not seen or seen[-1] != value:
            seen.append(value)
        if 0 < value < 100 and not shot_mid_way:
            screenshot("import-progress")
            shot_mid_way = True
        page.wait_for_timeout(200)
    assert job_box.get_attribute("data-status") == "done", page.get_by_test_id("import-failure").inner_text()
    assert any(0 < value < 100 for value in seen), f"the bar never showed progress: {seen}"
    assert seen == sorted(seen)  # it only moves forward

    assert progress.get_attribute("aria-valuenow") == "100"
    assert page.get_by_test_id("created-count").inner_text() == f"{GOOD_ROWS:,}"
    assert page.get_by_test_id("rejected-count").inner_text() == "3"
    rows = page.get_by_test_id("import-report").locator("tbody tr")
    assert [rows.nth(i).get_attribute("data-line") for i in range(rows.count())] == ["5", "10", "16"]
    report = page.get_by_test_id("import-report").inner_text()
    assert "起订量: “十台” is not a whole number." in report
    assert "类目: there is no category “spaceships”" in report
    assert "货号: the SKU is missing" in report
    screenshot("import-report")

    job = ListingImport.objects.get()
    assert (job.created_count, job.processed_rows) == (GOOD_ROWS, GOOD_ROWS + 3)
    assert Listing.objects.filter(status="published", is_public=True).count() == GOOD_ROWS

    page.get_by_role("link", name="Import listings").click()
    page.wait_for_url(re.compile(r"/dashboard/listings/import/$"))
    assert "产品清单.csv" in page.get_by_test_id("import-list").inner_text()
    screenshot("import-list")
