"""mypy checks the modules that hold the rules strictly: every services, selectors and tasks
module (or package) matches a pattern of the strict override. mypy's stars stand for whole module
names only, so a `selectors_<topic>.py` beside `selectors.py` would silently escape it."""

import re
import tomllib
from pathlib import Path

from django.conf import settings

RULE_MODULES = ("services", "selectors", "tasks")


def _glob(pattern: str) -> re.Pattern[str]:
    # As mypy reads an override's module pattern: a "*" part matches zero or more whole names.
    first, *rest = pattern.split(".")
    regex = ".*" if first == "*" else re.escape(first)
    for part in rest:
        regex += r"(\..*)?" if part == "*" else re.escape("." + part)
    return re.compile(regex + r"\Z")


def test_every_services_selectors_and_tasks_module_is_checked_strictly():
    base = Path(settings.BASE_DIR)
    mypy = tomllib.loads((base / "pyproject.toml").read_text())["tool"]["mypy"]
    strict = next([_glob(p) for p in o["module"]] for o in mypy["overrides"] if o.get("disallow_untyped_defs"))
    rule_modules = [
        ".".join(path.relative_to(base).with_suffix("").parts)
        for package in mypy["files"]
        for path in (base / package).rglob("*.py")
        if "migrations" not in path.parts
        and any(part.startswith(RULE_MODULES) for part in path.relative_to(base).with_suffix("").parts)
    ]
    assert "orders.services.placing" in rule_modules
    loose = [module for module in rule_modules if not any(glob.match(module) for glob in strict)]
    assert loose == []
