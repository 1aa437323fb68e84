"""Stored evaluations: what the cohort dashboard counts of each stored case, kept per case
and per knowledge base, so a dashboard over a million cases is a few aggregate queries.

A row (board.models.StoredEvaluation) says which rules fired for one version of a case
(bit i: the i-th rule of the knowledge base, by slug) and which catalogue markers it was
tested for (bit j: the j-th code), under a `basis` naming the knowledge base and marker
catalogue the bits refer to.

A row is current only while both its basis and its case version are. Before counting,
the dashboard brings the rows up to date: every case written since the last time (cases'
history ids above a mark kept in the database beside the rows,
board.models.StoredEvaluationMark, so a restored or rebuilt database never trusts a mark
made for other contents), or, without a mark, every case whose row is missing or stale.
Publishing a release rebuilds them all once it is committed (board.apps). Then, on
PostgreSQL, one query reads the rows as a single value (fixed-width records), numpy
arrays over it, and bit operations count them (a million rows in under a second; a bytea
holds at most 1 GB, about 59 million rows); elsewhere a few ORM aggregates do.

The counts equal those of board.cohort.cohort_dashboard over the same cases (a test
compares). Knowledge bases with more than 63 rules or markers have no basis: their
dashboards count directly.
"""

import hashlib
import json
from collections import Counter
from typing import Any

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, QuerySet, Sum

from board.cohort import cohort_evaluate, dashboard_from_counts
from board.models import StoredEvaluation, StoredEvaluationMark
from cases.choices import Her2Status
from cases.models import CaseProfile
from cases.table_db import KEY_COLUMNS, cases_table_read
from cases.tabular import MARKER_COLUMN, frame_clean
from rules import engine
from rules import knowledge_base as kb_module
from rules.knowledge_base import KnowledgeBase

# At most this many cases are (re)evaluated within a request or a release's commit (a few
# seconds); past it, counting goes direct until `manage.py stored_evaluations_rebuild`
# has run (after a bulk import, or a release, of a large store).
REFRESH_IN_REQUEST = 100_000
WRITE_BATCH = 20_000


def stored_basis(*, knowledge_base: KnowledgeBase) -> str | None:
    """What the bits of a stored row refer to: the rules (their content, by slug) and the
    marker catalogue. None when either has more entries than a row has bits."""
    slugs = _rule_slugs(knowledge_base)
    scales = sorted((code, list(scale)) for code, scale in knowledge_base.marker_scales.items())
    most = kb_module.STORED_EVALUATION_MOST  # a signed 64-bit column; curators are told past it
    if len(slugs) > most or len(scales) > most:
        return None
    content = json.dumps([knowledge_base.version, slugs, scales])
    return hashlib.sha256(content.encode()).hexdigest()[:32]


def _stale(queryset: QuerySet, basis: str) -> QuerySet:
    current = StoredEvaluation.objects.filter(
        case=OuterRef("pk"), basis=basis, case_version=OuterRef("version")
    )
    return queryset.order_by().filter(~Exists(current))


def stored_evaluations_refresh(*, queryset: QuerySet, knowledge_base: KnowledgeBase) -> int:
    """Evaluate every case of `queryset` whose stored row is missing or stale, and store
    the rows; returns how many. Reads them in one pass (cases.table_db)."""
    basis = stored_basis(knowledge_base=knowledge_base)
    if basis is None:
        return 0
    codes = sorted(knowledge_base.marker_scales)
    frame = cases_table_read(queryset=_stale(queryset, basis), marker_codes=codes, keys=True)
    if frame.empty:
        return 0
    keys = frame[list(KEY_COLUMNS)].to_numpy(dtype=np.int64)
    clean, _ = frame_clean(
        frame.drop(columns=list(KEY_COLUMNS)), marker_scales=knowledge_base.marker_scales
    )
    result = cohort_evaluate(clean, knowledge_base=knowledge_base)
    rule_bits = _rule_bits(result, knowledge_base)
    marker_bits = np.zeros(len(clean), dtype=np.int64)
    for position, code in enumerate(codes):
        column = MARKER_COLUMN + code
        if column in clean.columns:
            marker_bits |= clean[column].notna().to_numpy(dtype=np.int64) << position
    rows = zip(
        keys[:, 0].tolist(),
        keys[:, 1].tolist(),
        result["her2_status"].astype(str).tolist(),
        rule_bits.tolist(),
        marker_bits.tolist(),
        strict=True,
    )
    _write(basis, rows)
    return len(keys)


