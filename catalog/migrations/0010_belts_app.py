"""Belt and Category leave the catalog for `belts` (their tables were renamed in place by belts
0001). Listings and belt figures now point there; the catalog's trigger functions that read the
two tables by name are rewritten for the new names (the triggers themselves follow the tables)."""

import re

import django.db.models.deletion
from django.db import migrations, models

# The catalog's functions that name the two tables (catalog migration 0005).
FUNCTIONS = ("catalog_listing_denormalise()", "catalog_name_words()", "catalog_category_touch_listings()")
RENAMES = {"catalog_belt": "belts_belt", "catalog_category": "belts_category"}


def _rewrite(schema_editor, renames):
    with schema_editor.connection.cursor() as cursor:
        for function in FUNCTIONS:
            cursor.execute("SELECT pg_get_functiondef(%s::regprocedure)", [function])
            (definition,) = cursor.fetchone()
            for old, new in renames.items():
                # Whole names only: catalog_category_touch_listings is a function, not the table.
                definition = re.sub(rf"\b{old}\b", new, definition)
            cursor.execute(definition)


def rename_in_functions(apps, schema_editor):
    _rewrite(schema_editor, RENAMES)


def rename_in_functions_back(apps, schema_editor):
    _rewrite(schema_editor, {new: old for old, new in RENAMES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("belts", "0001_initial"),
        ("catalog", "0009_listing_event_restored"),
        ("orders", "0005_belts_app"),
        ("suppliers", "0006_belts_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="beltfigures",
                    name="belt",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="figures",
                        serialize=False,
                        to="belts.belt",
                        verbose_name="belt",
                    ),
                ),
                migrations.AlterField(
                    model_name="listing",
                    name="belt",
                    field=models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="belts.belt",
                        verbose_name="belt",
                    ),
                ),
                migrations.AlterField(
                    model_name="listing",
                    name="category",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="listings",
                        to="belts.category",
                        verbose_name="category",
                    ),
                ),
                migrations.DeleteModel(name="Category"),
                migrations.DeleteModel(name="Belt"),
            ],
        ),
        migrations.RunPython(rename_in_functions, rename_in_functions_back),
    ]
