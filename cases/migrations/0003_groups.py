"""Create the `trainee` and `curator` groups and give them the case permissions they need."""

from django.db import migrations

from cases.migration_helpers import group_grant

CASE_PERMS = [
    "add_caseprofile",
    "change_caseprofile",
    "delete_caseprofile",
    "view_caseprofile",
    "view_marker",
]


def create_groups(apps, schema_editor):
    for name in ("trainee", "curator"):
        group_grant(apps, group=name, app_label="cases", codenames=CASE_PERMS)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["trainee", "curator"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_seed_marker_catalogue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, delete_groups)]
