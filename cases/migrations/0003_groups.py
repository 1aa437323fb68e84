"""Create the `trainee` and `curator` groups and give them the case permissions they need."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CASE_PERMS = [
    "add_caseprofile",
    "change_caseprofile",
    "delete_caseprofile",
    "view_caseprofile",
    "view_marker",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = list(
        Permission.objects.filter(content_type__app_label="cases", codename__in=CASE_PERMS)
    )
    for name in ("trainee", "curator"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["trainee", "curator"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_seed_marker_catalogue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, delete_groups)]
