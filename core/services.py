"""Writes for accounts: API tokens."""

from django.contrib.auth.models import AbstractBaseUser
from rest_framework.authtoken.models import Token


def api_token_issue(*, user: AbstractBaseUser) -> str:
    """Issue a new API token for `user`, replacing any previous one; returns its key."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key
