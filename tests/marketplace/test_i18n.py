"""The Simplified Chinese translation is complete, compiled, up to date and actually used.

The catalog lives in marketplace/locale/zh_Hans/LC_MESSAGES/; both django.po and the compiled
django.mo are committed (fresh machines may lack gettext). `make messages` regenerates them.
"""

import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories as f

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"
REGENERATE = (
    "Run `make messages`, translate every new or changed entry in {po}, and commit both django.po and django.mo."
)

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


def _po() -> polib.POFile:
    assert PO_PATH.exists(), f"{PO_PATH} is missing. " + REGENERATE.format(po=PO_PATH)
    return polib.pofile(str(PO_PATH))


def _key(entry: polib._BaseEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or "")


def _translation(entry: polib._BaseEntry) -> str | tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return entry.msgstr


# --- the catalog itself -------------------------------------------------------------------------


def test_po_file_has_a_chinese_header_and_no_untranslated_or_fuzzy_entries():
    """Every msgid has a Chinese msgstr, nothing is fuzzy, and the header says zh_Hans/UTF-8/one plural."""
    po = _po()
    assert po.metadata.get("Language") == "zh_Hans"
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert po.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=1;plural=0;"
    assert not po.metadata_is_fuzzy, "the header is still marked fuzzy"

    entries = [e for e in po if not e.obsolete]
    assert len(entries) > 100, "the catalog is nearly empty: was it generated with makemessages?"
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated entries in {PO_PATH}: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries in {PO_PATH} (check them, then drop the flag): {fuzzy[:20]}"
    # Chinese has one plural form: msgstr[0] must carry it.
    plurals_missing = [e.msgid for e in entries if e.msgid_plural and not e.msgstr_plural.get(0)]
    assert not plurals_missing, f"plural entries without msgstr[0]: {plurals_missing}"


def test_every_translation_keeps_the_placeholders_of_its_msgid():
    """A lost or renamed %(name)s placeholder would raise KeyError or drop data when rendered."""
    broken = []
    for entry in _po():
        if entry.obsolete or not entry.msgid:
            continue
        if entry.msgid_plural:
            expected = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural))
            translations = [s for s in entry.msgstr_plural.values() if s]
        else:
            expected = set(PLACEHOLDER.findall(entry.msgid))
            translations = [entry.msgstr] if entry.msgstr else []
        if expected and "python-format" not in entry.flags:
            broken.append((entry.msgid, "msgid has placeholders but no python-format flag"))
        for translation in translations:
            found = set(PLACEHOLDER.findall(translation))
            if found != expected:
                broken.append((entry.msgid, translation))
    assert not broken, f"placeholders differ between msgid and msgstr: {broken}"


def test_compiled_mo_file_is_in_sync_with_the_po_file():
    """The shipped django.mo holds exactly the translations of django.po (it is what Django reads)."""
    assert MO_PATH.exists(), f"{MO_PATH} is missing. " + REGENERATE.format(po=PO_PATH)
    po_map = {_key(e): _translation(e) for e in _po() if e.msgid and not e.obsolete and e.translated() and not e.fuzzy}
    mo_map = {_key(e): _translation(e) for e in polib.mofile(str(MO_PATH)) if e.msgid}
    stale = sorted(
        (k[1] for k in po_map.keys() | mo_map.keys() if po_map.get(k) != mo_map.get(k)),
        key=str,
    )
    assert not stale, (
        f"django.mo is out of date with django.po for {len(stale)} entries, e.g. {stale[:10]}. "
        "Run `make messages` (or `manage.py compilemessages -l zh_Hans`) and commit django.mo."
    )


def test_po_file_holds_exactly_the_strings_marked_in_the_source(tmp_path):
    """A string marked for translation since the last `make messages` (or one removed) fails here.

    makemessages runs on a copy of the project, so the committed catalog is never touched. It needs
    GNU gettext, which `make test` installs.
    """
    assert shutil.which("xgettext") and shutil.which("msgmerge"), "GNU gettext is needed: `apt-get install gettext`"
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "tests", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"
        ),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test"}
    command = [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans"]
    for pattern in (".venv/*", "var/*", "tests/*"):
        command += ["--ignore", pattern]
    result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr

    regenerated = polib.pofile(str(copy / PO_PATH.relative_to(root)))
    in_source = {_key(e) for e in regenerated if e.msgid and not e.obsolete}
    shipped = {_key(e) for e in _po() if e.msgid and not e.obsolete}
    new = sorted(k[1] for k in in_source - shipped)
    gone = sorted(k[1] for k in shipped - in_source)
    assert not new and not gone, (
        f"the catalog is out of date: new strings {new[:20]}, strings no longer in the source {gone[:20]}. "
        + REGENERATE.format(po=PO_PATH)
    )


# --- the pages, rendered in Chinese --------------------------------------------------------------


class _VisibleText(HTMLParser):
    """Text a reader sees: text nodes plus placeholder/title/aria-label, minus scripts and styles.

    `prose` leaves out <select> options too: country names there come from pycountry.
    """

    ATTRIBUTES = ("placeholder", "title", "aria-label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.all: list[str] = []
        self.prose: list[str] = []
        self._hidden = 0
        self._select = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        elif tag == "select":
            self._select += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.all.append(value)
                self.prose.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden = max(0, self._hidden - 1)
        elif tag == "select":
            self._select = max(0, self._select - 1)

    def handle_data(self, data: str) -> None:
        if self._hidden or not data.strip():
            return
        self.all.append(data.strip())
        if not self._select:
            self.prose.append(data.strip())


def _visible(html: str) -> _VisibleText:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])", text) is not None


