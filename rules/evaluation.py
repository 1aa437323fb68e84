"""The contract's evaluation payload: a clean profile against the published knowledge base.

The same payload is what `POST /api/v1/evaluate/`, a stored case's page and API, snapshots
and CDS cards show (../shared/spec/case-profile.md, "Evaluation result" and its second and
third versions): recommendations strongest evidence first, each with the review's own
sentences (provenance) and citations with their caveats; in curative-intent settings the
research-level strategies apart, as research leads; at most five standard tests whose
result would change an item and, apart, the research assays; and the profile's warnings.
"""

import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cases.contract import N_, THERAPIES, in_sentence, label_of
from cases.her2 import HER2_STATUS_SOURCES
from cases.warnings import profile_warnings
from core.languages import english
from core.memory import register, remembered
from core.notices import DISCLAIMER
from rules import engine
from rules.choices import (
    EVIDENCE_MAPPING,
    EvidenceLevel,
    RuleKind,
    research_lead,
)
from rules.knowledge_base import EVIDENCE_RANK, KnowledgeBase, knowledge_base_published

THERAPY_LABELS = THERAPIES.labels
SUGGESTED_TESTS_MAX = 5
RESEARCH_ASSAY_NOTE = "Research assay: not clinically validated."
# Profile facts whose tests are standard pathology (the contract's third version); catalogue
# markers are standard only where the catalogue says so (Marker.assay_status).
STANDARD_FACTS = ("er", "pr", "her2_ish", "pik3ca", "pten")


def _indicated(fact: str, profile: Mapping[str, Any]) -> bool:
    """Whether a test is one the profile's care would order at all.

    ASCO/CAP 2018 reflexes HER2 ISH for an equivocal IHC 2+ only, never for IHC 0 or 1+.
    """
    if fact == "her2_ish":
        return profile["her2_ihc"] == "2+"
    return True


ALREADY_GIVEN = N_("Already given (%(therapies)s): %(title)s")


def title_already_given(
    *, title: str, given: Sequence[str], translate: Callable[[str], str] = str
) -> str:
    """A strategy's title when the profile lists therapies it gives: "Already given
    (endocrine therapy): …", in English (the payload's), or through `translate` (a page)."""
    words = ", ".join(in_sentence(translate(THERAPY_LABELS.get(t, t))) for t in given)
    return translate(ALREADY_GIVEN) % {"therapies": words, "title": title}


@remembered(holds="each rule kind's and evidence level's label in English", invalidated="never")
def _label_english(value: str) -> str:
    """The payload's label of a kind or an evidence level: English, whatever the request's
    language (core.languages); a page translates it where it shows it."""
    choice = RuleKind(value) if value in RuleKind.values else EvidenceLevel(value)
    return english(choice.label)


def recommendation_data(
    match: engine.Match, *, prior_therapies: Sequence[str] = ()
) -> dict[str, Any]:
    """One item of the payload. A strategy that gives a therapy the profile lists among
    prior therapies says so ("already given"), rather than offering it as new."""
    rule = match.rule
    given = [t for t in rule.extra.get("therapies", []) if t in prior_therapies]
    title = rule.title
    if given:
        title = title_already_given(title=title, given=given)
    matched: dict[str, Any] = {}
    for name, value in match.matched_facts.items():
        if name.startswith(engine.MARKER_PREFIX):
            matched.setdefault("markers", {})[name.removeprefix(engine.MARKER_PREFIX)] = value
        else:
            matched[name] = value
    return {
        "rule": rule.slug,
        "title": title,
        "already_given": given,
        "kind": rule.kind,
        "kind_label": _label_english(rule.kind),
        "mechanism": rule.mechanism,
        "mechanism_slug": rule.extra.get("mechanism_slug"),
        "strategy": rule.strategy,
        "agents": rule.extra.get("agents", []),
        "evidence_level": rule.evidence_level,
        "evidence_label": _label_english(rule.evidence_level),
        "evidence_mapping": EVIDENCE_MAPPING[rule.evidence_level],
        "rationale": rule.rationale,
        "provenance": [dict(item) for item in rule.extra.get("provenance", [])],
        "matched_facts": matched,
        "citations": [{**c, "caveats": list(c["caveats"])} for c in rule.citations],
        "cites_retracted_source": any(c["retracted"] for c in rule.citations),
    }


def _test_data(test: engine.SuggestedTest, rules: Mapping[str, engine.PlainRule]) -> dict:
    added = {slug for change in test.changes for slug in change["would_fire"]}
    removed = {slug for change in test.changes for slug in change["would_stop"]}

    def titles(slugs: set[str]) -> list[str]:
        # Strongest evidence first; the slug breaks ties (a set has no order of its own).
        return [rules[s].title for s in sorted(slugs, key=lambda s: (*_rank(rules[s]), s))]

    name = test.fact.removeprefix(engine.MARKER_PREFIX)
    label = label_of(name) if not test.fact.startswith(engine.MARKER_PREFIX) else name
    parts = []
    for change in test.changes:
        effects = []
        if change["would_fire"]:
            effects.append("adds " + "; ".join(titles(set(change["would_fire"]))))
        if change["would_stop"]:
            effects.append("removes " + "; ".join(titles(set(change["would_stop"]))))
        parts.append(f"{change['value'].replace('_', ' ')}: " + ", and ".join(effects))
    strongest = min((rules[s] for s in added | removed), key=_rank)
    return {
        "fact": name,
        "label": label,
        "why": f"{label} is not known here. Its result would change the suggestions ("
        + " | ".join(parts)
        + ").",
        "adds": titles(added),
        "removes": titles(removed),
        "evidence_level": strongest.evidence_level,
        "changes": list(test.changes),
        "_rank": (
            min((_rank(rules[s]) for s in added), default=(99,)),
            min((_rank(rules[s]) for s in removed), default=(99,)),
        ),
        "_marker": test.fact.startswith(engine.MARKER_PREFIX),
        "_name": name,
    }


