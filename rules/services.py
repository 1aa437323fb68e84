"""Writes to the knowledge base: rule checks and saves, status changes, import and export."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.deid import notes_screen
from cases.selectors import marker_scales_get
from cases.services import version_claim
from rules import engine
from rules.choices import RuleKind, RuleStatus
from rules.kb_io import knowledge_base_apply, knowledge_base_dump
from rules.models import (
    BoardSession,
    CdsCard,
    CdsFeedback,
    EvaluationSnapshot,
    Mechanism,
    Reference,
    Rule,
    SessionCase,
    Strategy,
    TraineeProposal,
)
from rules.selectors import profile_evaluate, rule_examples_run


def _check_condition(rule: Rule, vocabulary: engine.Vocabulary) -> list[str]:
    try:
        engine.condition_compile(rule.condition, vocabulary)
    except engine.ConditionError as exc:
        return exc.messages
    return []


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
    if not citations and rule.kind != RuleKind.SCOPE:
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


def rule_validate(*, rule: Rule, reference_keys: set[str] | None = None) -> None:
    """Check a rule before it is stored; raise one ValidationError keyed by field."""
    marker_scales = marker_scales_get()
    vocabulary = engine.vocabulary_build(marker_scales=marker_scales)
    errors: dict[str, list[str]] = {}
    if problems := _check_condition(rule, vocabulary):
        errors["condition"] = problems
    if problems := _check_citations(rule, reference_keys):
        errors["citations"] = problems
    if rule.kind == RuleKind.STRATEGY and rule.strategy_id is None:
        errors["strategy"] = ["A combination-strategy rule names its strategy."]
    if "condition" not in errors and (problems := _check_examples(rule, vocabulary, marker_scales)):
        errors["examples"] = problems
    if errors:
        raise ValidationError(errors)


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


def snapshot_create(*, case, user=None) -> EvaluationSnapshot:
    """Store what the engine says about `case` now, pinned to the knowledge-base version."""
    payload = profile_evaluate(profile=case.as_profile())
    return EvaluationSnapshot.objects.create(
        case=case,
        knowledge_base_version=payload["knowledge_base_version"],
        payload=payload,
        created_by=user,
    )


def cds_cards_record(
    *, cards: list[dict[str, Any]], knowledge_base_version: str, hook_instance: str
) -> None:
    """Remember the cards issued (uuid -> rule) so that feedback can name its rule."""
    CdsCard.objects.bulk_create(
        CdsCard(
            uuid=card["uuid"],
            rule_slug=card["rule"],
            knowledge_base_version=knowledge_base_version,
            hook_instance=hook_instance,
        )
        for card in cards
    )


def cds_feedback_record(*, items: list[Mapping[str, Any]], user=None) -> int:
    """Store accepted/overridden outcomes; every card must be one we issued."""
    cards = CdsCard.objects.in_bulk([item["card"] for item in items], field_name="uuid")
    unknown = [str(item["card"]) for item in items if item["card"] not in cards]
    if unknown:
        raise CdsCard.DoesNotExist("Unknown card: " + ", ".join(unknown))
    feedback = []
    for item in items:
        override = item.get("overrideReason") or {}
        reason = override.get("reason") or {}
        feedback.append(
            CdsFeedback(
                card=cards[item["card"]],
                outcome=item["outcome"],
                override_reason_code=str(reason.get("code", ""))[:100],
                override_reason_display=str(reason.get("display", ""))[:200],
                user_comment=override.get("userComment", ""),
                outcome_timestamp=item["outcomeTimestamp"],
                submitted_by=user,
            )
        )
    CdsFeedback.objects.bulk_create(feedback)
    return len(feedback)


def session_create(*, title: str, educator) -> BoardSession:
    return BoardSession.objects.create(title=title, educator=educator)


def session_case_add(*, session: BoardSession, code: str) -> None:
    """Add a stored case to a session by its code; an unknown code is refused."""
    from cases.models import CaseProfile

    case = CaseProfile.objects.filter(code=code.strip().upper()).first()
    if case is None:
        raise ValidationError({"code": ["No case has that code."]})
    SessionCase.objects.get_or_create(
        session=session, case=case, defaults={"position": session.sessioncase_set.count()}
    )


def proposal_submit(*, session, case, trainee, strategies, reasoning: str) -> TraineeProposal:
    """Record a trainee's own proposal; it is made once, before the engine is shown."""
    notes_screen(reasoning)
    if TraineeProposal.objects.filter(session=session, case=case, trainee=trainee).exists():
        raise ValidationError("You have already made a proposal for this case.")
    proposal = TraineeProposal.objects.create(
        session=session, case=case, trainee=trainee, reasoning=reasoning.strip()
    )
    proposal.strategies.set(strategies)
    return proposal
