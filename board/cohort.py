"""Whole cohorts: vectorised evaluation, export with evaluations, dashboard counts (uploads
are board.uploads).

`cohort_evaluate` gives, row for row, exactly what rules.engine.evaluate gives for each
profile alone: each rule's compiled condition is evaluated once per distinct combination
of the facts it reads (pandas factorize), then mapped back to the rows.
"""

from collections import Counter
from collections.abc import Callable, Collection, Mapping
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import QuerySet

from cases.choices import Her2Status
from cases.contract import EXAMPLE_PROFILE, MARKER_NOT_TESTED
from cases.her2 import her2_status_derive
from cases.profile import profile_clean
from cases.table_db import cases_table_read
from cases.tabular import MARKER_COLUMN, frame_clean, frame_from_profiles
from rules import engine
from rules.choices import EVIDENCE_LABELS, EvidenceLevel
from rules.knowledge_base import KnowledgeBase


def _encoded_facts(clean: pd.DataFrame, needed: set[str]) -> dict[str, tuple[np.ndarray, list]]:
    """Per fact: integer codes per row and the distinct values (plain Python)."""
    known = getattr(clean, "codes", None) or {}

    def column(name: str) -> tuple[np.ndarray, list]:
        if name in known:
            codes, values = known[name]
            return np.asarray(codes), list(values)
        return _encode(name, clean[name])

    encoded: dict[str, tuple[np.ndarray, list]] = {}
    for name in needed:
        if name == "her2_status":
            ihc, ish = column("her2_ihc"), column("her2_ish")
            pair = ihc[0].astype(np.int64) * max(len(ish[1]), 1) + ish[0]
            pair_codes, pairs = pd.factorize(pair)
            statuses = [
                her2_status_derive(
                    ihc=ihc[1][p // max(len(ish[1]), 1)], ish=ish[1][p % max(len(ish[1]), 1)]
                )
                for p in pairs
            ]
            encoded[name] = (pair_codes, statuses)
        elif name.startswith(engine.MARKER_PREFIX):
            key = MARKER_COLUMN + name.removeprefix(engine.MARKER_PREFIX)
            if key in clean.columns:
                codes, values = column(key)
                encoded[name] = (codes, [MARKER_NOT_TESTED if v is None else v for v in values])
            else:
                encoded[name] = (np.zeros(len(clean), dtype=np.int64), [MARKER_NOT_TESTED])
        elif name == "prior_therapies":
            codes, values = column(name)
            encoded[name] = (codes, [tuple(v) for v in values])
        else:
            encoded[name] = column(name)
    return encoded


DENSE_KEYS = 1 << 16


def _encode(name: str, series: pd.Series) -> tuple[np.ndarray, list]:
    """Integer codes per row and the distinct values, as plain Python for the engine."""
    codes, uniques = pd.factorize(series)  # missing values get code -1
    values = [v.item() if isinstance(v, np.generic) else v for v in uniques]
    if (codes < 0).any():
        codes = np.where(codes < 0, len(values), codes)
        values.append(MARKER_NOT_TESTED if name.startswith(engine.MARKER_PREFIX) else None)
    return codes, values


def _combinations(facts: tuple[str, ...], encoded: Mapping[str, tuple]) -> tuple:
    """(key per row, radix, distinct keys, codes of the rows' keys or None) for these facts."""
    rows = len(next(iter(encoded.values()))[0])
    sizes = [max(len(encoded[name][1]), 1) for name in facts]
    # The narrowest integers that hold every combination: half the memory traffic.
    dtype = np.int32 if int(np.prod(sizes, dtype=object)) < 2**31 else np.int64
    key, step = np.zeros(rows, dtype=dtype), np.empty(rows, dtype=dtype)
    radix = 1
    for name, size in zip(facts, sizes, strict=True):
        np.multiply(encoded[name][0], radix, out=step, casting="unsafe")
        key += step
        radix *= size
    if radix <= DENSE_KEYS:
        # Few possible combinations: index outcomes by the key itself (no hashing).
        return key, radix, np.flatnonzero(np.bincount(key, minlength=radix)), None
    combo_codes, combos = pd.factorize(key)
    return key, radix, combos, combo_codes


def _fired_mask(
    condition: engine.CompiledCondition, encoded: Mapping[str, tuple], shared: dict
) -> np.ndarray:
    """Evaluate once per distinct combination of the facts the condition reads (rules that
    read the same facts share the combinations, in `shared`)."""
    if condition.facts not in shared:
        shared[condition.facts] = _combinations(condition.facts, encoded)
    key, radix, combos, combo_codes = shared[condition.facts]
    outcomes = np.zeros(radix if combo_codes is None else len(combos), dtype=bool)
    readers = [
        (
            name,
            encoded[name][1],
            max(len(encoded[name][1]), 1),
            name.removeprefix(engine.MARKER_PREFIX)
            if name.startswith(engine.MARKER_PREFIX)
            else None,
        )
        for name in condition.facts
    ]
    outcome = condition.outcome
    # The condition as generated code (rules.engine.program), rule-engine where it hands
    # back: the same answers (tests/rules/test_engine_program.py), without rule-engine's
    # interpreter for each of tens of thousands of combinations.
    program = condition.program
    for position, combo in enumerate(combos.tolist()):
        facts: dict[str, Any] = {"markers": {}}
        rest = combo
        for name, uniques, size, marker in readers:
            value = uniques[rest % size]
            rest //= size
            if value.__class__ is float and value != value:
                value = None
            facts[name] = value
            if marker is not None:
                facts["markers"][marker] = value
        hits, retry = program(facts)
        outcomes[combo if combo_codes is None else position] = (
            outcome(facts) if retry else bool(hits)
        )
    return outcomes[key] if combo_codes is None else outcomes[combo_codes]


def cohort_evaluate(
    clean: pd.DataFrame,
    *,
    knowledge_base: KnowledgeBase,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Columns row (1-based), her2_status and rules (fired slugs, sorted, `;`-joined)."""
    ruleset = knowledge_base.ruleset
    needed = {name for condition in ruleset.conditions for name in condition.facts}
    needed.add("her2_status")
    encoded = _encoded_facts(clean, needed)
    status_codes, statuses = encoded["her2_status"]
    distinct = list(dict.fromkeys(statuses))
    status_of_row = pd.Categorical.from_codes(
        np.array([distinct.index(s) for s in statuses], dtype=np.int64)[status_codes], distinct
    )
    in_scope = np.array([s not in engine.OUT_OF_SCOPE_STATUSES for s in statuses], dtype=bool)[
        status_codes
    ]
    order = sorted(range(len(ruleset.rules)), key=lambda i: ruleset.rules[i].slug)
    bits = np.zeros(len(clean), dtype=object if len(order) > 62 else np.int64)
    groups: dict[str, dict[str, np.ndarray]] = {
        "mechanism": {}, "strategy": {}, "evidence_level": {}
    }  # fmt: skip
    rule_counts: Counter = Counter()
    shared: dict[tuple, tuple] = {}
    for step, index in enumerate(order):
        rule, condition = ruleset.rules[index], ruleset.conditions[index]
        mask = _fired_mask(condition, encoded, shared)
        if rule.kind != engine.SCOPE_KIND:
            mask &= in_scope
        rule_counts[rule.slug] = int(mask.sum())
        for name, any_of in groups.items() if rule.kind != engine.SCOPE_KIND else ():
            if value := getattr(rule, name):
                any_of[value] = any_of[value] | mask if value in any_of else mask.copy()
        bits += mask.astype(np.int64) << step if bits.dtype != object else mask * (1 << step)
        if progress:
            progress(step + 1, len(order))
    codes, sets = pd.factorize(bits)
    slugs = [ruleset.rules[i].slug for i in order]
    labels = _labels(sets, slugs)
    # Categories: one string per distinct result, whatever the number of rows.
    result = pd.DataFrame(
        {
            "row": np.arange(1, len(clean) + 1),
            "her2_status": status_of_row,
            "rules": pd.Categorical.from_codes(codes, labels, validate=False) if len(sets) else [],
        }
    )
    # Counts for cohort_summary, made while the masks are at hand (a case counts once).
    result.attrs["counts"] = {
        "rule": +rule_counts,
        **{
            name: Counter({value: int(mask.sum()) for value, mask in any_of.items() if mask.any()})
            for name, any_of in groups.items()
        },
    }
    return result


def _labels(sets, slugs: list[str]) -> list[str]:
    """Per distinct set of fired rules (bits, rules in slug order), the `;`-joined slugs:
    read eight bits at a time from a table of their slugs."""
    tables = [
        [
            [
                slugs[chunk + bit]
                for bit in range(8)
                if value >> bit & 1 and chunk + bit < len(slugs)
            ]
            for value in range(256)
        ]
        for chunk in range(0, len(slugs), 8)
    ]
    labels = []
    for bits in sets:
        bits = int(bits)
        fired: list[str] = []
        for table in tables:
            if bits & 255:
                fired += table[bits & 255]
            bits >>= 8
        labels.append(";".join(fired))
    return labels


def cohort_summary(result: pd.DataFrame) -> dict[str, Counter]:
    """Counts by HER2 status, rule, mechanism, strategy and evidence level (a case counts once)."""
    counts = dict(result.attrs["counts"])
    counts["her2_status"] = Counter(result["her2_status"].value_counts().to_dict())
    return counts


def cohort_dashboard(clean: pd.DataFrame, *, knowledge_base: KnowledgeBase) -> dict[str, Any]:
    """The dashboard of a clean table (an upload, or stored cases read by cases_frame)."""
    result = cohort_evaluate(clean, knowledge_base=knowledge_base)
    tested = Counter()
    for code in sorted(knowledge_base.marker_scales):
        column = MARKER_COLUMN + code
        if column in clean.columns and (n := int(clean[column].notna().sum())):
            tested[code] = n
    return dashboard_from_counts(counts=cohort_summary(result), tested=tested, total=len(result))


def dashboard_from_counts(
    *, counts: Mapping[str, Counter], tested: Counter, total: int
) -> dict[str, Any]:
    """The dashboard's tables: (label, count, percent of cases) rows per breakdown, in
    words, largest first (ties by name); evidence strongest first; the scope rules
    (HER2-zero and the like) left out of mechanisms, strategies and evidence; only markers
    some case was tested for. `counts` as cohort_summary gives them."""

    def rows(counter: Counter, labels=None, order=None) -> list[tuple[str, int, int]]:
        items = sorted(((k, n) for k, n in counter.items() if n), key=lambda i: (-i[1], i[0]))
        if order is not None:
            items = sorted(items, key=lambda item: order.index(item[0]))
        return [
            ((labels or {}).get(key, key), n, round(100 * n / total) if total else 0)
            for key, n in items
        ]

    return {
        "total": total,
        "her2_status": rows(counts["her2_status"], HER2_LABELS, list(HER2_LABELS)),
        "mechanism": rows(counts["mechanism"]),
        "strategy": rows(counts["strategy"]),
        "evidence_level": rows(counts["evidence_level"], EVIDENCE_LABELS, EvidenceLevel.values),
        "markers": [
            (code, n, total - n, round(100 * n / total) if total else 0)
            for code, n in sorted(tested.items(), key=lambda item: (-item[1], item[0]))
            if n
        ],
    }


HER2_LABELS = dict(Her2Status.choices)


def _cases_frames(cases, knowledge_base: KnowledgeBase) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stored cases as a table of text cells, and the same table cleaned."""
    codes = sorted(knowledge_base.marker_scales)
    frame = frame_from_profiles([case.as_profile() for case in cases], marker_codes=codes)
    clean, _ = frame_clean(frame, marker_scales=knowledge_base.marker_scales)
    return frame, clean


def cases_frame(cases: QuerySet, *, knowledge_base: KnowledgeBase) -> pd.DataFrame:
    """Stored cases as a clean table (for the dashboard), read in one pass (cases.table_db)."""
    frame = cases_table_read(queryset=cases, marker_codes=sorted(knowledge_base.marker_scales))
    clean, _ = frame_clean(frame, marker_scales=knowledge_base.marker_scales)
    return clean


def frame_with_evaluation(
    frame: pd.DataFrame, clean, knowledge_base: KnowledgeBase
) -> pd.DataFrame:
    """The table with its evaluation: HER2 status, fired rules' slugs and titles apart."""
    result = cohort_evaluate(clean, knowledge_base=knowledge_base)
    frame = frame.copy()
    frame["evaluation.her2_status"] = result["her2_status"].to_numpy()
    titles = {rule.slug: rule.title for rule in knowledge_base.ruleset.rules}
    frame["evaluation.rule_slugs"] = result["rules"].to_numpy()
    named = {
        fired: " | ".join(titles[slug] for slug in fired.split(";")) if fired else ""
        for fired in result["rules"].unique()
    }
    frame["evaluation.rule_titles"] = result["rules"].map(named).to_numpy()
    frame["evaluation.knowledge_base_version"] = knowledge_base.version
    return frame


HELD_BACK = "propose first: held back until you have proposed"


def cases_export_frame(
    cases, *, knowledge_base: KnowledgeBase, held_back: Collection[str] = ()
) -> pd.DataFrame:
    """Stored cases with their current evaluation; imports back to the same profiles. The
    cases whose codes are in `held_back` (owed a proposal: propose first) keep their
    profile but not their evaluation."""
    cases = list(cases)
    frame, clean = _cases_frames(cases, knowledge_base)
    frame.insert(0, "case.code", [case.code for case in cases])
    frame = frame_with_evaluation(frame, clean, knowledge_base)
    if held_back:
        hidden = frame["case.code"].isin(set(held_back))
        for column in [c for c in frame.columns if c.startswith("evaluation.")]:
            frame[column] = frame[column].astype(object)
            frame.loc[hidden, column] = HELD_BACK
    return frame


def cohort_template_frame(*, knowledge_base: KnowledgeBase) -> pd.DataFrame:
    """Every column an upload takes (contract fields, then each catalogue marker) and the
    contract's example profile as the one row."""
    codes = sorted(knowledge_base.marker_scales)
    example = profile_clean(data=EXAMPLE_PROFILE, marker_scales=knowledge_base.marker_scales)
    return frame_from_profiles([example], marker_codes=codes)
