"""Belt and Category move from `catalog` to this app, without losing a row.

The tables are renamed in place (catalog_belt → belts_belt, catalog_category → belts_category):
rows, ids, foreign keys pointing at them and their sequences stay as they are. Their content
types change app label, so permissions and admin log entries keep pointing at them.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("belt", "category")


def move_content_types(apps, schema_editor, *, source="catalog", target="belts"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        # A content type already made for the new label (by a post_migrate run) has nothing
        # pointing at it yet; the old one keeps the permissions and log entries.
        ContentType.objects.using(db).filter(app_label=target, model=model).delete()
        ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="belts", target="catalog")


class Migration(migrations.Migration):
    initial = True

    # Every migration written while the two models were the catalog's runs before the rename.
    dependencies = [
        ("buyers", "0003_team_invitations"),
        ("catalog", "0009_listing_event_restored"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("orders", "0004_rfq_cancel_close"),
        ("suppliers", "0005_supplier_figures"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Belt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                        ('name_en', models.CharField(max_length=120, verbose_name='name (English)')),
                        ('name_zh', models.CharField(max_length=120, verbose_name='name (Chinese)')),
                        ('brand_en', models.CharField(max_length=120, verbose_name='regional brand (English)')),
                        ('brand_zh', models.CharField(max_length=120, verbose_name='regional brand (Chinese)')),
                        ('province', models.CharField(choices=[('CN-AH', 'Anhui'), ('CN-BJ', 'Beijing'), ('CN-CQ', 'Chongqing'), ('CN-FJ', 'Fujian'), ('CN-GS', 'Gansu'), ('CN-GD', 'Guangdong'), ('CN-GX', 'Guangxi Zhuang Autonomous Region'), ('CN-GZ', 'Guizhou'), ('CN-HI', 'Hainan'), ('CN-HE', 'Hebei'), ('CN-HL', 'Heilongjiang'), ('CN-HA', 'Henan'), ('CN-HK', 'Hong Kong SAR'), ('CN-HB', 'Hubei'), ('CN-HN', 'Hunan'), ('CN-NM', 'Inner Mongolia Autonomous Region'), ('CN-JS', 'Jiangsu'), ('CN-JX', 'Jiangxi'), ('CN-JL', 'Jilin'), ('CN-LN', 'Liaoning'), ('CN-MO', 'Macao SAR'), ('CN-NX', 'Ningxia Hui Autonomous Region'), ('CN-QH', 'Qinghai'), ('CN-SN', 'Shaanxi'), ('CN-SD', 'Shandong'), ('CN-SH', 'Shanghai'), ('CN-SX', 'Shanxi'), ('CN-SC', 'Sichuan'), ('CN-TW', 'Taiwan'), ('CN-TJ', 'Tianjin'), ('CN-XJ', 'Xinjiang Uygur Autonomous Region'), ('CN-XZ', 'Xizang (Tibet) Autonomous Region'), ('CN-YN', 'Yunnan'), ('CN-ZJ', 'Zhejiang')], max_length=6, verbose_name='province')),
                        ('city_en', models.CharField(blank=True, max_length=80, verbose_name='city or prefecture (English)')),
                        ('city_zh', models.CharField(blank=True, max_length=80, verbose_name='city or prefecture (Chinese)')),
                        ('industry_en', models.CharField(max_length=120, verbose_name='industry (English)')),
                        ('industry_zh', models.CharField(max_length=120, verbose_name='industry (Chinese)')),
                        ('story_en', models.TextField(blank=True, verbose_name='story (English)')),
                        ('story_zh', models.TextField(blank=True, verbose_name='story (Chinese)')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ],
                    options={
                        'verbose_name': 'belt',
                        'verbose_name_plural': 'belts',
                        'ordering': ('position', 'name_en'),
                    },
                ),
                migrations.CreateModel(
                    name='Category',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                        ('name_en', models.CharField(max_length=120, verbose_name='name (English)')),
                        ('name_zh', models.CharField(max_length=120, verbose_name='name (Chinese)')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='belts.category', verbose_name='parent')),
                    ],
                    options={
                        'verbose_name': 'category',
                        'verbose_name_plural': 'categories',
                        'ordering': ('position', 'name_en'),
                    },
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE catalog_belt RENAME TO belts_belt;"
                    "ALTER TABLE catalog_category RENAME TO belts_category;",
                    reverse_sql="ALTER TABLE belts_belt RENAME TO catalog_belt;"
                    "ALTER TABLE belts_category RENAME TO catalog_category;",
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
