"""Authentication backends: Django's ModelBackend, with a user's permissions in one query,
the signed-in user and their permissions remembered by the worker for a second
(core.auth_memory), and the demo's local logins refused unless DEBUG is on."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from core.auth_memory import permissions_get_recent, user_get_recent


def demo_login_refused(user) -> bool:
    """The demo's printed logins (settings.DEMO_USERNAMES) are for a local `make run`:
    refused everywhere (password, session, token) unless DEBUG is on."""
    return user.get_username() in settings.DEMO_USERNAMES and not settings.DEBUG


class ModelBackendOneQuery(ModelBackend):
    """Django's ModelBackend; a user's own and group permissions are read in one query.

    Every API call checks a model permission on a freshly loaded user, and Django's two
    queries (own, then the groups') were a fifth of a case-list request. The session's user
    and the permissions are read once a second per worker (settings.AUTH_RECHECK_SECONDS):
    with the session, they were three of a web page's five queries and a quarter of its
    CPU.
    """

    def get_user(self, user_id):
        user = user_get_recent(user_id=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        # The demo's logins neither sign in nor keep a session with DEBUG off.
        return not demo_login_refused(user) and super().user_can_authenticate(user)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(permissions_get_recent(user=user_obj, read=_permissions))
        return user_obj._perm_cache


def _permissions(user) -> list[str]:
    names = ("content_type__app_label", "codename")
    permissions = Permission.objects.order_by()  # the default ordering only costs a sort here
    if not user.is_superuser:
        from_groups = Group.permissions.through.objects.filter(group__user=user)
        own = type(user).user_permissions.through.objects.filter(user=user)
        permissions = permissions.filter(
            Q(pk__in=from_groups.values("permission_id")) | Q(pk__in=own.values("permission_id"))
        )
    return [f"{app_label}.{codename}" for app_label, codename in permissions.values_list(*names)]
