"""Apps depend downwards (README, "Architecture"): by relation, by ORM metadata and by SQL.

`lint-imports` (in `make test`) checks the imports; these tests check what imports cannot see:
a foreign key pointing up, a lower app's code walking the ORM metadata to a higher app's model,
a lower app's SQL or triggers naming a higher app's tables.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
# Bottom to top: the kernel's apps (the mail outbox "mail", the worker heartbeat "health", the API's
# idempotency keys "idempotency"), then the domain.
LAYERS = ["mail", "health", "idempotency", "accounts", "belts", "suppliers", "catalog", "buyers", "orders", "analytics"]
RANK = {label: i for i, label in enumerate(LAYERS)}


def _our_models():  # type: ignore[no-untyped-def]
    return [model for model in apps.get_models(include_auto_created=True) if model._meta.app_label in RANK]


def _tables_by_app() -> dict[str, set[str]]:
    tables: dict[str, set[str]] = {label: set() for label in LAYERS}
    for model in _our_models():
        tables[model._meta.app_label].add(model._meta.db_table)
    return tables


def _app_sources(label: str) -> list[Path]:
    return [p for p in (REPO / label).rglob("*.py") if "migrations" not in p.parts]


def test_every_relation_points_down_or_sideways():
    up = []
    for model in _our_models():
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or (field.auto_created and not field.concrete):
                continue  # reverse relations are the other model's forward ones
            target = field.related_model
            if target is None or target._meta.app_label not in RANK:
                continue
            if RANK[target._meta.app_label] > RANK[model._meta.app_label]:
                up.append(f"{model._meta.label}.{field.name} -> {target._meta.label}")
    assert up == [], "relations pointing up a layer:\n" + "\n".join(up)


def test_the_relation_test_sees_a_relation_pointing_up():
    # The check above reads every forward relation: catalog.Listing.supplier is one of them.
    listing = apps.get_model("catalog", "Listing")
    field = listing._meta.get_field("supplier")
    assert field.related_model._meta.app_label == "suppliers" and RANK["suppliers"] < RANK["catalog"]


@pytest.mark.parametrize("pattern", [r"\brelated_model\b", r"\bremote_field\b", r"apps\.get_model\b", r"\.through\b"])
def test_no_app_walks_the_orm_metadata(pattern):
    found = []
    for label in [*LAYERS, "demo"]:
        for path in _app_sources(label):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(pattern, line):
                    found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert found == []


def test_no_app_names_a_higher_apps_table_in_its_code():
    tables = _tables_by_app()
    found = []
    for label in LAYERS:
        higher = {t for other in LAYERS[RANK[label] + 1 :] for t in tables[other]}
        if not higher:
            continue
        names = re.compile(r"\b(" + "|".join(sorted(map(re.escape, higher))) + r")\b")
        for path in _app_sources(label):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if match := names.search(line):
                    found.append(f"{path.relative_to(REPO)}:{number}: {match.group(0)}")
    assert found == []


@pytest.mark.django_db
def test_sql_functions_and_triggers_reach_only_down():
    """A function is its app's by its name's prefix (catalog_listing_denormalise); it may read
    its own app's tables and lower ones. A trigger is declared by the app of its function."""
    tables = _tables_by_app()
    owner = {table: label for label, names in tables.items() for table in names}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.prokind = 'f'"
        )
        functions = cursor.fetchall()
        cursor.execute(
            "SELECT c.relname, p.proname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal"
        )
        triggers = cursor.fetchall()
    assert functions and triggers
    words = re.compile(r"\b[a-z_]+\b")
    wrong = []
    for name, source in functions:
        app = name.split("_")[0]
        if app not in RANK:
            continue
        for word in set(words.findall(source)):
            if word in owner and RANK[owner[word]] > RANK[app]:
                wrong.append(f"function {name} reads {word}")
    for table, function in triggers:
        app = function.split("_")[0]
        if table in owner and app in RANK and RANK[owner[table]] > RANK[app]:
            wrong.append(f"{app}'s trigger on {table}")
    assert wrong == []
