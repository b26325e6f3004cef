"""SupplierFigures: response rate, median first response, repeat buyers and rating, computed by a job."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('suppliers', '0004_checklist_belts_rerun_event'),
    ]

    operations = [
        migrations.CreateModel(
            name='SupplierFigures',
            fields=[
                ('supplier', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='figures', serialize=False, to='suppliers.supplier')),
                ('inquiries', models.PositiveIntegerField(default=0, verbose_name='inquiries counted')),
                ('inquiry_response_rate', models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, verbose_name='inquiry response rate')),
                ('inquiry_median_minutes', models.PositiveIntegerField(blank=True, null=True, verbose_name='median first response (minutes)')),
                ('rfqs', models.PositiveIntegerField(default=0, verbose_name='RFQs counted')),
                ('rfq_response_rate', models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, verbose_name='RFQ response rate')),
                ('rfq_median_minutes', models.PositiveIntegerField(blank=True, null=True, verbose_name='median time to quote (minutes)')),
                ('buyers', models.PositiveIntegerField(default=0, verbose_name='buyers counted')),
                ('repeat_buyer_rate', models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, verbose_name='repeat-buyer rate')),
                ('ratings', models.PositiveIntegerField(default=0, verbose_name='ratings')),
                ('rating_average', models.DecimalField(blank=True, decimal_places=2, max_digits=3, null=True, verbose_name='average rating')),
                ('computed_at', models.DateTimeField(verbose_name='computed at')),
            ],
            options={
                'verbose_name': 'supplier figures',
                'verbose_name_plural': 'supplier figures',
            },
        ),
    ]
