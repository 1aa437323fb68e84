"""Let curators read CDS feedback and snapshots. Groups are now kept by core.roles: after every `migrate`, each group
is given exactly the permissions its row of the roles table names (core.apps), so this
migration no longer does anything itself."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("rules", "0004_snapshots_and_cds")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
