# The check-character evidence gets its true name (code_checksum), and a business registry record
# gets a kind of its own (registry_record) and a verification check (registry).

from django.db import migrations, models


def rename_kind(old: str, new: str):
    def run(apps, schema_editor):
        EvidenceItem = apps.get_model("suppliers", "EvidenceItem")
        EvidenceItem.objects.filter(kind=old).update(kind=new)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('suppliers', '0007_badges'),
    ]

    operations = [
        migrations.AlterField(
            model_name='evidenceitem',
            name='kind',
            field=models.CharField(choices=[('code_checksum', 'Credit code check character (format only)'), ('registry_record', 'Business registry record'), ('document', 'Document'), ('checklist_point', 'Audit checklist point'), ('site_visit', 'Site visit'), ('manufacturing', 'Manufacturing confirmed'), ('site_in_region', "Production site in the belt's region")], max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='verificationcheck',
            name='name',
            field=models.CharField(choices=[('uscc', 'Credit code format and check character'), ('licence', 'Business licence document'), ('certificates', 'Certificates are current'), ('region', "Factory inside the belt's region"), ('duplicates', 'Not already on the platform'), ('photos', 'Factory photos are real images'), ('registry', 'Business registry record')], max_length=20, verbose_name='check'),
        ),
        # Every row of the old kind was a check-character calculation: none was a registry lookup.
        migrations.RunPython(rename_kind("registry_check", "code_checksum"), rename_kind("code_checksum", "registry_check")),
    ]
