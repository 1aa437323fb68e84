"""Reads of the knowledge base, and evaluations of profiles against it.

`knowledge_base_get` turns the published rules into plain data for the engine (three
queries whatever the number of rules or citations); `profile_evaluate` builds the
contract's evaluation payload.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cases.her2 import HER2_STATUS_SOURCES
from cases.notices import DISCLAIMER
from cases.selectors import marker_scales_get
from rules import engine
from rules.choices import EVIDENCE_MAPPING, EvidenceLevel, RuleStatus
from rules.models import Reference, Rule


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    rules: tuple[engine.PlainRule, ...]
    vocabulary: engine.Vocabulary


def citation_data(reference: Reference) -> dict[str, Any]:
    data = {
        "key": reference.key,
        "label": reference.label,
        "authors": reference.authors,
        "year": reference.year,
        "title": reference.title,
        "journal": reference.journal,
        "volume": reference.volume,
        "issue": reference.issue,
        "pages": reference.pages,
        "doi": reference.doi or None,
        "doi_url": reference.doi_url or None,
        "pmid": reference.pmid or None,
        "pubmed_url": reference.pubmed_url or None,
        "retracted": reference.retracted,
    }
    if reference.retracted:
        data["retraction_notice"] = "RETRACTED: this source has been retracted. " + reference.caveats
    return data


def rule_plain(rule: Rule, references: Mapping[str, Reference]) -> engine.PlainRule:
    """A rule (with mechanism and strategy loaded) as the engine's plain data."""
    return engine.PlainRule(
        slug=rule.slug,
        title=rule.title,
        condition=rule.condition,
        kind=rule.kind,
        mechanism=rule.mechanism.name,
        strategy=rule.strategy.name if rule.strategy else None,
        evidence_level=rule.evidence_level,
        rationale=rule.rationale,
        citations=tuple(citation_data(references[key]) for key in rule.citations if key in references),
        extra={
            "mechanism_slug": rule.mechanism.slug,
            "strategy_slug": rule.strategy.slug if rule.strategy else None,
            "agents": list(rule.strategy.agents) if rule.strategy else [],
        },
    )


def knowledge_base_version(rules: Sequence[engine.PlainRule]) -> str:
    """A fingerprint of everything a user sees of the published rules and their citations."""
    content = [
        {
            "slug": r.slug,
            "title": r.title,
            "condition": r.condition,
            "kind": r.kind,
            "mechanism": r.mechanism,
            "strategy": r.strategy,
            "agents": r.extra.get("agents"),
            "evidence_level": r.evidence_level,
            "rationale": r.rationale,
            "citations": list(r.citations),
        }
        for r in sorted(rules, key=lambda r: r.slug)
    ]
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
    return f"kb-{digest[:12]}"


def knowledge_base_get(*, statuses: Sequence[str] = (RuleStatus.PUBLISHED,)) -> KnowledgeBase:
    """The rules users see (published only, unless a curator previews drafts)."""
    vocabulary = engine.vocabulary_build(marker_scales=marker_scales_get())
    rules = list(
        Rule.objects.filter(status__in=statuses)
        .select_related("mechanism", "strategy")
        .order_by("mechanism__position", "slug")
    )
    keys = {key for rule in rules for key in rule.citations}
    references = Reference.objects.in_bulk(keys, field_name="key") if keys else {}
    plain = tuple(rule_plain(rule, references) for rule in rules)
    return KnowledgeBase(
        version=knowledge_base_version(plain), rules=plain, vocabulary=vocabulary
    )


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
    kb = knowledge_base or knowledge_base_get()
    facts = engine.facts_build(profile, vocabulary=kb.vocabulary)
    result = engine.evaluate(facts, kb.rules, vocabulary=kb.vocabulary)
    return {
        "disclaimer": DISCLAIMER,
        "knowledge_base_version": kb.version,
        "her2_status": result.her2_status,
        "her2_status_source": HER2_STATUS_SOURCES[result.her2_status],
        "in_scope": result.in_scope,
        "recommendations": [recommendation_data(m) for m in result.matches],
        "suggested_tests": [
            {"fact": t.fact, "why": t.why, "changes": list(t.changes)} for t in result.suggested_tests
        ],
    }
