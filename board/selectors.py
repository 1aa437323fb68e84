"""Reads of a session case's board decision and a case's outcome."""

from board.models import BoardDecision, BoardSession, CaseOutcome
from cases.models import CaseProfile


def decision_get(*, session: BoardSession, case: CaseProfile) -> BoardDecision | None:
    return BoardDecision.objects.filter(session=session, case=case).first()


def outcome_get(*, case: CaseProfile) -> CaseOutcome | None:
    return CaseOutcome.objects.filter(case=case).first()
