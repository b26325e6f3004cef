"""The demo app is the top layer: it may use every domain app, and no domain app imports it
(README, "Architecture"). Read from the source, so a lazy import inside a function counts too."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ("accounts", "belts", "suppliers", "catalog", "buyers", "orders", "analytics", "marketplace")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _domain_sources() -> list[Path]:
    return [path for app in DOMAIN_APPS if (ROOT / app).is_dir() for path in sorted((ROOT / app).rglob("*.py"))]


def test_the_domain_apps_are_there_to_check():
    assert len(_domain_sources()) > 50


@pytest.mark.parametrize("app", [app for app in DOMAIN_APPS if (ROOT / app).is_dir()])
def test_no_domain_app_imports_demo(app):
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((ROOT / app).rglob("*.py"))
        for module in sorted(_imported_modules(path))
        if module == "demo" or module.startswith("demo.")
    ]
    assert offenders == []


def test_the_check_sees_an_import_of_demo(tmp_path):
    source = tmp_path / "services.py"
    source.write_text("def f():\n    from demo.world import demo_world\n    import demo.seed\n")
    assert _imported_modules(source) == {"demo.world", "demo.seed"}


def test_demo_is_the_last_installed_app():
    from django.conf import settings

    assert settings.INSTALLED_APPS[-1] == "demo"
