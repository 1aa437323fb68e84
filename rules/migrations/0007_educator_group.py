"""Educators run training-mode board sessions (and keep cases for them); curators may too."""

from django.db import migrations

from cases.migration_helpers import group_grant

SESSION_PERMS = ["add_boardsession", "change_boardsession"]
CASE_PERMS = [
    "add_caseprofile",
    "change_caseprofile",
    "delete_caseprofile",
    "view_caseprofile",
    "view_marker",
]


def grant(apps, schema_editor):
    for group in ("educator", "curator"):
        group_grant(apps, group=group, app_label="rules", codenames=SESSION_PERMS)
    group_grant(apps, group="educator", app_label="cases", codenames=CASE_PERMS)


def revoke(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="educator").delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0006_board_sessions")]
    operations = [migrations.RunPython(grant, revoke)]