# Three or more Latin words in a row: an English sentence or label nobody marked for translation.
ENGLISH_RUN = re.compile(r"[A-Za-z][a-z]+(?:[ ,'’/-]+[A-Za-z][a-z]+){2,}")

# Interface text of the base layout, on every page.
CHROME = ["Belt Marketplace", "Search", "Sign in", "Join as a buyer", "Menu", "certified-origin factories"]

# page → (url from the fixture data, UI phrases its English rendering shows)
PAGES = {
    "home": (
        lambda w: reverse("catalog:home"),
        ["Industrial belts", "Buy directly from the factories", "certified suppliers", "listings",
         "Newest certified listings", "MOQ"],
    ),
    "belt": (
        lambda w: reverse("catalog:belt_detail", args=[w["belt"].slug]),
        ["Belts", "certified suppliers", "Featured certified suppliers", "Newest listings", "since", "employees",
         "MOQ"],
    ),
    "listing": (
        lambda w: reverse("catalog:listing_detail", args=[w["listing"].pk]),
        ["Wholesale prices", "Quantity", "Unit price", "Your quantity", "Show price", "Minimum order",
         "Lead time", "days", "Monthly capacity", "Sample", "Available", "Supplier's SKU", "Description",
         "Supplier", "Certified until", "No picture yet"],
    ),
    "search": (
        lambda w: reverse("catalog:search") + "?q=激光",
        ["listing for", "MOQ"],
    ),
    "search-form": (
        lambda w: reverse("catalog:search"),
        ["Search certified products", "Sort by"],
    ),
    "login": (
        lambda w: reverse("accounts:login"),
        ["Email address", "Password", "Forgot your password?"],
    ),
    "signup": (
        lambda w: reverse("buyers:signup"),
        ["Your name", "Work email", "Company name", "Country", "Business type", "Importer / distributor",
         "Password", "Create account", "Already have an account?"],
    ),
}  # fmt: skip


@pytest.fixture
def world(belt, supplier, category):
    """A belt with a certified supplier and one published listing, every optional field filled."""
    supplier.year_founded = 2008
    supplier.staff_count = 250
    supplier.save()
    listing = f.ListingFactory(
        supplier=supplier,
        category=category,
        sample_available=True,
        sample_price=Decimal("50.00"),
        monthly_capacity=500,
        lead_time_days=20,
    )
    return {"belt": belt, "supplier": supplier, "listing": listing}


def _get(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_page_rendered_in_chinese_shows_no_english_interface_text(client, world, page):
    """The UI phrases the English page shows are all gone from its Chinese rendering.

    Data (belt, supplier and listing names) comes from the *_zh fields, so only interface text
    from templates and Python is checked; each phrase is first confirmed on the English page.
    """
    url_for, phrases = PAGES[page]
    url = url_for(world)

    english_html = _get(client, url, "en")
    english = " | ".join(_visible(english_html).all)
    assert '<html lang="en">' in english_html
    missing = [p for p in CHROME + phrases if not _contains(english, p)]
    assert not missing, f"the English {page} page no longer shows {missing}: update PAGES in this test"

    chinese_html = _get(client, url, "zh-hans")
    assert '<html lang="zh-hans">' in chinese_html
    text = _visible(chinese_html)
    chinese = " | ".join(text.all)
    left = [p for p in CHROME + phrases if _contains(chinese, p)]
    assert not left, f"English left on the Chinese {page} page: {left}"
    runs = ENGLISH_RUN.findall(" | ".join(text.prose))
    assert not runs, f"unmarked English text on the Chinese {page} page: {runs}"
    assert "产业带" in chinese


def test_listing_page_in_chinese_uses_the_b2b_words(client, world):
    """The words buyers know from 1688/Alibaba: 批发价格, 起订量, 交货期, 样品, 供应商."""
    html = _get(client, reverse("catalog:listing_detail", args=[world["listing"].pk]), "zh-hans")
    for word in ("批发价格", "起订量", "交货期", "样品", "供应商", "单价"):
        assert word in html, word


def test_language_switcher_sets_chinese_for_the_next_page(client, db):
    """POST /i18n/setlang/ with language=zh-hans redirects to `next`, and that page is in Chinese."""
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"

    html = client.get(response["Location"]).content.decode()
    assert '<html lang="zh-hans">' in html
    visible = " | ".join(_visible(html).all)
    assert "产业带" in visible  # no belt exists here: this comes from the catalog, not the data
    assert "登录" in visible
    assert not _contains(visible, "Sign in")
    assert not _contains(visible, "Industrial belts")


def test_choice_labels_read_like_get_display_in_the_active_language():
    from django.utils import translation

    from catalog.models import Listing
    from suppliers.models import Supplier

    listing = Listing(unit=Listing.Unit.KILOGRAM, status=Listing.Status.PUBLISHED)
    supplier = Supplier(certification_level="audited_factory", business_type="trading")
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert str(listing.unit_label) == listing.get_unit_display()
            assert str(listing.status_label) == listing.get_status_display()
            assert str(supplier.level_label) == supplier.get_certification_level_display()
            assert str(supplier.business_type_label) == supplier.get_business_type_display()
    with translation.override("zh-hans"):
        assert str(listing.unit_label) == "千克"
    listing.unit = "furlong"  # a value outside the choices shows as it is, like get_FOO_display()
    assert listing.unit_label == "furlong" == listing.get_unit_display()
