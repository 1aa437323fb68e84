"""Stored cases as a table of text cells (the layout cases.tabular.frame_clean reads),
straight from the database: what the cohort dashboard reads for every stored case.

Building a model instance per case and a dict per profile took over a minute for a million
cases. On PostgreSQL one COPY writes the cells as CSV (therapies joined with ";", booleans
as true/false, one column per catalogue marker, blank where untested) and pandas reads it
into categorical columns, so each distinct cell is checked once later. Elsewhere (SQLite)
the rows come from one values_list query, without model instances.
"""

import io
import json

import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from cases.contract import PROFILE_FIELDS
from cases.tabular import LIST_SEPARATOR, frame_from_profiles

# The profile's columns the table holds: notes are left out unless asked for (their screen
# is per distinct note, and no count reads them).
COLUMNS = [name for name in PROFILE_FIELDS if name != "markers"]


def _cell_sql(name: str) -> str:
    column = "c." + connection.ops.quote_name(name)
    kind = PROFILE_FIELDS[name].kind
    if kind == "choices":  # JSON text: a few distinct lists, joined once each in pandas
        return f"{column}::text"
    if kind == "bool":
        return f"CASE WHEN {column} THEN 'true' ELSE 'false' END"
    return column


# With `keys`, each row also says which case and which version of it (not profile cells).
KEY_COLUMNS = ("id", "version")


def cases_table_read(
    *, queryset: QuerySet, marker_codes: list[str], notes: bool = False, keys: bool = False
) -> pd.DataFrame:
    """The cases of `queryset` as text cells, one column per field and catalogue marker
    (first the case's id and version, as numbers, with `keys`)."""
    columns = [name for name in COLUMNS if notes or name != "notes"]
    if connection.vendor != "postgresql":
        return _table_from_values(queryset, columns, marker_codes, keys)
    return _table_from_copy(queryset, columns, marker_codes, keys)


def _table_from_values(queryset, columns, marker_codes, keys) -> pd.DataFrame:
    """The stock path (SQLite; benchmarks/departures_bench.py times COPY against it): a
    dict per case, made into the frame."""
    rows = queryset.order_by().values_list(*KEY_COLUMNS, *columns, "markers")
    profiles = [dict(zip([*KEY_COLUMNS, *columns, "markers"], row, strict=True)) for row in rows]
    for profile in profiles:
        profile.setdefault("notes", "")
    frame = frame_from_profiles(profiles, marker_codes=marker_codes)[[*columns, *marker_codes]]
    if keys:
        for position, name in enumerate(KEY_COLUMNS):
            values = [profile[name] for profile in profiles]
            frame.insert(position, name, pd.array(values, dtype="int64"))
    return frame


def _table_from_copy(queryset, columns, marker_codes, keys) -> pd.DataFrame:
    """One COPY of text cells, read by pandas as categories (PostgreSQL)."""
    quote = connection.ops.quote_name
    cells = [f"c.{quote(name)} AS {quote(name)}" for name in KEY_COLUMNS if keys]
    cells += [f"{_cell_sql(name)} AS {quote(name)}" for name in columns]
    cells += [f"c.markers ->> %s AS {quote(code)}" for code in marker_codes]
    try:
        ids, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing: no rows, the same columns
        names = [*(KEY_COLUMNS if keys else ()), *columns, *marker_codes]
        return pd.DataFrame({name: pd.Series(dtype="category") for name in names})
    table = quote(queryset.model._meta.db_table)
    sql = (
        f"COPY (SELECT {', '.join(cells)} FROM {table} c "  # noqa: S608 - names are quoted
        f"WHERE c.id IN ({ids})) TO STDOUT WITH (FORMAT csv, HEADER true)"
    )
    buffer = io.BytesIO()
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(sql, [*marker_codes, *params]) as copy,
    ):
        for chunk in copy:
            buffer.write(chunk)
    buffer.seek(0)
    frame = pd.read_csv(
        buffer,
        dtype={
            **{name: "int64" for name in KEY_COLUMNS if keys},
            **{name: "category" for name in [*columns, *marker_codes]},
        },
        keep_default_na=False,
        na_filter=False,
    )
    for name in columns:
        if PROFILE_FIELDS[name].kind == "choices":
            frame[name] = frame[name].cat.rename_categories(
                lambda text: LIST_SEPARATOR.join(json.loads(text))
            )
    return frame
