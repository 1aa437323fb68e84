"""Curators keep the knowledge base: give the `curator` group its permissions."""

from django.db import migrations

from cases.migration_helpers import group_grant

MODELS = ("rule", "strategy", "mechanism", "reference")


def grant(apps, schema_editor):
    codenames = [
        f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")
    ]
    group_grant(apps, group="curator", app_label="rules", codenames=codenames)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="curator"):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="rules"))


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_load_knowledge_base"), ("cases", "0003_groups")]
    operations = [migrations.RunPython(grant, revoke)]
