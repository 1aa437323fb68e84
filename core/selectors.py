"""Reads the core app owns: an API token and its user, in one query, and a worker's memory
of the tokens it read in the last second."""

import functools
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework.authtoken.models import Token


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


@functools.cache
def _token_user_sql() -> tuple[str, list[str], list[str], list, list]:
    user_model = get_user_model()
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


def _token_user_row(key: str) -> tuple[list, list] | None:
    sql, user_fields, _, user_converters, token_converters = _token_user_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(user_fields)
    return _values(row[:split], user_converters), _values(row[split:], token_converters)


def _token_user_build(user_values: list, token_values: list):
    _, user_fields, token_fields, _, _ = _token_user_sql()
    user = get_user_model().from_db(connection.alias, user_fields, list(user_values))
    token = Token.from_db(connection.alias, token_fields, list(token_values))
    token.user = user
    return user, token


def token_user_get(*, key: str):
    """(user, token) for an API token key, or None: the row DRF's
    `Token.objects.select_related("user").get(key=key)` reads, without building that query
    on every request (it cost more than the database did)."""
    row = _token_user_row(key)
    return None if row is None else _token_user_build(*row)


# Token key -> (when read, user's values, token's values): the tokens this worker found lately.
_RECENT_TOKENS: dict[str, tuple[float, list, list]] = {}
RECENT_TOKENS_KEPT = 10_000


def token_user_get_recent(*, key: str):
    """token_user_get, answered from this worker's memory when it read the same key less
    than settings.TOKEN_RECHECK_SECONDS ago: a client calling many times a second costs one
    query a second, not one per call (the query's round trip cost more than an evaluation).

    Fresh instances every time, so nothing a request caches on them (permissions) outlives
    it. Saving or deleting a token or a user clears the memory of the worker that did it
    (core.apps); other workers read again within TOKEN_RECHECK_SECONDS. Keys not found are
    not remembered: a wrong key costs a query every time, as it did.
    """
    now = time.monotonic()
    recent = _RECENT_TOKENS.get(key)
    if recent is not None and now - recent[0] < settings.TOKEN_RECHECK_SECONDS:
        return _token_user_build(recent[1], recent[2])
    row = _token_user_row(key)
    if row is None:
        _RECENT_TOKENS.pop(key, None)
        return None
    if len(_RECENT_TOKENS) >= RECENT_TOKENS_KEPT:
        _RECENT_TOKENS.clear()  # a bound, not a policy: they are read again within a second
    _RECENT_TOKENS[key] = (now, *row)
    return _token_user_build(*row)


def recent_tokens_forget(**signal_arguments) -> None:
    """Forget every token this worker remembers (connected to token and user saves)."""
    _RECENT_TOKENS.clear()
