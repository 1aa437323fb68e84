"""Reads of the knowledge base, and evaluations of profiles against it.

`knowledge_base_published` gives the published rules as plain data for the engine: one
query while nothing changed, four when it did, whatever the number of rules or citations.
`profile_evaluate` builds the contract's evaluation payload.
"""

import functools
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection

from cases.her2 import HER2_STATUS_SOURCES
from cases.models import CaseProfile
from cases.notices import DISCLAIMER
from cases.profile import profile_clean
from cases.selectors import marker_scales_get
from rules import engine
from rules.choices import EVIDENCE_MAPPING, EvidenceLevel, RuleStatus
from rules.examples import example_profile
from rules.models import Reference, Rule

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    ruleset: engine.RuleSet
    vocabulary: engine.Vocabulary
    marker_scales: Mapping[str, tuple[str, ...]]
    # Published rules whose condition no longer compiles (a marker left the catalogue, say).
    broken: tuple[str, ...] = ()

    @property
    def rules(self) -> tuple[engine.PlainRule, ...]:
        return self.ruleset.rules


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
        data["retraction_notice"] = (
            "RETRACTED: this source has been retracted. " + reference.caveats
        )
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
        citations=tuple(
            citation_data(references[key]) for key in rule.citations if key in references
        ),
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


# The published knowledge base, per process, under the fingerprint it was built at.
_published: dict[tuple, KnowledgeBase] = {}


@functools.cache
def _fingerprint_sql() -> str:
    # Built once: each `Model.history` access makes a new manager class (slow, per request).
    from cases.models import Marker
    from rules.models import Mechanism, Strategy

    parts = []
    for model in (Rule, Strategy, Mechanism, Reference, Marker):
        table = connection.ops.quote_name(model.history.model._meta.db_table)
        # Every recorded change adds a history row with a larger id (ids are never reused), so
        # the newest id moves on every change. ORDER BY ... LIMIT 1 reads one index entry and,
        # unlike MAX() or COUNT(), is cheap for PostgreSQL to plan, which it does per request.
        # Our own table names (quoted), never input.
        parts.append(f"(SELECT history_id FROM {table} ORDER BY history_id DESC LIMIT 1)")  # noqa: S608
    return "SELECT " + ", ".join(parts)


