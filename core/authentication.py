"""API token authentication: django-rest-knox's (tokens stored as digests, with an idle
expiry moved on by each use, capped at a lifetime: settings.REST_KNOX), reading the token
and its user in one query by digest, at most once a second per worker and token
(core.auth_memory), with the demo's local logins refused unless DEBUG is on (as
core.backends refuses them for passwords and sessions)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox import auth
from knox.crypto import hash_token
from knox.settings import knox_settings
from rest_framework import exceptions

from core.auth_memory import token_user_get_recent
from core.backends import demo_login_refused

# Longer than any token knox issues (a prefix of 10 and 64 hex characters): refused unread.
TOKEN_MAX_LENGTH = 128


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        invalid = exceptions.AuthenticationFailed(_("Invalid token."))
        try:
            text = token.decode()
        except UnicodeDecodeError:
            raise invalid from None
        if not text or len(text) > TOKEN_MAX_LENGTH or "\x00" in text:
            raise invalid
        found = token_user_get_recent(digest=hash_token(text))
        if found is None:
            raise invalid
        user, auth_token = found
        if auth_token.expiry is not None and auth_token.expiry <= timezone.now():
            auth_token.delete()
            raise exceptions.AuthenticationFailed(_("Token expired: issue a new one."))
        if knox_settings.AUTO_REFRESH and auth_token.expiry is not None:
            self.renew_token(auth_token)  # the idle expiry moves on, within the lifetime
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if demo_login_refused(user):
            raise exceptions.AuthenticationFailed("Demo logins work only in a local DEBUG run.")
        return user, auth_token
