"""API token authentication: DRF's, with the demo's local logins refused unless DEBUG is on
(as core.backends refuses them for passwords and sessions)."""

from rest_framework import authentication, exceptions

from core.backends import demo_login_refused


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if demo_login_refused(user):
            raise exceptions.AuthenticationFailed("Demo logins work only in a local DEBUG run.")
        return user, token