def knowledge_base_fingerprint() -> tuple:
    """One query over the history of every knowledge-base table: any recorded change to a
    rule, strategy, mechanism, reference or catalogue marker changes it."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return tuple(str(value) for value in cursor.fetchone())


def knowledge_base_published() -> KnowledgeBase:
    """The published knowledge base; rebuilt only when its fingerprint moves (1 query)."""
    fingerprint = knowledge_base_fingerprint()
    knowledge_base = _published.get(fingerprint)
    if knowledge_base is None:
        knowledge_base = knowledge_base_get()
        _published.clear()
        _published[fingerprint] = knowledge_base
    return knowledge_base


def knowledge_base_get(*, statuses: Sequence[str] = (RuleStatus.PUBLISHED,)) -> KnowledgeBase:
    """The rules users see (published only, unless a curator previews drafts), from the DB."""
    marker_scales = marker_scales_get()
    vocabulary = engine.vocabulary_build(marker_scales=marker_scales)
    rules = list(
        Rule.objects.filter(status__in=statuses)
        .select_related("mechanism", "strategy")
        .order_by("mechanism__position", "slug")
    )
    keys = {key for rule in rules for key in rule.citations}
    references = Reference.objects.in_bulk(keys, field_name="key") if keys else {}
    usable, broken = [], []
    for rule in rules:
        try:
            engine.condition_compile(rule.condition, vocabulary)
        except engine.ConditionError:
            logger.error("Published rule %s no longer compiles; it is skipped.", rule.slug)
            broken.append(rule.slug)
            continue
        usable.append(rule_plain(rule, references))
    return KnowledgeBase(
        version=knowledge_base_version(usable),
        ruleset=engine.ruleset_compile(usable, vocabulary),
        vocabulary=vocabulary,
        marker_scales=marker_scales,
        broken=tuple(broken),
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


@dataclass(frozen=True)
class ExampleResult:
    label: str
    profile: Mapping[str, Any] | None
    expected: bool | None
    fired: bool | None
    matched_facts: Mapping[str, Any]
    problem: str | None


def _preview_rule(rule: Rule) -> engine.PlainRule:
    return engine.PlainRule(
        slug=rule.slug or "preview",
        title=rule.title,
        condition=rule.condition,
        kind=rule.kind,
        mechanism="",
        strategy=None,
        evidence_level=rule.evidence_level,
        rationale="",
    )


def _rule_run(rule: Rule, profile: Mapping[str, Any], vocabulary: engine.Vocabulary):
    facts = engine.facts_build(profile, vocabulary=vocabulary)
    result = engine.evaluate(facts, [_preview_rule(rule)], vocabulary=vocabulary, explain=False)
    if result.matches:
        return True, result.matches[0].matched_facts
    return False, {}


def _example_result(
    number: int, example: Any, rule: Rule, vocabulary: engine.Vocabulary, marker_scales
) -> ExampleResult:
    note = example.get("note") if isinstance(example, Mapping) else None
    label = f"{number}" + (f" ({note})" if note else "")
    if (
        not isinstance(example, Mapping)
        or not isinstance(example.get("profile"), Mapping)
        or not isinstance(example.get("fires"), bool)
    ):
        problem = 'is not of the form {"profile": {...}, "fires": true or false}'
        return ExampleResult(label, None, None, None, {}, problem)
    try:
        profile = profile_clean(data=example_profile(example), marker_scales=marker_scales)
    except ValidationError as exc:
        problem = f"has an invalid profile ({', '.join(sorted(exc.message_dict))})"
        return ExampleResult(label, None, example["fires"], None, {}, problem)
    fired, matched = _rule_run(rule, profile, vocabulary)
    problem = None
    if fired != example["fires"]:
        expected = "fire" if example["fires"] else "not fire"
        problem = f"should {expected}, but the rule {'fires' if fired else 'does not fire'}"
    return ExampleResult(label, profile, example["fires"], fired, matched, problem)


def rule_examples_run(
    *, rule: Rule, vocabulary: engine.Vocabulary, marker_scales: Mapping[str, tuple[str, ...]]
) -> list[ExampleResult]:
    """Run a rule (saved or not, any status) on each of its stored examples."""
    return [
        _example_result(number, example, rule, vocabulary, marker_scales)
        for number, example in enumerate(rule.examples or [], start=1)
    ]


def rule_preview(*, rule: Rule, case: CaseProfile | None = None) -> dict[str, Any]:
    """What a rule (a draft, say) does on its examples and, optionally, on a stored case."""
    marker_scales = marker_scales_get()
    vocabulary = engine.vocabulary_build(marker_scales=marker_scales)
    try:
        engine.condition_compile(rule.condition, vocabulary)
    except engine.ConditionError as exc:
        return {"condition_errors": exc.messages, "examples": [], "case": None}
    preview: dict[str, Any] = {
        "condition_errors": [],
        "examples": rule_examples_run(
            rule=rule, vocabulary=vocabulary, marker_scales=marker_scales
        ),
        "case": None,
    }
    if case is not None:
        fired, matched = _rule_run(rule, case.as_profile(), vocabulary)
        preview["case"] = {"code": case.code, "fired": fired, "matched_facts": matched}
    return preview


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


def marker_groups_get(*, knowledge_base: KnowledgeBase) -> list[tuple[str, list]]:
    """Catalogue markers grouped by the review mechanism of the first rule that reads them."""
    from cases.models import Marker

    mechanism_of: dict[str, str] = {}
    order: list[str] = []
    for rule, condition in zip(
        knowledge_base.ruleset.rules, knowledge_base.ruleset.conditions, strict=True
    ):
        if rule.mechanism not in order:
            order.append(rule.mechanism)
        for fact in condition.facts:
            if fact.startswith(engine.MARKER_PREFIX):
                mechanism_of.setdefault(fact.removeprefix(engine.MARKER_PREFIX), rule.mechanism)
    groups: dict[str, list] = {}
    for marker in Marker.objects.all():
        groups.setdefault(mechanism_of.get(marker.code, "Other markers"), []).append(marker)
    ordered = [(name, groups[name]) for name in order if name in groups]
    if "Other markers" in groups:
        ordered.append(("Other markers", groups["Other markers"]))
    return ordered


def recommendations_by_mechanism(payload: Mapping[str, Any]) -> list[tuple[str, list]]:
    grouped: dict[str, list] = {}
    for recommendation in payload["recommendations"]:
        grouped.setdefault(recommendation["mechanism"], []).append(recommendation)
    return list(grouped.items())


def case_snapshots_with_changes(*, case, current: Mapping[str, Any]) -> tuple[list, dict | None]:
    """A case's snapshots, newest first, and what changed since the newest one."""
    from rules.models import EvaluationSnapshot

    snapshots = list(EvaluationSnapshot.objects.filter(case=case).select_related("created_by"))
    changes = evaluation_changes(before=snapshots[0].payload, after=current) if snapshots else None
    return snapshots, changes


def session_overview(
    *, session, knowledge_base: KnowledgeBase | None = None
) -> list[dict[str, Any]]:
    """Per case: the engine's strategies and, per trainee, where they agreed or differed."""
    from rules.models import TraineeProposal

    kb = knowledge_base or knowledge_base_published()
    cases = list(session.cases.order_by("sessioncase__position", "sessioncase__id"))
    proposals = (
        TraineeProposal.objects.filter(session=session)
        .select_related("trainee")
        .prefetch_related("strategies")
    )
    by_case: dict[int, list] = {}
    for proposal in proposals:
        by_case.setdefault(proposal.case_id, []).append(proposal)
    overview = []
    for case in cases:
        payload = profile_evaluate(profile=case.as_profile(), knowledge_base=kb)
        engine_strategies = engine_strategy_names(payload)
        rows = []
        for proposal in by_case.get(case.pk, []):
            chosen = {s.name for s in proposal.strategies.all()}
            rows.append(
                {
                    "trainee": proposal.trainee,
                    "proposal": proposal,
                    "agreed": sorted(chosen & engine_strategies),
                    "trainee_only": sorted(chosen - engine_strategies),
                    "engine_only": sorted(engine_strategies - chosen),
                }
            )
        overview.append({"case": case, "engine": sorted(engine_strategies), "trainees": rows})
    return overview


def engine_strategy_names(payload: Mapping[str, Any]) -> set[str]:
    return {r["strategy"] for r in payload["recommendations"] if r["strategy"]}
