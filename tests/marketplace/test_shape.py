"""Every app has the same shape (STYLE rule 1): a grown module becomes a package by concern
(`views/`, `api/`, `selectors/`, `services/`, `forms/`), no module is over 600 lines, and each test
folder builds its objects in one `factories.py`."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
APPS = ["marketplace", "accounts", "belts", "suppliers", "catalog", "buyers", "orders", "demo"]
MAX_LINES = 600


def _modules():  # type: ignore[no-untyped-def]
    for app in APPS:
        for path in (REPO / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_no_module_in_the_apps_is_over_600_lines():
    long = {str(p.relative_to(REPO)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


@pytest.mark.parametrize("kind", ["views", "api", "selectors", "services", "forms"])
def test_an_app_splits_a_kind_of_module_into_a_package_not_into_siblings(kind):
    siblings = [
        str(p.relative_to(REPO)) for app in APPS for p in (REPO / app).glob(f"{kind}_*.py") if p.name != "api_urls.py"
    ]
    assert siblings == []


def test_each_test_folder_builds_its_objects_in_one_factories_module():
    helpers = [
        str(p.relative_to(REPO))
        for p in (REPO / "tests").rglob("*.py")
        if not p.name.startswith("test_") and re.search(r"(_world|_fixtures|factories_\w+|\w+_factories)\.py$", p.name)
    ]
    assert helpers == []
