"""Writes after a session's proposals lock: the board's decision for a case (the answer
key), an educator's mapping of a trainee's "Other" answer to an option, and a case's
outcome (hindsight). Each checks who may, and what it accepts, before anything is stored.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from board.choices import (
    MAX_CHOICES,
    BestResponse,
    Implemented,
    NoRecommendationReason,
    NotImplementedReason,
)
from board.models import BoardDecision, BoardSession, CaseOutcome, ProposalChoice
from board.options import mapping_targets
from board.presentation import strategy_options
from board.training import session_revise
from cases.deid import text_screen
from cases.models import CaseProfile
from core.concurrency import StaleVersion
from rules.choices import EvidenceLevel

MONTHS_MAX = 600  # fifty years of follow-up
GRADES = ", ".join(EvidenceLevel.values)


def _educator_only(session: BoardSession, user: AbstractBaseUser, refusal: str) -> None:
    if session.educator_id != user.pk:
        raise PermissionDenied(refusal)


def _after_lock(session: BoardSession, refusal: str) -> None:
    if session.is_open:
        raise ValidationError(refusal, code="open")


def option_targets() -> dict[str, str]:
    """Every option id a decision or a mapping may name, with its label."""
    return mapping_targets(strategies=strategy_options())


def _decision_options(options: Sequence[Mapping[str, Any]], targets: dict) -> list[dict]:
    if len(options) > MAX_CHOICES:
        raise ValidationError(
            {"options": [_("At most %(count)s ranked options.") % {"count": MAX_CHOICES}]}
        )
    cleaned, seen = [], set()
    for rank, item in enumerate(options, start=1):
        if not isinstance(item, Mapping):
            raise ValidationError({"options": [_("Option %(rank)s: an object.") % {"rank": rank}]})
        option = item.get("option")
        if option not in targets or option == "new-idea":
            raise ValidationError(
                {
                    "options": [
                        _("Option %(rank)s: not an option id; GET /api/v1/options/ lists them.")
                        % {"rank": rank}
                    ]
                }
            )
        if option in seen:
            raise ValidationError(
                {"options": [_("Option %(rank)s: already ranked above.") % {"rank": rank}]}
            )
        seen.add(option)
        grade = item.get("evidence_grade", "")
        if grade not in EvidenceLevel.values:
            raise ValidationError(
                {
                    "options": [
                        _("Option %(rank)s: evidence_grade is one of %(grades)s.")
                        % {"rank": rank, "grades": GRADES}
                    ]
                }
            )
        rationale = item.get("rationale", "")
        if not isinstance(rationale, str) or len(rationale) > 2000:
            raise ValidationError(
                {
                    "options": [
                        _("Option %(rank)s: rationale is text, at most 2000.") % {"rank": rank}
                    ]
                }
            )
        try:
            text_screen(rationale)
        except ValidationError as exc:
            raise ValidationError(
                {"options": [f"{_('Option %(rank)s:') % {'rank': rank}} {m}" for m in exc.messages]}
            ) from None
        cleaned.append({"option": option, "evidence_grade": grade, "rationale": rationale.strip()})
    return cleaned


def decision_record(
    *,
    session: BoardSession,
    case: CaseProfile,
    user: AbstractBaseUser,
    options: Sequence[Mapping[str, Any]],
    no_recommendation_reason: str = "",
    version: int | None = None,
) -> BoardDecision:
    """Record (or change) the board's decision for a session case: up to three ranked
    options with the board's evidence grade and rationale, or no recommendation with a
    coded reason. Only the educator, only after proposals lock. A change names the version
    it was based on; a stale one is refused (StaleVersion)."""
    _educator_only(session, user, _("Only the session's educator records the board's decision."))
    _after_lock(session, _("Lock the session's proposals first, then record the board's decision."))
    cleaned = _decision_options(options, option_targets())
    if bool(cleaned) == bool(no_recommendation_reason):
        raise ValidationError(
            _("Give ranked options, or no recommendation with its reason; not both, not neither.")
        )
    if no_recommendation_reason and no_recommendation_reason not in NoRecommendationReason.values:
        raise ValidationError(
            {
                "no_recommendation_reason": [
                    _("One of %(values)s.") % {"values": ", ".join(NoRecommendationReason.values)}
                ]
            }
        )
    with transaction.atomic():
        decision = (
            BoardDecision.objects.select_for_update().filter(session=session, case=case).first()
        )
        session_revise(session.pk)
        if decision is None:
            return BoardDecision.objects.create(
                session=session,
                case=case,
                options=cleaned,
                no_recommendation_reason=no_recommendation_reason,
                decided_by=user,
            )
        if version is not None and version != decision.version:
            raise StaleVersion(label="The board's decision", current=decision.version)
        decision.options = cleaned
        decision.no_recommendation_reason = no_recommendation_reason
        decision.decided_by = user
        decision.version += 1
        decision.save()
        return decision


def choice_map(
    *, session: BoardSession, choice: ProposalChoice, user: AbstractBaseUser, option: str
) -> ProposalChoice:
    """Map a trainee's "Other" answer to an option, or to "new-idea" (or "" to unmap);
    scores recompute from it. Only the educator, only after proposals lock."""
    _educator_only(session, user, _("Only the session's educator maps answers."))
    _after_lock(session, _("Lock the session's proposals first, then map answers."))
    if choice.proposal.session_id != session.pk:
        raise ValidationError({"choice": ["Not an answer of this session."]})
    if choice.strategy_id or choice.standard:
        raise ValidationError({"choice": ["Only an “Other” answer is mapped."]})
    if option and option not in option_targets():
        raise ValidationError({"option": ["Not an option id; GET /api/v1/options/ lists them."]})
    choice.mapped_option = option
    choice.save(update_fields=["mapped_option"])
    session_revise(session.pk)
    return choice


def outcome_record(
    *,
    case: CaseProfile,
    user: AbstractBaseUser,
    data: Mapping[str, Any],
    version: int | None = None,
) -> CaseOutcome:
    """Record (or change) what happened after the board. Times are whole months since the
    board; a date anywhere is refused (the notes are screened like every free text)."""
    errors: dict[str, list[str]] = {}

    def pick(name, choices, required=False):
        value = data.get(name, "") or ""
        if value and value not in choices.values:
            errors[name] = [f"One of {', '.join(choices.values)}."]
        elif required and not value:
            errors[name] = [f"Required: one of {', '.join(choices.values)}."]
        return value

    def months(name):
        value = data.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MONTHS_MAX:
            errors[name] = [f"Whole months since the board, 0 to {MONTHS_MAX}; never a date."]
            return None
        return value

    implemented = pick("implemented", Implemented, required=True)
    reason = pick("not_implemented_reason", NotImplementedReason)
    best = pick("best_response", BestResponse)
    progressed = data.get("progressed")
    if progressed is not None and not isinstance(progressed, bool):
        errors["progressed"] = ["true, false or null."]
    to_progression, followed = months("months_to_progression"), months("months_followed")
    notes = data.get("notes", "") or ""
    if not isinstance(notes, str):
        errors["notes"] = ["Text."]
    else:
        try:
            text_screen(notes)
        except ValidationError as exc:
            errors["notes"] = exc.messages
    if (
        implemented in (Implemented.NO, Implemented.PARTLY)
        and not reason
        and not errors.get("not_implemented_reason")
    ):
        errors["not_implemented_reason"] = ["Say why it was not (fully) implemented."]
    if implemented == Implemented.YES and reason:
        errors["not_implemented_reason"] = ["Only when it was not (fully) implemented."]
    if to_progression is not None and progressed is not True:
        errors["months_to_progression"] = ["Only when progressed is true."]
    if None not in (to_progression, followed) and to_progression > followed:
        errors["months_to_progression"] = ["Not more than months_followed."]
    if errors:
        raise ValidationError(errors)
    values = {
        "implemented": implemented,
        "not_implemented_reason": reason,
        "best_response": best,
        "progressed": progressed,
        "months_to_progression": to_progression,
        "months_followed": followed,
        "notes": notes.strip(),
        "recorded_by": user,
    }
    with transaction.atomic():
        outcome = CaseOutcome.objects.select_for_update().filter(case=case).first()
        if outcome is None:
            return CaseOutcome.objects.create(case=case, **values)
        if version is not None and version != outcome.version:
            raise StaleVersion(label="The outcome", current=outcome.version)
        for name, value in values.items():
            setattr(outcome, name, value)
        outcome.version += 1
        outcome.save()
        return outcome
