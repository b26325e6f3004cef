from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm and unaccent: the catalog's search (misspelt English, Chinese phrases) relies on them."""

    dependencies = [("catalog", "0002_initial")]

    operations = [TrigramExtension(), UnaccentExtension()]
