"""Storing many imported cases at once, with their history rows.

On PostgreSQL the cases and their history rows ("+" records, as simple-history makes
them) are written with COPY, column by column from the clean table: no model instance or
profile dict per row. Ids come from the table's sequence in one query, and case codes are
checked against the stored ones in one query. Elsewhere (SQLite) the same rows go through
simple-history's bulk_create_with_history. Both paths store the same values (tested).
"""

from collections.abc import Sequence
from typing import Any

import numpy as np
import orjson
import pandas as pd
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.contract import PROFILE_FIELDS
from cases.her2 import her2_status_derive
from cases.models import CaseProfile
from cases.tabular import MARKER_COLUMN, cell_plain

BATCH = 1000


def _plain_column(series: pd.Series) -> tuple[list[Any], np.ndarray]:
    """A column's values as the contract's plain Python (cell_plain), and which are text;
    a categorical column's distinct values are converted once, not once per row."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        plain = [cell_plain(value) for value in series.cat.categories]
        lookup = np.array([*plain, None], dtype=object)  # code -1 (missing) is the last
        texts = np.array([isinstance(value, str) for value in lookup], dtype=bool)
        codes = series.cat.codes.to_numpy()
        return lookup[codes].tolist(), texts[codes]
    values = [cell_plain(value) for value in series]
    return values, np.array([isinstance(value, str) for value in values], dtype=bool)


def profile_columns(clean: pd.DataFrame) -> dict[str, list[Any]]:
    """The clean table as one list per profile field (markers as dicts), plus her2_status."""
    columns: dict[str, list[Any]] = {
        name: _plain_column(clean[name])[0] for name in PROFILE_FIELDS if name != "markers"
    }
    columns["markers"] = markers = [{} for _ in range(len(clean))]
    # Column by column, in code order: each row's dict holds its tested markers only.
    for column in sorted(c for c in clean.columns if c.startswith(MARKER_COLUMN)):
        code = column.removeprefix(MARKER_COLUMN)
        values, texts = _plain_column(clean[column])
        for row in np.flatnonzero(texts).tolist():
            markers[row][code] = values[row]
    statuses: dict[tuple, str] = {}
    columns["her2_status"] = [
        statuses.get(pair)
        or statuses.setdefault(pair, her2_status_derive(ihc=pair[0], ish=pair[1]))
        for pair in zip(columns["her2_ihc"], columns["her2_ish"], strict=True)
    ]
    return columns


def cases_store(
    *,
    columns: dict[str, list[Any]],
    codes: Sequence[str],
    user: AbstractBaseUser | None,
    reason: str,
) -> int:
    """Store the cases these columns describe, and a "+" history row for each; returns
    how many. Call inside a transaction."""
    if not codes:
        return 0
    if connection.vendor == "postgresql":
        return _copy(columns, codes, user, reason)
    return _bulk_create(columns, codes, user, reason)


def _bulk_create(columns, codes, user, reason) -> int:
    """The stock path (SQLite; benchmarks/departures_bench.py times COPY against it)."""
    cases = []
    for index, code in enumerate(codes):
        case = CaseProfile(code=code, created_by=user)
        for name, values in columns.items():
            setattr(case, name, values[index])
        cases.append(case)
    bulk_create_with_history(
        cases, CaseProfile, batch_size=BATCH, default_user=user, default_change_reason=reason
    )
    return len(codes)


def _json_texts(values: list) -> list[str]:
    """Each value as JSON text, written once per distinct value (a table's markers and
    prior therapies repeat): COPY's text format hands it to jsonb as it would a Jsonb."""
    texts: dict[Any, str] = {}
    written = []
    for value in values:
        key = (dict, *value.items()) if isinstance(value, dict) else (list, *value)
        text = texts.get(key)
        if text is None:
            text = texts[key] = orjson.dumps(value).decode()
        written.append(text)
    return written


def _copy(columns, codes, user, reason) -> int:
    from psycopg import sql

    count = len(codes)
    now = timezone.now()
    table = CaseProfile._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        ids = [row[0] for row in cursor.fetchall()]
    json_fields = {
        field.attname
        for field in CaseProfile._meta.concrete_fields
        if field.get_internal_type() == "JSONField"
    }
    given = {
        **{name: _json_texts(v) if name in json_fields else v for name, v in columns.items()},
        "id": ids,
        "code": list(codes),
        "created_by_id": [getattr(user, "pk", None)] * count,
        "created_at": [now] * count,
        "updated_at": [now] * count,
    }
    history = {
        "history_date": [now] * count,
        "history_change_reason": [reason] * count,
        "history_type": ["+"] * count,
        "history_user_id": [getattr(user, "pk", None)] * count,
    }

    def rows_of(model, values: dict[str, list]) -> tuple[list[str], list[list]]:
        names, data = [], []
        for field in model._meta.concrete_fields:
            if field.primary_key and field.attname not in values:
                continue  # history_id: the table's own sequence
            column = values.get(field.attname)
            if column is None:
                column = [field.get_default()] * count
                if field.attname in json_fields:
                    column = _json_texts(column)
            names.append(field.column)
            data.append(column)
        return names, data

    for model, values in (
        (CaseProfile, given),
        (CaseProfile.history.model, {**given, **history}),
    ):
        names, data = rows_of(model, values)
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, names))
        )
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in zip(*data, strict=True):
                copy.write_row(row)
    return count


def codes_unused(count: int, generate) -> list[str]:
    """`count` new case codes that no stored case has (checked in one query per round)."""
    from cases.models import CaseProfile

    codes: set[str] = set()
    while len(codes) < count:
        batch = {generate() for _ in range(count - len(codes))} - codes
        if connection.vendor == "postgresql":
            import psycopg

            # One array parameter bound on the server: no per-code quoting in Python.
            with psycopg.Cursor(connection.connection) as cursor:
                cursor.execute(
                    f"SELECT code FROM {CaseProfile._meta.db_table} WHERE code = ANY(%s)",  # noqa: S608 - the model's own table
                    [list(batch)],
                )
                taken = {row[0] for row in cursor.fetchall()}
        else:
            taken = set(CaseProfile.objects.filter(code__in=batch).values_list("code", flat=True))
        codes |= batch - taken
    return list(codes)


def cases_bulk_import(
    *, clean: pd.DataFrame, user: AbstractBaseUser | None, reason: str, generate
) -> int:
    """Store every row of a clean table, with history, in one transaction."""
    columns = profile_columns(clean)
    with transaction.atomic():
        codes = codes_unused(len(clean), generate)
        return cases_store(columns=columns, codes=codes, user=user, reason=reason)
