"""Writes for accounts: API tokens."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token


def _token_replace(user: AbstractBaseUser) -> str:
    with transaction.atomic():
        users = get_user_model().objects.select_for_update()
        list(users.filter(pk=user.pk).values_list("pk"))  # the lock
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user).key


def api_token_issue(*, user: AbstractBaseUser) -> str:
    """Issue a new API token for `user`, replacing any previous one; returns its key.

    The user's row is locked first, so two issues at once (a double click) run one after
    the other on PostgreSQL; where no lock is taken (SQLite), the loser of the race replaces
    the winner's token in turn. Neither answers 500."""
    try:
        return _token_replace(user)
    except IntegrityError:
        return _token_replace(user)
