"""Reads the core app owns: an API token (django-rest-knox's, found by its digest) and its
user, in one query; a signed-in user; a
user's permissions; and a worker's memory of each of those it read in the last second
(settings.AUTH_RECHECK_SECONDS), forgotten at once when this worker changes a token, user,
group or permission (core.apps)."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from knox.models import get_token_model

from core.memory import register, remembered


def _converters(model) -> list[tuple[int, list]]:
    """What the ORM applies to each column it reads (SQLite's datetimes made aware, say)."""
    found = []
    for index, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if converters:
            found.append((index, [(converter, column) for converter in converters]))
    return found


def _values(row: tuple, converters: list[tuple[int, list]]) -> list:
    values = list(row)
    for index, steps in converters:
        for converter, column in steps:
            values[index] = converter(values[index], column, connection)
    return values


@remembered(
    holds="the token-and-user SQL and column converters",
    invalidated="never (the models do not change in a process)",
)
def _token_user_sql() -> tuple[str, list[str], list[str], list, list]:
    user_model = get_user_model()
    Token = get_token_model()
    quote = connection.ops.quote_name
    user_fields = [field.attname for field in user_model._meta.concrete_fields]
    token_fields = [field.attname for field in Token._meta.concrete_fields]
    columns = [f"u.{quote(name)}" for name in user_fields]
    columns += [f"t.{quote(name)}" for name in token_fields]
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(Token._meta.db_table)} t "  # noqa: S608
        f"INNER JOIN {quote(user_model._meta.db_table)} u "
        f"ON t.{quote(Token._meta.get_field('user').column)} "
        f"= u.{quote(user_model._meta.pk.column)} "
        f"WHERE t.{quote(Token._meta.pk.column)} = %s"
    )
    return sql, user_fields, token_fields, _converters(user_model), _converters(Token)


def _token_user_row(digest: str) -> tuple[list, list] | None:
    sql, user_fields, _, user_converters, token_converters = _token_user_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [digest])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(user_fields)
    return _values(row[:split], user_converters), _values(row[split:], token_converters)


def _token_user_build(user_values: list, token_values: list):
    _, user_fields, token_fields, _, _ = _token_user_sql()
    user = get_user_model().from_db(connection.alias, user_fields, list(user_values))
    token = get_token_model().from_db(connection.alias, token_fields, list(token_values))
    token.user = user
    return user, token


def token_user_get(*, digest: str):
    """(user, token) for an API token's digest, or None: the row
    `AuthToken.objects.select_related("user").get(digest=digest)` reads, without building
    that query on every request (it cost more than the database did)."""
    row = _token_user_row(digest)
    return None if row is None else _token_user_build(*row)


# Token digest -> (when read, (user's values, token's values)): the tokens this worker found.
_RECENT_TOKENS: dict[str, tuple[float, tuple[list, list]]] = {}
RECENT_KEPT = 10_000  # entries per memory


def token_user_get_recent(*, digest: str):
    """token_user_get, answered from this worker's memory when it read the same digest less
    than settings.AUTH_RECHECK_SECONDS ago: a client calling many times a second costs one
    query a second, not one per call (the query's round trip cost more than an evaluation).

    Fresh instances every time, so nothing a request caches on them outlives it. Saving or
    deleting a token or a user clears the memory of the worker that did it (core.apps);
    other workers read again within AUTH_RECHECK_SECONDS. Digests not found are not
    remembered: a wrong token costs a query every time, as it did. Only digests are kept,
    never a token in clear.
    """
    row = _recent(_RECENT_TOKENS, digest)
    if row is None:
        row = _token_user_row(digest)
        if row is None:
            _RECENT_TOKENS.pop(digest, None)
            return None
        _remember(_RECENT_TOKENS, digest, row)
    return _token_user_build(*row)


# User id -> (when read, the user's values): the signed-in users this worker found lately.
_RECENT_USERS: dict[int, tuple[float, list]] = {}
# (user id, superuser?) -> (when read, "app.codename" names): their permissions.
_RECENT_PERMISSIONS: dict[tuple[int, bool], tuple[float, frozenset[str]]] = {}


def _recent(memory: dict, key):
    """What `memory` holds for `key` if it was read less than AUTH_RECHECK_SECONDS ago."""
    recent = memory.get(key)
    if recent is not None and time.monotonic() - recent[0] < settings.AUTH_RECHECK_SECONDS:
        return recent[1]
    return None


def _remember(memory: dict, key, value) -> None:
    if len(memory) >= RECENT_KEPT:
        memory.clear()  # a bound, not a policy: they are read again within a second
    memory[key] = (time.monotonic(), value)


def user_get_recent(*, user_id):
    """The active or inactive user with this id (what a session names), or None; from this
    worker's memory when it read them less than AUTH_RECHECK_SECONDS ago. A fresh instance
    every time, as token_user_get_recent gives."""
    model = get_user_model()
    names = [field.attname for field in model._meta.concrete_fields]
    try:
        user_id = model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    values = _recent(_RECENT_USERS, user_id)
    if values is None:
        values = model._default_manager.filter(pk=user_id).values_list(*names).first()
        if values is None:
            return None
        _remember(_RECENT_USERS, user_id, values)
    return model.from_db(connection.alias, names, list(values))


def permissions_get_recent(*, user, read) -> frozenset[str]:
    """A user's permission names, as `read(user)` gives them, from this worker's memory when
    read less than AUTH_RECHECK_SECONDS ago (every model permission check of a request
    asked the database)."""
    key = (user.pk, user.is_superuser)
    names = _recent(_RECENT_PERMISSIONS, key)
    if names is None:
        names = frozenset(read(user))
        _remember(_RECENT_PERMISSIONS, key, names)
    return names


def recent_auth_forget(**signal_arguments) -> None:
    """Forget every token, user and permission set this worker remembers (connected to
    saves and deletes of tokens, users, groups and permissions, and to membership
    changes)."""
    _RECENT_TOKENS.clear()
    _RECENT_USERS.clear()
    _RECENT_PERMISSIONS.clear()


_INVALIDATED = (
    "AUTH_RECHECK_SECONDS after reading; at once in this worker on a change to a token, "
    "user, group, permission or membership (core.apps)"
)
register(
    __name__,
    "_RECENT_TOKENS",
    holds="tokens and their users read lately",
    invalidated=_INVALIDATED,
    forget=_RECENT_TOKENS.clear,
)
register(
    __name__,
    "_RECENT_USERS",
    holds="signed-in users read lately",
    invalidated=_INVALIDATED,
    forget=_RECENT_USERS.clear,
)
register(
    __name__,
    "_RECENT_PERMISSIONS",
    holds="users' permission names read lately",
    invalidated=_INVALIDATED,
    forget=_RECENT_PERMISSIONS.clear,
)
