"""Curators read CDS feedback and evaluation snapshots in the admin."""

from django.db import migrations


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curator, _ = Group.objects.get_or_create(name="curator")
    curator.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="rules",
            codename__in=["view_cdsfeedback", "view_evaluationsnapshot", "view_cdscard"],
        )
    )


class Migration(migrations.Migration):
    dependencies = [("rules", "0004_snapshots_and_cds")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
