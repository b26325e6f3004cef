"""An RFQ's belt and category now point at `belts` (tables renamed in place by belts 0001)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("belts", "0001_initial"),
        ("orders", "0004_rfq_cancel_close"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="rfq",
                    name="belt",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="belts.belt",
                        verbose_name="belt",
                    ),
                ),
                migrations.AlterField(
                    model_name="rfq",
                    name="category",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="belts.category",
                        verbose_name="category",
                    ),
                ),
            ],
        ),
    ]
