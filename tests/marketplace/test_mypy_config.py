"""mypy checks the modules that hold the rules strictly: a new `selectors_<topic>` or
`services_<topic>` module must be named in the strict override (mypy's module patterns match only
whole names, so `*.selectors_*` would match nothing)."""

import tomllib
from pathlib import Path

from django.conf import settings


def test_every_topic_selectors_and_services_module_is_checked_strictly():
    base = Path(settings.BASE_DIR)
    mypy = tomllib.loads((base / "pyproject.toml").read_text())["tool"]["mypy"]
    strict = next(set(o["module"]) for o in mypy["overrides"] if o.get("disallow_untyped_defs"))
    packages = [base / name for name in mypy["files"]]
    topic_modules = {
        ".".join(path.relative_to(base).with_suffix("").parts)
        for package in packages
        for path in package.rglob("*.py")
        if path.stem.startswith(("selectors_", "services_")) and "migrations" not in path.parts
    }
    assert topic_modules, "expected some selectors_<topic> / services_<topic> modules"
    assert topic_modules <= strict
