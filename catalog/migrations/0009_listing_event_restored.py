"""ListingEvent kind "restored" (a listing brought back from the archive, on record as such)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0008_spot_stock'),
    ]

    operations = [
        migrations.AlterField(
            model_name='listingevent',
            name='kind',
            field=models.CharField(choices=[('created', 'Created'), ('updated', 'Edited'), ('published', 'Published'), ('unpublished', 'Unpublished'), ('archived', 'Archived'), ('restored', 'Restored from the archive'), ('duplicated', 'Duplicated'), ('imported', 'Imported')], max_length=12, verbose_name='what'),
        ),
    ]
