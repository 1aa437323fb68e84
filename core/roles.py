"""Who may do what, in one place: each group's model permissions, and the object rules.

`ROLES` is the only declaration of what a group may do. Every `migrate` (and every flush
in the tests) makes the groups hold exactly these permissions (`roles_sync`, run on
post_migrate by core.apps), so a permission given by hand in the admin is taken away
again: change this table instead. API permission classes, views and the admin ask Django
(`user.has_perm`) for model permissions and `object_may_change` for one record.

| group | may |
|---|---|
| trainee | keep their own cases, read everyone's, evaluate, take snapshots, propose in sessions |
| educator | what a trainee may, and run board sessions |
| curator | what a trainee may, write the knowledge base, run sessions, read CDS feedback |
"""

from collections.abc import Iterable

TRAINEE = "trainee"
EDUCATOR = "educator"
CURATOR = "curator"


def _crud(app_label: str, *models: str) -> set[str]:
    actions = ("add", "change", "delete", "view")
    return {f"{app_label}.{action}_{m}" for m in models for action in actions}


CASE_WORK = _crud("cases", "caseprofile") | {
    "cases.view_marker",
    "board.add_evaluationsnapshot",
    "board.view_evaluationsnapshot",
}
SESSION_RUNNING = {"board.add_boardsession", "board.change_boardsession"}
KNOWLEDGE_BASE_WRITING = _crud("rules", "rule", "strategy", "mechanism", "reference") | {
    "rules.add_release",
    "rules.view_release",
}
FEEDBACK_READING = {"board.view_cdsfeedback", "board.view_evaluationsnapshot", "board.view_cdscard"}

ROLES: dict[str, frozenset[str]] = {
    TRAINEE: frozenset(CASE_WORK),
    EDUCATOR: frozenset(CASE_WORK | SESSION_RUNNING),
    CURATOR: frozenset(CASE_WORK | SESSION_RUNNING | KNOWLEDGE_BASE_WRITING | FEEDBACK_READING),
}


def roles_sync(*, Group, Permission) -> None:
    """Make each group in ROLES hold exactly its permissions (models passed in, so a data
    migration's historical models work too). A permission whose model does not exist is
    an error in the table, not something to skip."""
    for name, wanted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        found = _permissions(Permission, wanted)
        missing = wanted - {f"{p.content_type.app_label}.{p.codename}" for p in found}
        if missing:
            raise LookupError(f"ROLES names permissions that do not exist: {sorted(missing)}")
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