# A suggested test's payload, per test: rules.engine.suggest memoises the tests themselves
# (one object per answer), so each is worded once. Entries go with their tests.
_TEST_DATA: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
register(
    __name__,
    "_TEST_DATA",
    holds="each suggested test's payload",
    invalidated="with its test object (weakly held; a new knowledge base makes new tests)",
    forget=_TEST_DATA.clear,
    derived=True,
)


def _rank(rule: engine.PlainRule) -> tuple:
    return (EVIDENCE_RANK[rule.evidence_level], rule.extra.get("mechanism_position", 0))


def tests_split(
    tests: Sequence[engine.SuggestedTest],
    *,
    rules: Sequence[engine.PlainRule],
    profile: Mapping[str, Any],
    standard_markers: frozenset[str] = frozenset(),
) -> tuple[list[dict], list[dict]]:
    """(suggested tests, research assays), each strongest evidence it would add first.

    Suggested: standard tests only (ER, PR, HER2 ISH where indicated, PIK3CA, PTEN and the
    catalogue's standard assays) whose result would change any item, at most five. Research
    assays: the catalogue's research markers, whatever the level of what they would change.
    Other unknown facts (heterogeneity, say) are in neither: no test settles them.
    """
    by_slug = None
    data = []
    for test in tests:
        if not _indicated(test.fact, profile):
            continue
        try:
            data.append(_TEST_DATA[test])
        except KeyError:
            by_slug = by_slug or {rule.slug: rule for rule in rules}
            data.append(_TEST_DATA.setdefault(test, _test_data(test, by_slug)))
    data.sort(key=lambda t: t["_rank"])
    standard = [
        t
        for t in data
        if (t["_name"] in standard_markers if t["_marker"] else t["_name"] in STANDARD_FACTS)
    ][:SUGGESTED_TESTS_MAX]
    research = [
        {**t, "note": RESEARCH_ASSAY_NOTE}
        for t in data
        if t["_marker"] and t["_name"] not in standard_markers
    ]
    private = ("_rank", "_marker", "_name")
    return (
        [{k: v for k, v in t.items() if k not in private} for t in standard],
        [{k: v for k, v in t.items() if k not in private} for t in research],
    )


def profile_evaluate(
    *, profile: Mapping[str, Any], knowledge_base: KnowledgeBase | None = None
) -> dict[str, Any]:
    """The contract's evaluation payload for a clean profile."""
    kb = knowledge_base or knowledge_base_published()
    facts = engine.facts_build(profile, vocabulary=kb.vocabulary)
    result = engine.evaluate(facts, kb.ruleset, vocabulary=kb.vocabulary)
    suggested, research = tests_split(
        result.suggested_tests,
        rules=kb.rules,
        profile=profile,
        standard_markers=kb.standard_markers,
    )
    recommendations, leads = [], []
    for match in result.matches:
        rule = match.rule
        lead = research_lead(
            kind=rule.kind, evidence_level=rule.evidence_level, setting=profile["setting"]
        )
        (leads if lead else recommendations).append(
            recommendation_data(match, prior_therapies=profile["prior_therapies"])
        )
    payload = {
        "disclaimer": DISCLAIMER,
        "knowledge_base_version": kb.version,
        "knowledge_base_release": dict(kb.release) if kb.release else None,
        "her2_status": result.her2_status,
        "her2_status_source": HER2_STATUS_SOURCES[result.her2_status],
        "in_scope": result.in_scope,
        "recommendations": recommendations,
        "research_leads": leads,
        "suggested_tests": suggested,
        "research_assays": research,
        "profile_warnings": profile_warnings(profile),
    }
    if result.skipped:
        # A rule that raised on this profile is left out, never a failed evaluation.
        payload["skipped_rules"] = list(result.skipped)
    return payload


def evaluation_changes(*, before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """What changed between two evaluation payloads (a snapshot and now, say)."""

    def items(payload: Mapping[str, Any]) -> dict[str, Any]:
        listed = [*payload.get("recommendations", []), *payload.get("research_leads", [])]
        return {r["rule"]: r for r in listed}

    old, new = items(before), items(after)
    return {
        "knowledge_base_changed": before.get("knowledge_base_version")
        != after.get("knowledge_base_version"),
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
        "changed": sorted(slug for slug in set(old) & set(new) if old[slug] != new[slug]),
    }
