"""Writes for accounts: the interface language a user prefers, and API tokens
(django-rest-knox's: the database keeps a digest, so a token's text exists only in the
answer that issues it)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from knox.models import get_token_model

from core.models import Preference


def _token_create(user: AbstractBaseUser, *, replace: bool) -> str:
    tokens = get_token_model().objects
    with transaction.atomic():
        users = get_user_model().objects.select_for_update()
        list(users.filter(pk=user.pk).values_list("pk"))  # the lock
        mine = tokens.filter(user=user)
        if replace:
            mine.delete()
        else:
            mine.filter(expiry__lte=timezone.now()).delete()
            keep = settings.API_TOKENS_PER_USER - 1
            oldest = mine.order_by("-created").values_list("digest", flat=True)[keep:]
            tokens.filter(digest__in=list(oldest)).delete()
        return tokens.create(user=user)[1]


def api_token_issue(*, user: AbstractBaseUser, replace: bool = True) -> str:
    """Issue a new API token for `user` and return its text, which is stored only as a
    digest. With `replace`, the user's other tokens die (the account page's "issue a new
    token"); without, they are kept up to settings.API_TOKENS_PER_USER, dropping the
    oldest (a program signing in with a password: each program gets its own).

    The user's row is locked first, so two issues at once (a double click) run one after
    the other on PostgreSQL, and the second replaces the first. Tokens are not unique per
    user, so a race where no lock is taken (SQLite) cannot collide either."""
    return _token_create(user, replace=replace)


def api_tokens_revoke(*, user: AbstractBaseUser) -> int:
    """Delete every API token of `user` (their password changed); returns how many."""
    return get_token_model().objects.filter(user=user).delete()[0]


def preference_language_set(*, user: AbstractBaseUser, language: str) -> None:
    """Remember the interface language `user` chose (a code of settings.LANGUAGES)."""
    Preference.objects.update_or_create(user=user, defaults={"language": language})