def _rule_bits(result, knowledge_base: KnowledgeBase) -> np.ndarray:
    """Per row, the fired rules of cohort_evaluate's result as bits (one set per distinct
    result, then indexed)."""
    index = {slug: i for i, slug in enumerate(_rule_slugs(knowledge_base))}
    labels = result["rules"].cat.categories
    bits = np.array(
        [sum(1 << index[slug] for slug in label.split(";") if slug) for label in labels] or [0],
        dtype=np.int64,
    )
    return bits[result["rules"].cat.codes.to_numpy()]


@transaction.atomic
def _write(basis: str, rows) -> None:
    """Insert or replace the rows (case id, case version, rule bits, marker bits)."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(StoredEvaluation._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE stored_incoming (case_id bigint, case_version integer, "
                "her2_status varchar(24), rules bigint, markers bigint) ON COMMIT DROP"
            )
            with cursor.cursor.copy("COPY stored_incoming FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} "  # noqa: S608
                "(case_id, basis, case_version, her2_status, rules, markers) "
                "SELECT case_id, %s, case_version, her2_status, rules, markers "
                "FROM stored_incoming ON CONFLICT (case_id) DO UPDATE SET "
                "basis = EXCLUDED.basis, case_version = EXCLUDED.case_version, "
                "her2_status = EXCLUDED.her2_status, rules = EXCLUDED.rules, "
                "markers = EXCLUDED.markers",
                [basis],
            )
            # Dropped here too: inside an outer transaction, ON COMMIT comes too late.
            cursor.execute("DROP TABLE stored_incoming")
        return
    StoredEvaluation.objects.bulk_create(
        (
            StoredEvaluation(
                case_id=case,
                basis=basis,
                case_version=version,
                her2_status=status,
                rules=fired,
                markers=tested,
            )
            for case, version, status, fired, tested in rows
        ),
        batch_size=WRITE_BATCH,
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=["basis", "case_version", "her2_status", "rules", "markers"],
    )


def stored_evaluations_update(
    *, knowledge_base: KnowledgeBase, limit: int | None = None
) -> int | None:
    """Bring every stored row up to date; returns how many were evaluated. Only cases
    written since the basis's mark (their history ids) are looked at; without a mark,
    every case is checked. With `limit`, does nothing and returns None when more cases
    than that may need it (a request must not rebuild a million rows: the command
    `stored_evaluations_rebuild` does)."""
    basis = stored_basis(knowledge_base=knowledge_base)
    if basis is None:
        return 0
    history = CaseProfile.history.model
    newest = history.objects.aggregate(newest=Max("history_id"))["newest"] or 0
    seen = StoredEvaluationMark.objects.filter(basis=basis).values_list("history_id", flat=True)
    seen = seen.first()
    if seen is not None and seen >= newest:
        return 0
    cases = CaseProfile.objects.all()
    if seen is not None:
        written = history.objects.filter(history_id__gt=seen)
        if limit is not None and written.count() > limit:
            return None
        cases = cases.filter(pk__in=written.values("id"))
    elif limit is not None and cases.count() > limit:
        return None
    count = stored_evaluations_refresh(queryset=cases, knowledge_base=knowledge_base)
    StoredEvaluationMark.objects.exclude(basis=basis).delete()
    StoredEvaluationMark.objects.update_or_create(basis=basis, defaults={"history_id": newest})
    return count


def stored_dashboard(*, queryset: QuerySet, knowledge_base: KnowledgeBase) -> dict[str, Any] | None:
    """The cohort dashboard of `queryset` (stored cases) from stored rows, brought up to
    date first; None when the knowledge base has no basis, or when bringing the rows up to
    date is more than a request should do (REFRESH_IN_REQUEST cases): count directly then
    (board.cohort)."""
    basis = stored_basis(knowledge_base=knowledge_base)
    if basis is None:
        return None
    if stored_evaluations_update(knowledge_base=knowledge_base, limit=REFRESH_IN_REQUEST) is None:
        return None
    codes = sorted(knowledge_base.marker_scales)
    rows = StoredEvaluation.objects.filter(basis=basis)
    if queryset.query.where:  # filtered: only its cases
        rows = rows.filter(case__in=queryset.order_by().values("pk"))
    counted = _counted_from_arrays if connection.vendor == "postgresql" else _counted_grouped
    counts, tested = counted(rows, knowledge_base, len(codes))
    total = sum(counts["her2_status"].values())
    return dashboard_from_counts(
        counts=counts, tested=Counter(dict(zip(codes, tested, strict=True))), total=total
    )


def _counted_grouped(
    rows: QuerySet, knowledge_base: KnowledgeBase, markers: int
) -> tuple[dict[str, Counter], list[int]]:
    """The counts through the ORM: one row per distinct result, and a sum per marker bit
    (SQLite; benchmarks/departures_bench.py times _counted_from_arrays against it)."""
    by_result = rows.values_list("her2_status", "rules").annotate(n=Count("pk")).order_by()
    sums = rows.aggregate(
        **{f"m{j}": Sum(F("markers").bitrightshift(j).bitand(1)) for j in range(markers)}
    )
    tested = [int(sums[f"m{j}"] or 0) for j in range(markers)]
    return _counts(by_result, knowledge_base), tested


# Counted "a case counts once": any of the rules with that value fired.
MASKED = ("mechanism", "strategy", "evidence_level")


def _rule_slugs(knowledge_base: KnowledgeBase) -> list[str]:
    """The rules in bit order."""
    return sorted(rule.slug for rule in knowledge_base.ruleset.rules)


def _masks(knowledge_base: KnowledgeBase) -> dict[str, dict[str, int]]:
    """Per mechanism, strategy and evidence level, the bits of the rules that have it (scope
    rules, such as HER2-zero, left out, as board.cohort leaves them out)."""
    by_slug = {rule.slug: rule for rule in knowledge_base.ruleset.rules}
    masks: dict[str, dict[str, int]] = {name: {} for name in MASKED}
    for i, slug in enumerate(_rule_slugs(knowledge_base)):
        rule = by_slug[slug]
        if rule.kind == engine.SCOPE_KIND:
            continue
        for name, by_value in masks.items():
            if value := getattr(rule, name):
                by_value[value] = by_value.get(value, 0) | (1 << i)
    return masks


# Each row as 18 bytes (HER2 status code, rule bits, marker bits; big-endian, as
# int2send/int8send write them), the rows concatenated into one bytea by one aggregate.
_ROW = np.dtype([("status", ">i2"), ("rules", ">i8"), ("markers", ">i8")])


def _counted_from_arrays(
    rows: QuerySet, knowledge_base: KnowledgeBase, markers: int
) -> tuple[dict[str, Counter], list[int]]:
    """The counts from the rows as three numpy arrays (HER2 status code, rule bits, marker
    bits), read as one value (string_agg of fixed-width records: one result row, nothing to
    parse per case; a COPY hands a client one message per row), then counted with
    vectorised bit operations."""
    statuses = list(Her2Status.values)
    # The rows' own query, whole, as the derived table read (PostgreSQL pulls a plain
    # subquery up into the outer one, so this costs what one query would).
    columns = rows.order_by().values("her2_status", "rules", "markers")
    try:
        sql, params = columns.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing (an unknown marker, say)
        sql, params = "", None
    whens = " ".join(f"WHEN %s THEN {code}" for code in range(len(statuses)))
    statement = (
        "SELECT string_agg(int2send((CASE her2_status "  # noqa: S608 - the rows' own query
        f"{whens} END)::int2) || int8send(rules) || int8send(markers), ''::bytea) "
        f"FROM ({sql}) AS stored"
    )
    data = None
    if params is not None:
        connection.ensure_connection()
        # Binary results: the bytea as it is, not as hex text twice its size to decode.
        import psycopg

        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(statement, [*statuses, *params], binary=True)
            data = cursor.fetchone()[0]
    table_rows = np.frombuffer(bytes(data or b""), dtype=_ROW)
    status = table_rows["status"].astype(np.int64)
    fired = table_rows["rules"].astype(np.int64)
    tested_bits = table_rows["markers"].astype(np.int64)
    counts: dict[str, Counter] = {"her2_status": Counter(), "rule": Counter()}
    for code, n in enumerate(np.bincount(status, minlength=len(statuses)).tolist()):
        if n:
            counts["her2_status"][statuses[code]] = n
    for i, slug in enumerate(_rule_slugs(knowledge_base)):
        if n := int(((fired >> i) & 1).sum()):
            counts["rule"][slug] = n
    for name, by_value in _masks(knowledge_base).items():
        counts[name] = Counter()
        for value, mask in by_value.items():
            if n := int(((fired & mask) != 0).sum()):
                counts[name][value] = n
    tested = [int(((tested_bits >> j) & 1).sum()) for j in range(markers)]
    return counts, tested


def _counts(by_result, knowledge_base: KnowledgeBase) -> dict[str, Counter]:
    """cohort_summary's counts from (HER2 status, rule bits, cases) per distinct result."""
    slugs = _rule_slugs(knowledge_base)
    masks = _masks(knowledge_base)
    counts = {name: Counter() for name in ("rule", "her2_status", *MASKED)}
    for status, fired, n in by_result:
        counts["her2_status"][status] += n
        for i, slug in enumerate(slugs):
            if fired >> i & 1:
                counts["rule"][slug] += n
        for name, by_value in masks.items():
            for value, mask in by_value.items():
                if fired & mask:
                    counts[name][value] += n
    return counts
