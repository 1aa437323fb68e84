"""Whole cohorts: vectorised evaluation, export with evaluations, and dashboard counts.

`cohort_evaluate` gives, row for row, exactly what rules.engine.evaluate gives for each
profile alone: each rule's compiled condition is evaluated once per distinct combination
of the facts it reads (pandas factorize), then mapped back to the rows.
"""

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from cases.choices import MARKER_NOT_TESTED
from cases.her2 import her2_status_derive
from cases.tabular import MARKER_COLUMN, frame_clean, frame_from_profiles
from rules import engine
from rules.selectors import KnowledgeBase


def _facts_frame(
    clean: pd.DataFrame, vocabulary: engine.Vocabulary, needed: set[str]
) -> dict[str, pd.Series]:
    facts: dict[str, pd.Series] = {}
    for name in needed:
        if name == "her2_status":
            pairs = pd.MultiIndex.from_arrays([clean["her2_ihc"], clean["her2_ish"]])
            codes, uniques = pairs.factorize()
            statuses = np.array(
                [her2_status_derive(ihc=i, ish=s) for i, s in uniques], dtype=object
            )
            facts[name] = pd.Series(statuses[codes], index=clean.index)
        elif name.startswith(engine.MARKER_PREFIX):
            column = MARKER_COLUMN + name.removeprefix(engine.MARKER_PREFIX)
            if column in clean.columns:
                facts[name] = clean[column].fillna(MARKER_NOT_TESTED)
            else:
                facts[name] = pd.Series(MARKER_NOT_TESTED, index=clean.index, dtype=object)
        elif name == "prior_therapies":
            facts[name] = clean[name].map(tuple)
        else:
            facts[name] = clean[name]
    return facts


def _fired_mask(condition: engine.CompiledCondition, encoded: Mapping[str, tuple]) -> np.ndarray:
    """Evaluate once per distinct combination of the facts the condition reads."""
    key = np.zeros(len(next(iter(encoded.values()))[0]), dtype=np.int64)
    radix = 1
    for name in condition.facts:
        codes, uniques = encoded[name]
        key += codes * radix
        radix *= max(len(uniques), 1)
    combo_codes, combos = pd.factorize(key)
    outcomes = np.empty(len(combos), dtype=bool)
    for position, combo in enumerate(combos):
        facts: dict[str, Any] = {"markers": {}}
        rest = int(combo)
        for name in condition.facts:
            codes, uniques = encoded[name]
            value = uniques[rest % max(len(uniques), 1)]
            rest //= max(len(uniques), 1)
            value = None if isinstance(value, float) and np.isnan(value) else value
            facts[name] = value
            if name.startswith(engine.MARKER_PREFIX):
                facts["markers"][name.removeprefix(engine.MARKER_PREFIX)] = value
        outcomes[position] = condition.outcome(facts)
    return outcomes[combo_codes]


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
    facts = _facts_frame(clean, knowledge_base.vocabulary, needed)
    encoded = {}
    for name, series in facts.items():
        codes, uniques = pd.factorize(series, use_na_sentinel=False)
        # Plain Python values for the engine (numpy scalars are not rule-engine types).
        encoded[name] = (codes, [v.item() if isinstance(v, np.generic) else v for v in uniques])
    in_scope = (~facts["her2_status"].isin(engine.OUT_OF_SCOPE_STATUSES)).to_numpy()
    order = sorted(range(len(ruleset.rules)), key=lambda i: ruleset.rules[i].slug)
    bits = np.zeros(len(clean), dtype=object if len(order) > 62 else np.int64)
    for step, index in enumerate(order):
        rule, condition = ruleset.rules[index], ruleset.conditions[index]
        mask = _fired_mask(condition, encoded)
        if rule.kind != engine.SCOPE_KIND:
            mask &= in_scope
        bits += mask.astype(np.int64) << step if bits.dtype != object else mask * (1 << step)
        if progress:
            progress(step + 1, len(order))
    codes, sets = pd.factorize(bits)
    slugs = [ruleset.rules[i].slug for i in order]
    labels = np.array(
        [";".join(s for b, s in enumerate(slugs) if int(value) >> b & 1) for value in sets],
        dtype=object,
    )
    return pd.DataFrame(
        {
            "row": np.arange(1, len(clean) + 1),
            "her2_status": facts["her2_status"].to_numpy(),
            "rules": labels[codes] if len(sets) else np.array([], dtype=object),
        }
    )


def cohort_summary(result: pd.DataFrame, *, knowledge_base: KnowledgeBase) -> dict[str, Counter]:
    """Counts by HER2 status, mechanism, strategy and evidence level (a case counts once)."""
    rules = {rule.slug: rule for rule in knowledge_base.rules}
    fired_sets = result["rules"].value_counts()
    counts = {name: Counter() for name in ("mechanism", "strategy", "evidence_level", "rule")}
    for joined, rows in fired_sets.items():
        fired = [rules[s] for s in joined.split(";") if s]
        for name in ("mechanism", "strategy", "evidence_level"):
            for value in {getattr(rule, name) for rule in fired if getattr(rule, name)}:
                counts[name][value] += int(rows)
        for rule in fired:
            counts["rule"][rule.slug] += int(rows)
    counts["her2_status"] = Counter(result["her2_status"].value_counts().to_dict())
    return counts


def cases_export_frame(cases, *, knowledge_base: KnowledgeBase) -> pd.DataFrame:
    """Stored cases with their current evaluation; imports back to the same profiles."""
    cases = list(cases)
    codes = sorted(knowledge_base.marker_scales)
    frame = frame_from_profiles([case.as_profile() for case in cases], marker_codes=codes)
    clean, _ = frame_clean(frame, marker_scales=knowledge_base.marker_scales)
    result = cohort_evaluate(clean, knowledge_base=knowledge_base)
    frame.insert(0, "case.code", [case.code for case in cases])
    frame["evaluation.her2_status"] = result["her2_status"].to_numpy()
    frame["evaluation.rules"] = result["rules"].to_numpy()
    frame["evaluation.knowledge_base_version"] = knowledge_base.version
    return frame


def cohort_dashboard(clean: pd.DataFrame, *, knowledge_base: KnowledgeBase) -> dict[str, Any]:
    """The dashboard's tables: (label, count, percent of cases) rows per breakdown."""
    result = cohort_evaluate(clean, knowledge_base=knowledge_base)
    counts = cohort_summary(result, knowledge_base=knowledge_base)
    total = len(result)

    def rows(counter: Counter) -> list[tuple[str, int, int]]:
        return [
            (label, n, round(100 * n / total) if total else 0) for label, n in counter.most_common()
        ]

    tested = Counter()
    for code in sorted(knowledge_base.marker_scales):
        column = MARKER_COLUMN + code
        tested[code] = int(clean[column].notna().sum()) if column in clean.columns else 0
    return {
        "total": total,
        "her2_status": rows(counts["her2_status"]),
        "mechanism": rows(counts["mechanism"]),
        "strategy": rows(counts["strategy"]),
        "evidence_level": rows(counts["evidence_level"]),
        "markers": [
            (code, n, total - n, round(100 * n / total) if total else 0)
            for code, n in sorted(tested.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


def cases_frame(cases, *, knowledge_base: KnowledgeBase) -> pd.DataFrame:
    """Stored cases as a clean table (for the dashboard)."""
    codes = sorted(knowledge_base.marker_scales)
    frame = frame_from_profiles([case.as_profile() for case in cases], marker_codes=codes)
    clean, _ = frame_clean(frame, marker_scales=knowledge_base.marker_scales)
    return clean
