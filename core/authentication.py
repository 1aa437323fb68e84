"""API token authentication: DRF's, with the demo's local logins refused unless DEBUG is on
(as core.backends refuses them for passwords and sessions)."""

from django.conf import settings
from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if user.get_username() in settings.DEMO_USERNAMES and not settings.DEBUG:
            raise exceptions.AuthenticationFailed("Demo logins work only in a local DEBUG run.")
        return user, token
