"""Queries asked on every page, with their SQL compiled once per database.

Building and compiling a queryset cost Django more than running it (0.5 ms of CPU for a
one-row lookup by code; PostgreSQL answered in a tenth of that). `raw_compiled(build,
**values)` compiles `build(**stand_ins)` once per database and parameter types, with a
stand-in for each value that no real value takes, and on each call runs that SQL through
`raw()` with the stand-ins swapped for the values. The rows are the queryset's, as model
instances with its annotations; `select_related` does not survive `raw()`, so a build
annotates what it needs from a related row instead.
"""

from collections.abc import Callable

from django.db import connection
from django.db.models import QuerySet
from django.db.models.query import RawQuerySet

from core.memory import remembered


def _stand_in(position: int, kind: type):
    # Keys are never negative, and no code or text of ours holds these characters.
    if kind is int:
        return -7_000_000_001 - position
    if kind is str:
        return f"\x1bstand-in-{position}\x1b"
    raise TypeError(f"raw_compiled takes int and str values, not {kind.__name__}")


@remembered(
    holds="each query's compiled SQL, per build, database and value types",
    invalidated="never (the builds are code)",
)
def _compiled(build: Callable[..., QuerySet], alias: str, vendor: str, signature: tuple):
    stand_ins = {name: _stand_in(at, kind) for at, (name, kind) in enumerate(signature)}
    queryset = build(**stand_ins)
    sql, params = queryset.query.sql_with_params()
    for name, stand_in in stand_ins.items():
        if stand_in not in params:  # changed on the way (a LIKE pattern, say): not swappable
            raise ValueError(f"{name!r} is not a plain parameter of the compiled query")
    return queryset.model, sql, params, stand_ins


def raw_compiled(build: Callable[..., QuerySet], **values: int | str) -> RawQuerySet:
    """The rows of `build(**values)`, from SQL compiled once (see the module)."""
    signature = tuple((name, type(value)) for name, value in sorted(values.items()))
    model, sql, params, stand_ins = _compiled(build, connection.alias, connection.vendor, signature)
    swap = {stand_in: values[name] for name, stand_in in stand_ins.items()}
    bound = [swap.get(p, p) if isinstance(p, int | str) else p for p in params]
    return model.objects.raw(sql, bound)
