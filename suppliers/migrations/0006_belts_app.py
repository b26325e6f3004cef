"""The supplier's belt, main categories, belt operators, invitations and audit checklists now
point at `belts` (the tables were renamed in place by belts 0001: nothing to do in the database)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("belts", "0001_initial"),
        ("suppliers", "0005_supplier_figures"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="beltoperator",
                    name="belt",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="operators", to="belts.belt"
                    ),
                ),
                migrations.AlterField(
                    model_name="invitation",
                    name="belt",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="invitations", to="belts.belt"
                    ),
                ),
                migrations.AlterField(
                    model_name="supplier",
                    name="belt",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="suppliers",
                        to="belts.belt",
                        verbose_name="belt",
                    ),
                ),
                migrations.AlterField(
                    model_name="auditchecklist",
                    name="belts",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="Belts whose factory audits use this checklist.",
                        related_name="audit_checklists",
                        to="belts.belt",
                        verbose_name="belts",
                    ),
                ),
                migrations.AlterField(
                    model_name="supplier",
                    name="main_categories",
                    field=models.ManyToManyField(
                        blank=True, related_name="+", to="belts.category", verbose_name="main categories"
                    ),
                ),
            ],
        ),
    ]
