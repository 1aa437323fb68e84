"""The `--user NAME` option of management commands: the user it names."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def user_by_username(username: str | None):
    """The user named `username`, None when no name was given; CommandError when none has it."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user named {username}.")
    return user
