"""API token authentication: DRF's, reading the token and its user in one query whose SQL
is built once, at most once a second per worker and key (core.auth_memory), with the demo's
local logins refused unless DEBUG is on (as core.backends refuses them for passwords and
sessions)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from core.auth_memory import token_user_get_recent
from core.backends import demo_login_refused


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        found = token_user_get_recent(key=key) if "\x00" not in key else None
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user, token = found
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if demo_login_refused(user):
            raise exceptions.AuthenticationFailed("Demo logins work only in a local DEBUG run.")
        return user, token
