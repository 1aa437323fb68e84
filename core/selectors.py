"""Reads the core app owns: an API token and its user, in one query."""

import functools

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


def token_user_get(*, key: str):
    """(user, token) for an API token key, or None: the row DRF's
    `Token.objects.select_related("user").get(key=key)` reads, without building that query
    on every request (it cost more than the database did)."""
    sql, user_fields, token_fields, user_converters, token_converters = _token_user_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(user_fields)
    user_values = _values(row[:split], user_converters)
    token_values = _values(row[split:], token_converters)
    user = get_user_model().from_db(connection.alias, user_fields, user_values)
    token = Token.from_db(connection.alias, token_fields, token_values)
    token.user = user
    return user, token
