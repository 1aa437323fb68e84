"""Stored evaluations: what the cohort dashboard counts of each stored case, kept per case
and per knowledge base, so a dashboard over a million cases is a few aggregate queries.

A row (board.models.StoredEvaluation) says which rules fired for one version of a case
(bit i: the i-th rule of the knowledge base, by slug) and which catalogue markers it was
tested for (bit j: the j-th code), under a `basis` naming the knowledge base and marker
catalogue the bits refer to. A row is current only while both its basis and its case
version are; the dashboard first evaluates every case of its filter whose row is missing
or stale (a new or edited case: a handful; after a release: every case, unless
`stored_evaluations_refresh` already ran, as `manage.py release_publish` does), then counts.

The counts equal those of board.cohort.cohort_dashboard over the same cases (a test
compares). Knowledge bases with more than 63 rules or markers have no basis: their
dashboards count directly.
"""

import hashlib
import json
from collections import Counter
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Sum

from board.cohort import cohort_evaluate, dashboard_from_counts
from board.models import StoredEvaluation
from cases.table_db import KEY_COLUMNS, cases_table_read
from cases.tabular import MARKER_COLUMN, frame_clean
from rules import engine
from rules.knowledge_base import KnowledgeBase

BITS = 63  # a signed 64-bit column
WRITE_BATCH = 20_000


def stored_basis(*, knowledge_base: KnowledgeBase) -> str | None:
    """What the bits of a stored row refer to: the rules (their content, by slug) and the
    marker catalogue. None when either has more entries than a row has bits."""
    slugs = sorted(rule.slug for rule in knowledge_base.ruleset.rules)
    scales = sorted((code, list(scale)) for code, scale in knowledge_base.marker_scales.items())
    if len(slugs) > BITS or len(scales) > BITS:
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
    rule_bits = _rule_bits(cohort_evaluate(clean, knowledge_base=knowledge_base), knowledge_base)
    marker_bits = np.zeros(len(clean), dtype=np.int64)
    for position, code in enumerate(codes):
        column = MARKER_COLUMN + code
        if column in clean.columns:
            marker_bits |= clean[column].notna().to_numpy(dtype=np.int64) << position
    rows = zip(
        keys[:, 0].tolist(),
        keys[:, 1].tolist(),
        rule_bits.tolist(),
        marker_bits.tolist(),
        strict=True,
    )
    _write(basis, rows)
    return len(keys)


def _rule_bits(result, knowledge_base: KnowledgeBase) -> np.ndarray:
    """Per row, the fired rules of cohort_evaluate's result as bits (one set per distinct
    result, then indexed)."""
    index = {slug: i for i, slug in enumerate(sorted(r.slug for r in knowledge_base.ruleset.rules))}
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
                "CREATE TEMPORARY TABLE stored_incoming (case_id bigint, "
                "case_version integer, rules bigint, markers bigint) ON COMMIT DROP"
            )
            with cursor.cursor.copy("COPY stored_incoming FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} (case_id, basis, case_version, rules, markers) "  # noqa: S608
                "SELECT case_id, %s, case_version, rules, markers FROM stored_incoming "
                "ON CONFLICT (case_id) DO UPDATE SET basis = EXCLUDED.basis, "
                "case_version = EXCLUDED.case_version, rules = EXCLUDED.rules, "
                "markers = EXCLUDED.markers",
                [basis],
            )
            # Dropped here too: inside an outer transaction, ON COMMIT comes too late.
            cursor.execute("DROP TABLE stored_incoming")
        return
    StoredEvaluation.objects.bulk_create(
        (
            StoredEvaluation(
                case_id=case, basis=basis, case_version=version, rules=fired, markers=tested
            )
            for case, version, fired, tested in rows
        ),
        batch_size=WRITE_BATCH,
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=["basis", "case_version", "rules", "markers"],
    )


def stored_dashboard(*, queryset: QuerySet, knowledge_base: KnowledgeBase) -> dict[str, Any] | None:
    """The cohort dashboard of `queryset` from stored rows (refreshed first), or None when
    the knowledge base has no basis (count directly then)."""
    basis = stored_basis(knowledge_base=knowledge_base)
    if basis is None:
        return None
    stored_evaluations_refresh(queryset=queryset, knowledge_base=knowledge_base)
    rows = StoredEvaluation.objects.filter(case__in=queryset.order_by().values("pk"), basis=basis)
    slugs = sorted(rule.slug for rule in knowledge_base.ruleset.rules)
    by_slug = {rule.slug: rule for rule in knowledge_base.ruleset.rules}
    counts: dict[str, Counter] = {
        name: Counter()
        for name in ("rule", "mechanism", "strategy", "evidence_level", "her2_status")
    }
    total = 0
    for status, fired, n in (
        rows.values_list("case__her2_status", "rules").annotate(n=Count("pk")).order_by()
    ):
        total += n
        counts["her2_status"][status] += n
        seen: dict[str, set] = {"mechanism": set(), "strategy": set(), "evidence_level": set()}
        for i, slug in enumerate(slugs):
            if fired >> i & 1:
                rule = by_slug[slug]
                counts["rule"][slug] += n
                if rule.kind == engine.SCOPE_KIND:
                    continue
                for name, values in seen.items():
                    if value := getattr(rule, name):
                        values.add(value)
        for name, values in seen.items():
            for value in values:
                counts[name][value] += n
    codes = sorted(knowledge_base.marker_scales)
    sums = (
        rows.aggregate(
            **{f"m{j}": Sum(F("markers").bitrightshift(j).bitand(1)) for j in range(len(codes))}
        )
        if codes
        else {}
    )
    tested = Counter({code: int(sums[f"m{j}"] or 0) for j, code in enumerate(codes)})
    return dashboard_from_counts(counts=counts, tested=tested, total=total)
