"""Helpers for data migrations that give groups permissions.

Permissions are normally created after `migrate` finishes; these make sure they exist
while the migration runs, then add them to a group.
"""

from django.contrib.auth.management import create_permissions


def group_grant(apps, *, group: str, app_label: str, codenames: list[str]) -> None:
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    target, _ = Group.objects.get_or_create(name=group)
    target.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
