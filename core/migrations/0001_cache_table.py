"""The shared cache's table (settings.CACHES), so `migrate` alone readies a fresh machine.

With REDIS_URL set there is no database cache and this does nothing.
"""

from django.core.management import call_command
from django.db import migrations


def cache_table_create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(cache_table_create, migrations.RunPython.noop)]
