"""Curators keep the knowledge base: give the `curator` group its permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("rule", "strategy", "mechanism", "reference")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curator, _ = Group.objects.get_or_create(name="curator")
    codenames = [
        f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")
    ]
    curator.permissions.add(
        *Permission.objects.filter(content_type__app_label="rules", codename__in=codenames)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="curator"):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="rules"))


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_load_knowledge_base"), ("cases", "0003_groups")]
    operations = [migrations.RunPython(grant, revoke)]
