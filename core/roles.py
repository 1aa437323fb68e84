"""Who may do what: the group names, the sync that gives each group exactly the
permissions the project's roles table (settings.ROLES: config.roles) names, and the
object rule for one record.

API permission classes, views and the admin ask Django (`user.has_perm`) for model
permissions and `object_may_change` for one record.
"""

from collections.abc import Iterable

from django.utils.module_loading import import_string

TRAINEE = "trainee"
EDUCATOR = "educator"
CURATOR = "curator"


def roles_table() -> dict[str, frozenset[str]]:
    """Group name -> "app.codename" permissions, from settings.ROLES."""
    from django.conf import settings

    return import_string(settings.ROLES)


def roles_sync(*, Group, Permission) -> None:
    """Make each group in ROLES hold exactly its permissions (models passed in, so a data
    migration's historical models work too). A permission whose model does not exist is
    an error in the table, not something to skip."""
    for name, wanted in roles_table().items():
        group, _ = Group.objects.get_or_create(name=name)
        found = _permissions(Permission, wanted)
        missing = wanted - {f"{p.content_type.app_label}.{p.codename}" for p in found}
        if missing:
            raise LookupError(
                f"The roles table names permissions that do not exist: {sorted(missing)}"
            )
        group.permissions.set(found)


def _permissions(Permission, names: Iterable[str]) -> list:
    by_app: dict[str, list[str]] = {}
    for name in names:
        app_label, codename = name.split(".", 1)
        by_app.setdefault(app_label, []).append(codename)
    found = []
    for app_label, codenames in by_app.items():
        found += list(
            Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            ).select_related("content_type")
        )
    return found


def object_may_change(user, obj, *, owner_field: str = "created_by") -> bool:
    """Only a record's author, or a superuser, changes or deletes it (cases, sessions)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or getattr(obj, f"{owner_field}_id") == user.pk
