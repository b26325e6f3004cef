"""Playwright driving Debian's Chromium (`make test` installs it when missing).

Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one
unless told it is safe, which it is here: the test thread only reads and writes between steps.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.axe import AxeLog, CheckedBrowser, check_after_navigations
from tests.demoworld import seed_demo_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
FACTORY_PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's and the staff fixture's
AXE_LOG = AxeLog()
check_after_navigations(AXE_LOG)


@pytest.fixture
def demo_world(filesystem_broker):
    """The demo world on committed rows, for the live server (tests/demoworld.py: seeded once per
    process, restored from its snapshot after). Thumbnail jobs the seed queues go to a private
    folder that no worker reads."""
    seed_demo_world()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "Debian's chromium is needed: `apt-get install -y chromium` (make test does it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield CheckedBrowser(browser, AXE_LOG)
        browser.close()


@pytest.fixture(autouse=True)
def accessible_pages(request):
    """Fails a browser test when axe finds a serious or critical violation on a page it visited."""
    AXE_LOG.reset()
    yield AXE_LOG
    if "browser" not in request.fixturenames:
        return
    AXE_LOG.settle()
    failures = AXE_LOG.failures()
    AXE_LOG.reset()
    assert not failures, f"axe-core found serious or critical accessibility violations:\n{failures}"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    AXE_LOG.settle()
    context.close()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page, base: str, email: str, password: str = FACTORY_PASSWORD) -> None:
    """Signs `email` in on the login form and waits for the dashboard it lands on."""
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def staff_sign_in(page, base: str, email: str, password: str = FACTORY_PASSWORD) -> None:
    """Signs staff in on the admin's login form and waits for the admin's index."""
    page.goto(base + "/admin/login/?next=/admin/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def evidence_photo(tmp_path, name: str = "cracked-housing.png") -> str:
    """A small red PNG to upload as a dispute's evidence; its path."""
    import io

    from PIL import Image

    path = tmp_path / name
    out = io.BytesIO()
    Image.new("RGB", (320, 240), "#c0392b").save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return str(path)
