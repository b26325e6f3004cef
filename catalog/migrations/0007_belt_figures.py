"""Belt figures: a belt's public figures counted by a job (catalog.figures) instead of per page view."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0006_belt_figures_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='BeltFigures',
            fields=[
                ('belt', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='figures', serialize=False, to='catalog.belt', verbose_name='belt')),
                ('certified_suppliers', models.PositiveIntegerField(default=0, verbose_name='certified suppliers')),
                ('listings', models.PositiveIntegerField(default=0, verbose_name='public listings')),
                ('categories', models.PositiveIntegerField(default=0, verbose_name='categories with a public listing')),
                ('top_categories', models.JSONField(default=list, verbose_name='top categories')),
                ('featured_suppliers', models.JSONField(default=list, verbose_name='featured suppliers')),
                ('counted_at', models.DateTimeField(verbose_name='counted at')),
            ],
            options={
                'verbose_name': 'belt figures',
                'verbose_name_plural': 'belt figures',
            },
        ),
    ]
