"""The contract's evaluation payload: a clean profile against the published knowledge base.

The same payload is what `POST /api/v1/evaluate/`, a stored case's page and API, snapshots
and CDS cards show (../shared/spec/case-profile.md, "Evaluation result").
"""

from collections.abc import Mapping
from typing import Any

from cases.her2 import HER2_STATUS_SOURCES
from core.notices import DISCLAIMER
from rules import engine
from rules.choices import EVIDENCE_MAPPING, EvidenceLevel
from rules.knowledge_base import KnowledgeBase, knowledge_base_published


def recommendation_data(match: engine.Match) -> dict[str, Any]:
    rule = match.rule
    matched: dict[str, Any] = {}
    for name, value in match.matched_facts.items():
        if name.startswith(engine.MARKER_PREFIX):
            matched.setdefault("markers", {})[name.removeprefix(engine.MARKER_PREFIX)] = value
        else:
            matched[name] = value
    return {
        "rule": rule.slug,
        "title": rule.title,
        "kind": rule.kind,
        "mechanism": rule.mechanism,
        "strategy": rule.strategy,
        "agents": rule.extra.get("agents", []),
        "evidence_level": rule.evidence_level,
        "evidence_label": EvidenceLevel(rule.evidence_level).label,
        "evidence_mapping": EVIDENCE_MAPPING[rule.evidence_level],
        "rationale": rule.rationale,
        "matched_facts": matched,
        "citations": [dict(c) for c in rule.citations],
        "cites_retracted_source": any(c["retracted"] for c in rule.citations),
    }


def profile_evaluate(
    *, profile: Mapping[str, Any], knowledge_base: KnowledgeBase | None = None
) -> dict[str, Any]:
    """The contract's evaluation payload for a clean profile."""
    kb = knowledge_base or knowledge_base_published()
    facts = engine.facts_build(profile, vocabulary=kb.vocabulary)
    result = engine.evaluate(facts, kb.ruleset, vocabulary=kb.vocabulary)
    return {
        "disclaimer": DISCLAIMER,
        "knowledge_base_version": kb.version,
        "her2_status": result.her2_status,
        "her2_status_source": HER2_STATUS_SOURCES[result.her2_status],
        "in_scope": result.in_scope,
        "recommendations": [recommendation_data(m) for m in result.matches],
        "suggested_tests": [
            {"fact": t.fact, "why": t.why, "changes": list(t.changes)}
            for t in result.suggested_tests
        ],
    }


def evaluation_changes(*, before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """What changed between two evaluation payloads (a snapshot and now, say)."""
    old = {r["rule"]: r for r in before.get("recommendations", [])}
    new = {r["rule"]: r for r in after.get("recommendations", [])}
    return {
        "knowledge_base_changed": before.get("knowledge_base_version")
        != after.get("knowledge_base_version"),
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
        "changed": sorted(slug for slug in set(old) & set(new) if old[slug] != new[slug]),
    }


def strategy_names(payload: Mapping[str, Any]) -> set[str]:
    """The strategies an evaluation suggests, by name."""
    return {r["strategy"] for r in payload["recommendations"] if r["strategy"]}
