"""Curators read CDS feedback and evaluation snapshots in the admin."""

from django.db import migrations

from cases.migration_helpers import group_grant


def grant(apps, schema_editor):
    group_grant(
        apps,
        group="curator",
        app_label="rules",
        codenames=["view_cdsfeedback", "view_evaluationsnapshot", "view_cdscard"],
    )


class Migration(migrations.Migration):
    dependencies = [("rules", "0004_snapshots_and_cds")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
