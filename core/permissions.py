"""API permission classes shared by the apps (the roles themselves live in core.roles)."""

from rest_framework import permissions


class ModelPermissionsByMethod(permissions.BasePermission):
    """The Django model permissions a view names per HTTP method, in `required_perms`
    (a method not named needs what GET needs). Put IsAuthenticated before it, so that
    anonymous calls answer 401 rather than 403."""

    def has_permission(self, request, view) -> bool:
        required = view.required_perms
        needed = required.get(request.method, required.get("GET", []))
        return bool(request.user and request.user.has_perms(needed))
