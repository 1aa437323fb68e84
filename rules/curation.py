"""Curation of the knowledge base: rule checks and saves, status changes, previews of a rule
on its stored examples or a case, and import/export of the knowledge-base file."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import CaseProfile
from cases.profile import profile_clean
from cases.selectors import marker_scales_get
from core.concurrency import version_claim
from rules import engine
from rules.choices import RuleKind, RuleStatus, research_lead
from rules.knowledge_base_file import knowledge_base_apply, knowledge_base_dump
from rules.models import Mechanism, Reference, Rule, Strategy
from rules.review_text import provenance_problems
from rules.translations import in_english

# A HER2-positive metastatic breast case with acquired resistance and nothing else known:
# few rules fire on it, so a rule's stored example states just the facts that matter to it.
EXAMPLE_BASELINE: dict[str, Any] = {
    "tumour_site": "breast",
    "setting": "metastatic",
    "trastuzumab_response": "acquired_resistance",
    "prior_therapies": ["trastuzumab"],
    "metastatic_line": "unknown",
    "brain_metastases": False,
    "her2_ihc": "3+",
    "her2_ish": "not_done",
    "her2_heterogeneity": "unknown",
    "er": "negative",
    "pr": "negative",
    "pik3ca": "unknown",
    "pten": "unknown",
    "markers": {},
}


def example_profile(example: Mapping[str, Any]) -> dict[str, Any]:
    """The full (unvalidated) profile of a stored example: the baseline and what it changes."""
    return {**EXAMPLE_BASELINE, **example["profile"]}


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


# Where an example may say a firing rule is listed ("listed": ...): the payload's two lists.
LISTS = ("recommendations", "research_leads")


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
    listed = example.get("listed")
    if fired != example["fires"]:
        expected = "fire" if example["fires"] else "not fire"
        problem = f"should {expected}, but the rule {'fires' if fired else 'does not fire'}"
    elif listed is not None:
        actual = (
            "research_leads"
            if research_lead(
                kind=rule.kind, evidence_level=rule.evidence_level, setting=profile["setting"]
            )
            else "recommendations"
        )
        if listed not in LISTS:
            problem = "names a list that is not recommendations or research_leads"
        elif not fired:
            problem = "names a list, but the rule does not fire"
        elif listed != actual:
            problem = f"should be listed in {listed}, but is listed in {actual}"
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
    if rule.kind == RuleKind.BACKGROUND:
        return {"condition_errors": [], "examples": [], "case": None, "background": True}
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


def _check_condition(rule: Rule, vocabulary: engine.Vocabulary) -> list[str]:
    """Compile errors, or what would make the condition raise on some profile."""
    try:
        compiled = engine.condition_compile(rule.condition, vocabulary)
    except engine.ConditionError as exc:
        return exc.messages
    return engine.condition_problems(compiled, vocabulary)


def _check_citations(rule: Rule, reference_keys: set[str] | None) -> list[str]:
    citations = rule.citations
    if not isinstance(citations, list) or not all(isinstance(c, str) for c in citations):
        return ['Citations are a list of reference keys, e.g. ["Cataldo2023"].']
    problems = []
    if len(set(citations)) != len(citations):
        problems.append("A reference is cited twice.")
    if reference_keys is None:
        reference_keys = set(Reference.objects.values_list("key", flat=True))
    unknown = [c for c in citations if c not in reference_keys]
    if unknown:
        problems.append("Unknown reference keys: " + ", ".join(unknown) + ".")
    if not citations and rule.kind != RuleKind.SCOPE and rule.status != RuleStatus.NOT_ENCODED:
        problems.append("Cite at least one of the review's references for this claim.")
    return problems


def _check_examples(rule: Rule, vocabulary: engine.Vocabulary, marker_scales) -> list[str]:
    if not isinstance(rule.examples, list):
        return ["Examples are a list."]
    results = rule_examples_run(rule=rule, vocabulary=vocabulary, marker_scales=marker_scales)
    problems = [f"Example {r.label} {r.problem}." for r in results if r.problem]
    if rule.status == RuleStatus.PUBLISHED and not {True, False} <= {r.expected for r in results}:
        problems.append(
            "A published rule needs at least one example where it fires and one where it does not."
        )
    return problems


@in_english()
def rule_validate(*, rule: Rule, reference_keys: set[str] | None = None) -> None:
    """Check a rule before it is stored; raise one ValidationError keyed by field."""
    marker_scales = marker_scales_get()
    vocabulary = engine.vocabulary_build(marker_scales=marker_scales)
    errors: dict[str, list[str]] = {}
    if rule.kind == RuleKind.BACKGROUND:
        # A statement without a patient trigger: nothing to evaluate, so nothing to test.
        if (rule.condition or "").strip():
            errors["condition"] = ["A background statement has no condition (it never fires)."]
        if rule.examples:
            errors["examples"] = ["A background statement has no examples (it never fires)."]
    elif problems := _check_condition(rule, vocabulary):
        errors["condition"] = problems
    if problems := _check_citations(rule, reference_keys):
        errors["citations"] = problems
    if problems := provenance_problems(rule.provenance):
        errors["provenance"] = problems
    elif (
        rule.status in (RuleStatus.PUBLISHED, RuleStatus.NOT_ENCODED)
        and rule.kind != RuleKind.SCOPE
        and not rule.provenance
    ):
        errors["provenance"] = [
            "Quote at least one sentence of the review that this rule encodes: every "
            "published item points at its source."
        ]
    if rule.kind == RuleKind.STRATEGY and rule.strategy_id is None:
        errors["strategy"] = ["A strategy rule names its strategy."]
    if (
        rule.kind != RuleKind.BACKGROUND
        and "condition" not in errors
        and (problems := _check_examples(rule, vocabulary, marker_scales))
    ):
        errors["examples"] = problems
    if errors:
        raise ValidationError(errors)


@in_english()
def rule_save(*, rule: Rule, expected_version: int | None = None) -> Rule:
    """Validate and store a rule (its history records who and when).

    An existing rule saved from an older version than the stored one is a conflict.
    """
    rule_validate(rule=rule)
    with transaction.atomic():
        if rule.pk:
            version_claim(rule, expected=expected_version, label=f"Rule {rule.slug}")
        rule.save()
    return rule


def rule_status_set(*, rule: Rule, status: str) -> Rule:
    """Publish, retire or return a rule to draft; publishing re-runs every check."""
    rule.status = status
    return rule_save(rule=rule)


@transaction.atomic
def knowledge_base_import(*, data: Mapping[str, Any]) -> dict[str, int]:
    """Create or update everything in `data`; every rule is checked, or nothing is stored."""
    knowledge_base_apply(
        data, Reference=Reference, Mechanism=Mechanism, Strategy=Strategy, Rule=Rule
    )
    reference_keys = set(Reference.objects.values_list("key", flat=True))
    slugs = [item["slug"] for item in data.get("rules", [])]
    errors = {}
    for rule in Rule.objects.filter(slug__in=slugs).select_related("strategy"):
        try:
            rule_validate(rule=rule, reference_keys=reference_keys)
        except ValidationError as exc:
            errors[rule.slug] = exc.message_dict
    if errors:
        raise ValidationError(
            {"rules": [f"{slug}: {problems}" for slug, problems in errors.items()]}
        )
    return {
        name: len(data.get(name, []))
        for name in ("references", "mechanisms", "strategies", "rules")
    }


def knowledge_base_export(*, source: str = "") -> dict[str, Any]:
    return knowledge_base_dump(
        Reference=Reference, Mechanism=Mechanism, Strategy=Strategy, Rule=Rule, source=source
    )
