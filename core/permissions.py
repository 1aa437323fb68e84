"""API permission classes shared by the apps (the roles themselves live in core.roles)."""

from django.conf import settings
from rest_framework import permissions


class IsMember(permissions.IsAuthenticated):
    """Signed in, and in a group (settings.MEMBER_PERMISSION, which every group holds): a
    user in no group gets nothing from the API (security review 2, L10)."""

    message = (
        "Your account is in no group (trainee, educator or curator): ask an administrator "
        "to add you to one."
    )

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.user.has_perm(
            settings.MEMBER_PERMISSION
        )


class ModelPermissionsByMethod(permissions.BasePermission):
    """The Django model permissions a view names per HTTP method, in `required_perms`
    (a method not named needs what GET needs). Put IsAuthenticated before it, so that
    anonymous calls answer 401 rather than 403."""

    def has_permission(self, request, view) -> bool:
        required = view.required_perms
        needed = required.get(request.method, required.get("GET", []))
        return bool(request.user and request.user.has_perms(needed))
