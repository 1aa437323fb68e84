"""Gave curators the knowledge-base permissions. Groups are now kept by core.roles: after every `migrate`, each group
is given exactly the permissions its row of the roles table names (core.apps), so this
migration no longer does anything itself."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_load_knowledge_base"), ("cases", "0003_groups")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
